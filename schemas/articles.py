"""Articles: what is posted, and what is answered."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.common import (
    ID_RANGE,
    Day,
    PageArgs,
    Strict,
    Text,
    WebUrl,
    envelope,
    updated_since_field,
)
from schemas.events import EventSchema

_language = {
    "validate": validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"),
    "metadata": {"description": "BCP 47 language tag (`ru`, `en`).", "example": "ru"},
}


class ArticleWriteSchema(Strict):
    title = Text(required=True, validate=validate.Length(min=1, max=2000))
    body = Text(required=True, validate=validate.Length(min=1, max=1_000_000))
    published_at = Day(required=True)
    language = fields.String(allow_none=True, **_language)
    source = Text(
        allow_none=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The outlet's name; a new name creates the source."},
    )
    url = WebUrl(allow_none=True, validate=[validate.Length(max=2000)])


class ArticlePatchSchema(Strict):
    """Metadata that may be corrected; the body stays as it came (evidence points into it)."""

    title = Text(validate=validate.Length(min=1, max=2000))
    published_at = Day()
    language = fields.String(allow_none=True, **_language)
    source = Text(allow_none=True, validate=validate.Length(min=1, max=200))
    url = WebUrl(allow_none=True, validate=[validate.Length(max=2000)])


class AnnotateArgs(Strict):
    annotate = fields.Boolean(
        load_default=False,
        metadata={"description": "Run the annotator on the stored article."},
    )


class ArticleListArgs(PageArgs):
    source = fields.List(fields.Integer(validate=ID_RANGE))
    language = fields.List(fields.String(**_language))
    from_ = Day(data_key="from", metadata={"description": "Published on or after."})
    to = Day(metadata={"description": "Published on or before."})
    q = Text(validate=validate.Length(min=1, max=200), metadata={"description": "Words searched."})
    updated_since = updated_since_field()

    @validates_schema
    def _range(self, data, **kwargs):
        if "from_" in data and "to" in data and data["from_"] > data["to"]:
            raise ValidationError("`to` is before `from`.", field_name="to")


class ArticleSummarySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    language = fields.String(allow_none=True)
    published_at = fields.Date()
    url = fields.String(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "The outlet's name."})
    source_id = fields.Integer(allow_none=True)
    content_hash = fields.String(metadata={"description": "SHA-256 of source, title and body."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ArticleSchema(ArticleSummarySchema):
    body = fields.String(metadata={"description": "The text exactly as received."})


class ArticleCreatedSchema(ArticleSchema):
    events = fields.List(fields.Nested(EventSchema), metadata={"description": "Events made."})


ArticlePageSchema = envelope(ArticleSummarySchema, "ArticlePage")

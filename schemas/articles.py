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

# The seed article (fixtures/seed-article.txt), for the examples.
_HEADLINE = (
    "В Вене прошла встреча министров иностранных дел стран Центральной Азии и Северной Европы"
)
_DAY = "2025-12-05"
_AT = "2025-12-05T12:00:00+00:00"
_BODY_START = (
    "CentralAsia (KZ) - Министр иностранных дел Казахстана Ермек Кошербаев принял участие "
    "во встрече глав внешнеполитических ведомств стран Центральной Азии и Северной Европы…"
)
_title = {"description": "The headline.", "example": _HEADLINE}
_published = {"description": "Publication date.", "example": _DAY}
_url = {"description": "Where it was published, if known.", "example": None}

_language = {
    # At most 8 characters: what the column holds (a longer tag was a 500 on PostgreSQL).
    "validate": [validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"), validate.Length(max=8)],
    "metadata": {"description": "BCP 47 language tag (`ru`, `en`).", "example": "ru"},
}


class ArticleWriteSchema(Strict):
    title = Text(required=True, validate=validate.Length(min=1, max=2000), metadata=_title)
    body = Text(
        required=True,
        validate=validate.Length(min=1, max=1_000_000),
        metadata={"description": "The full text.", "example": _BODY_START},
    )
    published_at = Day(required=True, metadata=_published)
    language = fields.String(allow_none=True, **_language)
    source = Text(
        allow_none=True,
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "The outlet's name; a new name creates the source.",
            "example": "CentralAsia (KZ)",
        },
    )
    url = WebUrl(allow_none=True, validate=[validate.Length(max=2000)], metadata=_url)


class ArticlePatchSchema(Strict):
    """Metadata that may be corrected; the body stays as it came (evidence points into it)."""

    title = Text(validate=validate.Length(min=1, max=2000), metadata=_title)
    published_at = Day(metadata=_published)
    language = fields.String(allow_none=True, **_language)
    source = Text(
        allow_none=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The outlet's name.", "example": "CentralAsia (KZ)"},
    )
    url = WebUrl(allow_none=True, validate=[validate.Length(max=2000)], metadata=_url)


class AnnotateArgs(Strict):
    annotate = fields.Boolean(
        load_default=False,
        metadata={"description": "Run the annotator on the stored article."},
    )


class ArticleListArgs(PageArgs):
    source = fields.List(
        fields.Integer(validate=ID_RANGE), metadata={"description": "Source (outlet) id."}
    )
    language = fields.List(
        fields.String(**_language), metadata={"description": "Language tag (`ru`, `en`)."}
    )
    from_ = Day(data_key="from", metadata={"description": "Published on or after."})
    to = Day(metadata={"description": "Published on or before."})
    q = Text(validate=validate.Length(min=1, max=200), metadata={"description": "Words searched."})
    updated_since = updated_since_field()

    @validates_schema
    def _range(self, data, **kwargs):
        if "from_" in data and "to" in data and data["from_"] > data["to"]:
            raise ValidationError("`to` is before `from`.", field_name="to")


class ArticleSummarySchema(Schema):
    id = fields.Integer(metadata={"description": "Article id.", "example": 1})
    title = fields.String(metadata=_title)
    language = fields.String(
        allow_none=True, metadata={"description": "BCP 47 language tag.", "example": "ru"}
    )
    published_at = fields.Date(metadata=_published)
    url = fields.String(allow_none=True, metadata=_url)
    source = fields.String(
        allow_none=True,
        metadata={"description": "The outlet's name.", "example": "CentralAsia (KZ)"},
    )
    source_id = fields.Integer(
        allow_none=True, metadata={"description": "The outlet's id.", "example": 1}
    )
    content_hash = fields.String(
        metadata={
            "description": "SHA-256 of source, title and body.",
            "example": "2ef2cd1d0016f2efd8bd55ae7fe68a8133d9256cffe5d5f9d6be6bc131fd88f7",
        }
    )
    created_at = fields.DateTime(metadata={"description": "When it was stored.", "example": _AT})
    updated_at = fields.DateTime(metadata={"description": "When it last changed.", "example": _AT})


class ArticleSchema(ArticleSummarySchema):
    body = fields.String(
        metadata={"description": "The text exactly as received.", "example": _BODY_START}
    )


class ArticleCreatedSchema(ArticleSchema):
    events = fields.List(fields.Nested(EventSchema), metadata={"description": "Events made."})


ArticlePageSchema = envelope(ArticleSummarySchema, "ArticlePage", "-published_at")

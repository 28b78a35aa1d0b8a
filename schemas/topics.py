"""Topics and sources: the vocabularies."""

from marshmallow import Schema, fields

from schemas.common import PageArgs, envelope, updated_since_field


class TopicSchema(Schema):
    slug = fields.String(metadata={"example": "diplomacy"})
    label = fields.String(metadata={"description": "English label.", "example": "Diplomacy"})
    label_en = fields.String(metadata={"example": "Diplomacy"})
    label_ru = fields.String(metadata={"example": "Дипломатия"})
    iptc = fields.String(
        metadata={"description": "IPTC Media Topics code.", "example": "medtop:20000639"}
    )
    scope = fields.String(metadata={"description": "What the topic covers."})


class SourceSchema(Schema):
    id = fields.Integer()
    name = fields.String(metadata={"example": "CentralAsia (KZ)"})
    country = fields.String(allow_none=True, metadata={"example": "KZ"})
    language = fields.String(allow_none=True, metadata={"example": "ru"})
    url = fields.String(allow_none=True)


class TopicListArgs(PageArgs):
    updated_since = updated_since_field()


class SourceListArgs(PageArgs):
    updated_since = updated_since_field()


TopicPageSchema = envelope(TopicSchema, "TopicPage")
SourcePageSchema = envelope(SourceSchema, "SourcePage")

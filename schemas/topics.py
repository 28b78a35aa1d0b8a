"""Topics and sources: the vocabularies."""

from marshmallow import Schema, fields

from schemas.common import PageArgs, envelope, updated_since_field


class TopicSchema(Schema):
    slug = fields.String(metadata={"description": "The topic's key.", "example": "diplomacy"})
    label = fields.String(metadata={"description": "English label.", "example": "Diplomacy"})
    label_en = fields.String(metadata={"description": "English label.", "example": "Diplomacy"})
    label_ru = fields.String(metadata={"description": "Russian label.", "example": "Дипломатия"})
    iptc = fields.String(
        metadata={"description": "IPTC Media Topics code.", "example": "medtop:20000639"}
    )
    scope = fields.String(
        metadata={
            "description": "What the topic covers.",
            "example": "international relations: visits, talks, consultations, bilateral and "
            "multilateral cooperation, summits",
        }
    )


class SourceSchema(Schema):
    id = fields.Integer(metadata={"description": "Source id.", "example": 1})
    name = fields.String(
        metadata={"description": "The outlet's name.", "example": "CentralAsia (KZ)"}
    )
    country = fields.String(
        allow_none=True,
        metadata={"description": "The outlet's country (ISO 3166-1 alpha-2).", "example": "KZ"},
    )
    language = fields.String(
        allow_none=True, metadata={"description": "Its usual language.", "example": "ru"}
    )
    url = fields.String(
        allow_none=True, metadata={"description": "The outlet's site.", "example": None}
    )


class TopicListArgs(PageArgs):
    updated_since = updated_since_field()


class SourceListArgs(PageArgs):
    updated_since = updated_since_field()


TopicPageSchema = envelope(TopicSchema, "TopicPage", "slug")
SourcePageSchema = envelope(SourceSchema, "SourcePage")

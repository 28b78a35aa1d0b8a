"""Aggregates: counts of events per bucket, and the co-participation network."""

from marshmallow import Schema, fields, validate

from annotator.vocabulary import ENTITY_KINDS
from schemas.common import enum_doc, enum_text
from schemas.entities import KIND_MEANINGS, EntityBriefSchema, PlaceBriefSchema
from schemas.events import EventListArgs

BUCKETS = ("topic", "country", "participant", "venue", "type", "month", "day")
BUCKET_MEANINGS = {
    "topic": "by topic",
    "country": "by the country of any participant",
    "participant": "by participating entity",
    "venue": "by place",
    "type": "by event type",
    "month": "by the start date's month (a timeline without gaps)",
    "day": "by the start date (a timeline without gaps)",
}
_kinds = fields.String(
    validate=validate.OneOf(ENTITY_KINDS), metadata={"x-enumDescriptions": KIND_MEANINGS}
)
_top = {
    "load_default": 20,
    "validate": validate.Range(min=1, max=500),
}


class EventFilterArgs(EventListArgs):
    """Every filter of the event list, without its paging and sorting."""

    class Meta:
        exclude = ("limit", "cursor", "sort")


class AggregateArgs(EventFilterArgs):
    by = fields.String(
        required=True,
        validate=validate.OneOf(BUCKETS),
        metadata=enum_doc("What to count events by:", BUCKET_MEANINGS, BUCKETS),
    )
    top = fields.Integer(
        metadata={
            "description": "How many buckets, largest first (1–500), for the buckets "
            "other than `month` and `day`."
        },
        **_top,
    )
    kind = fields.List(
        _kinds,
        metadata={
            "description": enum_text(
                "With `by=participant`: only entities of these kinds:", KIND_MEANINGS
            )
        },
    )


class NetworkArgs(EventFilterArgs):
    top = fields.Integer(
        metadata={"description": "How many partners, most frequent first (1–500)."}, **_top
    )
    kind = fields.List(
        _kinds, metadata={"description": enum_text("Only partners of these kinds:", KIND_MEANINGS)}
    )


class BucketSchema(Schema):
    key = fields.String(
        metadata={
            "description": "The bucket: topic slug, country code, entity or place id, event "
            "type, `YYYY-MM` or `YYYY-MM-DD`.",
            "example": "diplomacy",
        }
    )
    label = fields.String(metadata={"description": "For people.", "example": "Diplomacy"})
    count = fields.Integer(metadata={"description": "Events in the bucket.", "example": 6})
    entity = fields.Nested(EntityBriefSchema, metadata={"description": "With `by=participant`."})
    place = fields.Nested(PlaceBriefSchema, metadata={"description": "With `by=venue`."})


class AggregateMetaSchema(Schema):
    top = fields.Integer(
        allow_none=True, metadata={"description": "Null for timelines.", "example": 20}
    )
    truncated = fields.Boolean(
        metadata={"description": "Whether buckets beyond `top` exist.", "example": False}
    )


class AggregateSchema(Schema):
    by = fields.String(
        metadata={
            **enum_doc("What events were counted by:", BUCKET_MEANINGS, enum=True),
            "example": "topic",
        }
    )
    total = fields.Integer(metadata={"description": "Events matching the filters.", "example": 6})
    buckets = fields.List(
        fields.Nested(BucketSchema),
        metadata={
            "description": "The buckets, largest first.",
            "example": [  # the seed's events by topic
                {"key": "diplomacy", "label": "Diplomacy", "count": 6},
                {"key": "human-rights", "label": "Human rights", "count": 4},
                {"key": "economy", "label": "Economy", "count": 2},
            ],
        },
    )
    meta = fields.Nested(AggregateMetaSchema, metadata={"description": "How it was cut."})


class PartnerSchema(Schema):
    entity = fields.Nested(EntityBriefSchema, metadata={"description": "The partner."})
    count = fields.Integer(metadata={"description": "Events both took part in.", "example": 5})
    first_date = fields.Date(
        metadata={"description": "Start of the first such event.", "example": "2025-12-05"}
    )
    last_date = fields.Date(
        metadata={"description": "End of the last such event.", "example": "2025-12-05"}
    )


class NetworkSchema(Schema):
    entity = fields.Nested(EntityBriefSchema, metadata={"description": "The entity asked about."})
    total = fields.Integer(
        metadata={"description": "Events of the entity matching the filters.", "example": 5}
    )
    partners = fields.List(
        fields.Nested(PartnerSchema), metadata={"description": "Its partners, most frequent first."}
    )
    meta = fields.Nested(AggregateMetaSchema, metadata={"description": "How it was cut."})

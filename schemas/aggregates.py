"""Aggregates: counts of events per bucket, and the co-participation network."""

from marshmallow import Schema, fields, validate

from schemas.entities import ENTITY_KINDS, EntityBriefSchema, PlaceBriefSchema
from schemas.events import EventListArgs

BUCKETS = ("topic", "country", "participant", "venue", "type", "month", "day")
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
        metadata={
            "description": "What to count events by: `topic`, `country` (of any participant), "
            "`participant`, `venue`, `type`, or the start date's `month` or `day` (a "
            "timeline without gaps)."
        },
    )
    top = fields.Integer(
        metadata={
            "description": "How many buckets, largest first (1–500), for the buckets "
            "other than `month` and `day`."
        },
        **_top,
    )
    kind = fields.List(
        fields.String(validate=validate.OneOf(ENTITY_KINDS)),
        metadata={"description": "With `by=participant`: only entities of these kinds."},
    )


class NetworkArgs(EventFilterArgs):
    top = fields.Integer(
        metadata={"description": "How many partners, most frequent first (1–500)."}, **_top
    )
    kind = fields.List(
        fields.String(validate=validate.OneOf(ENTITY_KINDS)),
        metadata={"description": "Only partners of these kinds."},
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
    top = fields.Integer(allow_none=True, metadata={"description": "Null for timelines."})
    truncated = fields.Boolean(metadata={"description": "Whether buckets beyond `top` exist."})


class AggregateSchema(Schema):
    by = fields.String(metadata={"enum": list(BUCKETS)})
    total = fields.Integer(metadata={"description": "Events matching the filters."})
    buckets = fields.List(fields.Nested(BucketSchema))
    meta = fields.Nested(AggregateMetaSchema)


class PartnerSchema(Schema):
    entity = fields.Nested(EntityBriefSchema)
    count = fields.Integer(metadata={"description": "Events both took part in.", "example": 5})
    first_date = fields.Date(metadata={"description": "Start of the first such event."})
    last_date = fields.Date(metadata={"description": "End of the last such event."})


class NetworkSchema(Schema):
    entity = fields.Nested(EntityBriefSchema)
    total = fields.Integer(metadata={"description": "Events of the entity matching the filters."})
    partners = fields.List(fields.Nested(PartnerSchema))
    meta = fields.Nested(AggregateMetaSchema)

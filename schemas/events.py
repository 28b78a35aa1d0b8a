"""Events: the list filters, the written form and the answered form."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.models import DATE_PRECISIONS, EVENT_STATUSES, EVENT_TYPES, ROLES
from schemas.common import (
    ID_RANGE,
    CountryCode,
    Day,
    PageArgs,
    RefOrInline,
    Strict,
    Text,
    TopicSlug,
    envelope,
    updated_since_field,
)
from schemas.entities import (
    EntityBriefSchema,
    EntityInlineSchema,
    PlaceBriefSchema,
    PlaceInlineSchema,
)

_ids = {"validate": ID_RANGE}
SORTS = ("-start_date", "start_date")


class EventListArgs(PageArgs):
    """Filters of the event list: AND between filters, OR within a repeated one."""

    from_ = Day(
        data_key="from",
        metadata={"description": "Events whose date range ends on or after this date."},
    )
    to = Day(metadata={"description": "Events whose date range starts on or before this date."})
    participant = fields.List(
        fields.Integer(**_ids), metadata={"description": "Entity id of a participant."}
    )
    country = fields.List(
        CountryCode(), metadata={"description": "Country (alpha-2) of any participant."}
    )
    venue = fields.List(fields.Integer(**_ids), metadata={"description": "Place id."})
    venue_country = fields.List(CountryCode(), metadata={"description": "Country of the venue."})
    topic = fields.List(TopicSlug(), metadata={"description": "Topic slug."})
    type = fields.List(fields.String(validate=validate.OneOf(list(EVENT_TYPES))))
    article = fields.List(fields.Integer(**_ids), metadata={"description": "Reporting article."})
    parent = fields.List(fields.Integer(**_ids), metadata={"description": "Parent event id."})
    status = fields.List(fields.String(validate=validate.OneOf(EVENT_STATUSES)))
    q = Text(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Words searched in each event's title and the title and text of "
            "the articles reporting it: an event matches when it holds every word."
        },
    )
    updated_since = updated_since_field()
    sort = fields.String(
        load_default="-start_date",
        validate=validate.OneOf(SORTS),
        metadata={"description": "`-start_date` (newest first) or `start_date`."},
    )

    @validates_schema
    def _range(self, data, **kwargs):
        if "from_" in data and "to" in data and data["from_"] > data["to"]:
            raise ValidationError("`to` is before `from`.", field_name="to")


FORMATS = ("json", "csv", "jsonld", "ics", "geojson")


class FormatArgs(Strict):
    format = fields.String(
        validate=validate.OneOf(FORMATS),
        metadata={
            "description": "The answer's format, overriding `Accept`: `json` (the default), "
            "`csv` (text/csv), `jsonld` (schema.org, application/ld+json), `ics` (iCalendar, "
            "text/calendar) or `geojson` (application/geo+json). Other formats than JSON "
            "page by the `Link` header."
        },
    )


class EventListFormatArgs(EventListArgs, FormatArgs):
    """The event list's filters, and its format."""


class ParticipantWriteSchema(Strict):
    entity = RefOrInline(
        EntityInlineSchema,
        "entity",
        required=True,
        metadata={"description": "An entity id, or `{name, kind, country?, aliases?}`."},
    )
    role = fields.String(load_default="participant", validate=validate.OneOf(ROLES))
    position = Text(allow_none=True, validate=validate.Length(max=500))


class EventWriteSchema(Strict):
    """An event as a person writes it; PATCH takes any subset."""

    title = Text(required=True, validate=validate.Length(min=1, max=1000))
    type = fields.String(required=True, validate=validate.OneOf(list(EVENT_TYPES)))
    start_date = Day(required=True)
    end_date = Day(metadata={"description": "Defaults to `start_date`."})
    date_precision = fields.String(validate=validate.OneOf(DATE_PRECISIONS))
    venue = RefOrInline(
        PlaceInlineSchema,
        "place",
        allow_none=True,
        metadata={"description": "A place id, or `{name, country, lat?, lon?}`."},
    )
    parent_id = fields.Integer(allow_none=True, **_ids)
    participants = fields.List(
        fields.Nested(ParticipantWriteSchema), validate=validate.Length(max=500)
    )
    topics = fields.List(TopicSlug(), validate=validate.Length(max=50))
    articles = fields.List(fields.Integer(**_ids), validate=validate.Length(max=500))
    status = fields.String(
        validate=validate.OneOf(("reviewed", "rejected")),
        metadata={"description": "A person's write makes the event `reviewed` unless rejected."},
    )
    confidence = fields.Float(allow_none=True, validate=validate.Range(min=0, max=1))

    @validates_schema
    def _range(self, data, **kwargs):
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError("`end_date` is before `start_date`.", field_name="end_date")


class ParticipantSchema(Schema):
    entity = fields.Nested(EntityBriefSchema)
    role = fields.String(metadata={"enum": list(ROLES)})
    position = fields.String(allow_none=True)


class TopicBriefSchema(Schema):
    slug = fields.String(metadata={"example": "diplomacy"})
    label = fields.String(metadata={"example": "Diplomacy"})


class ArticleBriefSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    published_at = fields.Date()


class EvidenceSchema(Schema):
    field = fields.String(metadata={"description": "Which fact the span supports."})
    article_id = fields.Integer()
    entity_id = fields.Integer(allow_none=True)
    part = fields.String(
        metadata={"enum": ["body", "title"], "description": "Where the span is: body or title."}
    )
    start = fields.Integer(metadata={"description": "Code-point offset into that part."})
    end = fields.Integer()
    exact = fields.String()


class EventSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    type = fields.String(metadata={"enum": list(EVENT_TYPES)})
    cameo = fields.String(allow_none=True, metadata={"description": "CAMEO event code."})
    start_date = fields.Date()
    end_date = fields.Date()
    date_precision = fields.String(metadata={"enum": list(DATE_PRECISIONS)})
    venue = fields.Nested(PlaceBriefSchema, allow_none=True)
    parent_id = fields.Integer(allow_none=True)
    participants = fields.List(fields.Nested(ParticipantSchema))
    topics = fields.List(fields.Nested(TopicBriefSchema))
    articles = fields.List(fields.Nested(ArticleBriefSchema))
    status = fields.String(metadata={"enum": list(EVENT_STATUSES)})
    confidence = fields.Float(allow_none=True)
    evidence = fields.List(fields.Nested(EvidenceSchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


EventPageSchema = envelope(EventSchema, "EventPage")

EXAMPLE_EVENT = {
    "id": 2,
    "title": "Встреча министров иностранных дел стран Центральной Азии и Северной Европы",
    "type": "multilateral-meeting",
    "cameo": "044",
    "start_date": "2025-12-05",
    "end_date": "2025-12-05",
    "date_precision": "day",
    "venue": {
        "id": 1,
        "name": "Vienna",
        "aliases": ["Вена", "Wien"],
        "country": "AT",
        "lat": 48.20849,
        "lon": 16.37208,
    },
    "parent_id": 1,
    "participants": [
        {
            "entity": {
                "id": 2,
                "name": "Ермек Кошербаев",
                "aliases": ["Yermek Kosherbayev", "Е.Кошербаев"],
                "kind": "person",
                "country": "KZ",
            },
            "role": "participant",
            "position": "министр иностранных дел Казахстана",
        },
        {
            "entity": {
                "id": 3,
                "name": "Казахстан",
                "aliases": ["Kazakhstan"],
                "kind": "country",
                "country": "KZ",
            },
            "role": "participant",
            "position": None,
        },
    ],
    "topics": [
        {"slug": "diplomacy", "label": "Diplomacy"},
        {"slug": "economy", "label": "Economy"},
    ],
    "articles": [
        {
            "id": 1,
            "title": "В Вене прошла встреча министров иностранных дел стран Центральной Азии "
            "и Северной Европы",
            "published_at": "2025-12-05",
        }
    ],
    "status": "reviewed",
    "confidence": None,
    "evidence": [
        {
            "field": "venue",
            "article_id": 1,
            "entity_id": None,
            "part": "title",
            "start": 2,
            "end": 6,
            "exact": "Вене",
        }
    ],
    "created_at": "2025-12-05T12:00:00+00:00",
    "updated_at": "2025-12-05T12:00:00+00:00",
}

EXAMPLE_EVENT_WRITE = {
    "title": "Встреча министров иностранных дел стран Центральной Азии и Северной Европы",
    "type": "multilateral-meeting",
    "start_date": "2025-12-05",
    "venue": {"name": "Vienna", "country": "AT", "lat": 48.2085, "lon": 16.3721},
    "parent_id": 1,
    "participants": [
        {
            "entity": {"name": "Ермек Кошербаев", "kind": "person", "country": "KZ"},
            "role": "participant",
            "position": "министр иностранных дел Казахстана",
        },
        {"entity": {"name": "Kyrgyzstan", "kind": "country", "country": "KG"}},
    ],
    "topics": ["diplomacy", "economy"],
    "articles": [1],
}

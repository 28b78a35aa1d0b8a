"""Events: the list filters, the written form and the answered form."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from annotator.vocabulary import (
    DATE_PRECISIONS,
    EVENT_STATUSES,
    EVENT_TYPES,
    MAX_PARENT_DEPTH,
    ROLES,
)
from schemas.common import (
    ID_RANGE,
    CountryCode,
    Day,
    PageArgs,
    RefOrInline,
    Strict,
    Text,
    TopicSlug,
    enum_doc,
    enum_text,
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

# The seed's Vienna meeting (fixtures/seed-article.txt), for the examples.
_TITLE = "Встреча министров иностранных дел стран Центральной Азии и Северной Европы"
_HEADLINE = (
    "В Вене прошла встреча министров иностранных дел стран Центральной Азии и Северной Европы"
)
_DAY = "2025-12-05"
_AT = "2025-12-05T12:00:00+00:00"
_TYPE = "multilateral-meeting"
_CONFIDENCE = "The annotator's confidence (0–1); null for an event a person wrote."

# What each value means, for the document (the values themselves live in api.store.models).
_TYPES = {
    "multilateral-meeting": "three or more parties meet",
    "bilateral-meeting": "two parties meet",
    "visit": "an official visit to another country or organisation",
    "phone-call": "a telephone or video call (no venue)",
    "summit": "a meeting of heads of state or government",
    "conference": "a conference or forum of many delegations",
    "negotiation": "talks towards an agreement",
    "signing": "an agreement or memorandum is signed",
    "statement": "a public statement or declaration",
    "other": "none of these",
}
TYPE_MEANINGS = {
    value: f"{meaning} (CAMEO {EVENT_TYPES[value]})" if EVENT_TYPES[value] else meaning
    for value, meaning in _TYPES.items()
}
STATUS_MEANINGS = {
    "auto": "made by the annotator, not yet checked by a person",
    "reviewed": "written or checked by a person; re-annotation never touches it",
    "rejected": "judged wrong by a person; kept so re-annotation does not make it again",
}
PRECISION_MEANINGS = {
    "day": "the dates are the days reported",
    "month": "only the month is known: the dates span it",
    "year": "only the year is known: the dates span it",
}
ROLE_MEANINGS = {
    "host": "receives the others",
    "guest": "is received by a host",
    "participant": "takes part, neither host nor guest",
    "chair": "presides over the meeting",
    "organizer": "convenes the event",
}
PART_MEANINGS = {"body": "the article's text", "title": "the article's title"}
TYPE_DOC = enum_doc("Kind of event:", TYPE_MEANINGS, EVENT_TYPES)
STATUS_DOC = enum_doc("Review state:", STATUS_MEANINGS, EVENT_STATUSES)
PRECISION_DOC = enum_doc("How exact the dates are:", PRECISION_MEANINGS, DATE_PRECISIONS)
ROLE_DOC = enum_doc("The part played:", ROLE_MEANINGS, ROLES)


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
    type = fields.List(
        fields.String(
            validate=validate.OneOf(list(EVENT_TYPES)),
            metadata={"x-enumDescriptions": TYPE_MEANINGS},
        ),
        metadata={"description": enum_text("Event type:", TYPE_MEANINGS)},
    )
    article = fields.List(fields.Integer(**_ids), metadata={"description": "Reporting article."})
    parent = fields.List(fields.Integer(**_ids), metadata={"description": "Parent event id."})
    status = fields.List(
        fields.String(
            validate=validate.OneOf(EVENT_STATUSES),
            metadata={"x-enumDescriptions": STATUS_MEANINGS},
        ),
        metadata={"description": enum_text("Review state:", STATUS_MEANINGS)},
    )
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
        metadata=enum_doc(
            "Order:", {"-start_date": "newest first", "start_date": "oldest first"}, SORTS
        ),
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
            "page by the `Link` header.",
            "x-enumDescriptions": {
                "json": "this API's JSON (the default)",
                "csv": "text/csv, one row per event",
                "jsonld": "schema.org events, application/ld+json",
                "ics": "iCalendar, text/calendar",
                "geojson": "application/geo+json, a feature per event",
            },
        },
    )
    bom = fields.Boolean(
        metadata={
            "description": "CSV only (ignored by the other formats): `true` puts a UTF-8 byte "
            "order mark before the header, so that Excel reads the file as UTF-8. "
            "Without it (the default) the file starts with the header."
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
    role = fields.String(
        load_default="participant",
        validate=validate.OneOf(ROLES),
        metadata={**ROLE_DOC, "example": "guest"},
    )
    position = Text(
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={
            "description": "The office held, as the article words it.",
            "example": "министр иностранных дел Казахстана",
        },
    )


# What one event write may store of new names: each alias is stored with keys of its own
# (api.store.names), and 500 participants of 100 aliases each would be a million keys.
MAX_INLINE_ALIASES = 100


def _inline_aliases(participants: list[dict]) -> None:
    entities = [p["entity"] for p in participants if isinstance(p.get("entity"), dict)]
    if sum(len(e.get("aliases") or []) for e in entities) > MAX_INLINE_ALIASES:
        raise ValidationError(
            f"The entities named inline carry at most {MAX_INLINE_ALIASES} aliases in all."
        )


class EventWriteSchema(Strict):
    """An event as a person writes it; PATCH takes any subset."""

    title = Text(
        required=True,
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "What happened, in a line.", "example": _TITLE},
    )
    type = fields.String(
        required=True,
        validate=validate.OneOf(list(EVENT_TYPES)),
        metadata={**TYPE_DOC, "example": "multilateral-meeting"},
    )
    start_date = Day(
        required=True, metadata={"description": "First day of the event.", "example": _DAY}
    )
    end_date = Day(metadata={"description": "Defaults to `start_date`.", "example": _DAY})
    date_precision = fields.String(
        validate=validate.OneOf(DATE_PRECISIONS), metadata={**PRECISION_DOC, "example": "day"}
    )
    venue = RefOrInline(
        PlaceInlineSchema,
        "place",
        allow_none=True,
        metadata={"description": "A place id, or `{name, country, lat?, lon?}`."},
    )
    parent_id = fields.Integer(
        allow_none=True,
        **_ids,
        metadata={
            "description": "The event this one was held within. An event has at most "
            f"{MAX_PARENT_DEPTH} events above it (parent, its parent, ...).",
            "example": 1,
        },
    )
    participants = fields.List(
        fields.Nested(ParticipantWriteSchema),
        validate=[validate.Length(max=500), _inline_aliases],
        metadata={
            "description": "Who took part, and in what role. At most 500; the entities "
            f"named inline carry at most {MAX_INLINE_ALIASES} aliases in all."
        },
    )
    topics = fields.List(
        TopicSlug(), validate=validate.Length(max=50), metadata={"description": "What about."}
    )
    articles = fields.List(
        fields.Integer(**_ids),
        validate=validate.Length(max=500),
        metadata={"description": "Ids of the articles reporting it.", "example": [1]},
    )
    status = fields.String(
        validate=validate.OneOf(("reviewed", "rejected")),
        metadata={
            **enum_doc(
                "A person's write makes the event `reviewed` unless rejected:",
                {key: STATUS_MEANINGS[key] for key in ("reviewed", "rejected")},
            ),
            "example": "reviewed",
        },
    )
    confidence = fields.Float(
        allow_none=True,
        validate=validate.Range(min=0, max=1),
        metadata={"description": _CONFIDENCE, "example": None},
    )

    @validates_schema
    def _range(self, data, **kwargs):
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError("`end_date` is before `start_date`.", field_name="end_date")


class ParticipantSchema(Schema):
    entity = fields.Nested(EntityBriefSchema, metadata={"description": "Who took part."})
    role = fields.String(
        metadata={
            **enum_doc("The part played:", ROLE_MEANINGS, enum=True),
            "example": "participant",
        }
    )
    position = fields.String(
        allow_none=True,
        metadata={
            "description": "The office held, as the article words it.",
            "example": "министр иностранных дел Казахстана",
        },
    )


class TopicBriefSchema(Schema):
    slug = fields.String(metadata={"description": "Topic slug.", "example": "diplomacy"})
    label = fields.String(metadata={"description": "English label.", "example": "Diplomacy"})


class ArticleBriefSchema(Schema):
    id = fields.Integer(metadata={"description": "Article id.", "example": 1})
    title = fields.String(metadata={"description": "The article's title.", "example": _HEADLINE})
    published_at = fields.Date(metadata={"description": "Publication date.", "example": _DAY})


class EvidenceSchema(Schema):
    field = fields.String(
        metadata={"description": "Which fact the span supports.", "example": "participant"}
    )
    article_id = fields.Integer(metadata={"description": "The article quoted.", "example": 1})
    entity_id = fields.Integer(
        allow_none=True,
        metadata={"description": "The participant the span names, if any.", "example": 2},
    )
    part = fields.String(
        metadata={**enum_doc("Where the span is:", PART_MEANINGS, enum=True), "example": "body"}
    )
    start = fields.Integer(
        metadata={"description": "Code-point offset into that part.", "example": 19}
    )
    end = fields.Integer(metadata={"description": "Offset just after the span.", "example": 69})
    exact = fields.String(
        metadata={
            "description": "The quoted text.",
            "example": "Министр иностранных дел Казахстана Ермек Кошербаев",
        }
    )


class EventSchema(Schema):
    id = fields.Integer(metadata={"description": "Event id.", "example": 2})
    title = fields.String(metadata={"description": "What happened, in a line.", "example": _TITLE})
    type = fields.String(
        metadata={**enum_doc("Kind of event:", TYPE_MEANINGS, enum=True), "example": _TYPE}
    )
    cameo = fields.String(
        allow_none=True, metadata={"description": "CAMEO event code.", "example": "044"}
    )
    start_date = fields.Date(metadata={"description": "First day of the event.", "example": _DAY})
    end_date = fields.Date(metadata={"description": "Last day of the event.", "example": _DAY})
    date_precision = fields.String(
        metadata={
            **enum_doc("How exact the dates are:", PRECISION_MEANINGS, enum=True),
            "example": "day",
        }
    )
    venue = fields.Nested(
        PlaceBriefSchema,
        allow_none=True,
        metadata={"description": "Where it was held (null for calls and unknown places)."},
    )
    parent_id = fields.Integer(
        allow_none=True,
        metadata={
            "description": "The event this one was held within (on its sidelines).",
            "example": 1,
        },
    )
    participants = fields.List(
        fields.Nested(ParticipantSchema),
        metadata={"description": "Who took part, and in what role."},
    )
    topics = fields.List(fields.Nested(TopicBriefSchema), metadata={"description": "What about."})
    articles = fields.List(
        fields.Nested(ArticleBriefSchema), metadata={"description": "The articles reporting it."}
    )
    status = fields.String(
        metadata={**enum_doc("Review state:", STATUS_MEANINGS, enum=True), "example": "reviewed"}
    )
    confidence = fields.Float(
        allow_none=True, metadata={"description": _CONFIDENCE, "example": None}
    )
    evidence = fields.List(
        fields.Nested(EvidenceSchema),
        metadata={"description": "The spans of the articles that support each fact."},
    )
    created_at = fields.DateTime(metadata={"description": "When it was stored.", "example": _AT})
    updated_at = fields.DateTime(metadata={"description": "When it last changed.", "example": _AT})


EventPageSchema = envelope(EventSchema, "EventPage", "-start_date")

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
        },
        {
            "field": "participant",
            "article_id": 1,
            "entity_id": 2,
            "part": "body",
            "start": 19,
            "end": 69,
            "exact": "Министр иностранных дел Казахстана Ермек Кошербаев",
        },
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

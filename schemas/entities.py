"""Entities (people, organisations, countries) and places (venues)."""

from marshmallow import Schema, ValidationError, fields, validate

from annotator.vocabulary import ENTITY_KINDS
from schemas.common import (
    CountryCode,
    PageArgs,
    Strict,
    Text,
    enum_doc,
    enum_text,
    envelope,
    updated_since_field,
)

KIND_MEANINGS = {
    "person": "a person, named as the articles name them",
    "organization": "an organisation, ministry or agency",
    "country": "a state, as a party to an event",
}
KIND_DOC = enum_doc("What the entity is:", KIND_MEANINGS, ENTITY_KINDS)
_AT = "2025-12-05T12:00:00+00:00"
_DAY = "2025-12-05"

_name = {"validate": validate.Length(min=1, max=300)}

# What one entity or place may carry. Each name is stored with keys of its own to match and
# search it by (api.store.names): a few, and two for each of its first words.
MAX_ALIASES = 100
MAX_ALIAS_CHARACTERS = 5_000
ALIAS_BOUNDS = (
    f"At most {MAX_ALIASES}, of at most 300 characters each and {MAX_ALIAS_CHARACTERS:,} in all."
)


def _characters_in_all(aliases: list[str]) -> None:
    if sum(map(len, aliases)) > MAX_ALIAS_CHARACTERS:
        raise ValidationError(f"At most {MAX_ALIAS_CHARACTERS:,} characters in all.")


def aliases_field(description: str, example: list[str]) -> fields.List:
    """The aliases of an entity or place as a write gives them, within ``ALIAS_BOUNDS``."""
    return fields.List(
        Text(**_name),
        validate=[validate.Length(max=MAX_ALIASES), _characters_in_all],
        metadata={"description": f"{description} {ALIAS_BOUNDS}", "example": example},
    )


class EntityBriefSchema(Schema):
    id = fields.Integer(metadata={"description": "Entity id.", "example": 2})
    name = fields.String(metadata={"description": "The usual name.", "example": "Ермек Кошербаев"})
    aliases = fields.List(
        fields.String(),
        metadata={
            "description": "Other names and spellings it is found by.",
            "example": ["Yermek Kosherbayev", "Е.Кошербаев"],
        },
    )
    kind = fields.String(metadata={**KIND_DOC, "enum": list(ENTITY_KINDS), "example": "person"})
    country = fields.String(
        allow_none=True,
        metadata={
            "description": "The state it belongs to or represents (ISO 3166-1 alpha-2).",
            "example": "KZ",
        },
    )


class EntitySchema(EntityBriefSchema):
    wikidata_id = fields.String(
        allow_none=True, metadata={"description": "Wikidata item (`Q…`).", "example": None}
    )
    description = fields.String(
        allow_none=True, metadata={"description": "A note for people.", "example": None}
    )
    created_at = fields.DateTime(metadata={"description": "When it was stored.", "example": _AT})
    updated_at = fields.DateTime(metadata={"description": "When it last changed.", "example": _AT})


class EntityDetailSchema(EntitySchema):
    event_count = fields.Integer(
        metadata={"description": "Events the entity took part in.", "example": 5}
    )
    first_event_date = fields.Date(
        allow_none=True, metadata={"description": "Start of its first event.", "example": _DAY}
    )
    last_event_date = fields.Date(
        allow_none=True, metadata={"description": "End of its last event.", "example": _DAY}
    )


class EntityInlineSchema(Strict):
    """An entity named inline in an event write; resolved by name or alias first."""

    name = Text(
        required=True,
        **_name,
        metadata={"description": "The usual name.", "example": "Ермек Кошербаев"},
    )
    kind = fields.String(
        required=True,
        validate=validate.OneOf(ENTITY_KINDS),
        metadata={**KIND_DOC, "example": "person"},
    )
    country = CountryCode(
        allow_none=True,
        metadata={"description": "The state it belongs to or represents.", "example": "KZ"},
    )
    aliases = aliases_field("Other names and spellings to find it by.", ["Yermek Kosherbayev"])


class EntityWriteSchema(EntityInlineSchema):
    wikidata_id = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^Q[1-9][0-9]{0,11}$"),
        metadata={"description": "Wikidata item (`Q…`).", "example": None},
    )
    description = Text(
        allow_none=True,
        validate=validate.Length(max=5000),
        metadata={"description": "A note for people.", "example": None},
    )


class EntityListArgs(PageArgs):
    kind = fields.List(
        fields.String(
            validate=validate.OneOf(ENTITY_KINDS), metadata={"x-enumDescriptions": KIND_MEANINGS}
        ),
        metadata={"description": enum_text("Only entities of these kinds:", KIND_MEANINGS)},
    )
    country = fields.List(
        CountryCode(), metadata={"description": "Only entities of these states (alpha-2)."}
    )
    # Ten: api.store.names.SEARCH_WORDS, how many of a name's words start a search key.
    q = Text(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Start of a name or alias, or of one of its first ten words."},
    )
    updated_since = updated_since_field()


class PlaceBriefSchema(Schema):
    id = fields.Integer(metadata={"description": "Place id.", "example": 1})
    name = fields.String(metadata={"description": "The usual name.", "example": "Vienna"})
    aliases = fields.List(
        fields.String(),
        metadata={"description": "Other names it is found by.", "example": ["Вена", "Wien"]},
    )
    country = fields.String(
        allow_none=True,
        metadata={"description": "Its country (ISO 3166-1 alpha-2).", "example": "AT"},
    )
    lat = fields.Float(
        allow_none=True, metadata={"description": "Latitude (WGS 84).", "example": 48.20849}
    )
    lon = fields.Float(
        allow_none=True, metadata={"description": "Longitude (WGS 84).", "example": 16.37208}
    )


class PlaceSchema(PlaceBriefSchema):
    geonames_id = fields.Integer(
        allow_none=True, metadata={"description": "GeoNames id.", "example": 2761369}
    )
    created_at = fields.DateTime(metadata={"description": "When it was stored.", "example": _AT})
    updated_at = fields.DateTime(metadata={"description": "When it last changed.", "example": _AT})


class PlaceDetailSchema(PlaceSchema):
    event_count = fields.Integer(
        metadata={"description": "Events held at the place.", "example": 6}
    )
    first_event_date = fields.Date(
        allow_none=True, metadata={"description": "Start of its first event.", "example": _DAY}
    )
    last_event_date = fields.Date(
        allow_none=True, metadata={"description": "End of its last event.", "example": _DAY}
    )


class PlaceInlineSchema(Strict):
    """A place named inline in an event write; resolved by name or alias first."""

    name = Text(
        required=True, **_name, metadata={"description": "The usual name.", "example": "Vienna"}
    )
    country = CountryCode(
        allow_none=True, metadata={"description": "Its country.", "example": "AT"}
    )
    lat = fields.Float(
        allow_none=True,
        validate=validate.Range(min=-90, max=90),
        metadata={"description": "Latitude (WGS 84).", "example": 48.20849},
    )
    lon = fields.Float(
        allow_none=True,
        validate=validate.Range(min=-180, max=180),
        metadata={"description": "Longitude (WGS 84).", "example": 16.37208},
    )
    aliases = aliases_field("Other names to find it by.", ["Вена", "Wien"])
    geonames_id = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "GeoNames id.", "example": 2761369},
    )


class PlaceListArgs(PageArgs):
    country = fields.List(
        CountryCode(), metadata={"description": "Only places in these countries."}
    )
    # Ten: api.store.names.SEARCH_WORDS, how many of a name's words start a search key.
    q = Text(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Start of a name or alias, or of one of its first ten words."},
    )
    updated_since = updated_since_field()


EntityPageSchema = envelope(EntitySchema, "EntityPage")
PlacePageSchema = envelope(PlaceSchema, "PlacePage")

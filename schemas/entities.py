"""Entities (people, organisations, countries) and places (venues)."""

from marshmallow import Schema, fields, validate

from schemas.common import CountryCode, PageArgs, Strict, Text, envelope, updated_since_field

ENTITY_KINDS = ("person", "organization", "country")

_name = {"validate": validate.Length(min=1, max=300)}


class EntityBriefSchema(Schema):
    id = fields.Integer(metadata={"example": 7})
    name = fields.String(metadata={"example": "Ермек Кошербаев"})
    aliases = fields.List(fields.String(), metadata={"example": ["Yermek Kosherbayev"]})
    kind = fields.String(metadata={"enum": list(ENTITY_KINDS), "example": "person"})
    country = fields.String(allow_none=True, metadata={"example": "KZ"})


class EntitySchema(EntityBriefSchema):
    wikidata_id = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class EntityDetailSchema(EntitySchema):
    event_count = fields.Integer(metadata={"description": "Events the entity took part in."})
    first_event_date = fields.Date(allow_none=True)
    last_event_date = fields.Date(allow_none=True)


class EntityInlineSchema(Strict):
    """An entity named inline in an event write; resolved by name or alias first."""

    name = Text(required=True, **_name)
    kind = fields.String(required=True, validate=validate.OneOf(ENTITY_KINDS))
    country = CountryCode(allow_none=True)
    aliases = fields.List(Text(**_name), validate=validate.Length(max=100))


class EntityWriteSchema(EntityInlineSchema):
    wikidata_id = fields.String(allow_none=True, validate=validate.Regexp(r"^Q[1-9][0-9]{0,11}$"))
    description = Text(allow_none=True, validate=validate.Length(max=5000))


class EntityListArgs(PageArgs):
    kind = fields.List(fields.String(validate=validate.OneOf(ENTITY_KINDS)))
    country = fields.List(CountryCode())
    q = Text(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Start of a name or alias, or of one of its words."},
    )
    updated_since = updated_since_field()


class PlaceBriefSchema(Schema):
    id = fields.Integer(metadata={"example": 1})
    name = fields.String(metadata={"example": "Vienna"})
    aliases = fields.List(fields.String(), metadata={"example": ["Вена", "Wien"]})
    country = fields.String(allow_none=True, metadata={"example": "AT"})
    lat = fields.Float(allow_none=True, metadata={"example": 48.2085})
    lon = fields.Float(allow_none=True, metadata={"example": 16.3721})


class PlaceSchema(PlaceBriefSchema):
    geonames_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class PlaceDetailSchema(PlaceSchema):
    event_count = fields.Integer(metadata={"description": "Events held at the place."})
    first_event_date = fields.Date(allow_none=True)
    last_event_date = fields.Date(allow_none=True)


class PlaceInlineSchema(Strict):
    """A place named inline in an event write; resolved by name or alias first."""

    name = Text(required=True, **_name)
    country = CountryCode(allow_none=True)
    lat = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))
    aliases = fields.List(Text(**_name), validate=validate.Length(max=100))
    geonames_id = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=2**31 - 1))


class PlaceListArgs(PageArgs):
    country = fields.List(CountryCode())
    q = Text(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Start of a name or alias, or of one of its words."},
    )
    updated_since = updated_since_field()


EntityPageSchema = envelope(EntitySchema, "EntityPage")
PlacePageSchema = envelope(PlaceSchema, "PlacePage")

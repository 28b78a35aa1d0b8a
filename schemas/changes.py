"""The change feed: what is asked, and what is answered."""

from marshmallow import Schema, fields, validate

from schemas.common import LinksSchema, Strict

RESOURCES = ("event", "article", "entity", "place", "source", "topic")
ACTIONS = ("create", "update", "delete")


class ChangeListArgs(Strict):
    since = fields.String(
        validate=validate.Length(min=1, max=500),
        metadata={
            "description": "Where to start: `meta.cursor` of a previous answer (changes after "
            "it), or a timestamp with offset (changes logged at or after it). Without it, "
            "the feed starts at the beginning.",
            "example": "2025-12-05T00:00:00Z",
        },
    )
    resource = fields.List(
        fields.String(validate=validate.OneOf(RESOURCES)),
        metadata={"description": "Only changes of these kinds of resource."},
    )
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=500),
        metadata={"description": "Changes per page (1–500)."},
    )


class ChangeSchema(Schema):
    seq = fields.Integer(metadata={"description": "Position in the feed: commit order."})
    resource = fields.String(metadata={"enum": list(RESOURCES), "example": "event"})
    id = fields.Raw(
        metadata={
            "description": "The resource's id (a topic's slug).",
            "oneOf": [{"type": "integer"}, {"type": "string"}],
            "example": 2,
        }
    )
    action = fields.String(metadata={"enum": list(ACTIONS), "example": "update"})
    at = fields.DateTime(metadata={"description": "When the change was logged."})
    href = fields.String(
        metadata={
            "description": "Where to read the resource now (gone after a delete).",
            "example": "/v1/events/2",
        }
    )


class ChangeMetaSchema(Schema):
    limit = fields.Integer()
    sort = fields.String(metadata={"example": "seq"})
    cursor = fields.String(
        metadata={
            "description": "The position after the last change of this page (or the one "
            "given when there was none): pass it as `since` to continue, also at the end."
        }
    )


class ChangePageSchema(Schema):
    data = fields.List(fields.Nested(ChangeSchema), required=True)
    links = fields.Nested(LinksSchema, required=True)
    meta = fields.Nested(ChangeMetaSchema, required=True)

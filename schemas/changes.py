"""The change feed: what is asked, and what is answered."""

from marshmallow import Schema, fields, validate

from schemas.common import LinksSchema, Strict, enum_doc, enum_text

RESOURCES = ("event", "article", "entity", "place", "source", "topic")
ACTIONS = ("create", "update", "delete")
RESOURCE_MEANINGS = {
    "event": "`/v1/events/{id}`",
    "article": "`/v1/articles/{id}`",
    "entity": "`/v1/entities/{id}`",
    "place": "`/v1/places/{id}`",
    "source": "`/v1/sources/{id}`",
    "topic": "`/v1/topics/{slug}`",
}
ACTION_MEANINGS = {
    "create": "it was made",
    "update": "it changed",
    "delete": "it was deleted",
}


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
        fields.String(
            validate=validate.OneOf(RESOURCES), metadata={"x-enumDescriptions": RESOURCE_MEANINGS}
        ),
        metadata={
            "description": enum_text("Only changes of these kinds of resource:", RESOURCE_MEANINGS)
        },
    )
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=500),
        metadata={"description": "Changes per page (1–500)."},
    )


class ChangeSchema(Schema):
    seq = fields.Integer(
        metadata={"description": "Position in the feed: commit order.", "example": 27}
    )
    resource = fields.String(
        metadata={
            **enum_doc("What changed:", RESOURCE_MEANINGS, RESOURCES, enum=True),
            "example": "event",
        }
    )
    id = fields.Raw(
        metadata={
            "description": "The resource's id (a topic's slug).",
            "oneOf": [{"type": "integer"}, {"type": "string"}],
            "example": 2,
        }
    )
    action = fields.String(
        metadata={
            **enum_doc("What was done:", ACTION_MEANINGS, ACTIONS, enum=True),
            "example": "update",
        }
    )
    at = fields.DateTime(
        metadata={
            "description": "When the change was logged.",
            "example": "2025-12-05T12:00:00+00:00",
        }
    )
    href = fields.String(
        metadata={
            "description": "Where to read the resource now (gone after a delete).",
            "example": "/v1/events/2",
        }
    )


class ChangeMetaSchema(Schema):
    limit = fields.Integer(metadata={"description": "The page size used.", "example": 50})
    sort = fields.String(metadata={"description": "Always `seq`.", "example": "seq"})
    cursor = fields.String(
        metadata={
            "description": "The position after the last change of this page (or the one "
            "given when there was none): pass it as `since` to continue, also at the end.",
            "example": "WyJjaGFuZ2VfbG9nOnNlcSIsM10",
        }
    )


class ChangePageSchema(Schema):
    data = fields.List(
        fields.Nested(ChangeSchema), required=True, metadata={"description": "This page."}
    )
    links = fields.Nested(
        LinksSchema,
        required=True,
        metadata={
            "description": "Where to read on.",
            "example": {
                "next": "http://127.0.0.1:8000/v1/changes?limit=3&since=WyJjaGFuZ2VfbG9nOnNlcSIsM10"
            },
        },
    )
    meta = fields.Nested(
        ChangeMetaSchema, required=True, metadata={"description": "Where this page ends."}
    )

"""Event revisions: every change to an event, as it was made."""

from marshmallow import Schema, fields

from schemas.common import PageArgs, enum_doc, envelope
from schemas.events import EventSchema


class RevisionListArgs(PageArgs):
    pass


class Snapshot(fields.Nested):
    """An event stored already in its answered form: documented as one, written as it is."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class RevisionSchema(Schema):
    number = fields.Integer(
        metadata={"description": "1 for the first version, then up by one.", "example": 1}
    )
    event_id = fields.Integer(metadata={"description": "The event changed.", "example": 2})
    action = fields.String(
        metadata={
            **enum_doc(
                "What was done:",
                {
                    "created": "the event was made",
                    "updated": "some of its fields changed",
                    "deleted": "it was deleted",
                },
                enum=True,
            ),
            "example": "created",
        }
    )
    author = fields.String(
        metadata={
            "description": "The API key's name, `annotator`, or `system`.",
            "example": "system",
        }
    )
    created_at = fields.DateTime(
        metadata={"description": "When it was made.", "example": "2025-12-05T12:00:00+00:00"}
    )
    changed = fields.List(
        fields.String(),
        metadata={
            "description": "The fields this change set or altered.",
            "example": ["title", "type", "start_date", "venue", "participants", "topics"],
        },
    )
    event = Snapshot(
        EventSchema,
        metadata={"description": "The event after the change (for a delete: its last state)."},
    )


RevisionPageSchema = envelope(RevisionSchema, "RevisionPage", "number")

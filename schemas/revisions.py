"""Event revisions: every change to an event, as it was made."""

from marshmallow import Schema, fields

from schemas.common import PageArgs, envelope
from schemas.events import EventSchema


class RevisionListArgs(PageArgs):
    pass


class Snapshot(fields.Nested):
    """An event stored already in its answered form: documented as one, written as it is."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class RevisionSchema(Schema):
    number = fields.Integer(metadata={"description": "1 for the first version, then up by one."})
    event_id = fields.Integer()
    action = fields.String(metadata={"enum": ["created", "updated", "deleted"]})
    author = fields.String(
        metadata={"description": "The API key's name, `annotator`, or `system`."}
    )
    created_at = fields.DateTime()
    changed = fields.List(
        fields.String(), metadata={"description": "The fields this change set or altered."}
    )
    event = Snapshot(
        EventSchema,
        metadata={"description": "The event after the change (for a delete: its last state)."},
    )


RevisionPageSchema = envelope(RevisionSchema, "RevisionPage")

"""Event revisions: every change to an event kept, with who made it, when, and what changed.

Each revision holds the whole event as it stood after the change (for a delete,
as it stood before), so no version a person or the annotator wrote is ever lost,
a deleted event included. Revisions are written in the change's own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw
from flask.views import MethodView

from api.http.blueprint import Blueprint
from api.http.errors import Problem
from api.http.pagination import page
from api.store.events.read import load_events
from api.store.models import Event, EventRevision
from api.store.order import Order
from schemas.common import aware
from schemas.events import EventSchema
from schemas.revisions import RevisionListArgs, RevisionPageSchema

blp = Blueprint(
    "revisions",
    __name__,
    url_prefix="/v1/events",
    description="Every change to an event: who, when, what changed, and the event as it then was.",
)

ORDER = Order("number", (EventRevision.number,))
_NOT_COMPARED = {"id", "created_at", "updated_at"}
_event_schema = EventSchema()


def snapshots(events: Iterable[Event]) -> dict[int, dict]:
    """The API form (JSON-ready) of each event as stored, by id."""
    # Read back from the store: a row just made may still hold its values as given.
    return {d["id"]: _event_schema.dump(d) for d in load_events(sorted({e.id for e in events}))}


def snapshot(event: Event) -> dict:
    return snapshots([event])[event.id]


def snapshot_of(data: dict) -> dict:
    """The JSON-ready form of an event already loaded (``load_event``)."""
    return _event_schema.dump(data)


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    if after is None:
        return []
    if before is None:
        return [k for k, v in after.items() if k not in _NOT_COMPARED and v not in (None, [])]
    return [k for k in after if k not in _NOT_COMPARED and before.get(k) != after[k]]


def record(event_id: int, action: str, author: str, before: dict | None, after: dict | None):
    """Store the next revision of event ``event_id`` (call inside the change's transaction)."""
    last = (
        EventRevision.select(pw.fn.MAX(EventRevision.number))
        .where(EventRevision.event_id == event_id)
        .scalar()
    )
    return EventRevision.create(
        event_id=event_id,
        number=(last or 0) + 1,
        action=action,
        author=author,
        changed=changed_fields(before, after),
        snapshot=after if after is not None else before,
    )


def record_deletions(events: Iterable[Event], author: str) -> None:
    """Keep the last state of ``events``, about to be deleted."""
    for event_id, last in snapshots(events).items():
        record(event_id, "deleted", author, last, None)


def revision_dict(revision: EventRevision) -> dict:
    return {
        "number": revision.number,
        "event_id": revision.event_id,
        "action": revision.action,
        "author": revision.author,
        "created_at": aware(revision.created_at),
        "changed": revision.changed or [],
        "event": revision.snapshot,
    }


@blp.route("/<int:event_id>/revisions")
class EventRevisions(MethodView):
    @blp.arguments(RevisionListArgs, location="query")
    @blp.response(200, RevisionPageSchema)
    @blp.problem(404, "No such event, and none ever had revisions")
    def get(self, args, event_id):
        """List the revisions of an event, oldest first.

        Each says who made the change (the API key's name, or `annotator`),
        when, which fields it changed, and holds the event as it then was.
        A deleted event keeps its revisions; the last one holds its final state.
        """
        query = EventRevision.select().where(EventRevision.event_id == event_id)
        if (
            not args.get("cursor")
            and not query.exists()
            and Event.get_or_none(Event.id == event_id) is None
        ):
            raise Problem(404, f"No event with id {event_id}.")
        return page(query, ORDER, args, lambda rows: [revision_dict(r) for r in rows])

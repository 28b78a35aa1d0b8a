"""Event revisions: every change to an event kept, with who made it, when, and what changed.

Each revision holds the whole event as it stood after the change (for a delete,
as it stood before), so no version a person or the annotator wrote is ever lost,
a deleted event included. Revisions are written in the change's own transaction.

A snapshot is the store's own document of the event (``api.store.events.read``),
the documented event shape as JSON: what the API answers, field for field
(``tests/test_revisions.py`` holds the two equal), so an event's ``ETag``
is the same whether it is computed from a snapshot or from an answer.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
import peewee as pw

from api.store.events.read import documents
from api.store.models import Event, EventRevision

_NOT_COMPARED = {"id", "created_at", "updated_at"}
# Who revisions name for a change made outside a request by no one in particular
# (the command line, fixtures).
SYSTEM = "system"


def snapshots(events: Iterable[Event]) -> dict[int, dict]:
    """The JSON document of each event as stored, by id."""
    # Read back from the store: a row just made may still hold its values as given.
    ids = sorted({e.id for e in events})
    return {d["id"]: d for d in map(orjson.loads, documents(ids))}


def snapshot(event: Event) -> dict:
    return snapshots([event])[event.id]


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

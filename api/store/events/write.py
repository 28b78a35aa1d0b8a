"""Writing events: the one writer every event change goes through.

A person's write (the API, fixtures), the annotator's (``api.store.annotation``)
and deletes each open an ``EventWriter``: one transaction, in which the rows
are written and then, one way for all of them, what is derived from them: the
date-ordered copies (``api.store.postings``) and a revision per changed event
(``api.store.revisions``). The search documents and the change log are kept by
the store's triggers, whatever writes. Bulk loads of new stores write the same
rows and copies in bulk (``api.store.events.bulk``).

References are checked before anything is made; the author of a change is
given by the caller (the request's key, ``annotator``, ``fixtures``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from annotator.vocabulary import MAX_EVENT_DAYS, MAX_PARENT_DEPTH
from api.store import postings, revisions
from api.store.errors import Invalid
from api.store.models import (
    Article,
    Entity,
    Event,
    EventArticle,
    EventTopic,
    Mention,
    Participant,
    Place,
    utcnow,
)
from api.store.resolve import resolve_entity, resolve_place
from api.store.transaction import writing

OWN_ANCESTOR = "An event cannot be its own parent or ancestor."


def _missing(model, ids) -> set[int]:
    ids = set(ids)
    if not ids:
        return set()
    found = {row_id for (row_id,) in model.select(model.id).where(model.id.in_(ids)).tuples()}
    return ids - found


def _check_references(data: dict, event: Event | None) -> dict[str, list[str]]:
    """Messages for every id in ``data`` that names nothing (or a loop of parents)."""
    errors: dict[str, list[str]] = {}
    venue = data.get("venue")
    if isinstance(venue, int) and _missing(Place, [venue]):
        errors["venue"] = [f"No place with id {venue}."]
    parent_id = data.get("parent_id")
    if parent_id is not None:
        if _missing(Event, [parent_id]):
            errors["parent_id"] = [f"No event with id {parent_id}."]
        elif message := _parent_refused(parent_id, event):
            errors["parent_id"] = [message]
    for i, participant in enumerate(data.get("participants") or []):
        ref = participant["entity"]
        if isinstance(ref, int) and _missing(Entity, [ref]):
            errors[f"participants.{i}.entity"] = [f"No entity with id {ref}."]
    missing = _missing(Article, data.get("articles") or [])
    if missing:
        errors["articles"] = [f"No article with id {', '.join(map(str, sorted(missing)))}."]
    return errors


def _parent_refused(parent_id: int, event: Event | None) -> str | None:
    """Why ``parent_id`` cannot be the parent of ``event`` (None: a new one), if it cannot:
    it is the event or below it, or the event (and the events below it) would sit more
    than ``MAX_PARENT_DEPTH`` events down."""
    event_id = event.id if event is not None else None
    chain = _chain_up(parent_id)
    if event_id is not None and event_id in chain:
        return OWN_ANCESTOR
    depth = len(chain) + (_levels_below(event_id) if event_id is not None else 0)
    if depth > MAX_PARENT_DEPTH:
        return (
            f"An event has at most {MAX_PARENT_DEPTH} events above it (parent, its parent, "
            "...); under this parent it, or an event below it, would have more."
        )
    return None


def _chain_up(event_id: int) -> list[int]:
    """``event_id`` and the events above it, nearest first: at most ``MAX_PARENT_DEPTH`` + 1
    (a longer chain is too deep anyway), and never round a loop."""
    chain: list[int] = []
    current = event_id
    while current is not None and current not in chain and len(chain) <= MAX_PARENT_DEPTH:
        chain.append(current)
        current = Event.select(Event.parent).where(Event.id == current).scalar()
    return chain


def _levels_below(event_id: int) -> int:
    """How many levels of events sit below ``event_id`` (0: none), counted up to
    ``MAX_PARENT_DEPTH`` + 1."""
    levels, level, seen = 0, [event_id], {event_id}
    while levels <= MAX_PARENT_DEPTH:
        children = Event.select(Event.id).where(Event.parent.in_(level)).tuples()
        level = [i for (i,) in children if i not in seen]
        if not level:
            return levels
        seen.update(level)
        levels += 1
    return levels


def _set_participants(event: Event, participants: list[dict]) -> None:
    rows: dict[int, dict] = {}
    errors: dict[str, list[str]] = {}
    for i, participant in enumerate(participants):
        ref = participant["entity"]
        entity_id = ref if isinstance(ref, int) else resolve_entity(ref)[0].id
        if entity_id in rows:
            errors[f"participants.{i}.entity"] = ["This entity is already a participant."]
            continue
        rows[entity_id] = {
            "event": event.id,
            "entity": entity_id,
            "role": participant.get("role") or "participant",
            "position": participant.get("position"),
        }
    if errors:
        raise Invalid(errors)
    Participant.delete().where(Participant.event == event).execute()
    if rows:
        Participant.insert_many(list(rows.values())).execute()
    # Evidence about an entity that no longer takes part goes with it.
    Mention.delete().where(
        (Mention.event == event)
        & Mention.entity.is_null(False)
        & Mention.entity.not_in(list(rows) or [0])
    ).execute()


def _set_topics(event: Event, slugs: list[str]) -> None:
    EventTopic.delete().where(EventTopic.event == event).execute()
    unique = list(dict.fromkeys(slugs))
    if unique:
        EventTopic.insert_many([{"event": event.id, "topic": s} for s in unique]).execute()


def _set_articles(event: Event, article_ids: list[int]) -> None:
    EventArticle.delete().where(EventArticle.event == event).execute()
    unique = list(dict.fromkeys(article_ids))
    if unique:
        EventArticle.insert_many([{"event": event.id, "article": a} for a in unique]).execute()


class EventWriter:
    """One transaction of event changes by ``author``, finished one way.

    Tell it each event before changing it (``changing``), each event made
    (``created``), and let it delete (``delete``); when the block ends without
    an error, the copies of every changed event are refreshed and each change
    is kept as a revision, then the transaction commits. On an error nothing is
    left behind. ``undo_unchanged``: when no event changed after all (an edit giving
    the stored values), the transaction is undone instead, so nothing says it changed
    (``updated_at``, a revision, the change feed).
    """

    def __init__(self, author: str, *, undo_unchanged: bool = False):
        self.author = author
        self._before: dict[int, dict | None] = {}  # event id -> its document before (None: new)
        self._transaction = writing()
        self._undo_unchanged = undo_unchanged
        self._deleted = False

    def __enter__(self) -> EventWriter:
        self._transaction.__enter__()
        return self

    def __exit__(self, kind, error, trace) -> bool | None:
        if kind is None:
            try:
                changed = self._finish()
            except BaseException as failure:
                self._transaction.__exit__(type(failure), failure, failure.__traceback__)
                raise
            if self._undo_unchanged and not changed:
                self._transaction.__exit__(_Unchanged, _Unchanged(), None)  # rolled back
                return None
        return self._transaction.__exit__(kind, error, trace)

    def changing(self, events: Iterable[Event], before: dict | None = None) -> None:
        """``events`` are about to change; ``before``: the one event's document, if known."""
        new = [e for e in events if e.id not in self._before]
        if before is not None and len(new) == 1:
            self._before[new[0].id] = before
        elif new:
            self._before.update(revisions.snapshots(new))

    def created(self, event: Event) -> None:
        self._before[event.id] = None

    def delete(self, events: Iterable[Event]) -> None:
        """Delete ``events``, each kept as its last revision (its links go with it)."""
        events = list(events)
        if not events:
            return
        for event_id, last in revisions.snapshots(events).items():
            revisions.record(event_id, "deleted", self.author, last, None)
            self._before.pop(event_id, None)
        Event.delete().where(Event.id.in_([e.id for e in events])).execute()
        self._deleted = True

    def _finish(self) -> bool:
        """Refresh and keep a revision of each event changed; whether any event changed."""
        if not self._before:
            return self._deleted
        postings.refresh_events(self._before)
        after = revisions.snapshots(Event(id=event_id) for event_id in self._before)
        changed = self._deleted or any(
            before is None or revisions.changed_fields(before, after[event_id])
            for event_id, before in self._before.items()
        )
        for event_id, before in sorted(self._before.items()):
            action = "created" if before is None else "updated"
            revisions.record(event_id, action, self.author, before, after[event_id])
        self._before.clear()
        return changed


class _Unchanged(Exception):
    """Rolls back an ``EventWriter`` transaction that changed no event."""


def write_event(
    data: dict,
    event: Event | None = None,
    *,
    author: str,
    replace: bool = True,
    before: dict | None = None,
) -> Event:
    """Create (``event`` is None) or change an event as a person wrote it.

    ``replace`` (POST, PUT): fields left out take their defaults; otherwise
    (PATCH) they stay. The event becomes ``reviewed`` unless ``status`` says
    ``rejected``. The change is kept as a revision by ``author``; ``before`` is
    the event's document if the caller has it. Everything happens in one
    transaction: on any error nothing is left behind. An edit that changes nothing
    writes nothing; a PATCH of no field leaves even the status as it was.
    """
    is_new = event is None or event.id is None
    if not (is_new or replace or data):
        return event
    with EventWriter(author, undo_unchanged=not is_new) as writer:
        if not is_new:
            writer.changing([event], before)
        errors = _check_references(data, event)
        if errors:
            raise Invalid(errors)
        if event is None:
            event = Event()
        if replace:
            data = {**_DEFAULTS, "end_date": data["start_date"], **data}
        _set_fields(event, data)
        event.save()
        if is_new:
            writer.created(event)
        if "participants" in data:
            _set_participants(event, data["participants"])
        if "topics" in data:
            _set_topics(event, data["topics"])
        if "articles" in data:
            _set_articles(event, data["articles"])
    return event


# What a field left out of a POST or PUT becomes (``end_date``: the start date).
_DEFAULTS = {
    "date_precision": "day",
    "venue": None,
    "parent_id": None,
    "participants": [],
    "topics": [],
    "articles": [],
    "confidence": None,
}


def _set_fields(event: Event, data: dict) -> None:
    """The event row's own fields from ``data``, its dates checked."""
    for name in ("title", "type", "start_date", "end_date", "date_precision", "confidence"):
        if name in data:
            setattr(event, name, data[name])
    _check_dates(event)
    if "parent_id" in data:
        event.parent = data["parent_id"]
    if "venue" in data:
        place = _place(data["venue"])
        event.venue = place.id if place else None
        event.venue_country = place.country if place else None
    event.status = data.get("status", "reviewed")
    event.updated_at = utcnow()


def _check_dates(event: Event) -> None:
    if event.end_date is None:
        event.end_date = event.start_date
    # Callers other than the API (fixtures, tests) may give ISO strings.
    event.start_date, event.end_date = (
        dt.date.fromisoformat(d) if isinstance(d, str) else d
        for d in (event.start_date, event.end_date)
    )
    errors = date_errors(event.start_date, event.end_date)
    if errors:
        raise Invalid(errors)


def date_errors(start: dt.date, end: dt.date) -> dict[str, list[str]]:
    """What is wrong with an event's dates, by field: nothing (``{}``), or its end."""
    if end < start:
        return {"end_date": ["`end_date` is before `start_date`."]}
    if (end - start).days > MAX_EVENT_DAYS:
        return {"end_date": [f"An event lasts at most {MAX_EVENT_DAYS} days."]}
    return {}


def _place(venue: dict | int | None) -> Place | None:
    """The venue given inline (resolved, or made) or by id."""
    if isinstance(venue, dict):
        return resolve_place(venue)[0]
    return Place.get_or_none(Place.id == venue)


def delete_event(event: Event, author: str) -> None:
    """Delete ``event``, kept as its last revision; its sub-events stay and lose their parent."""
    with EventWriter(author) as writer:
        writer.delete([event])

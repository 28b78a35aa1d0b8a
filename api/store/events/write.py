"""Writing events: one request, one transaction, references checked before anything is made.

Rules live here as plain functions (callable from tests, the CLI and the
annotator glue); the HTTP layer only parses and serialises.
"""

from __future__ import annotations

import datetime as dt

from api import revisions
from api.http.auth import current_author
from api.http.errors import FieldErrors
from api.store import postings
from api.store.db import database
from api.store.models import (
    MAX_EVENT_DAYS,
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

_MAX_PARENT_DEPTH = 1000


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
        elif event is not None and _is_descendant_or_self(parent_id, event.id):
            errors["parent_id"] = ["An event cannot be its own parent or ancestor."]
    for i, participant in enumerate(data.get("participants") or []):
        ref = participant["entity"]
        if isinstance(ref, int) and _missing(Entity, [ref]):
            errors[f"participants.{i}.entity"] = [f"No entity with id {ref}."]
    missing = _missing(Article, data.get("articles") or [])
    if missing:
        errors["articles"] = [f"No article with id {', '.join(map(str, sorted(missing)))}."]
    return errors


def _is_descendant_or_self(candidate_id: int, event_id: int) -> bool:
    """Whether ``candidate_id`` is ``event_id`` or below it (so cannot be its parent)."""
    current = candidate_id
    for _ in range(_MAX_PARENT_DEPTH):
        if current is None:
            return False
        if current == event_id:
            return True
        current = Event.select(Event.parent).where(Event.id == current).scalar()
    return True


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
        raise FieldErrors(errors)
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


def write_event(
    data: dict,
    event: Event | None = None,
    *,
    replace: bool = True,
    author: str | None = None,
    before: dict | None = None,
) -> Event:
    """Create (``event`` is None) or change an event as a person wrote it.

    ``replace`` (POST, PUT): fields left out take their defaults; otherwise
    (PATCH) they stay. The event becomes ``reviewed`` unless ``status`` says
    ``rejected``. The change is kept as a revision by ``author`` (default: the
    request's key); ``before`` is the event's answered form if the caller has it.
    Everything happens in one transaction: on any error nothing is left behind.
    """
    with database.atomic():
        is_new = event is None or event.id is None
        if not is_new and before is None:
            before = revisions.snapshot(event)
        errors = _check_references(data, event)
        if errors:
            raise FieldErrors(errors)
        if event is None:
            event = Event()
        if replace:
            data = {
                "end_date": data["start_date"],
                "date_precision": "day",
                "venue": None,
                "parent_id": None,
                "participants": [],
                "topics": [],
                "articles": [],
                "confidence": None,
                **data,
            }
        for name in ("title", "type", "start_date", "end_date", "date_precision", "confidence"):
            if name in data:
                setattr(event, name, data[name])
        if event.end_date is None:
            event.end_date = event.start_date
        # Callers other than the API (fixtures, tests) may give ISO strings.
        event.start_date, event.end_date = (
            dt.date.fromisoformat(d) if isinstance(d, str) else d
            for d in (event.start_date, event.end_date)
        )
        if event.end_date < event.start_date:
            raise FieldErrors({"end_date": ["`end_date` is before `start_date`."]})
        if (event.end_date - event.start_date).days > MAX_EVENT_DAYS:
            raise FieldErrors({"end_date": [f"An event lasts at most {MAX_EVENT_DAYS} days."]})
        if "parent_id" in data:
            event.parent = data["parent_id"]
        if "venue" in data:
            venue = data["venue"]
            place = (
                resolve_place(venue)[0]
                if isinstance(venue, dict)
                else Place.get_or_none(Place.id == venue)
            )
            event.venue = place.id if place else None
            event.venue_country = place.country if place else None
        event.status = data.get("status", "reviewed")
        event.updated_at = utcnow()
        event.save()
        if "participants" in data:
            _set_participants(event, data["participants"])
        if "topics" in data:
            _set_topics(event, data["topics"])
        if "articles" in data:
            _set_articles(event, data["articles"])
        postings.refresh_events([event.id])
        revisions.record(
            event.id,
            "created" if is_new else "updated",
            author or current_author(),
            None if is_new else before,
            revisions.snapshot(event),
        )
    return event

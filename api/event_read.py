"""Reading events whole: a page of events in a fixed handful of queries.

One query per kind of related row (venues, participants, their entities,
topics, articles, evidence) for the whole page, never one per event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import orjson
import peewee as pw

from api.db import database
from api.models import (
    EVENT_TYPES,
    Entity,
    Event,
    Place,
)
from schemas.common import aware


def place_brief(place: Place) -> dict:
    return {
        "id": place.id,
        "name": place.name,
        "aliases": place.aliases or [],
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
    }


def entity_brief(entity: Entity) -> dict:
    return {
        "id": entity.id,
        "name": entity.name,
        "aliases": entity.aliases or [],
        "kind": entity.kind,
        "country": entity.country,
    }


def event_stats(events) -> dict:
    """``event_count`` and first and last dates of the events ``events`` (a query) selects."""
    count, first, last = (
        events.select(pw.fn.COUNT(Event.id), pw.fn.MIN(Event.start_date), pw.fn.MAX(Event.end_date))
        .tuples()
        .get()
    )
    return {"event_count": count, "first_event_date": _day(first), "last_event_date": _day(last)}


def _day(value) -> dt.date | None:
    # SQLite hands dates back as text, PostgreSQL as dates.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _aliases(value) -> list:
    return orjson.loads(value) if value else []


# The related rows of a page, one statement per kind: fixed SQL (portable to both stores)
# with the page's ids bound, so no query is built per request.
_RELATED = {
    "venues": "SELECT id, name, aliases, country, lat, lon FROM place WHERE id IN ({ids})",
    # Participants, then their entities by id: joined in one statement, PostgreSQL plans a
    # hash join over every entity (a sequential scan of all of them, for each page).
    "participants": (
        "SELECT event_id, role, position, entity_id FROM participant"
        " WHERE event_id IN ({ids}) ORDER BY event_id, id"
    ),
    "entities": "SELECT id, name, aliases, kind, country FROM entity WHERE id IN ({ids})",
    "topics": (
        "SELECT et.event_id, t.slug, t.label_en FROM event_topic et"
        " JOIN topic t ON t.slug = et.topic_id"
        " WHERE et.event_id IN ({ids}) ORDER BY et.event_id, t.slug"
    ),
    "articles": (
        "SELECT ea.event_id, a.id, a.title, a.published_at FROM event_article ea"
        " JOIN article a ON a.id = ea.article_id"
        " WHERE ea.event_id IN ({ids}) ORDER BY ea.event_id, a.id"
    ),
    "evidence": (
        'SELECT event_id, field, article_id, entity_id, part, start, "end", exact FROM mention'
        " WHERE event_id IN ({ids}) ORDER BY event_id, article_id, start, id"
    ),
}


def _related(kind: str, ids) -> list[tuple]:
    ids = list(ids)
    if not ids:
        return []
    marks = ", ".join([database.param] * len(ids))
    return database.execute_sql(_RELATED[kind].format(ids=marks), ids).fetchall()


def load_events(events: list[Event]) -> list[dict]:
    """``events`` as API dicts, in the same order, with all their related rows."""
    if not events:
        return []
    ids = [e.id for e in events]
    venues = {}
    for place_id, name, aliases, country, lat, lon in _related(
        "venues", {e.venue_id for e in events if e.venue_id}
    ):
        venues[place_id] = {
            "id": place_id,
            "name": name,
            "aliases": _aliases(aliases),
            "country": country,
            "lat": lat,
            "lon": lon,
        }

    taking_part = _related("participants", ids)
    entities = {
        entity_id: {
            "id": entity_id,
            "name": name,
            "aliases": _aliases(aliases),
            "kind": kind,
            "country": country,
        }
        for entity_id, name, aliases, kind, country in _related(
            "entities", {row[3] for row in taking_part}
        )
    }
    participants = defaultdict(list)
    for event_id, role, position, entity_id in taking_part:
        participants[event_id].append(
            {"entity": entities[entity_id], "role": role, "position": position}
        )

    topics = defaultdict(list)
    for event_id, slug, label in _related("topics", ids):
        topics[event_id].append({"slug": slug, "label": label})

    articles = defaultdict(list)
    for event_id, article_id, title, published_at in _related("articles", ids):
        articles[event_id].append(
            {"id": article_id, "title": title, "published_at": _day(published_at)}
        )

    evidence = defaultdict(list)
    for event_id, field, article_id, entity_id, part, start, end, exact in _related(
        "evidence", ids
    ):
        evidence[event_id].append(
            {
                "field": field,
                "article_id": article_id,
                "entity_id": entity_id,
                "part": part,
                "start": start,
                "end": end,
                "exact": exact,
            }
        )

    return [
        {
            "id": e.id,
            "title": e.title,
            "type": e.type,
            "cameo": EVENT_TYPES.get(e.type),
            "start_date": _day(e.start_date),
            "end_date": _day(e.end_date),
            "date_precision": e.date_precision,
            "venue": venues.get(e.venue_id),
            "parent_id": e.parent_id,
            "participants": participants[e.id],
            "topics": topics[e.id],
            "articles": articles[e.id],
            "status": e.status,
            "confidence": e.confidence,
            "evidence": evidence[e.id],
            "created_at": aware(e.created_at),
            "updated_at": aware(e.updated_at),
        }
        for e in events
    ]


def load_event(event: Event) -> dict:
    return load_events([event])[0]

"""Reading events whole: a page of events in a fixed handful of queries.

One query per kind of related row (venues, participants with their entities,
topics, articles, evidence) for the whole page, never one per event.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from api.db import database
from api.models import (
    EVENT_TYPES,
    Article,
    Entity,
    Event,
    EventArticle,
    EventTopic,
    Mention,
    Participant,
    Place,
    Topic,
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


def _day(value) -> dt.date | None:
    # SQLite hands dates back as text, PostgreSQL as dates.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _aliases(value) -> list:
    return json.loads(value) if value else []


def _raw(query) -> list[tuple]:
    """The rows of ``query`` as the driver gives them: no model objects on the hot path."""
    return database.execute(query).fetchall()


def load_events(events: list[Event]) -> list[dict]:
    """``events`` as API dicts, in the same order, with all their related rows."""
    if not events:
        return []
    ids = [e.id for e in events]
    venue_ids = {e.venue_id for e in events if e.venue_id}
    venues = {}
    if venue_ids:
        query = Place.select(
            Place.id, Place.name, Place.aliases, Place.country, Place.lat, Place.lon
        ).where(Place.id.in_(venue_ids))
        for place_id, name, aliases, country, lat, lon in _raw(query):
            venues[place_id] = {
                "id": place_id,
                "name": name,
                "aliases": _aliases(aliases),
                "country": country,
                "lat": lat,
                "lon": lon,
            }

    participants = defaultdict(list)
    query = (
        Participant.select(
            Participant.event,
            Participant.role,
            Participant.position,
            Entity.id,
            Entity.name,
            Entity.aliases,
            Entity.kind,
            Entity.country,
        )
        .join(Entity)
        .where(Participant.event.in_(ids))
        .order_by(Participant.event, Participant.id)
    )
    for event_id, role, position, entity_id, name, aliases, kind, country in _raw(query):
        participants[event_id].append(
            {
                "entity": {
                    "id": entity_id,
                    "name": name,
                    "aliases": _aliases(aliases),
                    "kind": kind,
                    "country": country,
                },
                "role": role,
                "position": position,
            }
        )

    topics = defaultdict(list)
    query = (
        EventTopic.select(EventTopic.event, Topic.slug, Topic.label_en)
        .join(Topic)
        .where(EventTopic.event.in_(ids))
        .order_by(EventTopic.event, Topic.slug)
    )
    for event_id, slug, label in _raw(query):
        topics[event_id].append({"slug": slug, "label": label})

    articles = defaultdict(list)
    query = (
        EventArticle.select(EventArticle.event, Article.id, Article.title, Article.published_at)
        .join(Article)
        .where(EventArticle.event.in_(ids))
        .order_by(EventArticle.event, Article.id)
    )
    for event_id, article_id, title, published_at in _raw(query):
        articles[event_id].append(
            {"id": article_id, "title": title, "published_at": _day(published_at)}
        )

    evidence = defaultdict(list)
    query = (
        Mention.select(
            Mention.event,
            Mention.field,
            Mention.article,
            Mention.entity,
            Mention.part,
            Mention.start,
            Mention.end,
            Mention.exact,
        )
        .where(Mention.event.in_(ids))
        .order_by(Mention.event, Mention.article, Mention.start, Mention.id)
    )
    for event_id, field, article_id, entity_id, part, start, end, exact in _raw(query):
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

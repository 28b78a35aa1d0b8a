"""Reading events whole: a page of events in a fixed handful of queries.

One query per kind of related row (venues, participants with their entities,
topics, articles, evidence) for the whole page, never one per event.
"""

from __future__ import annotations

from collections import defaultdict

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


def load_events(events: list[Event]) -> list[dict]:
    """``events`` as API dicts, in the same order, with all their related rows."""
    if not events:
        return []
    ids = [e.id for e in events]
    venue_ids = {e.venue_id for e in events if e.venue_id}
    venues = {p.id: place_brief(p) for p in Place.select().where(Place.id.in_(venue_ids))}

    participants = defaultdict(list)
    query = (
        Participant.select(Participant, Entity)
        .join(Entity)
        .where(Participant.event.in_(ids))
        .order_by(Participant.event, Participant.id)
    )
    for p in query:
        participants[p.event_id].append(
            {"entity": entity_brief(p.entity), "role": p.role, "position": p.position}
        )

    topics = defaultdict(list)
    query = (
        EventTopic.select(EventTopic.event, Topic.slug, Topic.label_en)
        .join(Topic)
        .where(EventTopic.event.in_(ids))
        .order_by(EventTopic.event, Topic.slug)
        .tuples()
    )
    for event_id, slug, label in query:
        topics[event_id].append({"slug": slug, "label": label})

    articles = defaultdict(list)
    query = (
        EventArticle.select(EventArticle.event, Article.id, Article.title, Article.published_at)
        .join(Article)
        .where(EventArticle.event.in_(ids))
        .order_by(EventArticle.event, Article.id)
        .tuples()
    )
    for event_id, article_id, title, published_at in query:
        articles[event_id].append({"id": article_id, "title": title, "published_at": published_at})

    evidence = defaultdict(list)
    query = (
        Mention.select()
        .where(Mention.event.in_(ids))
        .order_by(Mention.event, Mention.article, Mention.start, Mention.id)
    )
    for m in query:
        evidence[m.event_id].append(
            {
                "field": m.field,
                "article_id": m.article_id,
                "entity_id": m.entity_id,
                "part": m.part,
                "start": m.start,
                "end": m.end,
                "exact": m.exact,
            }
        )

    return [
        {
            "id": e.id,
            "title": e.title,
            "type": e.type,
            "cameo": EVENT_TYPES.get(e.type),
            "start_date": e.start_date,
            "end_date": e.end_date,
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

"""Glue between the annotator and the store: found events become stored ``auto`` events.

The annotator (its models) loads on first use only, so a process that never
annotates never pays for it. Re-annotation replaces only the article's
``auto`` events; what a person reviewed or rejected is never touched.
"""

from __future__ import annotations

from api.store.events.write import EventWriter
from api.store.models import (
    Article,
    Event,
    EventArticle,
    EventTopic,
    Mention,
    Participant,
    Topic,
    utcnow,
)
from api.store.resolve import insert_batched, resolve_entity, resolve_place

AUTHOR = "annotator"  # who revisions name for the annotator's changes


def _mention(article: Article, event: Event, field: str, span, entity_id=None) -> dict | None:
    if span is None:
        return None
    return {
        "article": article.id,
        "event": event.id,
        "entity": entity_id,
        "field": field,
        "part": getattr(span, "part", "body"),
        "start": span.start,
        "end": span.end,
        "exact": span.text,
    }


def _drop_auto_events(writer: EventWriter, article: Article) -> None:
    """Remove the article's ``auto`` events (unlinking those other articles also report)."""
    auto = list(
        Event.select(Event.id)
        .join(EventArticle)
        .where((EventArticle.article == article) & (Event.status == "auto"))
    )
    shared = {
        event_id
        for (event_id,) in EventArticle.select(EventArticle.event)
        .where(EventArticle.event.in_([e.id for e in auto]) & (EventArticle.article != article))
        .tuples()
    }
    writer.delete(e for e in auto if e.id not in shared)
    reported = [e for e in auto if e.id in shared]
    if not reported:
        return
    writer.changing(reported)
    ids = [e.id for e in reported]
    EventArticle.delete().where(
        EventArticle.event.in_(ids) & (EventArticle.article == article)
    ).execute()
    Mention.delete().where(Mention.event.in_(ids) & (Mention.article == article)).execute()
    # Their articles changed: touched, so `updated_since` and the change feed see it.
    Event.update(updated_at=utcnow()).where(Event.id.in_(ids)).execute()


def _kept_keys(article: Article) -> set[tuple]:
    """(type, start date) of the events people reviewed or rejected for this article."""
    rows = (
        Event.select(Event.type, Event.start_date)
        .join(EventArticle)
        .where((EventArticle.article == article) & (Event.status != "auto"))
        .tuples()
    )
    return set(rows)


def store_found_events(article: Article, found: list, author: str = AUTHOR) -> list[Event]:
    """Store ``found`` (annotator ``FoundEvent``s) as ``auto`` events of ``article``."""
    known_topics = {slug for (slug,) in Topic.select(Topic.slug).tuples()}
    with EventWriter(author) as writer:
        _drop_auto_events(writer, article)
        kept = _kept_keys(article)
        stored: dict[str, Event] = {}
        mentions: list[dict | None] = []
        for item in found:
            if (item.type, item.start_date) in kept:
                continue
            event = _create(item, article)
            writer.created(event)
            stored[item.key] = event
            mentions += _participants(item, event, article)
            mentions += _topics(item, event, article, known_topics)
            mentions += [
                _mention(article, event, "date", item.date_mention),
                _mention(article, event, "type", item.type_mention),
                _mention(article, event, "title", item.title_mention),
            ]
            if item.venue is not None:
                mentions.append(_mention(article, event, "venue", item.venue.mention))
        _link_parents(found, stored)
        insert_batched(Mention, [m for m in mentions if m is not None])
    return list(stored.values())


def _create(item, article: Article) -> Event:
    """The event row of a found event, at its resolved venue, reported by ``article``."""
    venue = None
    if item.venue is not None:
        venue = resolve_place(
            {
                "name": item.venue.name,
                "aliases": item.venue.aliases,
                "country": item.venue.country,
                "lat": item.venue.lat,
                "lon": item.venue.lon,
                "geonames_id": item.venue.geonames_id,
            }
        )[0]
    now = utcnow()
    event = Event.create(
        title=item.title,
        type=item.type,
        start_date=item.start_date,
        end_date=item.end_date,
        date_precision=item.date_precision,
        venue=venue,
        venue_country=venue.country if venue else None,
        status="auto",
        confidence=item.confidence,
        created_at=now,
        updated_at=now,
    )
    EventArticle.create(event=event, article=article)
    return event


def _participants(item, event: Event, article: Article) -> list[dict | None]:
    """Store the found participants, each resolved entity once; their evidence."""
    seen: set[int] = set()
    mentions = []
    for found_entity in item.participants:
        entity, _ = resolve_entity(
            {
                "name": found_entity.name,
                "kind": found_entity.kind,
                "country": found_entity.country,
                "aliases": found_entity.aliases,
            }
        )
        if entity.id in seen:
            continue
        seen.add(entity.id)
        Participant.create(
            event=event, entity=entity, role=found_entity.role, position=found_entity.position
        )
        mentions += [
            _mention(article, event, "participant", span, entity.id)
            for span in found_entity.mentions
        ]
    return mentions


def _topics(item, event: Event, article: Article, known: set[str]) -> list[dict | None]:
    """Store the found topics the vocabulary knows; their evidence."""
    slugs = [s for s in dict.fromkeys(item.topics) if s in known]
    if slugs:
        EventTopic.insert_many([{"event": event.id, "topic": s} for s in slugs]).execute()
    return [
        _mention(article, event, "topic", span)
        for slug in slugs
        for span in item.topic_mentions.get(slug, [])
    ]


def _link_parents(found: list, stored: dict[str, Event]) -> None:
    for item in found:
        if item.parent_key and item.key in stored and item.parent_key in stored:
            event = stored[item.key]
            event.parent = stored[item.parent_key]
            event.save()

"""The store builds each event's JSON (api.store.events.read): it must be the documented shape,
the same as an event read field by field from the models, in every list's order."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.vocabulary import EVENT_TYPES
from api.store.models import (
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


def _stamp(value: dt.datetime) -> str:
    return value.replace(tzinfo=dt.UTC).isoformat()


def _brief(row, *names) -> dict:
    return {name: getattr(row, name) for name in names}


def expected(event_id: int) -> dict:
    """The event as the API documents it, read from the models one field at a time."""
    e = Event.get_by_id(event_id)
    venue = Place.get_or_none(Place.id == e.venue_id)
    participants = (
        Participant.select(Participant, Entity)
        .join(Entity)
        .where(Participant.event == e.id)
        .order_by(Participant.id)
    )
    topics = Topic.select().join(EventTopic).where(EventTopic.event == e.id).order_by(Topic.slug)
    articles = (
        Article.select().join(EventArticle).where(EventArticle.event == e.id).order_by(Article.id)
    )
    evidence = (
        Mention.select()
        .where(Mention.event == e.id)
        .order_by(Mention.article, Mention.start, Mention.id)
    )
    return {
        "id": e.id,
        "title": e.title,
        "type": e.type,
        "cameo": EVENT_TYPES.get(e.type),
        "start_date": e.start_date.isoformat(),
        "end_date": e.end_date.isoformat(),
        "date_precision": e.date_precision,
        "venue": venue and _brief(venue, "id", "name", "aliases", "country", "lat", "lon"),
        "parent_id": e.parent_id,
        "participants": [
            {
                "entity": _brief(p.entity, "id", "name", "aliases", "kind", "country"),
                "role": p.role,
                "position": p.position,
            }
            for p in participants
        ],
        "topics": [{"slug": t.slug, "label": t.label_en} for t in topics],
        "articles": [
            {"id": a.id, "title": a.title, "published_at": a.published_at.isoformat()}
            for a in articles
        ],
        "status": e.status,
        "confidence": e.confidence,
        "evidence": [
            {
                "field": m.field,
                "article_id": m.article_id,
                "entity_id": m.entity_id,
                "part": m.part,
                "start": m.start,
                "end": m.end,
                "exact": m.exact,
            }
            for m in evidence
        ],
        "created_at": _stamp(e.created_at),
        "updated_at": _stamp(e.updated_at),
    }


def test_seed_events_are_the_models_field_by_field(seeded, client, db):
    page = client.get("/v1/events?limit=50").json["data"]
    assert len(page) == 6
    assert any(e["evidence"] for e in page) and any(e["venue"] for e in page)
    assert any(e["parent_id"] for e in page)
    assert page == [expected(e["id"]) for e in page]
    for event in page:
        assert client.get(f"/v1/events/{event['id']}").json == event


@pytest.fixture
def unordered(client, db) -> int:
    """An event whose lists were written out of their documented order."""
    zeta, alpha = (Entity.create(name=n, kind="person", aliases=[n.lower()]) for n in "ZA")
    body = {
        "title": 'Talks «in quotes» \\ and "escapes"',
        "type": "other",
        "start_date": "2025-12-05",
        "confidence": 0.8333333,
        "participants": [
            {"entity": zeta.id, "role": "host"},
            {"entity": alpha.id, "position": "министр"},
        ],
        "topics": ["security", "diplomacy", "energy"],
    }
    event_id = client.post("/v1/events", json=body).json["id"]
    newer = Article.create(
        title="Later", body="Ермек Кошербаев и Z.", published_at="2025-12-06", content_hash="b"
    )
    older = Article.create(
        title="Earlier", body="A и Z встретились.", published_at="2025-12-05", content_hash="a"
    )
    for article in (newer, older):
        EventArticle.create(event=event_id, article=article)
    for article, start in ((newer, 9), (older, 4), (newer, 0), (older, 0)):
        Mention.create(
            article=article, event=event_id, field="participant", part="body",
            start=start, end=start + 1, exact="Z",
        )  # fmt: skip
    # A timestamp with a fraction of a second, as an import may bring.
    Event.update(updated_at=dt.datetime(2025, 12, 5, 10, 0, 0, 120000)).where(
        Event.id == event_id
    ).execute()
    return event_id


def test_lists_come_in_their_documented_order(client, unordered):
    event = client.get(f"/v1/events/{unordered}").json
    assert event == expected(unordered)
    assert [p["role"] for p in event["participants"]] == ["host", "participant"]
    assert [t["slug"] for t in event["topics"]] == ["diplomacy", "energy", "security"]
    assert [a["title"] for a in event["articles"]] == ["Later", "Earlier"]
    assert [(m["article_id"], m["start"]) for m in event["evidence"]] == sorted(
        (m["article_id"], m["start"]) for m in event["evidence"]
    )
    assert event["updated_at"] == "2025-12-05T10:00:00.120000+00:00"
    assert event["cameo"] is None and event["venue"] is None
    assert client.get("/v1/events").json["data"] == [event]


def test_an_event_with_nothing_related_has_empty_lists(client):
    body = {"title": "Bare", "type": "visit", "start_date": "2025-12-05"}
    event_id = client.post("/v1/events", json=body).json["id"]
    (listed,) = client.get("/v1/events").json["data"]
    assert listed == expected(event_id)
    assert [listed[k] for k in ("participants", "topics", "articles", "evidence")] == [[]] * 4

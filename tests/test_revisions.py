"""Every change to an event is kept: who, when, what changed, and the event as it then was."""

from __future__ import annotations

from api.store.annotation import store_found_events
from api.store.db import database
from api.store.models import Event, EventRevision

EVENT = {"title": "Talks", "type": "visit", "start_date": "2025-12-05", "topics": ["diplomacy"]}


def edit(client, url, method="PATCH", **body):
    tag = client.get(url).headers["ETag"]
    return client.open(url, method=method, json=body or None, headers={"If-Match": tag})


def test_create_edit_reject_delete_are_all_kept(client, admin_client):
    created = client.post("/v1/events", json=EVENT)
    url = created.headers["Location"]
    assert edit(client, url, title="Talks in Astana").status_code == 200
    assert edit(admin_client, url, status="rejected").status_code == 200
    assert client.get(url).json["status"] == "rejected"  # a rejected event stays retrievable
    assert edit(client, url, method="DELETE").status_code == 204
    assert client.get(url).status_code == 404

    revisions = client.get(f"{url}/revisions").json["data"]
    assert [r["number"] for r in revisions] == [1, 2, 3, 4]
    assert [r["action"] for r in revisions] == ["created", "updated", "updated", "deleted"]
    assert [r["author"] for r in revisions] == [
        "test editor",
        "test editor",
        "test admin",
        "test editor",
    ]
    assert "title" in revisions[0]["changed"] and "topics" in revisions[0]["changed"]
    assert revisions[1]["changed"] == ["title"]
    assert revisions[1]["event"]["title"] == "Talks in Astana"
    assert revisions[2]["changed"] == ["status"]
    assert revisions[0]["event"]["title"] == "Talks"
    # The deleted event's last state survives.
    assert revisions[3]["event"]["status"] == "rejected"
    assert revisions[3]["event"]["topics"] == [{"slug": "diplomacy", "label": "Diplomacy"}]
    assert all(r["created_at"].endswith("+00:00") for r in revisions)


def test_revisions_page_with_the_common_paging(client):
    url = client.post("/v1/events", json=EVENT).headers["Location"]
    for i in range(4):
        assert edit(client, url, title=f"Version {i}").status_code == 200
    first = client.get(f"{url}/revisions?limit=2").json
    assert [r["number"] for r in first["data"]] == [1, 2]
    second = client.get(first["links"]["next"]).json
    assert [r["number"] for r in second["data"]] == [3, 4]


def test_a_refused_edit_leaves_no_revision(client):
    url = client.post("/v1/events", json=EVENT).headers["Location"]
    assert (
        client.patch(url, json={"title": "x"}, headers={"If-Match": '"stale"'}).status_code == 412
    )
    assert edit(client, url, end_date="2000-01-01").status_code == 422
    assert len(client.get(f"{url}/revisions").json["data"]) == 1


def test_unknown_event_revisions_is_404(client):
    response = client.get("/v1/events/999999/revisions")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_annotator_changes_are_kept_as_its_revisions(client, db):
    from types import SimpleNamespace as Found

    article = client.post(
        "/v1/articles",
        json={"title": "A", "body": "Talks in Astana.", "published_at": "2025-12-05"},
    ).json
    found = Found(
        key="e1",
        parent_key=None,
        type="visit",
        title="Visit",
        start_date="2025-12-05",
        end_date="2025-12-05",
        date_precision="day",
        venue=None,
        confidence=0.5,
        participants=[],
        topics=[],
        topic_mentions={},
        date_mention=None,
        type_mention=None,
        title_mention=None,
    )
    from api.store.models import Article

    with database.atomic():
        (event,) = store_found_events(Article.get_by_id(article["id"]), [found])
    again = store_found_events(Article.get_by_id(article["id"]), [])
    assert again == [] and Event.get_or_none(Event.id == event.id) is None
    rows = list(
        EventRevision.select()
        .where(EventRevision.event_id == event.id)
        .order_by(EventRevision.number)
    )
    assert [(r.action, r.author) for r in rows] == [
        ("created", "annotator"),
        ("deleted", "annotator"),
    ]
    assert rows[1].snapshot["title"] == "Visit"


def test_the_stored_document_is_the_event_as_the_api_shows_it(seeded, client):
    """A revision's snapshot (and an event's ETag) is the store's own document of the event:
    it must be, field for field, what EventSchema dumps of that event."""
    import orjson

    from api.store.events.read import documents, load_events
    from schemas.events import EventSchema

    body = {
        **EVENT,
        "end_date": "2025-12-06",
        "venue": {"name": "Vienna", "country": "AT", "lat": 48.2082, "lon": 16.3738},
        "participants": [{"entity": {"name": "Ермек Кошербаев", "kind": "person"}, "role": "host"}],
        "articles": [1],
    }
    assert client.post("/v1/events", json=body).status_code == 201
    with seeded.app_context(), database.connection_context():
        ids = [e.id for e in Event.select(Event.id).order_by(Event.id)]
        stored = [orjson.loads(doc) for doc in documents(ids)]
        shown = EventSchema(many=True).dump(load_events(ids))
    assert len(stored) == 7
    assert any(d["evidence"] for d in stored) and any(d["venue"] for d in stored)
    assert stored == shown
    assert [orjson.dumps(d, option=orjson.OPT_SORT_KEYS) for d in stored] == [
        orjson.dumps(d, option=orjson.OPT_SORT_KEYS) for d in shown
    ]

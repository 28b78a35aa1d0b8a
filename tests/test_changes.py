"""The change feed and `updated_since`: a mirror kept through the feed equals a full read."""

from __future__ import annotations

import datetime as dt

import pytest

from api.store.models import ChangeLog

LISTS = {
    "event": "/v1/events",
    "article": "/v1/articles",
    "entity": "/v1/entities",
    "place": "/v1/places",
    "source": "/v1/sources",
    "topic": "/v1/topics",
}
# Derived counts are not changes of the resource itself: a mirror computes them.
DERIVED = ("event_count", "first_event_date", "last_event_date")


def normalized(resource: str, body: dict) -> dict:
    """What a mirror keeps: the resource's own fields, related rows by id only."""
    body = {k: v for k, v in body.items() if k not in DERIVED}
    if resource == "event":
        body["venue"] = body["venue"] and body["venue"]["id"]
        body["participants"] = [{**p, "entity": p["entity"]["id"]} for p in body["participants"]]
        body["topics"] = [t["slug"] for t in body["topics"]]
        body["articles"] = [a["id"] for a in body["articles"]]
    return body


class Mirror:
    """A client keeping a copy of everything through /v1/changes alone."""

    def __init__(self, client):
        self.client = client
        self.items: dict[tuple[str, object], dict] = {}
        self.cursor: str | None = None
        self.seen: list[int] = []

    def sync(self) -> int:
        url = "/v1/changes?limit=7"
        if self.cursor:
            url += f"&since={self.cursor}"
        applied = 0
        while url:
            response = self.client.get(url)
            assert response.status_code == 200, response.json
            page = response.json
            for change in page["data"]:
                self.seen.append(change["seq"])
                key = (change["resource"], change["id"])
                if change["action"] == "delete":
                    self.items.pop(key, None)
                else:
                    item = self.client.get(change["href"])
                    if item.status_code == 404:  # deleted later on; its delete follows
                        continue
                    self.items[key] = normalized(change["resource"], item.json)
                applied += 1
            self.cursor = page["meta"]["cursor"]
            url = page["links"]["next"]
            if url:
                url = url.split("localhost", 1)[1]
        return applied


def full_read(client) -> dict:
    out = {}
    for resource, url in LISTS.items():
        next_url = f"{url}?limit=3"
        while next_url:
            page = client.get(next_url).json
            for row in page["data"]:
                key = row["slug"] if resource == "topic" else row["id"]
                href = f"{url}/{key}"
                out[(resource, key)] = normalized(resource, client.get(href).json)
            next_url = page["links"]["next"]
            if next_url:
                next_url = next_url.split("localhost", 1)[1]
    return out


def test_a_mirror_through_the_feed_equals_a_full_read(seeded, client):
    mirror = Mirror(client)
    assert mirror.sync() > 0
    assert mirror.items == full_read(client)
    assert mirror.sync() == 0  # caught up: the cursor holds

    # Every kind of write: events made, edited and deleted, entities, places, articles.
    made = client.post(
        "/v1/events",
        json={
            "title": "Visit",
            "type": "visit",
            "start_date": "2025-12-10",
            "venue": {"name": "Astana", "country": "KZ", "lat": 51.17, "lon": 71.45},
            "participants": [{"entity": {"name": "Jan Novak", "kind": "person"}}],
            "topics": ["trade"],
        },
    ).json
    edited = client.get("/v1/events").json["data"][1]
    etag = client.get(f"/v1/events/{edited['id']}").headers.get("ETag", "*")
    patched = client.patch(
        f"/v1/events/{edited['id']}", json={"topics": ["energy"]}, headers={"If-Match": etag}
    )
    assert patched.status_code == 200, patched.json
    gone = client.get("/v1/events").json["data"][2]["id"]
    etag = client.get(f"/v1/events/{gone}").headers.get("ETag", "*")
    assert client.delete(f"/v1/events/{gone}", headers={"If-Match": etag}).status_code == 204
    entity = made["participants"][0]["entity"]["id"]
    response = client.patch(f"/v1/entities/{entity}", json={"aliases": ["Ян Новак"]})
    assert response.status_code == 200
    response = client.patch(f"/v1/places/{made['venue']['id']}", json={"aliases": ["Астана"]})
    assert response.status_code == 200
    article = client.post(
        "/v1/articles",
        json={"title": "Visit", "body": "A visit.", "published_at": "2025-12-10", "source": "X"},
    ).json
    etag = client.get(f"/v1/events/{made['id']}").headers.get("ETag", "*")
    linked = client.patch(
        f"/v1/events/{made['id']}",
        json={"articles": [article["id"], 1], "status": "rejected"},
        headers={"If-Match": etag},
    )
    assert linked.status_code == 200, linked.json
    # An article made and deleted: a create and a delete in the feed.
    other = client.post(
        "/v1/articles",
        json={"title": "Other", "body": "Another.", "published_at": "2025-12-11"},
    ).json
    assert client.delete(f"/v1/articles/{other['id']}").status_code == 204

    assert mirror.sync() > 0
    assert mirror.items == full_read(client)
    assert ("event", gone) not in mirror.items
    assert mirror.items[("entity", entity)]["aliases"] == ["Ян Новак"]
    assert mirror.seen == sorted(mirror.seen) and len(set(mirror.seen)) == len(mirror.seen)


def test_a_refused_write_logs_nothing(client, db):
    before = ChangeLog.select().count()
    response = client.post("/v1/events", json={"title": "x", "type": "visit"})
    assert response.status_code == 422
    response = client.post(
        "/v1/events",
        json={"title": "x", "type": "visit", "start_date": "2025-01-01", "topics": ["nope"]},
    )
    assert response.status_code == 422
    assert ChangeLog.select().count() == before


def test_the_feed_pages_in_order_with_a_resumable_cursor(seeded, client):
    everything = client.get("/v1/changes?limit=500").json
    seqs = [c["seq"] for c in everything["data"]]
    assert seqs == sorted(seqs)
    first = client.get("/v1/changes?limit=3")
    assert first.headers["Link"].endswith('rel="next"')
    page = first.json
    assert [c["seq"] for c in page["data"]] == seqs[:3]
    rest = client.get("/v1/changes", query_string={"since": page["meta"]["cursor"]}).json
    assert [c["seq"] for c in rest["data"]] == seqs[3:53]
    events = client.get("/v1/changes?resource=event&limit=500").json["data"]
    assert {c["resource"] for c in events} == {"event"}
    assert {c["action"] for c in events} == {"create"}
    assert all(c["href"] == f"/v1/events/{c['id']}" for c in events)
    topics = client.get("/v1/changes?resource=topic&limit=1").json["data"]
    assert isinstance(topics[0]["id"], str) and topics[0]["href"].startswith("/v1/topics/")
    end = everything["meta"]["cursor"]
    assert client.get(f"/v1/changes?since={end}").json["data"] == []
    assert client.get(f"/v1/changes?since={end}").json["meta"]["cursor"] == end


def test_since_a_timestamp(seeded, client):
    past = client.get("/v1/changes", query_string={"since": "2000-01-01T00:00:00Z"}).json
    assert past["data"][0]["seq"] == 1
    future = client.get("/v1/changes", query_string={"since": "2999-01-01T00:00:00+00:00"}).json
    assert future["data"] == []
    made = client.post(
        "/v1/events", json={"title": "Later", "type": "visit", "start_date": "2025-01-01"}
    ).json
    later = client.get("/v1/changes", query_string={"since": future["meta"]["cursor"]}).json
    assert [(c["resource"], c["id"], c["action"]) for c in later["data"]] == [
        ("event", made["id"], "create")
    ]


@pytest.mark.parametrize(
    "since", ["yesterday", "2025-01-01", "2025-01-01T00:00:00", "WyJpZCIsMV0", "WyJzZXEiXQ"]
)
def test_a_bad_since_is_422(client, since):
    response = client.get("/v1/changes", query_string={"since": since})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == ["since"]


@pytest.mark.parametrize("resource", list(LISTS))
def test_updated_since_on_every_list(seeded, client, resource):
    url = LISTS[resource]
    everything = client.get(url, query_string={"limit": 500}).json["data"]
    assert everything
    past = dt.datetime(2000, 1, 1, tzinfo=dt.UTC).isoformat()
    # An unescaped `+` arrives as a space: still understood.
    response = client.get(f"{url}?limit=500&updated_since=2000-01-01T00:00:00+00:00")
    assert response.status_code == 200 and response.json["data"] == everything
    since_past = client.get(url, query_string={"limit": 500, "updated_since": past}).json
    assert since_past["data"] == everything
    future = client.get(url, query_string={"updated_since": "2999-01-01T00:00:00Z"}).json
    assert future["data"] == []
    naive = client.get(url, query_string={"updated_since": "2025-01-01T00:00:00"})
    assert naive.status_code == 422 and "updated_since" in naive.json["errors"]


def test_updated_since_finds_what_changed(seeded, client):
    events = client.get("/v1/events").json["data"]
    stamp = max(e["updated_at"] for e in events)
    later = dt.datetime.fromisoformat(stamp) + dt.timedelta(seconds=1)
    assert (
        client.get("/v1/events", query_string={"updated_since": later.isoformat()}).json["data"]
        == []
    )
    assert client.get("/v1/events", query_string={"updated_since": stamp}).json["data"]


def test_the_store_logs_exactly_the_documented_actions(client, db):
    """The change log's triggers (api.store.dialect) write the actions schemas.changes
    documents, and no other."""
    from schemas.changes import ACTIONS

    body = {"title": "Talks", "type": "visit", "start_date": "2025-12-05"}
    url = client.post("/v1/events", json=body).headers["Location"]
    tag = client.get(url).headers["ETag"]
    tag = client.patch(url, json={"title": "Talks again"}, headers={"If-Match": tag}).headers[
        "ETag"
    ]
    assert client.delete(url, headers={"If-Match": tag}).status_code == 204
    logged = {action for (action,) in ChangeLog.select(ChangeLog.action).distinct().tuples()}
    assert logged == set(ACTIONS)
    assert [c["action"] for c in client.get("/v1/changes").json["data"]][-3:] == list(ACTIONS)


def test_an_edit_that_changes_nothing_writes_nothing(seeded, client, db):
    from api.store.models import Event, EventRevision

    Event.update(status="auto").where(Event.id == 1).execute()  # as the annotator left it
    tag = client.get("/v1/events/2").headers["ETag"]
    reviewed = client.patch("/v1/events/2", json={"title": "Talks"}, headers={"If-Match": tag})
    assert reviewed.status_code == 200
    edits = [
        ("/v1/events/1", {}),  # a PATCH of nothing: even `auto` stays
        ("/v1/events/2", {}),
        ("/v1/events/2", {"title": "Talks", "type": reviewed.json["type"]}),
        ("/v1/articles/1", {}),
        ("/v1/articles/1", {"title": client.get("/v1/articles/1").json["title"]}),
        ("/v1/entities/1", {}),
        ("/v1/entities/1", {"name": client.get("/v1/entities/1").json["name"]}),
        ("/v1/places/1", {}),
        ("/v1/places/1", {"lat": client.get("/v1/places/1").json["lat"]}),
    ]
    for url, patch in edits:
        before = client.get(url)
        logged, revised = ChangeLog.select().count(), EventRevision.select().count()
        answer = client.patch(url, json=patch, headers={"If-Match": before.headers["ETag"]})
        assert answer.status_code == 200, (url, patch, answer.json)
        assert answer.json == before.json, (url, patch)  # updated_at and status too
        assert (ChangeLog.select().count(), EventRevision.select().count()) == (logged, revised)
    # A PUT of the event as it is changes nothing either.
    current = client.get("/v1/events/2")
    body = {
        k: current.json[k]
        for k in (
            "title",
            "type",
            "start_date",
            "end_date",
            "date_precision",
            "confidence",
            "parent_id",
        )
    }
    body["topics"] = [t["slug"] for t in current.json["topics"]]
    body["articles"] = [a["id"] for a in current.json["articles"]]
    body["venue"] = current.json["venue"] and current.json["venue"]["id"]
    body["participants"] = [
        {"entity": p["entity"]["id"], "role": p["role"], "position": p["position"]}
        for p in current.json["participants"]
    ]
    logged = ChangeLog.select().count()
    put = client.put("/v1/events/2", json=body, headers={"If-Match": current.headers["ETag"]})
    assert put.status_code == 200, put.json
    assert put.json == current.json and ChangeLog.select().count() == logged
    # A real change still is one.
    changed = client.patch("/v1/places/1", json={"lat": 1.5})
    assert changed.status_code == 200 and ChangeLog.select().count() == logged + 1

"""Cursor paging: every list walks to its end with no gap and no repeat, even while written to."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ON_POSTGRES

from api.store import search
from api.store.db import database
from api.store.events.write import write_event

BASE = "http://localhost"
START = dt.date(2024, 1, 1)
LINK = re.compile(r'^<([^>]+)>; rel="next"$')


def make_events(app, count: int) -> None:
    """``count`` events on few distinct dates, so many share a date and ties are broken by id."""
    types = ("visit", "phone-call", "bilateral-meeting", "summit")
    with app.app_context(), database.connection_context(), database.atomic():
        for i in range(count):
            day = START + dt.timedelta(days=(i * 7919) % 97)
            write_event(
                {"title": f"Event {i}", "type": types[i % 4], "start_date": day}, author="test"
            )


def next_of(response) -> str | None:
    """The next page's URL, checked to agree between `links.next` and the `Link` header."""
    body = response.get_json()
    link = response.headers.get("Link")
    following = body["links"]["next"]
    if following is None:
        assert link is None
        return None
    assert following.startswith(f"{BASE}/v1/")
    match = LINK.match(link or "")
    assert match, link
    assert match.group(1) == following
    return following


def walk(client, url: str, between=None) -> list[list[dict]]:
    """Every page from ``url`` on, calling ``between(page_number)`` after each but the last."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        pages.append(response.get_json()["data"])
        url = next_of(response)
        if url and between:
            between(len(pages))
    return pages


def test_walking_1000_events_while_inserting_misses_and_repeats_nothing(app):
    make_events(app, 1000)
    client = app.test_client()
    first = client.get("/v1/events?limit=500").get_json()["data"]
    first += client.get(next_of(client.get("/v1/events?limit=500"))).get_json()["data"]
    original = [e["id"] for e in first]
    assert len(set(original)) == 1000

    inserted = []

    def insert(page_number: int) -> None:
        # Dated before the position (still ahead in newest-first order), after it
        # (already passed), on a date shared with the rest, and far outside the range.
        for offset in (-400, -3, 0, 2, 400):
            day = START + dt.timedelta(days=(page_number * 3 + offset) % 97 + (offset // 400) * 97)
            event = {"title": f"New {page_number} {offset}", "type": "visit"}
            response = client.post("/v1/events", json={**event, "start_date": day.isoformat()})
            assert response.status_code == 201
            inserted.append(response.get_json()["id"])

    pages = walk(client, "/v1/events?limit=37", insert)
    served = [e["id"] for page in pages for e in page]
    assert len(served) == len(set(served)), "an event was served twice"
    assert set(original) <= set(served), f"missed {sorted(set(original) - set(served))}"
    assert set(served) <= set(original) | set(inserted)
    assert all(len(page) == 37 for page in pages[:-1])
    assert 0 < len(pages[-1]) <= 37
    assert len(inserted) == 5 * (len(pages) - 1)
    keys = [(e["start_date"], e["id"]) for page in pages for e in page]
    assert keys == sorted(keys, reverse=True)


def test_each_page_reports_its_limit_and_sort_and_keeps_the_filters(app):
    make_events(app, 120)
    client = app.test_client()
    response = client.get("/v1/events?type=visit&type=summit&limit=7")
    body = response.get_json()
    assert body["meta"]["limit"] == 7
    assert body["meta"]["sort"] == "-start_date"
    query = parse_qs(urlsplit(body["links"]["next"]).query)
    assert query["type"] == ["visit", "summit"]
    assert query["limit"] == ["7"]
    pages = walk(client, "/v1/events?type=visit&type=summit&limit=7")
    served = [e for page in pages for e in page]
    assert {e["type"] for e in served} == {"visit", "summit"}
    assert len(served) == 60 == len({e["id"] for e in served})
    default = client.get("/v1/events").get_json()
    assert default["meta"]["limit"] == 50
    assert len(default["data"]) == 50


def test_the_last_page_has_no_next_and_no_link_header(app):
    make_events(app, 10)
    client = app.test_client()
    exact = client.get("/v1/events?limit=10")
    assert exact.get_json()["links"]["next"] is None
    assert "Link" not in exact.headers
    short = client.get("/v1/events?limit=4")
    last = client.get(next_of(client.get(next_of(short))))
    assert len(last.get_json()["data"]) == 2
    assert last.get_json()["links"]["next"] is None
    assert "Link" not in last.headers
    empty = client.get("/v1/events?type=signing")
    assert empty.get_json() == {
        "data": [],
        "links": {"next": None},
        "meta": {"limit": 50, "sort": "-start_date"},
    }
    assert "Link" not in empty.headers


def test_ascending_sort_walks_oldest_first(app):
    make_events(app, 200)
    client = app.test_client()
    first = client.get("/v1/events?sort=start_date&limit=37")
    assert first.get_json()["meta"] == {"limit": 37, "sort": "start_date"}
    assert "sort=start_date" in first.get_json()["links"]["next"]
    pages = walk(client, "/v1/events?sort=start_date&limit=37")
    keys = [(e["start_date"], e["id"]) for page in pages for e in page]
    assert len(keys) == 200 == len({k[1] for k in keys})
    assert keys == sorted(keys)
    newest_first = [e["id"] for page in walk(client, "/v1/events?limit=37") for e in page]
    assert newest_first == [k[1] for k in reversed(keys)]


def problem_fields(response) -> set[str]:
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return set(response.get_json()["errors"])


def cursor_in(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]


def test_a_cursor_of_another_sort_or_list_is_refused(app):
    make_events(app, 30)
    client = app.test_client()
    for i in range(4):
        client.post("/v1/entities", json={"name": f"Person {i}", "kind": "person"})
        client.post("/v1/places", json={"name": f"Town {i}"})
    for i in range(4):
        article = {"title": f"T{i}", "body": "B", "published_at": "2025-01-01", "source": f"S{i}"}
        assert client.post("/v1/articles", json=article).status_code == 201
    newest = cursor_in(client.get("/v1/events?limit=5").get_json()["links"]["next"])
    oldest = cursor_in(client.get("/v1/events?sort=start_date&limit=5").get_json()["links"]["next"])
    assert problem_fields(client.get(f"/v1/events?sort=start_date&cursor={newest}")) == {"cursor"}
    assert problem_fields(client.get(f"/v1/events?cursor={oldest}")) == {"cursor"}
    assert problem_fields(client.get(f"/v1/articles?cursor={newest}")) == {"cursor"}
    assert problem_fields(client.get(f"/v1/entities?cursor={newest}")) == {"cursor"}
    cursors = {
        name: cursor_in(client.get(f"/v1/{name}?limit=2").get_json()["links"]["next"])
        for name in ("articles", "entities", "places", "topics", "sources")
    }
    assert problem_fields(client.get(f"/v1/events?cursor={cursors['articles']}")) == {"cursor"}
    accepted = []
    for name, cursor in cursors.items():
        for other in cursors:
            response = client.get(f"/v1/{other}?cursor={cursor}")
            if other == name:
                assert response.status_code == 200
            elif response.status_code != 422:
                accepted.append(f"cursor of /v1/{name} on /v1/{other}: {response.status_code}")
            else:
                assert problem_fields(response) == {"cursor"}
    assert accepted == []


def forged(*parts) -> str:
    """A cursor as ``api.http.pagination`` writes one: base64url JSON of the list's tag and
    the keys of the last row served."""
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def test_a_cursor_whose_keys_are_no_position_in_its_list_is_refused(app, monkeypatch):
    make_events(app, 5)
    monkeypatch.setattr(search, "FEW_MATCHES", 0)  # `q` walks the search documents by date
    client = app.test_client()
    assert sum(map(len, walk(client, "/v1/events?q=event&limit=2"))) == 5  # its own cursors
    day = START.isoformat()
    # SQLite's search order is one rowid per (start date, id), ids below 2**33: a bigger id
    # is no position in it (and its rowid overflowed 64 bits: a 500). PostgreSQL's is the
    # pair itself, where any 64-bit id is one.
    for sort, event_id in (("-start_date", 2**63 - 1), ("start_date", 2**33), ("-start_date", -1)):
        url = f"/v1/events?q=event&sort={sort}&cursor=" + forged(f"event:{sort}", day, event_id)
        if ON_POSTGRES:
            assert client.get(url).status_code == 200, url
        else:
            assert problem_fields(client.get(url)) == {"cursor"}, url
    # Text no stored key holds: NUL (PostgreSQL cannot bind it: a 500) or half a surrogate
    # pair (no Unicode text: a 500 on both stores).
    for slug in ("a\x00b", "\ud800"):
        response = client.get("/v1/topics?cursor=" + forged("topic:slug", slug))
        assert problem_fields(response) == {"cursor"}, slug


@pytest.mark.parametrize("limit", [1, 3, 500])
def test_entities_places_articles_and_sources_page_completely(app, limit):
    client = app.test_client()
    for i in range(11):
        entity = {"name": f"Person {i:02}", "kind": "person", "country": "KZ"}
        assert client.post("/v1/entities", json=entity).status_code == 201
        assert client.post("/v1/places", json={"name": f"Town {i:02}"}).status_code == 201
        article = {
            "title": f"Title {i}",
            "body": f"Body {i}",
            "published_at": f"2025-01-{1 + i % 3:02}",
            "source": f"Outlet {i % 5}",
        }
        assert client.post("/v1/articles", json=article).status_code == 201
    expected = {"entities": 11, "places": 11, "articles": 11, "sources": 5, "topics": 19}
    for name, count in expected.items():
        pages = walk(client, f"/v1/{name}?limit={limit}")
        items = [item for page in pages for item in page]
        key = "slug" if name == "topics" else "id"
        ids = [item[key] for item in items]
        assert len(ids) == count == len(set(ids)), name
        assert len(pages) == -(-count // limit), name
        if name == "articles":
            order = [(a["published_at"], a["id"]) for a in items]
            assert order == sorted(order, reverse=True)
        else:
            assert ids == sorted(ids), name
        meta = client.get(f"/v1/{name}?limit={limit}").get_json()["meta"]
        assert meta["limit"] == limit


def test_entity_filters_survive_paging_while_entities_are_added(app):
    client = app.test_client()
    for i in range(9):
        client.post("/v1/entities", json={"name": f"Minister {i}", "kind": "person"})
        client.post("/v1/entities", json={"name": f"Ministry {i}", "kind": "organization"})
    added = []

    def add(page_number: int) -> None:
        response = client.post(
            "/v1/entities", json={"name": f"Late {page_number}", "kind": "person"}
        )
        added.append(response.get_json()["id"])

    pages = walk(client, "/v1/entities?kind=person&limit=4", add)
    served = [e for page in pages for e in page]
    assert {e["kind"] for e in served} == {"person"}
    names = [e["name"] for e in served]
    assert len(names) == len(set(names))
    assert {f"Minister {i}" for i in range(9)} <= set(names)
    # Ids grow, so every entity added while paging lies ahead and is served too.
    assert {e["id"] for e in served} >= set(added)

"""The one error shape: every error path answers an RFC 9457 problem document.

A table of requests walks each error status (400, 404, 405, 409, 413, 415, 422)
and every answer is checked the same way: the media type, the members, the
status echoed in the body, and nothing of the server's insides (stack traces,
SQL, driver names) in it. No request of a client may end in a 500.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from http import HTTPStatus

import pytest

from api import create_app
from api.http.errors import FieldErrors
from api.store.db import database

PROBLEM = "application/problem+json"
ALLOWED_MEMBERS = {"type", "title", "status", "detail", "errors", "existing", "events"}
REQUIRED_MEMBERS = {"type", "title", "status", "detail"}
LEAKS = ("Traceback", "SELECT", "sqlite", "SQLite", "psycopg", 'File "', "peewee", "Error:")
VALID_EVENT = {"title": "A meeting", "type": "visit", "start_date": "2025-01-01"}
BIG = 10**20  # beyond any 64-bit integer column


def assert_problem(response, status: int) -> dict:
    """``response`` is the one problem shape with ``status``; returns its body."""
    text = response.get_data(as_text=True)
    assert response.status_code == status, text
    assert response.mimetype == PROBLEM
    body = json.loads(text)
    assert isinstance(body, dict)
    assert set(body) <= ALLOWED_MEMBERS, set(body) - ALLOWED_MEMBERS
    assert set(body) >= REQUIRED_MEMBERS, REQUIRED_MEMBERS - set(body)
    assert body["status"] == status
    assert body["title"] == HTTPStatus(status).phrase
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["detail"], str) and body["detail"]
    if "errors" in body:
        assert isinstance(body["errors"], dict) and body["errors"]
        for name, messages in body["errors"].items():
            assert isinstance(name, str) and name
            assert messages and all(isinstance(m, str) and m for m in messages)
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} leaked into {text}"
    return body


def cursor_of(*parts) -> str:
    raw = json.dumps(list(parts)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Case:
    """One request and the problem it must answer."""

    id: str
    method: str
    url: str
    status: int
    json: object = None
    data: object = None
    content_type: str | None = None
    fields: set[str] | None = None  # exactly the members of ``errors``
    allow: set[str] = field(default_factory=set)  # methods ``Allow`` must name

    def send(self, client):
        kwargs = {}
        if self.json is not None:
            kwargs["json"] = self.json
        if self.data is not None:
            kwargs["data"] = self.data
        if self.content_type is not None:
            kwargs["content_type"] = self.content_type
        return client.open(self.url, method=self.method, **kwargs)


CASES = [
    # 400: the body is not JSON at all.
    Case(
        "400-malformed",
        "POST",
        "/v1/events",
        400,
        data="{title: 'x'}",
        content_type="application/json",
    ),
    Case(
        "400-truncated",
        "POST",
        "/v1/events",
        400,
        data='{"title": "x", ',
        content_type="application/json",
    ),
    Case(
        "400-truncated-put",
        "PUT",
        "/v1/events/1",
        400,
        data='{"title": ',
        content_type="application/json",
    ),
    Case(
        "400-truncated-patch",
        "PATCH",
        "/v1/entities/1",
        400,
        data="[",
        content_type="application/json",
    ),
    Case(
        "400-invalid-utf8",
        "POST",
        "/v1/events",
        400,
        data=b"\xff\xfe\x80",
        content_type="application/json",
    ),
    Case(
        "400-invalid-utf8-in-string",
        "POST",
        "/v1/articles",
        400,
        data=b'{"title": "\xc3\x28"}',
        content_type="application/json",
    ),
    # 400: no body where the operation takes one (a PATCH of nothing is not `{}`).
    Case("400-no-body-patch", "PATCH", "/v1/entities/1", 400),
    Case(
        "400-empty-body-patch",
        "PATCH",
        "/v1/places/1",
        400,
        data="",
        content_type="application/json",
    ),
    Case("400-no-body-post", "POST", "/v1/events", 400),
    # 404: no such route, no such resource.
    Case("404-route", "GET", "/v1/nothing-here", 404),
    Case("404-route-outside-v1", "GET", "/nope", 404),
    Case("404-non-integer-id", "GET", "/v1/events/abc", 404),
    Case("404-event", "GET", "/v1/events/999999", 404),
    Case("404-event-put", "PUT", "/v1/events/999999", 404, json=VALID_EVENT),
    Case("404-event-patch", "PATCH", "/v1/events/999999", 404, json={"title": "x"}),
    Case("404-event-delete", "DELETE", "/v1/events/999999", 404),
    Case("404-article", "GET", "/v1/articles/999999", 404),
    Case("404-article-events", "GET", "/v1/articles/999999/events", 404),
    Case("404-article-annotate", "POST", "/v1/articles/999999/annotate", 404),
    Case("404-article-delete", "DELETE", "/v1/articles/999999", 404),
    Case("404-entity", "GET", "/v1/entities/999999", 404),
    Case("404-entity-patch", "PATCH", "/v1/entities/999999", 404, json={"description": "x"}),
    Case("404-place", "GET", "/v1/places/999999", 404),
    Case("404-place-patch", "PATCH", "/v1/places/999999", 404, json={"lat": 1.0}),
    Case("404-topic", "GET", "/v1/topics/no-such-topic", 404),
    # 405: the route exists, the method does not; `Allow` says which do.
    Case("405-delete-topics", "DELETE", "/v1/topics", 405, allow={"GET"}),
    Case("405-post-topics", "POST", "/v1/topics", 405, json={}, allow={"GET"}),
    Case("405-put-entity", "PUT", "/v1/entities/1", 405, json={}, allow={"GET", "PATCH"}),
    Case("405-delete-entity", "DELETE", "/v1/entities/1", 405, allow={"GET", "PATCH"}),
    Case("405-put-place", "PUT", "/v1/places/1", 405, json={}, allow={"GET", "PATCH"}),
    Case("405-delete-sources", "DELETE", "/v1/sources", 405, allow={"GET"}),
    Case("405-put-events", "PUT", "/v1/events", 405, json={}, allow={"GET", "POST"}),
    Case(
        "405-post-event",
        "POST",
        "/v1/events/1",
        405,
        json={},
        allow={"GET", "PUT", "PATCH", "DELETE"},
    ),
    Case("405-get-annotate", "GET", "/v1/articles/1/annotate", 405, allow={"POST"}),
    # 415: a body that is not JSON, on every writing method.
    Case("415-text-post", "POST", "/v1/events", 415, data="title=x", content_type="text/plain"),
    Case("415-form-post", "POST", "/v1/articles", 415, data={"title": "x"}),
    Case(
        "415-multipart-post",
        "POST",
        "/v1/entities",
        415,
        data={"name": "x"},
        content_type="multipart/form-data",
    ),
    Case("415-text-put", "PUT", "/v1/events/1", 415, data="x", content_type="text/plain"),
    Case("415-text-patch", "PATCH", "/v1/events/1", 415, data="x", content_type="text/plain"),
    Case("415-form-patch", "PATCH", "/v1/places/1", 415, data={"lat": "1"}),
    Case(
        "415-xml-post", "POST", "/v1/places", 415, data="<place/>", content_type="application/xml"
    ),
    # 422: well-formed but wrong, each bad field named.
    Case("422-limit-0", "GET", "/v1/events?limit=0", 422, fields={"limit"}),
    Case("422-limit-501", "GET", "/v1/events?limit=501", 422, fields={"limit"}),
    Case("422-limit-text", "GET", "/v1/entities?limit=ten", 422, fields={"limit"}),
    Case("422-limit-topics", "GET", "/v1/topics?limit=0", 422, fields={"limit"}),
    Case("422-bad-date", "GET", "/v1/events?from=2025-02-30", 422, fields={"from"}),
    Case("422-bad-date-to", "GET", "/v1/events?to=yesterday", 422, fields={"to"}),
    Case(
        "422-to-before-from", "GET", "/v1/events?from=2025-03-01&to=2025-02-01", 422, fields={"to"}
    ),
    Case(
        "422-articles-to-before-from",
        "GET",
        "/v1/articles?from=2025-03-01&to=2025-02-01",
        422,
        fields={"to"},
    ),
    Case("422-bad-cursor", "GET", "/v1/events?cursor=not-a-cursor", 422, fields={"cursor"}),
    Case(
        "422-bad-cursor-json",
        "GET",
        "/v1/events?cursor=" + cursor_of("-start_date", 5),
        422,
        fields={"cursor"},
    ),
    Case(
        "422-bad-cursor-date",
        "GET",
        "/v1/events?cursor=" + cursor_of("-start_date", "2025-13-45", 1),
        422,
        fields={"cursor"},
    ),
    Case(
        "422-cursor-other-sort",
        "GET",
        "/v1/events?sort=start_date&cursor=" + cursor_of("-start_date", "2025-12-05", 3),
        422,
        fields={"cursor"},
    ),
    Case(
        "422-cursor-other-list",
        "GET",
        "/v1/articles?cursor=" + cursor_of("-start_date", "2025-12-05", 3),
        422,
        fields={"cursor"},
    ),
    Case("422-bad-sort", "GET", "/v1/events?sort=title", 422, fields={"sort"}),
    Case("422-bad-type", "GET", "/v1/events?type=party", 422, fields={"type"}),
    Case("422-bad-participant", "GET", "/v1/events?participant=abc", 422, fields={"participant"}),
    Case("422-bad-country", "GET", "/v1/events?country=ZZ", 422, fields={"country"}),
    Case("422-bad-kind", "GET", "/v1/entities?kind=animal", 422, fields={"kind"}),
    Case("422-unknown-query-arg", "GET", "/v1/events?colour=red", 422, fields={"colour"}),
    Case(
        "422-unknown-field",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "colour": "red"},
        fields={"colour"},
    ),
    Case(
        "422-missing-fields",
        "POST",
        "/v1/events",
        422,
        json={"title": "x"},
        fields={"type", "start_date"},
    ),
    Case("422-not-an-object", "POST", "/v1/events", 422, json=[1, 2], fields={"body"}),
    Case(
        "422-wrong-types",
        "POST",
        "/v1/events",
        422,
        json={"title": 5, "type": "visit", "start_date": 20250101, "participants": "x"},
        fields={"title", "start_date", "participants"},
    ),
    Case(
        "422-bad-date-body",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "start_date": "2025-02-30"},
        fields={"start_date"},
    ),
    Case(
        "422-end-before-start",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "start_date": "2025-01-02", "end_date": "2025-01-01"},
        fields={"end_date"},
    ),
    Case(
        "422-patch-end-before-start",
        "PATCH",
        "/v1/events/1",
        422,
        json={"end_date": "2000-01-01"},
        fields={"end_date"},
    ),
    Case(
        "422-participant-role",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "participants": [{"entity": 1, "role": "boss"}]},
        fields={"participants.0.role"},
    ),
    Case(
        "422-participant-inline",
        "POST",
        "/v1/events",
        422,
        json={
            **VALID_EVENT,
            "participants": [{"entity": 1}, {"entity": {"name": "X", "kind": "animal"}}],
        },
        fields={"participants.1.entity.kind"},
    ),
    Case(
        "422-participant-unknown-id",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "participants": [{"entity": 999999}]},
        fields={"participants.0.entity"},
    ),
    Case(
        "422-venue-unknown-id",
        "PUT",
        "/v1/events/1",
        422,
        json={**VALID_EVENT, "venue": 999999},
        fields={"venue"},
    ),
    Case(
        "422-venue-lat",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "venue": {"name": "X", "lat": 91}},
        fields={"venue.lat"},
    ),
    Case(
        "422-parent-unknown",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "parent_id": 999999},
        fields={"parent_id"},
    ),
    Case(
        "422-parent-loop", "PATCH", "/v1/events/1", 422, json={"parent_id": 2}, fields={"parent_id"}
    ),
    Case(
        "422-articles-unknown",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "articles": [999999]},
        fields={"articles"},
    ),
    Case(
        "422-article-missing",
        "POST",
        "/v1/articles",
        422,
        json={"title": "t"},
        fields={"body", "published_at"},
    ),
    Case(
        "422-article-url",
        "POST",
        "/v1/articles",
        422,
        json={"title": "t", "body": "b", "published_at": "2025-01-01", "url": "not a url"},
        fields={"url"},
    ),
    Case(
        "422-article-patch-body",
        "PATCH",
        "/v1/articles/1",
        422,
        json={"body": "new"},
        fields={"body"},
    ),
    Case(
        "422-annotate-flag",
        "POST",
        "/v1/articles?annotate=maybe",
        422,
        json={"title": "t", "body": "b", "published_at": "2025-01-01"},
        fields={"annotate"},
    ),
    Case(
        "422-entity-kind",
        "POST",
        "/v1/entities",
        422,
        json={"name": "X", "kind": "animal"},
        fields={"kind"},
    ),
    Case(
        "422-entity-country",
        "PATCH",
        "/v1/entities/1",
        422,
        json={"country": "Kazakhstan"},
        fields={"country"},
    ),
    Case(
        "422-place-lon", "POST", "/v1/places", 422, json={"name": "X", "lon": 181}, fields={"lon"}
    ),
    Case(
        "422-control-chars",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "title": "a\x00b"},
        fields={"title"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_error_path_answers_the_one_problem_shape(seeded, case):
    response = case.send(seeded.test_client())
    body = assert_problem(response, case.status)
    if case.fields is not None:
        assert set(body.get("errors", {})) == case.fields, body
        for name in case.fields:
            assert name in body["detail"]
    if case.status == 405:
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert case.allow <= allowed
        assert case.method not in allowed


def test_unknown_topic_names_the_valid_ones(seeded):
    client = seeded.test_client()
    slugs = [t["slug"] for t in client.get("/v1/topics?limit=500").get_json()["data"]]
    assert len(slugs) == 19
    response = client.post("/v1/events", json={**VALID_EVENT, "topics": ["economy", "geology"]})
    body = assert_problem(response, 422)
    assert set(body["errors"]) == {"topics.1"}
    message = " ".join(body["errors"]["topics.1"])
    assert "geology" in message
    for slug in slugs:
        assert slug in message
    assert len(client.get("/v1/events?limit=500").get_json()["data"]) == 6


def test_duplicate_article_by_url_is_409_naming_the_stored_one(seeded):
    client = seeded.test_client()
    first = {"title": "T", "body": "B", "published_at": "2025-01-01", "url": "https://ex.org/1"}
    created = client.post("/v1/articles", json=first)
    assert created.status_code == 201
    location = f"/v1/articles/{created.get_json()['id']}"
    again = {**first, "title": "Another title", "body": "Another body"}
    body = assert_problem(client.post("/v1/articles", json=again), 409)
    assert body["existing"] == location
    response = client.post("/v1/articles", json=again)
    assert response.headers["Location"].endswith(location)
    assert client.get("/v1/articles?limit=500").get_json()["data"][0]["title"] != "Another title"


def test_duplicate_article_by_source_title_and_body_is_409(seeded):
    client = seeded.test_client()
    stored = client.get("/v1/articles/1").get_json()
    copy = {k: stored[k] for k in ("title", "body", "published_at", "source")}
    response = client.post("/v1/articles", json={**copy, "url": "https://elsewhere.example/x"})
    body = assert_problem(response, 409)
    assert body["existing"] == "/v1/articles/1"
    assert response.headers["Location"].endswith("/v1/articles/1")
    assert len(client.get("/v1/articles").get_json()["data"]) == 1


def test_patching_an_article_into_a_duplicate_is_409(seeded):
    client = seeded.test_client()
    client.patch("/v1/articles/1", json={"url": "https://ex.org/seed"})
    other = client.post(
        "/v1/articles", json={"title": "T", "body": "B", "published_at": "2025-01-01"}
    )
    assert other.status_code == 201
    response = client.patch(
        f"/v1/articles/{other.get_json()['id']}", json={"url": "https://ex.org/seed"}
    )
    body = assert_problem(response, 409)
    assert body.get("existing") == "/v1/articles/1", body


def test_duplicate_entity_name_is_409(seeded):
    client = seeded.test_client()
    response = client.post("/v1/entities", json={"name": "ермек кошербаев", "kind": "person"})
    body = assert_problem(response, 409)
    assert body["existing"] == "/v1/entities/2"
    assert response.headers["Location"].endswith(body["existing"])
    by_alias = client.post("/v1/entities", json={"name": "Kazakhstan", "kind": "country"})
    assert assert_problem(by_alias, 409)["existing"].startswith("/v1/entities/")


def test_duplicate_place_name_is_409(seeded):
    client = seeded.test_client()
    response = client.post("/v1/places", json={"name": "Wien", "country": "AT"})
    body = assert_problem(response, 409)
    assert body["existing"] == "/v1/places/1"


def test_deleting_an_article_reviewed_events_rely_on_is_409_naming_them(seeded):
    client = seeded.test_client()
    reviewed = client.get("/v1/articles/1/events?status=reviewed&limit=500").get_json()["data"]
    assert reviewed
    body = assert_problem(client.delete("/v1/articles/1"), 409)
    assert sorted(body["events"]) == sorted(f"/v1/events/{e['id']}" for e in reviewed)
    assert client.get("/v1/articles/1").status_code == 200


def test_duplicate_wikidata_id_is_409_not_500(seeded):
    client = seeded.test_client()
    first = client.post("/v1/entities", json={"name": "A", "kind": "person", "wikidata_id": "Q42"})
    assert first.status_code == 201
    second = client.post("/v1/entities", json={"name": "B", "kind": "person", "wikidata_id": "Q42"})
    assert_problem(second, 409)
    patched = client.patch("/v1/entities/1", json={"wikidata_id": "Q42"})
    assert_problem(patched, 409)


def test_duplicate_geonames_id_is_409_not_500(seeded):
    client = seeded.test_client()
    first = client.post("/v1/places", json={"name": "Graz", "geonames_id": 2778067})
    assert first.status_code == 201
    second = client.post("/v1/places", json={"name": "Linz", "geonames_id": 2778067})
    assert_problem(second, 409)
    patched = client.patch("/v1/places/1", json={"geonames_id": 2778067})
    assert_problem(patched, 409)


def test_body_over_max_content_length_is_413(app, database_url):
    client = app.test_client()
    big = json.dumps({**VALID_EVENT, "title": "x" * (2 * 1024 * 1024)})
    response = client.post("/v1/events", data=big, content_type="application/json")
    assert_problem(response, 413)

    default = database.obj
    small = create_app({"DATABASE_URL": database_url, "TESTING": True, "MAX_CONTENT_LENGTH": 1000})
    try:
        small_client = small.test_client()
        body = json.dumps({**VALID_EVENT, "title": "x" * 2000})
        for method, url in (
            ("POST", "/v1/events"),
            ("PUT", "/v1/events/1"),
            ("PATCH", "/v1/places/1"),
        ):
            response = small_client.open(
                url, method=method, data=body, content_type="application/json"
            )
            assert_problem(response, 413)
        fits = small_client.post("/v1/events", json=VALID_EVENT)
        assert fits.status_code == 201
    finally:
        close_all = getattr(database.obj, "close_all", None)
        if close_all:
            close_all()
        database.initialize(default)


# Requests a client can send that once ended in a 500: each must be a 4xx problem.
NO_500 = [
    Case("huge-event-id", "GET", f"/v1/events/{BIG}", 404),
    Case("huge-event-id-patch", "PATCH", f"/v1/events/{BIG}", 404, json={"title": "x"}),
    Case("huge-event-id-delete", "DELETE", f"/v1/events/{BIG}", 404),
    Case("int64-overflow-event-id", "GET", f"/v1/events/{2**63}", 404),
    Case("huge-article-id", "GET", f"/v1/articles/{BIG}", 404),
    Case("huge-article-id-events", "GET", f"/v1/articles/{BIG}/events", 404),
    Case("huge-article-id-annotate", "POST", f"/v1/articles/{BIG}/annotate", 404),
    Case("huge-entity-id", "GET", f"/v1/entities/{BIG}", 404),
    Case("huge-place-id", "GET", f"/v1/places/{BIG}", 404),
    Case(
        "huge-venue-ref",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "venue": BIG},
        fields={"venue"},
    ),
    Case(
        "huge-participant-ref",
        "POST",
        "/v1/events",
        422,
        json={**VALID_EVENT, "participants": [{"entity": BIG}]},
        fields={"participants.0.entity"},
    ),
    Case(
        "huge-cursor-key",
        "GET",
        "/v1/events?cursor=" + cursor_of("-start_date", "2025-12-01", BIG),
        422,
        fields={"cursor"},
    ),
    Case(
        "huge-cursor-key-entities",
        "GET",
        "/v1/entities?cursor=" + cursor_of("id", BIG),
        422,
        fields={"cursor"},
    ),
    Case(
        "participant-without-entity-patch",
        "PATCH",
        "/v1/events/1",
        422,
        json={"participants": [{"role": "guest"}]},
        fields={"participants.0.entity"},
    ),
    Case(
        "lone-surrogate",
        "POST",
        "/v1/events",
        422,
        data='{"title": "\\ud800", "type": "visit", "start_date": "2025-01-01"}',
        content_type="application/json",
        fields={"title"},
    ),
    Case(
        "deeply-nested-json",
        "POST",
        "/v1/events",
        400,
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
    ),
]


@pytest.mark.parametrize("case", NO_500, ids=[c.id for c in NO_500])
def test_no_client_request_ends_in_a_500(seeded, case):
    body = assert_problem(case.send(seeded.test_client()), case.status)
    if case.fields is not None:
        assert set(body.get("errors", {})) == case.fields, body


@pytest.mark.parametrize(
    "url", ["/v1/articles?annotate=true", "/v1/articles/{id}/annotate"], ids=["post", "again"]
)
def test_annotating_answers_without_a_500(seeded, url):
    client = seeded.test_client()
    article = {"title": "Встреча в Астане", "body": "Текст.", "published_at": "2025-01-01"}
    if "{id}" in url:
        created = client.post("/v1/articles", json=article)
        url = url.format(id=created.get_json()["id"])
    wait = {"Prefer": "wait=10"}
    if "annotate=" in url:
        response = client.post(url, json=article, headers=wait)
    else:
        response = client.post(url, headers=wait)
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    assert isinstance(response.get_json()["events"], list)


def test_an_unexpected_failure_is_a_500_problem_without_leaks(app):
    def broken():
        database.execute_sql("SELECT secret FROM no_such_table")

    app.add_url_rule("/v1/broken", "broken", broken)
    response = app.test_client().get("/v1/broken")
    body = assert_problem(response, 500)
    assert "no_such_table" not in response.get_data(as_text=True)
    assert "errors" not in body


def test_a_problem_naming_half_a_surrogate_pair_is_still_written(app):
    # A problem document echoes field names. The body parser refuses a name that is no
    # Unicode text (test_hostile_input), but should one reach the writer, it is escaped.
    def refuse():
        raise FieldErrors({"\ud800": ["Unknown field."], "имя": ["Unknown field."]})

    app.add_url_rule("/v1/refuse", "refuse", refuse)
    body = assert_problem(app.test_client().get("/v1/refuse"), 422)
    assert set(body["errors"]) == {"\ud800", "имя"}

"""Hostile input, table-driven: each request answered with the right 4xx problem document.

Malformed, truncated, oversized, deeply nested or mis-typed bodies; huge numbers, negative
and huge page sizes, forged cursors, impossible dates, end before start, invalid UTF-8,
NUL and control characters, SQL and FTS syntax in every string filter, unknown fields,
operators in JSON values; and paths that climb out of or link out of an ``ingest`` tree.
Nothing of the server's insides (stack traces, SQL, file paths) may show in an answer.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from api.store.models import Article, Event

PROBLEM = "application/problem+json"
LEAKS = ("Traceback", "SELECT", "sqlite", "psycopg", "peewee", 'File "', "/work/", ".py")
EVENT = {"title": "A meeting", "type": "visit", "start_date": "2025-01-01"}
ARTICLE = {"title": "T", "body": "B", "published_at": "2025-01-01"}
BIG = 10**30


def cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


@dataclass
class Case:
    id: str
    method: str
    url: str
    status: int
    body: object = None  # JSON-encoded unless bytes or str
    content_type: str = "application/json"
    field: str | None = None  # a field ``errors`` must name


SQL = "' OR 1=1; DROP TABLE event; --"
FTS = 'NEAR(a b) OR title:* AND "unterminated'

CASES = [
    # Malformed and truncated JSON.
    Case("malformed-json", "POST", "/v1/events", 400, "{title: 'x'}"),
    Case("truncated-json", "POST", "/v1/articles", 400, '{"title": "T", "body": '),
    Case("trailing-garbage", "POST", "/v1/events", 400, json.dumps(EVENT) + "}}"),
    Case("nan-literal", "POST", "/v1/events", 400, '{"title": NaN}'),
    # Wrong content types.
    Case("text-plain", "POST", "/v1/events", 415, json.dumps(EVENT), "text/plain"),
    Case("form", "POST", "/v1/articles", 415, "title=x", "application/x-www-form-urlencoded"),
    Case("xml", "PATCH", "/v1/places/1", 415, "<place/>", "application/xml"),
    # Bodies over the limit (2 MiB by default).
    Case("over-limit", "POST", "/v1/articles", 413, {**ARTICLE, "body": "x" * (3 * 1024 * 1024)}),
    # Deeply nested JSON: never a RecursionError.
    Case("deep-array", "POST", "/v1/events", 400, "[" * 100_000 + "]" * 100_000),
    Case("deep-object", "POST", "/v1/events", 400, '{"a":' * 50_000 + "1" + "}" * 50_000),
    Case(
        "deep-in-field",
        "POST",
        "/v1/events",
        422,
        {**EVENT, "venue": [[[[[[[[[[1]]]]]]]]]]},
        field="venue",
    ),
    # Integers of more digits than Python reads (4300), anywhere; a name that is half a
    # surrogate pair (its problem document could not be written): malformed, not a 500.
    Case("5000-digit-int", "POST", "/v1/events", 400, '{"title": ' + "7" * 5000 + "}"),
    Case(
        "5000-digit-int-deep",
        "POST",
        "/v1/entities",
        400,
        '{"name": "A", "kind": "person", "x": [[{"y": -' + "9" * 5000 + "}]]}",
    ),
    Case("lone-surrogate-name", "POST", "/v1/events", 400, '{"\\ud800": 1}'),
    Case(
        "lone-surrogate-nested-name",
        "POST",
        "/v1/events",
        400,
        json.dumps({**EVENT, "venue": {"name": "V"}})[:-2] + ', "\\udfff": 1}}',
    ),
    # Huge integers and page sizes, negative limits.
    Case(
        "huge-int-body", "POST", "/v1/events", 422, {**EVENT, "parent_id": BIG}, field="parent_id"
    ),
    Case(
        "huge-int-ref", "POST", "/v1/events", 422, {**EVENT, "articles": [BIG]}, field="articles.0"
    ),
    Case(
        "huge-float",
        "POST",
        "/v1/events",
        422,
        '{"title": "x", "type": "visit", "start_date": "2025-01-01", "confidence": 1e999}',
        field="confidence",
    ),
    Case("huge-id-path", "GET", f"/v1/events/{BIG}", 404),
    Case("huge-limit", "GET", f"/v1/events?limit={BIG}", 422, field="limit"),
    Case("limit-over-max", "GET", "/v1/articles?limit=501", 422, field="limit"),
    Case("negative-limit", "GET", "/v1/entities?limit=-1", 422, field="limit"),
    Case("zero-limit", "GET", "/v1/places?limit=0", 422, field="limit"),
    # Forged cursors.
    Case("cursor-garbage", "GET", "/v1/events?cursor=%%%", 422, field="cursor"),
    Case("cursor-not-b64-json", "GET", "/v1/events?cursor=bm90IGpzb24", 422, field="cursor"),
    Case(
        "cursor-sql",
        "GET",
        "/v1/events?cursor=" + cursor("-start_date", SQL, 1),
        422,
        field="cursor",
    ),
    Case("cursor-huge", "GET", "/v1/entities?cursor=" + cursor("id", BIG), 422, field="cursor"),
    Case(
        "cursor-object",
        "GET",
        "/v1/entities?cursor=" + cursor("id", {"$gt": 0}),
        422,
        field="cursor",
    ),
    # Impossible dates, end before start.
    Case(
        "feb-30-body",
        "POST",
        "/v1/events",
        422,
        {**EVENT, "start_date": "2025-02-30"},
        field="start_date",
    ),
    Case(
        "zero-date-body",
        "POST",
        "/v1/articles",
        422,
        {**ARTICLE, "published_at": "0000-00-00"},
        field="published_at",
    ),
    Case("feb-30-query", "GET", "/v1/events?from=2025-02-30", 422, field="from"),
    Case("zero-date-query", "GET", "/v1/articles?to=0000-00-00", 422, field="to"),
    # Other ISO 8601 forms Python reads as dates: only YYYY-MM-DD is one here.
    Case("week-date-query", "GET", "/v1/events?to=2025-W01-1", 422, field="to"),
    Case("week-date-articles", "GET", "/v1/articles?from=2025-W01-1", 422, field="from"),
    Case(
        "week-date-body",
        "POST",
        "/v1/events",
        422,
        {**EVENT, "start_date": "2025-W01-1"},
        field="start_date",
    ),
    # A URL longer than any server reads whole: the app's own 414, under every server.
    Case("url-too-long", "GET", "/v1/events?q=" + "a" * 8_100, 414),
    # An id of other scripts' digits (Arabic-Indic one, fullwidth one) names nothing.
    Case("arabic-indic-id", "GET", "/v1/events/%D9%A1", 404),
    Case("fullwidth-id", "PATCH", "/v1/entities/%EF%BC%91", 404, {"name": "x"}),
    Case(
        "end-before-start",
        "POST",
        "/v1/events",
        422,
        {**EVENT, "start_date": "2025-03-02", "end_date": "2025-03-01"},
        field="end_date",
    ),
    Case("to-before-from", "GET", "/v1/events?from=2025-03-02&to=2025-03-01", 422, field="to"),
    # Invalid UTF-8; NUL and control characters.
    Case("invalid-utf8", "POST", "/v1/events", 400, b'{"title": "\xff\xfe"}'),
    Case("overlong-utf8", "POST", "/v1/articles", 400, b'{"title": "\xc0\xaf"}'),
    Case("nul-in-title", "POST", "/v1/events", 422, {**EVENT, "title": "a\x00b"}, field="title"),
    Case(
        "escape-in-body",
        "POST",
        "/v1/articles",
        422,
        {**ARTICLE, "body": "x\x1b[31m"},
        field="body",
    ),
    Case(
        "nul-in-name",
        "POST",
        "/v1/entities",
        422,
        {"name": "A\x00", "kind": "person"},
        field="name",
    ),
    Case("nul-in-q", "GET", "/v1/events?q=a%00b", 422, field="q"),
    Case("control-in-q", "GET", "/v1/entities?q=%07bell", 422, field="q"),
    # Injection in filters that are validated: refused, never run.
    Case("sql-in-country", "GET", f"/v1/events?country={SQL}", 422, field="country"),
    Case("sql-in-type", "GET", f"/v1/events?type={SQL}", 422, field="type"),
    Case("sql-in-sort", "GET", f"/v1/events?sort={SQL}", 422, field="sort"),
    Case("sql-in-participant", "GET", f"/v1/events?participant={SQL}", 422, field="participant"),
    Case("sql-in-kind", "GET", f"/v1/entities?kind={SQL}", 422, field="kind"),
    # URLs that are no RFC 3986 URI: a second "#", characters a URI never holds raw.
    Case(
        "url-two-fragments",
        "POST",
        "/v1/articles",
        422,
        {**ARTICLE, "url": "https://X:7318#Z#J"},
        field="url",
    ),
    Case(
        "url-raw-brace",
        "PATCH",
        "/v1/articles/1",
        422,
        {"url": "https://example.org/a{b}"},
        field="url",
    ),
    # Unknown fields, operators in JSON values.
    Case("unknown-field", "POST", "/v1/events", 422, {**EVENT, "is_admin": True}, field="is_admin"),
    Case("unknown-query", "GET", "/v1/events?where=1", 422, field="where"),
    Case(
        "operator-title", "POST", "/v1/events", 422, {**EVENT, "title": {"$gt": ""}}, field="title"
    ),
    Case(
        "operator-date",
        "POST",
        "/v1/events",
        422,
        {**EVENT, "start_date": {"$gt": ""}},
        field="start_date",
    ),
    Case(
        "operator-entity",
        "POST",
        "/v1/events",
        422,
        {**EVENT, "participants": [{"entity": {"$ne": None}}]},
        field="participants.0.entity.name",
    ),
    Case(
        "operator-article",
        "POST",
        "/v1/articles",
        422,
        {**ARTICLE, "url": {"$regex": ".*"}},
        field="url",
    ),
    Case(
        "operator-key-role",
        "POST",
        "/v1/events",
        422,
        {**EVENT, "type": {"$in": ["visit"]}},
        field="type",
    ),
]


def send(client, case: Case):
    if isinstance(case.body, bytes | str):
        data = case.body
    elif case.body is None:
        data = None
    else:
        data = json.dumps(case.body)
    return client.open(case.url, method=case.method, data=data, content_type=case.content_type)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_request_is_answered_with_a_4xx_problem(seeded, case):
    response = send(seeded.test_client(), case)
    text = response.get_data(as_text=True)
    assert response.status_code == case.status, text
    assert response.mimetype == PROBLEM
    body = json.loads(text)
    assert body["status"] == case.status and body["detail"]
    if case.field is not None:
        assert case.field in body.get("errors", {}), body
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} in {text}"


STRING_FILTERS = [
    "/v1/events?q={}",
    "/v1/events?topic={}",
    "/v1/articles?q={}",
    "/v1/articles?language={}",
    "/v1/entities?q={}",
    "/v1/places?q={}",
]


@pytest.mark.parametrize("text", [SQL, FTS, "%", "_", "*", "\\", "')--", "title:x", "a^b"])
@pytest.mark.parametrize("template", STRING_FILTERS)
def test_sql_and_fts_syntax_in_free_text_filters_is_only_text(seeded, template, text):
    from urllib.parse import quote

    client = seeded.test_client()
    response = client.get(template.format(quote(text)))
    # Free text is searched as words: matches nothing here, and breaks nothing; a filter
    # with a fixed form (a language tag) refuses it instead.
    assert response.status_code in (200, 422), response.get_data(as_text=True)
    if response.status_code == 200:
        assert response.json["data"] == []
    else:
        assert response.mimetype == PROBLEM and response.json["errors"]
    assert len(client.get("/v1/events?limit=500").json["data"]) == 6


def test_ingest_refuses_links_and_reads_nothing_outside(runner, db, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("TOP SECRET token=hunter2\n", encoding="utf-8")
    tree = tmp_path / "feed"
    tree.mkdir()
    (tree / "link.txt").symlink_to(secret)
    (tree / "linked-dir").symlink_to(outside, target_is_directory=True)
    climbing = str(tree / ".." / "outside" / "secret.txt")

    # A link in the tree, a linked directory, or a link named outright: never followed.
    for args in (
        ["ingest", "--no-annotate", str(tree)],
        ["ingest", "--no-annotate", str(tree / "link.txt")],
        ["ingest", "--no-annotate", str(tree / "linked-dir")],
    ):
        result = runner.invoke(args=args)
        assert "hunter2" not in result.output, args
        assert "Traceback" not in result.output, args
        assert "link" in result.output, args
    # `..` in a path the operator types names that file: read as a feed, refused as one.
    for path in (climbing, str(tree / ".." / ".." / "no" / "such" / "place")):
        result = runner.invoke(args=["ingest", "--no-annotate", path])
        assert result.exit_code != 0 and "Traceback" not in result.output
    assert Article.select().count() == 0
    assert Event.select().count() == 0


def chunked(body: bytes) -> Request:
    """A POST of ``body`` to /v1/articles as a server hands on a chunked one: no
    ``Content-Length``, the stream ended by the server (``wsgi.input_terminated``)."""
    environ = EnvironBuilder(
        "/v1/articles", method="POST", data=body, content_type="application/json"
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    environ.update(
        {
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BytesIO(body),
            "wsgi.input_terminated": True,
        }
    )
    return Request(environ)


def test_a_chunked_body_past_the_limit_is_413_not_stored_cut(app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    article = json.dumps({**ARTICLE, "body": "x" * 900_000}).encode()
    # Valid JSON (spaces after it) up to the limit, then more: werkzeug stopped reading at
    # the limit and the article was stored.
    over = article + b" " * (limit - len(article)) + b" " * 200_000
    client = app.test_client()
    response = client.open(chunked(over))
    assert response.status_code == 413, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    with app.app_context():
        assert Article.select().count() == 0
    # Exactly at the limit is within it, as with Content-Length.
    at_limit = article + b" " * (limit - len(article))
    assert client.open(chunked(at_limit)).status_code == 201

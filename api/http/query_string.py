"""Query strings that are not percent-encoded UTF-8 are a 400 that names the parameter.

A URL holds ASCII only (RFC 3986 §2): a client must percent-encode other characters
(``curl -G --data-urlencode 'q=Телалиан'``). Sent raw, they reach the app mis-decoded
under Werkzeug's development server (UTF-8 read as Latin-1 and encoded again), which
would search for mojibake and answer an empty success; gunicorn refuses the request line
itself (``api.server``), and other servers pass the bytes on as they came. So that one
URL answers the same under every server, raw non-ASCII is refused here too. Percent-encoded
bytes that are not UTF-8 would be searched as the escape text. Both are answered as a
problem document, never as a wrong answer.
"""

from __future__ import annotations

from urllib.parse import unquote, unquote_to_bytes

from flask import request

from api.http.errors import Problem

_HOW = "percent-encode it as UTF-8, e.g. curl -G --data-urlencode 'q=Телалиан' URL"
# The longest URL (path and query) answered. gunicorn reads request lines of up to 8,190
# bytes (gunicorn.conf.py); this leaves room for the method and version, so the app, not
# the server, tells a client its URL is too long, the same under every server.
MAX_URL_LENGTH = 8_000
URL_TOO_LONG = (
    f"The URL is longer than {MAX_URL_LENGTH:,} characters: send fewer filter values, "
    "or page with `cursor` instead."
)


def _bad_parameters(query: str) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for pair in filter(None, query.split("&")):
        name, _, value = pair.partition("=")
        field = unquote(name) or "query"
        if not pair.isascii():
            bad.setdefault(field, []).append(f"Holds characters a URL cannot: {_HOW}.")
            continue
        try:
            unquote_to_bytes(value.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            bad.setdefault(field, []).append(f"Is not UTF-8 once percent-decoded: {_HOW}.")
    return bad


def not_encoded_problem(query: str, path: str = "") -> dict | None:
    """The problem document for ``query`` when a parameter is not encoded UTF-8, else None."""
    bad = _bad_parameters(query)
    if not bad:
        if query.isascii() and path.isascii():
            return None
        bad = {"path": [f"Holds characters a URL cannot: {_HOW}."]}
    return {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "The URL is not percent-encoded UTF-8: " + ", ".join(sorted(bad)) + ".",
        "errors": bad,
    }


def require_encoded_query() -> None:
    """400 (a before-request hook) for a query string that is not percent-encoded UTF-8;
    414 for a URL longer than ``MAX_URL_LENGTH``."""
    query = request.environ.get("QUERY_STRING", "")
    if len(request.environ.get("PATH_INFO", "")) + len(query) > MAX_URL_LENGTH:
        raise Problem(414, URL_TOO_LONG)
    problem = not_encoded_problem(query)
    if problem is not None:
        raise Problem(400, problem["detail"], errors=problem["errors"])

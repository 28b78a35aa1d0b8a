"""The gunicorn worker of ``make serve``: gthread, answering in the API's one error shape.

gunicorn refuses some requests before the app sees them. One a person meets is a URL
with raw UTF-8 in it (``curl '...?q=Телалиан'``): RFC 9112 requires a request target in
ASCII, so gunicorn answers 400 with an HTML page of its own. This worker answers that
case with a problem document naming the parameters to percent-encode, as the app does for
the same query under other servers (``api.http.query_string``). A request line longer than
gunicorn reads (``limit_request_line``, at its most 8,190 bytes) is answered with the app's
own 414 problem document. Every other refusal is left to gunicorn.
"""

from __future__ import annotations

import contextlib
import json
from urllib.parse import urlsplit

from gunicorn import util
from gunicorn.http.errors import InvalidRequestLine, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from api.http.query_string import URL_TOO_LONG, not_encoded_problem

# The headers every answer of the app carries (api.http.security), for these answers too.
_SECURITY_HEADERS = (
    "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
    "X-Frame-Options: DENY\r\nContent-Security-Policy: default-src 'none'; "
    "frame-ancestors 'none'\r\n"
)
_TOO_LONG = {"type": "about:blank", "title": "URI Too Long", "status": 414, "detail": URL_TOO_LONG}


def _raw_target_problem(line: str) -> dict | None:
    """The problem document for a request line whose target is not ASCII, else None."""
    method_target_version = line.split(" ")
    if len(method_target_version) != 3 or method_target_version[1].isascii():
        return None
    target = method_target_version[1].encode("latin-1").decode("utf-8", "replace")
    parts = urlsplit(target)
    return not_encoded_problem(parts.query, path=parts.path)


def _problem_of(exc: Exception) -> dict | None:
    """The problem document answering gunicorn's refusal ``exc``, if the worker answers it."""
    if isinstance(exc, LimitRequestLine):
        return _TOO_LONG
    line = exc.req if isinstance(exc, InvalidRequestLine) else None
    return _raw_target_problem(line) if isinstance(line, str) else None


class Worker(ThreadWorker):
    def handle_error(self, req, client, addr, exc):
        problem = _problem_of(exc)
        if problem is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], problem["title"])
        body = json.dumps(problem, ensure_ascii=False).encode()
        head = (
            f"HTTP/1.1 {problem['status']} {problem['title']}\r\nConnection: close\r\n"
            f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n"
            f"{_SECURITY_HEADERS}\r\n"
        )
        with contextlib.suppress(OSError):  # a client that has gone needs no answer
            util.write_nonblock(client, head.encode("latin-1") + body)

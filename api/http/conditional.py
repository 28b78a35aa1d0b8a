"""Conditional requests: ``ETag`` on reads (304 for ``If-None-Match``), ``If-Match`` on edits.

Two reviewers never overwrite each other: an edit of an event names the version
it was made on (``If-Match``), checked in the edit's own transaction with the
event's row locked, so a stale version is a 412 and nothing is written.

Each content coding of an answer is a representation of its own (RFC 9110 §8.8.3): the
gzip variant's tag is the plain one's with ``-gzip`` inside the quotes (``api.http.compression``
sets it). So the tag is made on the plain body (``tag_read``, before gzip), and whether
the client already holds the variant it would get is decided once gzip has chosen it
(``not_modified``, after gzip). ``If-Match`` takes the tag of either variant.
"""

from __future__ import annotations

import hashlib
import json

from flask import Response, request

from api.http.errors import Problem, problem_response

GZIP_SUFFIX = "-gzip"
# Tagged like the API's reads: a client or proxy may keep the document and ask if it changed.
OPENAPI_DOCUMENTS = ("/openapi.json", "/openapi.yaml")


def tag_of(data) -> str:
    """A strong tag of a JSON-ready value (the same value, the same tag)."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _names(if_match, current: str) -> bool:
    """Whether ``If-Match`` names the version tagged ``current`` (in either coding: a client
    given the gzip variant holds that version too), or is ``*``."""
    plain = current.removesuffix(GZIP_SUFFIX)
    return if_match.star_tag or if_match.contains(plain) or if_match.contains(plain + GZIP_SUFFIX)


def check_if_match(current: str, what: str = "resource") -> None:
    """428 without ``If-Match``; 412 unless it names ``current`` (or is ``*``)."""
    if_match = request.if_match
    if not if_match:
        raise Problem(
            428, f"Send `If-Match` with the `ETag` of the {what} (from a GET) to change it."
        )
    if not _names(if_match, current):
        raise Problem(
            412,
            f"The {what} has changed since that `ETag`: get it again and redo the change "
            "on what it is now.",
            headers={"ETag": f'"{current}"'},
        )


def _tagged_read(response: Response) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and (request.path.startswith("/v1/") or request.path in OPENAPI_DOCUMENTS)
        and not response.direct_passthrough
    )


def tag_read(response: Response) -> Response:
    """``after_request`` (before gzip): tag every 200 read under /v1, and the OpenAPI
    document, by its plain body."""
    if _tagged_read(response) and "ETag" not in response.headers:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    return response


# What a problem document replacing an answer does not take from it: its own content.
_CONTENT_HEADERS = {"content-type", "content-length", "content-encoding"}


def not_modified(response: Response) -> Response:
    """``after_request`` (the last, after gzip): 304 when the client holds this variant;
    412 when ``If-Match`` names none of the resource's tags (RFC 9110 §13.1.1).

    The 304 keeps the headers a 200 would have (``ETag``, ``Vary``); Werkzeug drops the
    body and the content headers. The 412 is a problem document, not the resource.
    """
    if not (_tagged_read(response) and "ETag" in response.headers):
        return response
    if not request.if_match or _names(request.if_match, response.get_etag()[0]):
        # If-Match is decided here (Werkzeug would take only this coding's tag).
        response.make_conditional({**request.environ, "HTTP_IF_MATCH": ""})
        return response
    problem = problem_response(
        412,
        "`If-Match` names no version this resource has; its current one is the `ETag` "
        "given here. A read needs no `If-Match`.",
    )
    for name, value in response.headers.items():
        if name.lower() not in _CONTENT_HEADERS:
            problem.headers.add(name, value)
    return problem

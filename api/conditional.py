"""Conditional requests: ``ETag`` on reads (304 for ``If-None-Match``), ``If-Match`` on edits.

Two reviewers never overwrite each other: an edit of an event names the version
it was made on (``If-Match``), checked in the edit's own transaction with the
event's row locked, so a stale version is a 412 and nothing is written.
"""

from __future__ import annotations

import hashlib
import json

from flask import Response, request

from api.errors import Problem


def tag_of(data) -> str:
    """A strong tag of a JSON-ready value (the same value, the same tag)."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def check_if_match(current: str, what: str = "resource") -> None:
    """428 without ``If-Match``; 412 unless it names ``current`` (or is ``*``)."""
    if_match = request.if_match
    if not if_match:
        raise Problem(
            428, f"Send `If-Match` with the `ETag` of the {what} (from a GET) to change it."
        )
    if not (if_match.star_tag or if_match.contains(current)):
        raise Problem(
            412,
            f"The {what} has changed since that `ETag`: get it again and redo the change "
            "on what it is now.",
            headers={"ETag": f'"{current}"'},
        )


def conditional_get(response: Response) -> Response:
    """``after_request``: tag every 200 read under /v1 and answer 304 when the tag still holds."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if not request.path.startswith("/v1/") or response.direct_passthrough:
        return response
    if "ETag" not in response.headers:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    return response.make_conditional(request)

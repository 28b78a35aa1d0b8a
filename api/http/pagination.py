"""Cursor paging, the one way every list pages.

Keyset paging on a unique, indexed ordering: the cursor holds the sort keys of
the last row served, so the next page starts strictly after it whatever was
inserted or deleted meanwhile (no gap, no repeat, no OFFSET).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from urllib.parse import urlencode

import peewee as pw
from flask import Response, request

from api.http.errors import FieldErrors
from api.http.responses import json_response
from api.store.order import Order


def encode_cursor(order: Order, keys: list) -> str:
    raw = json.dumps([order.tag, *keys], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(order: Order, cursor: str) -> pw.Expression:
    """The condition selecting rows after ``cursor``; a bad cursor is a 422 on ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, *keys = json.loads(raw)
        if name != order.tag or len(keys) != order.width:
            raise ValueError("cursor of another list or sort")
        return order.after(keys)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise FieldErrors(
            {"cursor": ["Not a valid cursor; use `links.next` of a previous page."]}
        ) from None


def next_url(cursor: str) -> str:
    """This request's URL with ``cursor`` replaced."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
    args.append(("cursor", cursor))
    return f"{request.base_url}?{urlencode(args)}"


def envelope(
    query: pw.ModelSelect,
    order: Order,
    args: dict,
    serialize: Callable[[list], list],
) -> tuple[dict, int, dict]:
    """One page of ``query`` in ``order``: the list envelope, its status and its ``Link``
    header, for a view that writes it itself (the event list, in several formats)."""
    limit = args["limit"]
    if args.get("cursor"):
        query = query.where(decode_cursor(order, args["cursor"]))
    rows = list(query.order_by(*order.clauses()).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    headers = {}
    next_link = None
    if more:
        next_link = next_url(encode_cursor(order, order.keys(rows[-1])))
        headers["Link"] = f'<{next_link}>; rel="next"'
    body = {
        "data": serialize(rows),
        "links": {"next": next_link},
        "meta": {"limit": limit, "sort": order.name},
    }
    return body, 200, headers


def page(
    query: pw.ModelSelect,
    order: Order,
    args: dict,
    serialize: Callable[[list], list],
) -> Response:
    """One page of ``query`` in ``order`` as the JSON list envelope, with its ``Link`` header.

    ``serialize`` gives the documented shape already, so orjson writes it (``responses``).
    """
    return json_response(*envelope(query, order, args, serialize))

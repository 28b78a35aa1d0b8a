"""Cursor paging, the one way every list pages.

Keyset paging on a unique, indexed ordering: the cursor holds the sort keys of
the last row served, so the next page starts strictly after it whatever was
inserted or deleted meanwhile (no gap, no repeat, no OFFSET).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import peewee as pw
from flask import Response, request

from api.errors import FieldErrors
from api.responses import json_response


@dataclass(frozen=True)
class Order:
    """A total order over a list: its name (``sort``), its fields, and their direction."""

    name: str
    fields: Sequence[pw.Field]
    descending: bool = False
    attrs: Sequence[str] = ()  # where a row holds each key, when not under the field's name
    table: str = ""  # the list a cursor is for, when not the first field's table

    @property
    def tag(self) -> str:
        """What a cursor is valid for: the listed table and the sort."""
        return f"{self.table or self.fields[0].model._meta.table_name}:{self.name}"

    @property
    def width(self) -> int:
        """How many keys a cursor holds."""
        return len(self.attrs or self.fields)

    def clauses(self) -> list[pw.Node]:
        return [f.desc() if self.descending else f.asc() for f in self.fields]

    def keys(self, row) -> list:
        names = self.attrs or [f.name for f in self.fields]
        return [_encode_value(getattr(row, name)) for name in names]

    def decode(self, keys: list) -> list:
        """A cursor's keys as values of the fields (ValueError when they are not)."""
        return [_decode_value(f, v) for f, v in zip(self.fields, keys, strict=True)]

    def after(self, keys: list) -> pw.Expression:
        row, cursor = pw.Tuple(*self.fields), pw.Tuple(*self.decode(keys))
        return row < cursor if self.descending else row > cursor


def _encode_value(value):
    if isinstance(value, pw.Model):
        return value.get_id()
    return value.isoformat() if isinstance(value, dt.date) else value


def _decode_value(field: pw.Field, value):
    if isinstance(field, pw.DateField):
        return dt.date.fromisoformat(value)
    if isinstance(field, pw.IntegerField | pw.AutoField | pw.ForeignKeyField):
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= 2**63:
            raise ValueError("not a 64-bit integer")
        return value
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


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

"""Keyset order: a total order over a list, and the rows after a position in it.

A cursor (``api.http.pagination``) holds the sort keys of the last row served; the next
page is the rows strictly after them in this order, whatever changed meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import peewee as pw


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
    if "\x00" in value:
        # No stored text holds NUL (writes refuse it), so it is no position; and PostgreSQL
        # cannot even bind it.
        raise ValueError("NUL in a text key")
    value.encode("utf-8")  # a lone surrogate is no text: UnicodeEncodeError, a ValueError
    return value

"""What a row of an export must be to be imported, column by column.

An export is read as untrusted input: a file may have been edited or made by
hand. Each value must be what its column holds on this store (a string of at
most its length, an integer in its range, an id a new row could follow, a real
date), one of the vocabulary's values where the column holds one, and an event
must have the dates and the parent the event writer would let it have.
Otherwise the import refuses the line, naming the column, instead of storing a
row that breaks the API later (a 500 on every write, one event's search text
written over another's) or that the store cannot take (a traceback).

What one API write may add at most (a title's 1,000 characters, an entity's 100
aliases) is not checked: stored rows may have grown past it (aliases merge in
from every article naming an entity), and whatever a store holds must import.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

import peewee as pw
from marshmallow import ValidationError

from annotator.vocabulary import (
    DATE_PRECISIONS,
    ENTITY_KINDS,
    EVENT_STATUSES,
    EVENT_TYPES,
    MENTION_FIELDS,
    ROLES,
)
from api.store.bulk import sequenced
from api.store.dialect import dialect
from api.store.events.write import OWN_ANCESTOR, date_errors
from api.store.models import BaseModel, JSONField
from schemas.common import COUNTRY_CODES, Day
from schemas.events import PART_MEANINGS
from schemas.keys import API_ROLES

# A check takes a column's value from the export and answers the value to store, or
# raises ValueError saying what is wrong with it.
Check = Callable[[Any], Any]


class Refused(ValueError):
    """A row's ``column`` that cannot be imported, and why."""

    def __init__(self, column: str, reason: str):
        super().__init__(f"{column}: {reason.removesuffix('.')}")


# --- Each kind of column -----------------------------------------------------


def _text(max_length: int | None) -> Check:
    def check(value):
        if not isinstance(value, str):
            raise ValueError(f"not a string: {value!r}")
        if max_length is not None and len(value) > max_length:
            raise ValueError(f"{len(value):,} characters, past its column's {max_length}")
        _storable(value)
        return value

    return check


def _storable(text: str) -> None:
    # PostgreSQL keeps no NUL in text; half a surrogate pair is no UTF-8 for either store.
    if "\x00" in text:
        raise ValueError("holds a NUL character, which no text column keeps")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("holds half a surrogate pair, which is no text") from None


def _integer(low: int, high: int) -> Check:
    def check(value):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"not an integer: {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low:,}..{high:,}, what the column holds here")
        return value

    return check


def _number(value):
    try:
        finite = not isinstance(value, bool) and math.isfinite(value)
    except (TypeError, OverflowError):  # not a number; an integer past any float
        finite = False
    if not finite:
        raise ValueError(f"not a finite number: {str(value)[:40]!r}")
    return value


def _boolean(value):
    if not isinstance(value, bool):
        raise ValueError(f"not true or false: {value!r}")
    return value


_DAY = Day()


def _date(value):
    try:
        return _DAY.deserialize(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None


def _timestamp(value):
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None:
        raise ValueError(f"not an ISO 8601 timestamp without offset (naive UTC): {value!r}")
    return moment


def _json(value):
    # Any JSON value; as text, it must be storable (JSON writes a NUL as \u0000).
    _storable(json.dumps(value, ensure_ascii=False))
    return value


def _kind(model: type[BaseModel], field: pw.Field) -> Check:
    """The check of what ``field`` holds, by its type."""
    if field is model._meta.primary_key and sequenced(model):
        return _integer(1, dialect().highest_id(model._meta.table_name))
    stored = field.rel_field if isinstance(field, pw.ForeignKeyField) else field
    biggest = dialect().max_integer
    for kind, check in (
        (JSONField, _json),
        (pw.IntegerField, _integer(-biggest - 1, biggest)),
        (pw.CharField, _text(getattr(stored, "max_length", None))),
        (pw.TextField, _text(None)),
        (pw.DoubleField, _number),
        (pw.BooleanField, _boolean),
        (pw.DateTimeField, _timestamp),
        (pw.DateField, _date),
    ):
        if isinstance(stored, kind):
            return check
    raise TypeError(f"no import check for {model._meta.table_name}.{field.column_name}")


# --- What the vocabulary and the API allow -----------------------------------


def _one_of(values) -> Check:
    allowed = frozenset(values)

    def check(value):
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(values)}")

    return check


def _country(value):
    if value not in _COUNTRIES:
        raise ValueError(f"{value!r} is no ISO 3166-1 alpha-2 country code")


_COUNTRIES = frozenset(COUNTRY_CODES)


def _within(low: float, high: float) -> Check:
    def check(value):
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}..{high}")

    return check


def _strings(value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a list of strings")


# Columns whose values are one of a vocabulary's, or bounded as the API bounds them.
RULES: dict[str, Check] = {
    "source.country": _country,
    "place.country": _country,
    "place.lat": _within(-90, 90),
    "place.lon": _within(-180, 180),
    "place.aliases": _strings,
    "entity.kind": _one_of(ENTITY_KINDS),
    "entity.country": _country,
    "entity.aliases": _strings,
    "event.type": _one_of(EVENT_TYPES),
    "event.date_precision": _one_of(DATE_PRECISIONS),
    "event.status": _one_of(EVENT_STATUSES),
    "event.confidence": _within(0, 1),
    "event.venue_country": _country,
    "participant.role": _one_of(ROLES),
    "event_country.country": _country,
    "mention.field": _one_of(MENTION_FIELDS),
    "mention.part": _one_of(PART_MEANINGS),
    "api_key.role": _one_of(API_ROLES),
    "event_revision.changed": _strings,
}


def _event(row: dict) -> None:
    """An event's own rules, as the event writer keeps them."""
    for column, (reason, *_) in date_errors(row["start_date"], row["end_date"]).items():
        raise Refused(column, reason)
    if row["parent_id"] is not None and row["parent_id"] == row["id"]:
        raise Refused("parent_id", OWN_ANCESTOR)


# Rules of a whole row, by table: given the row's checked values by column.
ROW_RULES: dict[str, Callable[[dict], None]] = {"event": _event}


def _column(model: type[BaseModel], field: pw.Field) -> Check:
    kind = _kind(model, field)
    rule = RULES.get(f"{model._meta.table_name}.{field.column_name}")
    nullable = field.null

    def check(value):
        if value is None:
            if nullable:
                return None
            raise ValueError("null, in a column that holds no nulls")
        value = kind(value)
        if rule is not None:
            rule(value)
        return value

    return check


class RowCheck:
    """The checks of one table's rows: ``check(row)`` is the values to store, in the
    model's column order, or raises ``Refused`` naming the first bad column."""

    def __init__(self, model: type[BaseModel]):
        self.columns = [f.column_name for f in model._meta.sorted_fields]
        self.checks = [_column(model, f) for f in model._meta.sorted_fields]
        self.row_rule = ROW_RULES.get(model._meta.table_name)

    def __call__(self, row: dict) -> tuple:
        values = []
        for column, check in zip(self.columns, self.checks, strict=True):
            try:
                values.append(check(row[column]))
            except ValueError as exc:
                raise Refused(column, str(exc)) from None
        if self.row_rule is not None:
            self.row_rule(dict(zip(self.columns, values, strict=True)))
        return tuple(values)


def parent_loop(parents: dict[int, int]) -> list[int] | None:
    """A loop of events, each the parent of the one before, if ``parents`` (an event's id:
    its parent's id) holds one: ``[a, b, a]`` when a's parent is b and b's is a."""
    done: set[int] = set()
    for start in parents:
        path: list[int] = []
        on_path: set[int] = set()
        event = start
        while event in parents and event not in done:
            if event in on_path:
                return [*path[path.index(event) :], event]
            on_path.add(event)
            path.append(event)
            event = parents[event]
        done.update(path)
    return None

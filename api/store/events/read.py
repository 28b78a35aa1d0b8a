"""Reading events whole: each event's API document, built by the store.

One statement reads a page of events with everything shown of them (venue,
participants and their entities, topics, articles, evidence) as one JSON
document per event, built with the store's own JSON functions: SQLite's
``json_object``/``json_group_array``, PostgreSQL's
``json_build_object``/``json_agg``. The document is the documented event
shape; the event list splices it into its answer as it is
(``event_fragments``), everything else reads it as Python values
(``load_events``).

The shape is written once (``_EVENT``) and rendered in each store's dialect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import orjson
import peewee as pw

from annotator.vocabulary import EVENT_TYPES
from api.store.db import database
from api.store.dialect import Dialect, dialect
from api.store.errors import NotFound
from api.store.models import Entity, Event, Place


def place_brief(place: Place) -> dict:
    return {
        "id": place.id,
        "name": place.name,
        "aliases": place.aliases or [],
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
    }


def entity_brief(entity: Entity) -> dict:
    return {
        "id": entity.id,
        "name": entity.name,
        "aliases": entity.aliases or [],
        "kind": entity.kind,
        "country": entity.country,
    }


def event_stats(events) -> dict:
    """``event_count`` and first and last dates of the events ``events`` (a query) selects."""
    count, first, last = (
        events.select(pw.fn.COUNT(Event.id), pw.fn.MIN(Event.start_date), pw.fn.MAX(Event.end_date))
        .tuples()
        .get()
    )
    return {"event_count": count, "first_event_date": _day(first), "last_event_date": _day(last)}


def _day(value) -> dt.date | None:
    # SQLite hands dates back as text, PostgreSQL as dates.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


# --- The shape ------------------------------------------------------------------------


class Json:
    """A value of a document: renders itself as SQL in a store's dialect."""

    def sql(self, d: Dialect) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Column(Json):
    expression: str

    def sql(self, d: Dialect) -> str:
        return self.expression


@dataclass(frozen=True)
class Aliases(Json):
    """A list of names, kept as JSON text."""

    column: str

    def sql(self, d: Dialect) -> str:
        return d.json_text(f"coalesce(nullif({self.column}, ''), '[]')")


@dataclass(frozen=True)
class Stamp(Json):
    """A stored naive-UTC timestamp as ISO 8601 with its offset, as Python's ``isoformat``."""

    column: str

    def sql(self, d: Dialect) -> str:
        return d.stamp(self.column)


@dataclass(frozen=True)
class Object(Json):
    fields: tuple[tuple[str, Json], ...]

    def sql(self, d: Dialect) -> str:
        return d.json_object(", ".join(f"'{name}', {value.sql(d)}" for name, value in self.fields))


@dataclass(frozen=True)
class One(Json):
    """The object of the row ``table`` holds where ``where`` (null if none)."""

    table: str
    where: str
    item: Object

    def sql(self, d: Dialect) -> str:
        return f"(SELECT {self.item.sql(d)} FROM {self.table} WHERE {self.where})"


@dataclass(frozen=True)
class Many(Json):
    """The objects of the rows of ``table`` (``alias``) where ``where``, in ``order``, each
    with the rows ``joins`` adds: a list, empty when there are none."""

    table: str
    alias: str
    where: str
    order: str
    joins: str
    item: Object

    def sql(self, d: Dialect) -> str:
        item = self.item.sql(d)
        return d.json_list(item, self.table, self.alias, self.joins, self.where, self.order)


def _cameo() -> Json:
    cases = " ".join(
        f"WHEN '{kind}' THEN '{code}'" for kind, code in EVENT_TYPES.items() if code is not None
    )
    return Column(f"CASE e.type {cases} END")


_ENTITY = Object((
    ("id", Column("n.id")),
    ("name", Column("n.name")),
    ("aliases", Aliases("n.aliases")),
    ("kind", Column("n.kind")),
    ("country", Column("n.country")),
))  # fmt: skip

# An event as the API shows it (schemas.events.EventSchema), for the row ``e`` of event.
_EVENT = Object((
    ("id", Column("e.id")),
    ("title", Column("e.title")),
    ("type", Column("e.type")),
    ("cameo", _cameo()),
    ("start_date", Column("e.start_date")),
    ("end_date", Column("e.end_date")),
    ("date_precision", Column("e.date_precision")),
    ("venue", One("place p", "p.id = e.venue_id", Object((
        ("id", Column("p.id")),
        ("name", Column("p.name")),
        ("aliases", Aliases("p.aliases")),
        ("country", Column("p.country")),
        ("lat", Column("p.lat")),
        ("lon", Column("p.lon")),
    )))),
    ("parent_id", Column("e.parent_id")),
    ("participants", Many(
        "participant", "pa", "pa.event_id = e.id", "pa.id",
        "JOIN entity n ON n.id = pa.entity_id",
        Object((
            ("entity", _ENTITY),
            ("role", Column("pa.role")),
            ("position", Column("pa.position")),
        )),
    )),
    ("topics", Many(
        "event_topic", "et", "et.event_id = e.id", "et.topic_id",
        "JOIN topic t ON t.slug = et.topic_id",
        Object((("slug", Column("t.slug")), ("label", Column("t.label_en")))),
    )),
    ("articles", Many(
        "event_article", "ea", "ea.event_id = e.id", "ea.article_id",
        "JOIN article a ON a.id = ea.article_id",
        Object((
            ("id", Column("a.id")),
            ("title", Column("a.title")),
            ("published_at", Column("a.published_at")),
        )),
    )),
    ("status", Column("e.status")),
    ("confidence", Column("e.confidence")),
    ("evidence", Many(
        "mention", "m", "m.event_id = e.id", "m.article_id, m.start, m.id", "",
        Object((
            ("field", Column("m.field")),
            ("article_id", Column("m.article_id")),
            ("entity_id", Column("m.entity_id")),
            ("part", Column("m.part")),
            ("start", Column("m.start")),
            ("end", Column('m."end"')),
            ("exact", Column("m.exact")),
        )),
    )),
    ("created_at", Stamp("e.created_at")),
    ("updated_at", Stamp("e.updated_at")),
))  # fmt: skip


@cache
def _statement(d: Dialect, count: int) -> str:
    return d.documents_by_id(_EVENT.sql(d), count)


# --- Reading ----------------------------------------------------------------------------


def documents(ids: Sequence[int]) -> list[str]:
    """The JSON document of each event of ``ids`` that exists, in the order of ``ids``."""
    if not ids:
        return []
    d = dialect()
    by_id = dict(database.execute_sql(_statement(d, len(ids)), d.id_parameters(ids)).fetchall())
    # An event deleted since its id was read is left out, not an error.
    return [by_id[i] for i in ids if i in by_id]


def event_fragments(ids: Sequence[int]) -> list[orjson.Fragment]:
    """The events of ``ids`` as JSON to splice into an answer (``orjson``)."""
    return [orjson.Fragment(doc) for doc in documents(ids)]


def load_events(ids: Sequence[int]) -> list[dict]:
    """The events of ``ids`` as API dicts, in that order: dates as dates, timestamps aware,
    ready for a schema's dump or another format."""
    return [_python(orjson.loads(doc)) for doc in documents(ids)]


def load_event(event_id: int) -> dict:
    """One event as an API dict; 404 if there is none (any more)."""
    found = load_events([event_id])
    if not found:
        raise NotFound(f"No event with id {event_id}.")
    return found[0]


def _python(event: dict) -> dict:
    for name in ("start_date", "end_date"):
        event[name] = dt.date.fromisoformat(event[name])
    for name in ("created_at", "updated_at"):
        event[name] = dt.datetime.fromisoformat(event[name])
    for article in event["articles"]:
        article["published_at"] = dt.date.fromisoformat(article["published_at"])
    return event

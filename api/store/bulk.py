"""Bulk loads of an empty store: the event writer's bulk path.

``seed-synthetic`` (and any loader of many new events) hands blocks of rows to
``write_block``, which adds what the event writer would derive (the
date-ordered copies of ``api.store.postings``, by the same rules) and inserts
everything by the store's fastest path (``Dialect.insert_rows``: COPY on
PostgreSQL, one prepared statement per table on SQLite). ``loading`` turns off
triggers and secondary indexes meanwhile and, at the end, builds them and
writes what the triggers would have: the search documents and the change log.
No revision is written: a loaded event has no history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import peewee as pw

from api.store import changelog, postings, search
from api.store.dialect import dialect
from api.store.models import (
    Article,
    Event,
    EventArticle,
    EventCountry,
    EventTopic,
    JSONField,
    Mention,
    Participant,
)

# Column order of each table's rows in a block.
EVENT_FIELDS = (
    "id", "title", "type", "start_date", "end_date", "date_precision", "venue", "parent",
    "status", "confidence", "created_at", "updated_at",
)  # fmt: skip
ARTICLE_FIELDS = (
    "id", "source", "title", "body", "language", "published_at", "url", "content_hash",
    "created_at", "updated_at",
)  # fmt: skip
PARTICIPANT_FIELDS = ("event", "entity", "role", "position")
EVENT_TOPIC_FIELDS = ("event", "topic")
EVENT_ARTICLE_FIELDS = ("event", "article")
MENTION_FIELDS = ("article", "event", "entity", "field", "part", "start", "end", "exact")

# The tables a load of events fills; their secondary indexes are built once at the end.
EVENT_TABLES = (
    "event", "article", "participant", "event_topic", "event_country", "event_article", "mention",
)  # fmt: skip
# Tables whose triggers are off during a load (full-text indexes, change log).
LOADED_TABLES = ("source", "entity", "entity_name", "place", "place_name", *EVENT_TABLES)


@dataclass
class EventBlock:
    """New events and everything reported with them, as tuples in the ``*_FIELDS`` orders."""

    events: list[tuple] = field(default_factory=list)
    articles: list[tuple] = field(default_factory=list)
    participants: list[tuple] = field(default_factory=list)
    event_topics: list[tuple] = field(default_factory=list)
    event_articles: list[tuple] = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)


def insert_rows(model: type[pw.Model], fields: tuple[str, ...], rows: list, batch: int) -> None:
    """Insert ``rows`` (tuples in ``fields`` order) by the store's bulk path (``batch`` rows a
    call where it takes them in calls)."""
    if not rows:
        return
    columns = [model._meta.fields[f] for f in fields]
    json_at = [i for i, c in enumerate(columns) if isinstance(c, JSONField)]
    if json_at:
        rows = [_json_as_text(row, columns, json_at) for row in rows]
    dialect().insert_rows(model, columns, rows, batch)


def _json_as_text(row: tuple, columns: list[pw.Field], json_at: list[int]) -> tuple:
    values = list(row)
    for i in json_at:
        values[i] = columns[i].db_value(values[i])
    return tuple(values)


def write_block(block: EventBlock, countries: postings.Countries, batch: int) -> dict[str, int]:
    """Insert a block of new events with their copies; the rows written per table."""
    copies = postings.copies_of(
        block.events,
        block.participants,
        block.event_topics,
        countries,
        start_at=EVENT_FIELDS.index("start_date"),
        venue_at=EVENT_FIELDS.index("venue"),
    )
    tables = (
        (Event, (*EVENT_FIELDS, "venue_country"), copies.events),
        (Article, ARTICLE_FIELDS, block.articles),
        (Participant, (*PARTICIPANT_FIELDS, "start_date"), copies.participants),
        (EventTopic, (*EVENT_TOPIC_FIELDS, "start_date"), copies.event_topics),
        (EventCountry, ("event", "country", "start_date"), copies.event_countries),
        (EventArticle, EVENT_ARTICLE_FIELDS, block.event_articles),
        (Mention, MENTION_FIELDS, block.mentions),
    )
    for model, fields, rows in tables:
        insert_rows(model, fields, rows, batch)
    return {model._meta.table_name: len(rows) for model, _, rows in tables}


def _derive() -> None:
    """What the loaded tables' triggers would have written: both full-text indexes and the
    change log of every loaded row."""
    search.rebuild_article_search()
    search.fill_event_search()
    changelog.log_created(LOADED_TABLES)


@contextmanager
def loading(echo: Callable[[str], None]) -> Iterator[None]:
    """A load of an empty store: fast meanwhile, everything derived built at the end."""
    with dialect().bulk_load(LOADED_TABLES, EVENT_TABLES, _derive, echo):
        yield


def advance_sequences(models: Iterable[type[pw.Model]], marks: dict | None = None) -> None:
    """Make new rows take ids above every stored one and every one ``marks`` (an export's
    high-water marks) says the old store gave."""
    for model in models:
        column = sequenced(model)
        if column is None:
            continue
        table = model._meta.table_name
        top = model.select(pw.fn.MAX(column)).scalar() or 0
        top = max(top, int((marks or {}).get(table) or 0))
        dialect().advance_sequence(table, column.column_name, top)


def sequenced(model: type[pw.Model]) -> pw.Field | None:
    """The id column a sequence (PostgreSQL) or AUTOINCREMENT (SQLite) fills, if any."""
    pk = model._meta.primary_key
    return pk if isinstance(pk, pw.AutoField) else None

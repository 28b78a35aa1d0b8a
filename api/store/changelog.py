"""The change log: every create, update and delete, in commit order (``/v1/changes``).

The log is written by database triggers in the transaction of each change, so
every write path (the API, the annotator, fixtures, bulk loads, SQL by hand)
is logged and a rolled-back change leaves no row. On PostgreSQL the triggers
first take a transaction-level advisory lock, so changes are numbered in the
order their transactions commit and a reader never sees ``seq`` 11 before an
in-flight 10 that would then be skipped; SQLite has a single writer anyway.

An event's change is logged when the event row changes; writes of an event's
links (participants, topics, articles) touch the event row. A renamed entity,
place or article is logged on that resource only, not on the events that embed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import peewee as pw

from api.store.db import database
from api.store.dialect import dialect
from api.store.models import ChangeLog

# resource -> (table, key column, item URL pattern)
RESOURCES: dict[str, tuple[str, str, str]] = {
    "topic": ("topic", "slug", "/v1/topics/{}"),
    "source": ("source", "id", "/v1/sources/{}"),
    "place": ("place", "id", "/v1/places/{}"),
    "entity": ("entity", "id", "/v1/entities/{}"),
    "article": ("article", "id", "/v1/articles/{}"),
    "event": ("event", "id", "/v1/events/{}"),
}


def log_created(tables: Iterable[str] | None = None) -> None:
    """A ``create`` row for every stored resource of ``tables`` (default: all), one
    statement per table: what the triggers write, for rows stored without them."""
    at = dialect().now_utc
    for resource, (table, key, _) in RESOURCES.items():
        if tables is None or table in tables:
            database.execute_sql(
                f"INSERT INTO change_log (resource, key, action, at) SELECT '{resource}',"
                f" CAST({key} AS TEXT), 'create', {at} FROM {table} ORDER BY {key}"
            )


def install() -> None:
    """Create the change log, its triggers, and a ``create`` row for every stored resource."""
    database.create_tables([ChangeLog], safe=True)
    log_created()
    for statement in dialect().change_log_triggers(RESOURCES):
        database.execute_sql(statement)


def changed_since(resource: str, model_key: pw.Field, since: dt.datetime) -> pw.Expression:
    """Rows of ``resource`` created or changed at or after ``since`` (naive UTC), by the log."""
    keys = ChangeLog.select(ChangeLog.key).where(
        (ChangeLog.resource == resource) & (ChangeLog.at >= since)
    )
    if isinstance(model_key, pw.CharField):
        return model_key.in_(keys)
    return pw.Cast(model_key, "TEXT").in_(keys)

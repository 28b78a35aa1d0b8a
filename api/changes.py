"""/v1/changes: every create, update and delete, in commit order, for mirrors.

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

import base64
import datetime as dt
import json
from collections.abc import Iterable
from urllib.parse import urlencode

import peewee as pw
from flask import request
from flask.views import MethodView

from api.blueprint import Blueprint
from api.db import database, is_postgres
from api.errors import FieldErrors
from api.models import ChangeLog
from api.pagination import Order, decode_cursor, encode_cursor
from schemas.changes import ChangeListArgs, ChangePageSchema
from schemas.common import aware, naive_utc, parse_timestamp

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/v1/changes",
    description="The change feed: creates, updates and deletes in order, to keep a mirror.",
)

# resource -> (table, key column, item URL pattern)
RESOURCES: dict[str, tuple[str, str, str]] = {
    "topic": ("topic", "slug", "/v1/topics/{}"),
    "source": ("source", "id", "/v1/sources/{}"),
    "place": ("place", "id", "/v1/places/{}"),
    "entity": ("entity", "id", "/v1/entities/{}"),
    "article": ("article", "id", "/v1/articles/{}"),
    "event": ("event", "id", "/v1/events/{}"),
}
ACTIONS = ("create", "update", "delete")
ORDER = Order("seq", (ChangeLog.seq,))
_LOCK_KEY = 0x616E6E616C73  # "annals": one advisory lock orders all logged writers

_SQLITE_AT = "datetime('now')"
_POSTGRES_AT = "date_trunc('second', now() AT TIME ZONE 'UTC')"


def _sqlite_statements() -> list[str]:
    out = []
    for resource, (table, key, _) in RESOURCES.items():
        for op, action, row in (
            ("INSERT", "create", "new"),
            ("UPDATE", "update", "new"),
            ("DELETE", "delete", "old"),
        ):
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS change_log_{table}_{action} "
                f"AFTER {op} ON {table} BEGIN "
                f"INSERT INTO change_log (resource, key, action, at) VALUES "
                f"('{resource}', CAST({row}.{key} AS TEXT), '{action}', {_SQLITE_AT}); END"
            )
    return out


def _postgres_statements() -> list[str]:
    out = [
        "CREATE OR REPLACE FUNCTION change_log_lock() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_advisory_xact_lock({_LOCK_KEY}); RETURN NULL; END $$"
    ]
    for resource, (table, key, _) in RESOURCES.items():
        out.append(
            f"CREATE OR REPLACE FUNCTION change_log_{table}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO change_log (resource, key, action, at) "
            f"SELECT '{resource}', changed.{key}::text, CASE TG_OP WHEN 'INSERT' THEN 'create' "
            f"WHEN 'UPDATE' THEN 'update' ELSE 'delete' END, {_POSTGRES_AT} "
            f"FROM changed ORDER BY changed.{key}; RETURN NULL; END $$"
        )
        # Before any row is touched, so the lock never waits while holding row locks.
        out.append(
            f"CREATE OR REPLACE TRIGGER change_log_{table}_lock "
            f"BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION change_log_lock()"
        )
        for op, action, transition in (
            ("INSERT", "create", "NEW"),
            ("UPDATE", "update", "NEW"),
            ("DELETE", "delete", "OLD"),
        ):
            out.append(
                f"CREATE OR REPLACE TRIGGER change_log_{table}_{action} AFTER {op} ON {table} "
                f"REFERENCING {transition} TABLE AS changed "
                f"FOR EACH STATEMENT EXECUTE FUNCTION change_log_{table}()"
            )
    return out


def log_created(tables: Iterable[str] | None = None) -> None:
    """A ``create`` row for every stored resource of ``tables`` (default: all), one
    statement per table: what the triggers write, for rows stored without them."""
    at = _POSTGRES_AT if is_postgres() else _SQLITE_AT
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
    for statement in _postgres_statements() if is_postgres() else _sqlite_statements():
        database.execute_sql(statement)


def changed_since(resource: str, model_key: pw.Field, since: dt.datetime) -> pw.Expression:
    """Rows of ``resource`` created or changed at or after ``since`` (naive UTC), by the log."""
    keys = ChangeLog.select(ChangeLog.key).where(
        (ChangeLog.resource == resource) & (ChangeLog.at >= since)
    )
    if isinstance(model_key, pw.CharField):
        return model_key.in_(keys)
    return pw.Cast(model_key, "TEXT").in_(keys)


def change_dict(row: ChangeLog) -> dict:
    _, key_column, pattern = RESOURCES[row.resource]
    key = row.key if key_column != "id" else int(row.key)
    return {
        "seq": row.seq,
        "resource": row.resource,
        "id": key,
        "action": row.action,
        "at": aware(row.at),
        "href": pattern.format(row.key),
    }


def _start(since: str | None) -> tuple[pw.Expression | None, int]:
    """The condition selecting changes after ``since``, and the position it stands for."""
    if not since:
        return None, 0
    moment = parse_timestamp(since)
    if moment is not None:
        first = (
            ChangeLog.select(ChangeLog.seq)
            .where(ChangeLog.at >= naive_utc(moment))
            .order_by(ChangeLog.at, ChangeLog.seq)
            .limit(1)
            .scalar()
        )
        if first is None:
            last = ChangeLog.select(pw.fn.MAX(ChangeLog.seq)).scalar() or 0
            return ChangeLog.seq > last, last
        return ChangeLog.seq >= first, first - 1
    try:
        condition = decode_cursor(ORDER, since)
        raw = base64.urlsafe_b64decode(since + "=" * (-len(since) % 4))
        position = json.loads(raw)[1]
    except FieldErrors:
        raise FieldErrors(
            {
                "since": [
                    "Neither a timestamp with offset (2025-12-05T12:00:00Z) nor a cursor "
                    "from `meta.cursor` or `links.next`."
                ]
            }
        ) from None
    return condition, position


@blp.route("")
class Changes(MethodView):
    @blp.arguments(ChangeListArgs, location="query")
    @blp.response(200, ChangePageSchema)
    def get(self, args):
        """List changes in the order they were committed.

        Each creation, update or deletion of an event, article, entity, place,
        source or topic, oldest first, with the URL to read the resource
        again. Start with no `since` (everything from the beginning) or a
        timestamp; then pass `meta.cursor` as `since` to get only what changed
        after the last change seen, also once the feed is read to the end.
        """
        condition, position = _start(args.get("since"))
        query = ChangeLog.select()
        if condition is not None:
            query = query.where(condition)
        if args.get("resource"):
            query = query.where(ChangeLog.resource.in_(args["resource"]))
        limit = args["limit"]
        rows = list(query.order_by(ChangeLog.seq).limit(limit + 1))
        more = len(rows) > limit
        rows = rows[:limit]
        if rows:
            position = rows[-1].seq
        cursor = encode_cursor(ORDER, [position])
        headers = {}
        next_link = None
        if more:
            next_link = next_url_with_since(cursor)
            headers["Link"] = f'<{next_link}>; rel="next"'
        body = {
            "data": [change_dict(r) for r in rows],
            "links": {"next": next_link},
            "meta": {"limit": limit, "sort": "seq", "cursor": cursor},
        }
        return body, 200, headers


def next_url_with_since(cursor: str) -> str:
    """This request's URL with ``since`` set to ``cursor``."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "since"]
    args.append(("since", cursor))
    return f"{request.base_url}?{urlencode(args)}"

"""SQLite: the embedded store (FTS5 search, JSON1, one writer at a time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import peewee as pw

from api.store.db import database
from api.store.dialect.base import Dialect, FullText, batches
from api.store.order import Order

# An event's search rowid is (Julian day of its start) * 2**33 + its id, so FTS5's rowid
# order is the event list's (start_date, id) order. Ids stay below 2**33 (8.6 billion).
_SPAN = 2**33
_JULIAN_DAY_OF_ORDINAL_0 = 1_721_424  # julianday('0001-01-01') is 1721425.5
_KEY = f"(CAST(julianday({{row}}.start_date) AS INTEGER) * {_SPAN} + {{row}}.id)"

# FTS5 writes the terms it gathers in memory as a new segment each time they pass
# ``hashsize`` (1 MB by default), then merges those segments. A bulk fill given 64 MB writes
# and merges far fewer: the event search of a 100k load took 7.9-8.0 s instead of 9.2-10.1 s.
_DEFAULT_HASHSIZE = 1024 * 1024
_BULK_HASHSIZE = 64 * 1024 * 1024
# SQLITE_BUSY and SQLITE_LOCKED, as sqlite3 words them: the busy timeout ran out.
_BUSY = ("database is locked", "database table is locked", "database is busy")


class Sqlite(Dialect):
    name = "sqlite"
    max_parameters = 32_766 if pw.sqlite3.sqlite_version_info >= (3, 32) else 999
    max_integer = 2**63 - 1
    now_utc = "datetime('now')"

    def __init__(self) -> None:
        self.search = SqliteFullText(self)

    def is_busy(self, error: BaseException) -> bool:
        return super().is_busy(error) or (
            isinstance(error, pw.OperationalError) and str(error).startswith(_BUSY)
        )

    def autoincrement(self, ddl: pw.Node) -> pw.Node:
        return pw.NodeList((ddl, pw.SQL("AUTOINCREMENT")))

    def drop_legacy_event_search(self) -> None:
        for trigger in ("event_fts_ai", "event_fts_ad", "event_fts_au"):
            database.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        database.execute_sql("DROP TABLE IF EXISTS event_fts")

    # --- JSON ---

    def json_object(self, pairs: str) -> str:
        return f"json_object({pairs})"

    def json_list(
        self, item: str, table: str, alias: str, joins: str, where: str, order: str
    ) -> str:
        # SQLite 3.40 has no ORDER BY inside an aggregate: the rows come ordered instead.
        return (
            f"(SELECT json_group_array({item}) FROM (SELECT * FROM {table} {alias}"
            f" WHERE {where} ORDER BY {order}) {alias} {joins})"
        )

    def json_text(self, text: str) -> str:
        return f"json({text})"

    def stamp(self, column: str) -> str:
        # Stored as Python writes it: 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
        return f"replace({column}, ' ', 'T') || '+00:00'"

    def documents_by_id(self, document: str, count: int) -> str:
        return f"SELECT e.id, {document} FROM event e WHERE e.id IN ({', '.join('?' * count)})"

    def id_parameters(self, ids: Sequence[int]) -> list:
        return list(ids)

    def group_text(self, expression: str) -> str:
        # SQLite 3.40 has no string_agg (3.44 does).
        return f"group_concat({expression}, ' ')"

    # --- Queries ---

    def month_of(self, column: pw.Field) -> pw.Node:
        # A literal format, not a parameter, as on PostgreSQL.
        return pw.fn.strftime(pw.SQL("'%Y-%m'"), column)

    # --- The change log ---

    def change_log_triggers(self, resources: dict[str, tuple[str, str, str]]) -> list[str]:
        out = []
        for resource, (table, key, _) in resources.items():
            for op, action, row in (
                ("INSERT", "create", "new"),
                ("UPDATE", "update", "new"),
                ("DELETE", "delete", "old"),
            ):
                out.append(
                    f"CREATE TRIGGER IF NOT EXISTS change_log_{table}_{action} "
                    f"AFTER {op} ON {table} BEGIN "
                    f"INSERT INTO change_log (resource, key, action, at) VALUES "
                    f"('{resource}', CAST({row}.{key} AS TEXT), '{action}', {self.now_utc}); END"
                )
        return out

    # --- Whole-store operations ---

    def snapshot(self):
        return database.atomic(lock_type="DEFERRED")  # a reader: never blocks writers (WAL)

    def sequence_marks(self, tables: dict[str, str]) -> dict[str, int]:
        if not database.table_exists("sqlite_sequence"):
            return {}
        marks = dict(database.execute_sql("SELECT name, seq FROM sqlite_sequence").fetchall())
        return {table: marks[table] for table in tables if table in marks}

    def advance_sequence(self, table: str, column: str, top: int) -> None:
        autoincrement = database.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? "
            "AND sql LIKE '%AUTOINCREMENT%'",
            (table,),
        ).fetchone()
        if autoincrement and top:
            # Explicit ids already raised it to the highest stored one; deleted ids above that.
            database.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
            database.execute_sql(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, top)
            )

    def highest_id(self, table: str) -> int:
        # An event's id is part of its search rowid (``_KEY``): a bigger one would be another
        # event's rowid, a day later.
        return _SPAN - 1 if table == "event" else self.max_integer

    def analyze(self, *, vacuum: bool = False) -> None:
        # Sampled statistics, as `PRAGMA optimize` gathers them.
        database.execute_sql("PRAGMA analysis_limit=1000")
        database.execute_sql("ANALYZE")

    def insert_rows(self, model: type[pw.Model], columns: list[pw.Field], rows: list, batch: int):
        # The statement for one row, run by the driver's executemany: one prepared statement
        # in a C loop, several times faster than building multi-row VALUES text in Python.
        sql, _ = model.insert_many([rows[0]], fields=columns).sql()
        convert = [_stored_as(c) for c in columns]
        cursor = database.cursor()
        for chunk in batches(rows, batch):
            if any(convert):
                chunk = [
                    tuple(
                        f(v) if f and v is not None else v for f, v in zip(convert, r, strict=True)
                    )
                    for r in chunk
                ]
            cursor.executemany(sql, chunk)

    @contextmanager
    def bulk_load(self, loaded, indexed, derive, echo) -> Iterator[None]:
        """Durability and foreign-key checks off, a 1 GB cache, a rollback journal in memory
        instead of the WAL (the data is written once, not twice), and no triggers or
        secondary indexes on the loaded tables: building an index once from sorted data is
        several times cheaper than keeping it row by row. A crash during the load can leave
        the file unusable; it was empty anyway."""
        state = _begin_bulk_load(loaded, indexed, echo)
        try:
            yield
        finally:
            with database.atomic():
                echo(f"building {len(state.indexes)} indexes ...")
                for _, sql in state.indexes:
                    database.execute_sql(sql)
                echo("building the full-text indexes ...")
                derive()
                for _, sql in state.triggers:
                    database.execute_sql(sql)
            database.execute_sql(f"PRAGMA journal_mode={state.journal_mode}")
            database.execute_sql("PRAGMA foreign_keys=ON")
            database.execute_sql("PRAGMA synchronous=NORMAL")


@dataclass
class _BulkLoad:
    """What a bulk load turned off, to be put back when it ends."""

    indexes: list[tuple[str, str]]
    triggers: list[tuple[str, str]]
    journal_mode: str


def _begin_bulk_load(loaded, indexed, echo) -> _BulkLoad:
    for pragma in ("synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY"):
        database.execute_sql(f"PRAGMA {pragma}")
    database.execute_sql("PRAGMA foreign_keys=OFF")
    journal_mode = database.execute_sql("PRAGMA journal_mode").fetchone()[0]
    try:
        database.execute_sql("PRAGMA journal_mode=MEMORY")
    except pw.OperationalError:  # another connection holds the WAL: keep it
        echo("(another connection is open: keeping the WAL journal)")
    with database.atomic():
        triggers = _schema_objects("trigger", loaded)
        for name, _ in triggers:
            database.execute_sql(f'DROP TRIGGER "{name}"')
        indexes = _schema_objects("index", indexed)
        for name, _ in indexes:
            database.execute_sql(f'DROP INDEX "{name}"')
    return _BulkLoad(indexes=indexes, triggers=triggers, journal_mode=journal_mode)


def _schema_objects(kind: str, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    marks = ", ".join("?" for _ in tables)
    return database.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        (kind, *tables),
    ).fetchall()


def _converted(row: tuple, convert: list) -> tuple:
    return tuple(f(v) if f and v is not None else v for f, v in zip(convert, row, strict=True))


def _stored_as(column: pw.Field) -> Callable | None:
    """How a value of ``column`` is stored on SQLite, or None when it is stored as is."""
    if isinstance(column, pw.DateTimeField):
        return lambda v: v.isoformat(" ")
    if isinstance(column, pw.DateField):
        return dt.date.isoformat
    return None


# --- Full-text search -------------------------------------------------------------------


class SqliteEventSearch(pw.Model):
    """The FTS5 index of event documents, rowid in (start date, id) order."""

    rowid = pw.IntegerField(primary_key=True)

    class Meta:
        database = database
        table_name = "event_search"


def _key(day: dt.date, event_id: int) -> int:
    """An event's search rowid (see ``_KEY``)."""
    return (day.toordinal() + _JULIAN_DAY_OF_ORDINAL_0) * _SPAN + event_id


def _phrase(words: list[str]) -> str:
    # Each word as an FTS5 string literal: never an operator, column filter or prefix.
    return " ".join(f'"{w}"' for w in words or [""])


@dataclass(frozen=True)
class _KeyOrder(Order):
    """The date order as the search rowid: one integer per (start_date, id)."""

    event: type[pw.Model] | None = None

    def after(self, keys: list) -> pw.Expression:
        event = self.event
        day, event_id = Order(self.name, (event.start_date, event.id)).decode(keys)
        if not 0 <= event_id < _SPAN:
            # The rowid holds ids below 2**33 (``_KEY``): a bigger one is no position in this
            # order, and its key would not fit in 64 bits.
            raise ValueError("not an event id of the search order")
        bound = _key(day, event_id)
        rowid = self.fields[0]
        return rowid < bound if self.descending else rowid > bound


class SqliteFullText(FullText):
    """FTS5 tables: ``article_fts`` (external content) and ``event_search``."""

    def __init__(self, dialect: Sqlite) -> None:
        self.dialect = dialect

    def _refresh(self, events: str) -> str:
        """Statements renewing the search rows of the events ``events`` selects (``e`` rows)."""
        key = _KEY.format(row="e")
        return (
            f"DELETE FROM event_search WHERE rowid IN (SELECT {key} FROM event e WHERE {events});"
            f" INSERT INTO event_search(rowid, doc) SELECT {key},"
            f" {self.dialect.event_document('e')} FROM event e WHERE {events};"
        )

    def ddl(self) -> list[str]:
        old_key = _KEY.format(row="old")
        return [
            """CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(
                title, body, content='article', content_rowid='id',
                tokenize='unicode61 remove_diacritics 2')""",
            """CREATE TRIGGER IF NOT EXISTS article_fts_ai AFTER INSERT ON article BEGIN
                INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
            END""",
            """CREATE TRIGGER IF NOT EXISTS article_fts_ad AFTER DELETE ON article BEGIN
                INSERT INTO article_fts(article_fts, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
            END""",
            """CREATE TRIGGER IF NOT EXISTS article_fts_au AFTER UPDATE OF title, body ON article
            BEGIN
                INSERT INTO article_fts(article_fts, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
                INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
            END""",
            """CREATE VIRTUAL TABLE IF NOT EXISTS event_search USING fts5(
                doc, tokenize='unicode61 remove_diacritics 2')""",
            "CREATE TRIGGER IF NOT EXISTS event_search_ai AFTER INSERT ON event BEGIN "
            + self._refresh("e.id = new.id")
            + " END",
            "CREATE TRIGGER IF NOT EXISTS event_search_au AFTER UPDATE OF title, start_date ON"
            f" event BEGIN DELETE FROM event_search WHERE rowid = {old_key}; "
            + self._refresh("e.id = new.id")
            + " END",
            "CREATE TRIGGER IF NOT EXISTS event_search_ad AFTER DELETE ON event BEGIN"
            f" DELETE FROM event_search WHERE rowid = {old_key}; END",
            "CREATE TRIGGER IF NOT EXISTS event_search_link_ai AFTER INSERT ON event_article"
            " BEGIN " + self._refresh("e.id = new.event_id") + " END",
            "CREATE TRIGGER IF NOT EXISTS event_search_link_ad AFTER DELETE ON event_article"
            " BEGIN " + self._refresh("e.id = old.event_id") + " END",
            "CREATE TRIGGER IF NOT EXISTS event_search_article_au AFTER UPDATE OF title, body"
            " ON article BEGIN "
            + self._refresh(
                "e.id IN (SELECT event_id FROM event_article WHERE article_id = new.id)"
            )
            + " END",
        ]

    def fill_event_search(self) -> None:
        with _bulk("event_search"):
            database.execute_sql(
                f"INSERT INTO event_search(rowid, doc) SELECT {_KEY.format(row='e')},"
                f" {self.dialect.event_document('e')} FROM event e ORDER BY e.start_date, e.id"
            )
        # One b-tree segment instead of the many a bulk insert leaves: checking one event's
        # document (a page led by another filter) then seeks one segment, not each of them
        # (17 µs instead of 195 µs at a million events).
        database.execute_sql("INSERT INTO event_search(event_search) VALUES('optimize')")

    def rebuild_article_search(self) -> None:
        with _bulk("article_fts"):
            database.execute_sql("INSERT INTO article_fts(article_fts) VALUES('rebuild')")

    def articles_matching(self, words: list[str]) -> pw.Node:
        return pw.SQL("(SELECT rowid FROM article_fts WHERE article_fts MATCH ?)", [_phrase(words)])

    def _matches(self, words: list[str]) -> pw.Node:
        return pw.Expression(pw.Column(SqliteEventSearch, "event_search"), "MATCH", _phrase(words))

    def _event_id(self) -> pw.Node:
        return pw.Expression(SqliteEventSearch.rowid, "%", _SPAN)  # (peewee's % is LIKE)

    def matching_ids(self, words: list[str], limit: int) -> list[int]:
        query = SqliteEventSearch.select(self._event_id()).where(self._matches(words))
        sql, params = query.limit(limit).sql()
        return [event_id for (event_id,) in database.execute_sql(sql, params).fetchall()]

    def holds(self, words: list[str], event: type[pw.Model]) -> pw.Node:
        key = pw.Cast(pw.fn.julianday(event.start_date), "INTEGER") * _SPAN + event.id
        row = SqliteEventSearch.rowid == key
        return pw.fn.EXISTS(SqliteEventSearch.select(pw.SQL("1")).where(self._matches(words) & row))

    def walk(self, columns, words, sort, start_after, start_by, event):
        model = SqliteEventSearch
        # CROSS JOIN: SQLite keeps the full-text index as the outer loop, in its rowid order.
        query = model.select(*columns).join(event, pw.JOIN.CROSS)
        query = query.where(event.id == self._event_id())
        if start_after is not None:
            query = query.where(model.rowid >= _key(start_after, 0))
        if start_by is not None:
            query = query.where(model.rowid <= _key(start_by, _SPAN - 1))
        order = _KeyOrder(
            sort, (model.rowid,), sort.startswith("-"),
            attrs=("start_date", "id"), table="event", event=event,
        )  # fmt: skip
        return query.where(self._matches(words)), order


@contextmanager
def _bulk(table: str) -> Iterator[None]:
    """``table`` (an FTS5 table) keeps up to 64 MB of new terms in memory meanwhile."""
    database.execute_sql(f"INSERT INTO {table}({table}, rank) VALUES('hashsize', {_BULK_HASHSIZE})")
    try:
        yield
    finally:
        database.execute_sql(
            f"INSERT INTO {table}({table}, rank) VALUES('hashsize', {_DEFAULT_HASHSIZE})"
        )

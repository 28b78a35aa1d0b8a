"""Full-text search: one function for both stores.

Articles are searched in their own index (``GET /v1/articles?q=``). Events are
searched in a document of their own, their title and the titles and bodies of
the articles reporting them, kept in date order next to the date index the
event list pages on, so a common word is a walk down that order that stops
after a page, and a rare one a sort of its few matches (``few_events``).

SQLite keeps FTS5 tables: ``article_fts`` (external content) and
``event_search``, whose rowid encodes (start date, event id) so that FTS5's own
rowid order is the event list's date order. PostgreSQL keeps a generated
``tsvector`` on articles and a table ``event_search`` (event, start date,
document vector), both with GIN indexes. Triggers keep every copy in the
transaction of each write, whatever the write path. User input is cut into
words here and each word is searched as a plain word, so quotes, ``*``,
``NEAR`` or ``AND`` never reach either query language as syntax.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import peewee as pw

from api.store.db import database, is_postgres
from api.store.order import Order

_WORD = re.compile(r"\w+", re.UNICODE)

# SQLite: an event's search rowid is (Julian day of its start) * 2**33 + its id, so rowid
# order is (start_date, id) order. Ids stay below 2**33 (8.6 billion events).
_SPAN = 2**33
_JULIAN_DAY_OF_ORDINAL_0 = 1_721_424  # julianday('0001-01-01') is 1721425.5
_SQLITE_KEY = f"(CAST(julianday({{row}}.start_date) AS INTEGER) * {_SPAN} + {{row}}.id)"


def _doc(row: str, *, postgres: bool) -> str:
    """SQL for the search document of the event ``row``: its title, then the title and body
    of each article reporting it."""
    # SQLite 3.40 has no string_agg (3.44 does); PostgreSQL has no group_concat.
    joined = "string_agg(" if postgres else "group_concat("
    return (
        f"coalesce({row}.title, '') || ' ' || coalesce((SELECT {joined}a.title || ' ' || a.body,"
        f" ' ') FROM event_article ea JOIN article a ON a.id = ea.article_id"
        f" WHERE ea.event_id = {row}.id), '')"
    )


def _sqlite_refresh(events: str) -> str:
    """Statements renewing the search rows of the events ``events`` selects (``e`` rows)."""
    key = _SQLITE_KEY.format(row="e")
    return (
        f"DELETE FROM event_search WHERE rowid IN (SELECT {key} FROM event e WHERE {events});"
        f" INSERT INTO event_search(rowid, doc) SELECT {key}, {_doc('e', postgres=False)}"
        f" FROM event e WHERE {events};"
    )


SQLITE_DDL = [
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
    """CREATE TRIGGER IF NOT EXISTS article_fts_au AFTER UPDATE OF title, body ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS event_search USING fts5(
        doc, tokenize='unicode61 remove_diacritics 2')""",
    "CREATE TRIGGER IF NOT EXISTS event_search_ai AFTER INSERT ON event BEGIN "
    + _sqlite_refresh("e.id = new.id")
    + " END",
    "CREATE TRIGGER IF NOT EXISTS event_search_au AFTER UPDATE OF title, start_date ON event"
    f" BEGIN DELETE FROM event_search WHERE rowid = {_SQLITE_KEY.format(row='old')}; "
    + _sqlite_refresh("e.id = new.id")
    + " END",
    "CREATE TRIGGER IF NOT EXISTS event_search_ad AFTER DELETE ON event BEGIN"
    f" DELETE FROM event_search WHERE rowid = {_SQLITE_KEY.format(row='old')}; END",
    "CREATE TRIGGER IF NOT EXISTS event_search_link_ai AFTER INSERT ON event_article BEGIN "
    + _sqlite_refresh("e.id = new.event_id")
    + " END",
    "CREATE TRIGGER IF NOT EXISTS event_search_link_ad AFTER DELETE ON event_article BEGIN "
    + _sqlite_refresh("e.id = old.event_id")
    + " END",
    "CREATE TRIGGER IF NOT EXISTS event_search_article_au AFTER UPDATE OF title, body ON article"
    " BEGIN "
    + _sqlite_refresh("e.id IN (SELECT event_id FROM event_article WHERE article_id = new.id)")
    + " END",
]

_PG_VECTOR = "to_tsvector('simple'::regconfig, replace({text}, 'ё', 'е'))"
# The search rows of the events ``e`` (followed by a WHERE on them).
_PG_SEARCH_ROWS = (
    "INSERT INTO event_search (event_id, start_date, doc) SELECT e.id, e.start_date, "
    + _PG_VECTOR.format(text=_doc("e", postgres=True))
    + " FROM event e"
)
_PG_REFRESH = (
    "CREATE OR REPLACE FUNCTION event_search_refresh(ids integer[]) RETURNS void"
    " LANGUAGE sql AS $$ DELETE FROM event_search WHERE event_id = ANY(ids); "
    + _PG_SEARCH_ROWS
    + " WHERE e.id = ANY(ids); $$"
)
POSTGRES_DDL = [
    "ALTER TABLE article ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS ("
    + _PG_VECTOR.format(text="coalesce(title, '') || ' ' || coalesce(body, '')")
    + ") STORED",
    "CREATE INDEX IF NOT EXISTS article_search_gin ON article USING gin (search)",
    "CREATE TABLE IF NOT EXISTS event_search ("
    " event_id integer PRIMARY KEY REFERENCES event (id) ON DELETE CASCADE,"
    " start_date date NOT NULL, doc tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS event_search_start_date ON event_search (start_date, event_id)",
    "CREATE INDEX IF NOT EXISTS event_search_gin ON event_search USING gin (doc)",
    _PG_REFRESH,
    "CREATE OR REPLACE FUNCTION event_search_event() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM event_search_refresh(ARRAY[NEW.id]); RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER event_search_event AFTER INSERT OR UPDATE OF title, start_date"
    " ON event FOR EACH ROW EXECUTE FUNCTION event_search_event()",
    "CREATE OR REPLACE FUNCTION event_search_link() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM event_search_refresh(ARRAY[CASE WHEN TG_OP = 'DELETE' THEN OLD.event_id"
    " ELSE NEW.event_id END]); RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER event_search_link AFTER INSERT OR DELETE ON event_article"
    " FOR EACH ROW EXECUTE FUNCTION event_search_link()",
    "CREATE OR REPLACE FUNCTION event_search_article() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM event_search_refresh(ARRAY(SELECT event_id FROM event_article"
    " WHERE article_id = NEW.id)); RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER event_search_article AFTER UPDATE OF title, body ON article"
    " FOR EACH ROW EXECUTE FUNCTION event_search_article()",
]


def schema_statements() -> list[str]:
    """The store-specific DDL that keeps the search indexes."""
    return POSTGRES_DDL if is_postgres() else SQLITE_DDL


def install() -> None:
    """Create the search tables, triggers or columns (idempotent)."""
    for statement in schema_statements():
        database.execute_sql(statement)


def fill_event_search() -> None:
    """Write every event's search document (a migration's backfill, a bulk load's last step)."""
    database.execute_sql("DELETE FROM event_search")
    if is_postgres():
        database.execute_sql(_PG_SEARCH_ROWS)
        return
    with _bulk("event_search"):
        database.execute_sql(
            f"INSERT INTO event_search(rowid, doc) SELECT {_SQLITE_KEY.format(row='e')},"
            f" {_doc('e', postgres=False)} FROM event e ORDER BY e.start_date, e.id"
        )
    # One b-tree segment instead of the many a bulk insert leaves: checking one event's
    # document (a page led by another filter) then seeks one segment, not each of them
    # (17 µs instead of 195 µs at a million events).
    database.execute_sql("INSERT INTO event_search(event_search) VALUES('optimize')")


def rebuild_article_search() -> None:
    """Index every article's text again (SQLite; PostgreSQL's vectors are generated columns)."""
    if is_postgres():
        return
    with _bulk("article_fts"):
        database.execute_sql("INSERT INTO article_fts(article_fts) VALUES('rebuild')")


# FTS5 writes the terms it gathers in memory as a new segment each time they pass
# ``hashsize`` (1 MB by default), then merges those segments. A bulk fill given 64 MB writes
# and merges far fewer: the event search of a 100k load took 7.9-8.0 s instead of 9.2-10.1 s.
_DEFAULT_HASHSIZE = 1024 * 1024
_BULK_HASHSIZE = 64 * 1024 * 1024


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


def words(text: str) -> list[str]:
    """The searchable words of user input, normalised (lower case, ё read as е)."""
    return [w.lower().replace("ё", "е") for w in _WORD.findall(text or "")]


def _phrase(text: str) -> str:
    # Each term as an FTS5 string literal: never an operator, column filter or prefix.
    return " ".join(f'"{t}"' for t in words(text) or [""])


def _tsquery(text: str) -> pw.Node:
    return pw.fn.plainto_tsquery("simple", " ".join(words(text) or [""]))


def articles_matching(text: str) -> pw.Node:
    """A subquery of the ids of articles whose title or body holds every word of ``text``."""
    if is_postgres():
        return pw.SQL(
            "(SELECT id FROM article WHERE search @@ plainto_tsquery('simple', %s))",
            [" ".join(words(text) or [""])],
        )
    return pw.SQL("(SELECT rowid FROM article_fts WHERE article_fts MATCH ?)", [_phrase(text)])


class SqliteEventSearch(pw.Model):
    """SQLite's FTS5 index of event documents, rowid in (start date, id) order."""

    rowid = pw.IntegerField(primary_key=True)

    class Meta:
        database = database
        table_name = "event_search"


class PostgresEventSearch(pw.Model):
    """PostgreSQL's table of event documents, in (start date, event) order."""

    event_id = pw.IntegerField(primary_key=True)
    start_date = pw.DateField()

    class Meta:
        database = database
        table_name = "event_search"


def _sqlite_key(day: dt.date, event_id: int) -> int:
    """An event's SQLite search rowid (see ``_SQLITE_KEY``)."""
    return (day.toordinal() + _JULIAN_DAY_OF_ORDINAL_0) * _SPAN + event_id


def _sqlite_key_of(model) -> pw.Node:
    """``_SQLITE_KEY`` of ``model``'s row, as a peewee expression."""
    return pw.Cast(pw.fn.julianday(model.start_date), "INTEGER") * _SPAN + model.id


def _holds(text: str) -> pw.Node:
    """``text``'s condition on the event search table, whichever store."""
    if is_postgres():
        return pw.Expression(pw.Column(PostgresEventSearch, "doc"), "@@", _tsquery(text))
    return pw.Expression(pw.Column(SqliteEventSearch, "event_search"), "MATCH", _phrase(text))


def _table() -> type[pw.Model]:
    return PostgresEventSearch if is_postgres() else SqliteEventSearch


def _event_id():
    if is_postgres():
        return PostgresEventSearch.event_id
    return pw.Expression(SqliteEventSearch.rowid, "%", _SPAN)  # (peewee's % is LIKE)


# Below this many matching events a page sorts them; above, it walks the search documents
# in date order (a common word is met early, so the walk stops soon).
FEW_MATCHES = 2000
# PostgreSQL: a word its statistics expect in this share of the events is not counted.
COMMON_SHARE = 0.01


def _common_on_postgres(text: str) -> bool:
    """Whether PostgreSQL's statistics of words expect ``text`` in COMMON_SHARE of the events
    (finding every match of such a word in the GIN index costs more than a page)."""
    sql, params = PostgresEventSearch.select(pw.SQL("1")).where(_holds(text)).sql()
    (plan,) = database.execute_sql("EXPLAIN (FORMAT JSON) " + sql, params).fetchone()
    expected = plan[0]["Plan"]["Plan Rows"]
    (events,) = database.execute_sql(
        "SELECT reltuples FROM pg_class WHERE oid = 'event_search'::regclass"
    ).fetchone()
    return events > 0 and expected >= COMMON_SHARE * events


def few_events(text: str) -> list[int] | None:
    """The ids of the events holding ``text`` when fewer than FEW_MATCHES do, else None.

    Reading stops at the limit. The choice is made here, not left to a planner:
    PostgreSQL's estimates a word missing from its statistics at a fixed small
    share and would walk the date order for it, reading every document when the
    word is nowhere.
    """
    if is_postgres() and _common_on_postgres(text):
        return None
    sql, params = _table().select(_event_id()).where(_holds(text)).limit(FEW_MATCHES).sql()
    ids = [event_id for (event_id,) in database.execute_sql(sql, params).fetchall()]
    return ids if len(ids) < FEW_MATCHES else None


def event_condition(text: str) -> pw.Node:
    """The condition for ``q`` on Event rows (for a page led by another filter, and for
    the aggregates): the ids of a rare word's few events, or a check per event row."""
    from api.store.models import Event

    ids = few_events(text)
    if ids is not None:
        return Event.id.in_(ids)
    if is_postgres():
        row = PostgresEventSearch.event_id == Event.id
    else:
        row = SqliteEventSearch.rowid == _sqlite_key_of(Event)
    return pw.fn.EXISTS(_table().select(pw.SQL("1")).where(_holds(text) & row))


@dataclass(frozen=True)
class _KeyOrder(Order):
    """The date order as SQLite's search rowid: one integer per (start_date, id)."""

    def after(self, keys: list) -> pw.Expression:
        from api.store.models import Event

        day, event_id = Order(self.name, (Event.start_date, Event.id)).decode(keys)
        bound = _sqlite_key(day, event_id)
        rowid = self.fields[0]
        return rowid < bound if self.descending else rowid > bound


def walk(columns, text: str, sort: str, start_after: dt.date | None, start_by: dt.date | None):
    """The events holding ``text`` (``columns`` of them) read from the search table in date
    order, and that order: a page stops after its last row, however many events match.

    ``start_after``/``start_by`` bound the start dates the walk reads (a filter's
    date range). Cursors are those of the event list's date order: a page may
    follow one sorted the other way (``few_events``) when the count crossed the line.
    """
    from api.store.models import Event

    descending = sort.startswith("-")
    if is_postgres():
        model = PostgresEventSearch
        query = model.select(*columns).join(Event, on=(Event.id == model.event_id))
        if start_after is not None:
            query = query.where(model.start_date >= start_after)
        if start_by is not None:
            query = query.where(model.start_date <= start_by)
        order = Order(
            sort, (model.start_date, model.event_id), descending,
            attrs=("start_date", "id"), table="event",
        )  # fmt: skip
        return query.where(_holds(text)), order
    model = SqliteEventSearch
    # CROSS JOIN: SQLite keeps the full-text index as the outer loop, in its rowid order.
    query = model.select(*columns).join(Event, pw.JOIN.CROSS).where(Event.id == _event_id())
    if start_after is not None:
        query = query.where(model.rowid >= _sqlite_key(start_after, 0))
    if start_by is not None:
        query = query.where(model.rowid <= _sqlite_key(start_by, _SPAN - 1))
    order = _KeyOrder(sort, (model.rowid,), descending, attrs=("start_date", "id"), table="event")
    return query.where(_holds(text)), order

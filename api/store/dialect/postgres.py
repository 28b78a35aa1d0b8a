"""PostgreSQL: the production store (tsvector search, JSON functions, concurrent writers)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import peewee as pw

from api.store.db import database
from api.store.dialect.base import WRITERS_LOCK, Dialect, FullText
from api.store.order import Order

_VECTOR = "to_tsvector('simple'::regconfig, replace({text}, 'ё', 'е'))"
# A word its statistics expect in this share of the events is not counted (``is_common``).
COMMON_SHARE = 0.01
# SQLSTATEs of a store too busy to answer now: lock_timeout ran out, a transaction lost a
# serialization or deadlock check (a retry runs it again), every connection taken.
_BUSY = {"55P03", "40001", "40P01", "53300"}


class Postgres(Dialect):
    name = "postgresql"
    max_parameters = 65_535
    max_integer = 2**31 - 1  # peewee's integer columns, ids (serial) included, are 32-bit
    now_utc = "date_trunc('second', now() AT TIME ZONE 'UTC')"

    def __init__(self) -> None:
        self.search = PostgresFullText(self)

    def is_busy(self, error: BaseException) -> bool:
        # peewee wraps psycopg's error (``orig``), or passes it on as it is (those of a failed
        # transaction, which peewee does not map).
        driver_error = getattr(error, "orig", error)
        return super().is_busy(error) or getattr(driver_error, "sqlstate", None) in _BUSY

    def autoincrement(self, ddl: pw.Node) -> pw.Node:
        return ddl  # a sequence never gives a number twice

    def initial_schema(self) -> None:
        # Name keys are compared byte-wise so prefix ranges work under any locale.
        for table in ("entity_name", "place_name"):
            database.execute_sql(
                f'ALTER TABLE {table} ALTER COLUMN key TYPE varchar(300) COLLATE "C"'
            )

    def drop_legacy_event_search(self) -> None:
        database.execute_sql("ALTER TABLE event DROP COLUMN IF EXISTS search")  # and its index

    # --- JSON ---

    def json_object(self, pairs: str) -> str:
        return f"json_build_object({pairs})"

    def json_list(
        self, item: str, table: str, alias: str, joins: str, where: str, order: str
    ) -> str:
        return (
            f"coalesce((SELECT json_agg({item} ORDER BY {order})"
            f" FROM {table} {alias} {joins} WHERE {where}), '[]')"
        )

    def json_text(self, text: str) -> str:
        return f"{text}::json"

    def stamp(self, column: str) -> str:
        c = column
        return (
            f"to_char({c}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
            f" || CASE WHEN date_trunc('second', {c}) = {c} THEN '' ELSE to_char({c}, '.US') END"
            " || '+00:00'"
        )

    def documents_by_id(self, document: str, count: int) -> str:
        return f"SELECT e.id, {document}::text FROM event e WHERE e.id = ANY(%s)"

    def id_parameters(self, ids: Sequence[int]) -> list:
        return [list(ids)]

    def group_text(self, expression: str) -> str:
        return f"string_agg({expression}, ' ')"

    # --- Queries and locks ---

    def month_of(self, column: pw.Field) -> pw.Node:
        # A literal format, not a parameter: PostgreSQL must see the same expression in GROUP BY.
        return pw.fn.to_char(column, pw.SQL("'YYYY-MM'"))

    def for_update(self, query: pw.SelectQuery) -> pw.SelectQuery:
        return query.for_update()

    def lock_writers(self) -> bool:
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITERS_LOCK,))
        return True

    # --- The change log ---

    def change_log_triggers(self, resources: dict[str, tuple[str, str, str]]) -> list[str]:
        # Each logging transaction first takes the writers' lock, so changes are numbered in
        # the order their transactions commit.
        out = [
            "CREATE OR REPLACE FUNCTION change_log_lock() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM pg_advisory_xact_lock({WRITERS_LOCK}); RETURN NULL; END $$"
        ]
        for resource, (table, key, _) in resources.items():
            out.append(
                f"CREATE OR REPLACE FUNCTION change_log_{table}() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "INSERT INTO change_log (resource, key, action, at) "
                f"SELECT '{resource}', changed.{key}::text, CASE TG_OP WHEN 'INSERT' THEN "
                f"'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END, {self.now_utc} "
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

    # --- Whole-store operations ---

    def snapshot(self):
        return database.atomic(isolation_level="REPEATABLE READ")

    def sequence_marks(self, tables: dict[str, str]) -> dict[str, int]:
        marks = {}
        for table, column in tables.items():
            (sequence,) = database.execute_sql(
                "SELECT pg_get_serial_sequence(%s, %s)", (table, column)
            ).fetchone()
            if sequence:
                (marks[table],) = database.execute_sql(
                    "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
                    f"FROM {sequence}"
                ).fetchone()
        return marks

    def advance_sequence(self, table: str, column: str, top: int) -> None:
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), %s, %s)",
            (max(top, 1), top > 0),
        )

    def analyze(self, *, vacuum: bool = False) -> None:
        # VACUUM marks loaded pages all-visible, as autovacuum would in time, so index-only
        # scans need not visit the table (a page of events: ~20 % less time).
        database.execute_sql("VACUUM ANALYZE" if vacuum else "ANALYZE")

    def insert_rows(self, model: type[pw.Model], columns: list[pw.Field], rows: list, batch: int):
        # One COPY ... FROM STDIN through psycopg: rows streamed, no SQL text built per row.
        names = ", ".join(f'"{c.column_name}"' for c in columns)
        cursor = database.cursor()
        with cursor.copy(f'COPY "{model._meta.table_name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)

    @contextmanager
    def bulk_load(self, loaded, indexed, derive, echo) -> Iterator[None]:
        """The secondary indexes of ``indexed`` (GIN full-text ones included) are dropped and
        built once at the end. Where the role may (a superuser), ``session_replication_role
        = replica`` turns off this session's triggers and foreign-key checks; ``derive`` then
        writes what they would have. The rows are made consistent by construction."""
        replica = True
        try:
            database.execute_sql("SET session_replication_role = replica")
        except pw.DatabaseError:
            replica = False
            echo("(not a superuser: triggers and foreign-key checks stay on during the load)")
        with database.atomic():
            indexes = database.execute_sql(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i"
                " WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
                " ORDER BY i.indexname",
                ([*indexed, "event_search"],),
            ).fetchall()
            for name, _ in indexes:
                database.execute_sql(f'DROP INDEX "{name}"')
        try:
            yield
        finally:
            database.execute_sql("SET maintenance_work_mem = '512MB'")
            with database.atomic():
                if replica:  # its triggers were off
                    echo("writing the event search documents and the change log ...")
                    derive()  # before the indexes: a GIN index is built faster than kept
                echo(f"building {len(indexes)} indexes ...")
                for _, sql in indexes:
                    database.execute_sql(sql)
            if replica:
                database.execute_sql("SET session_replication_role = DEFAULT")
            database.execute_sql("RESET maintenance_work_mem")


# --- Full-text search -------------------------------------------------------------------


class PostgresEventSearch(pw.Model):
    """The table of event documents, in (start date, event) order."""

    event_id = pw.IntegerField(primary_key=True)
    start_date = pw.DateField()

    class Meta:
        database = database
        table_name = "event_search"


def _tsquery(words: list[str]) -> pw.Node:
    return pw.fn.plainto_tsquery("simple", " ".join(words or [""]))


class PostgresFullText(FullText):
    """A generated ``tsvector`` on articles and a table ``event_search`` (event, start date,
    document vector), both with GIN indexes."""

    def __init__(self, dialect: Postgres) -> None:
        self.dialect = dialect

    def _rows(self) -> str:
        # The search rows of the events ``e`` (followed by a WHERE on them).
        return (
            "INSERT INTO event_search (event_id, start_date, doc) SELECT e.id, e.start_date, "
            + _VECTOR.format(text=self.dialect.event_document("e"))
            + " FROM event e"
        )

    def ddl(self) -> list[str]:
        return [
            "ALTER TABLE article ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS ("
            + _VECTOR.format(text="coalesce(title, '') || ' ' || coalesce(body, '')")
            + ") STORED",
            "CREATE INDEX IF NOT EXISTS article_search_gin ON article USING gin (search)",
            "CREATE TABLE IF NOT EXISTS event_search ("
            " event_id integer PRIMARY KEY REFERENCES event (id) ON DELETE CASCADE,"
            " start_date date NOT NULL, doc tsvector NOT NULL)",
            "CREATE INDEX IF NOT EXISTS event_search_start_date"
            " ON event_search (start_date, event_id)",
            "CREATE INDEX IF NOT EXISTS event_search_gin ON event_search USING gin (doc)",
            "CREATE OR REPLACE FUNCTION event_search_refresh(ids integer[]) RETURNS void"
            " LANGUAGE sql AS $$ DELETE FROM event_search WHERE event_id = ANY(ids); "
            + self._rows()
            + " WHERE e.id = ANY(ids); $$",
            "CREATE OR REPLACE FUNCTION event_search_event() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN PERFORM event_search_refresh(ARRAY[NEW.id]); RETURN NULL; END $$",
            "CREATE OR REPLACE TRIGGER event_search_event AFTER INSERT OR UPDATE OF title,"
            " start_date ON event FOR EACH ROW EXECUTE FUNCTION event_search_event()",
            "CREATE OR REPLACE FUNCTION event_search_link() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN PERFORM event_search_refresh(ARRAY[CASE WHEN TG_OP = 'DELETE' THEN"
            " OLD.event_id ELSE NEW.event_id END]); RETURN NULL; END $$",
            "CREATE OR REPLACE TRIGGER event_search_link AFTER INSERT OR DELETE ON event_article"
            " FOR EACH ROW EXECUTE FUNCTION event_search_link()",
            "CREATE OR REPLACE FUNCTION event_search_article() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN PERFORM event_search_refresh(ARRAY(SELECT event_id FROM event_article"
            " WHERE article_id = NEW.id)); RETURN NULL; END $$",
            "CREATE OR REPLACE TRIGGER event_search_article AFTER UPDATE OF title, body ON article"
            " FOR EACH ROW EXECUTE FUNCTION event_search_article()",
        ]

    def fill_event_search(self) -> None:
        database.execute_sql(self._rows())

    def articles_matching(self, words: list[str]) -> pw.Node:
        return pw.SQL(
            "(SELECT id FROM article WHERE search @@ plainto_tsquery('simple', %s))",
            [" ".join(words or [""])],
        )

    def _matches(self, words: list[str]) -> pw.Node:
        return pw.Expression(pw.Column(PostgresEventSearch, "doc"), "@@", _tsquery(words))

    def is_common(self, words: list[str]) -> bool:
        """By PostgreSQL's statistics of words: finding every match of a word in COMMON_SHARE
        of the events in the GIN index costs more than a page. (A word missing from the
        statistics is estimated at a fixed small share.)"""
        sql, params = PostgresEventSearch.select(pw.SQL("1")).where(self._matches(words)).sql()
        (plan,) = database.execute_sql("EXPLAIN (FORMAT JSON) " + sql, params).fetchone()
        expected = plan[0]["Plan"]["Plan Rows"]
        (events,) = database.execute_sql(
            "SELECT reltuples FROM pg_class WHERE oid = 'event_search'::regclass"
        ).fetchone()
        return events > 0 and expected >= COMMON_SHARE * events

    def matching_ids(self, words: list[str], limit: int) -> list[int]:
        query = PostgresEventSearch.select(PostgresEventSearch.event_id)
        sql, params = query.where(self._matches(words)).limit(limit).sql()
        return [event_id for (event_id,) in database.execute_sql(sql, params).fetchall()]

    def holds(self, words: list[str], event: type[pw.Model]) -> pw.Node:
        row = PostgresEventSearch.event_id == event.id
        return pw.fn.EXISTS(
            PostgresEventSearch.select(pw.SQL("1")).where(self._matches(words) & row)
        )

    def walk(self, columns, words, sort, start_after, start_by, event):
        model = PostgresEventSearch
        query = model.select(*columns).join(event, on=(event.id == model.event_id))
        if start_after is not None:
            query = query.where(model.start_date >= start_after)
        if start_by is not None:
            query = query.where(model.start_date <= start_by)
        order = Order(
            sort, (model.start_date, model.event_id), sort.startswith("-"),
            attrs=("start_date", "id"), table="event",
        )  # fmt: skip
        return query.where(self._matches(words)), order

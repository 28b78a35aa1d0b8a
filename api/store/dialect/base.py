"""What every store's dialect answers: the interface the rest of the store is written to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager

import peewee as pw
from playhouse.pool import MaxConnectionsExceeded

# One lock orders every writer that logs changes or creates names ("annals" in ASCII): the
# change log numbers commits with it, name creation serialises on it (api.store.resolve).
# A second lock could be taken in the opposite order by another writer, and deadlock.
WRITERS_LOCK = 0x616E6E616C73


class Dialect:
    """The SQL and the procedures one store needs where the two stores differ."""

    name: str  # as /health and an export's header name the store
    # Bound parameters one statement may carry.
    max_parameters: int
    # The largest value an integer column (an id, a reference, an offset) holds.
    max_integer: int

    # --- Schema -------------------------------------------------------------------------

    def autoincrement(self, ddl: pw.Node) -> pw.Node:
        """The DDL of a primary key that never gives a deleted row's id again."""
        raise NotImplementedError

    def initial_schema(self) -> None:
        """What the first migration does beyond creating the tables."""

    def drop_legacy_event_search(self) -> None:
        """Drop the per-event full-text index that the event search documents replaced."""
        raise NotImplementedError

    # --- Building JSON in SQL (api.store.events.read) ---------------------------------------

    def json_object(self, pairs: str) -> str:
        """An object of ``'name', value, ...`` pairs."""
        raise NotImplementedError

    def json_list(
        self, item: str, table: str, alias: str, joins: str, where: str, order: str
    ) -> str:
        """The objects ``item`` of the rows of ``table`` where ``where``, in ``order``: a list,
        empty when there are none."""
        raise NotImplementedError

    def json_text(self, text: str) -> str:
        """JSON kept as text (a column of names), as a JSON value."""
        raise NotImplementedError

    def stamp(self, column: str) -> str:
        """A stored naive-UTC timestamp as ISO 8601 with its offset, as Python's ``isoformat``."""
        raise NotImplementedError

    def documents_by_id(self, document: str, count: int) -> str:
        """A statement reading ``(id, document as text)`` of ``count`` events ``e`` by id."""
        raise NotImplementedError

    def id_parameters(self, ids: Sequence[int]) -> list:
        """``ids`` as the parameters of ``documents_by_id``."""
        raise NotImplementedError

    def group_text(self, expression: str) -> str:
        """The rows' ``expression`` joined by spaces (an aggregate)."""
        raise NotImplementedError

    def event_document(self, row: str) -> str:
        """The search document of the event ``row``: its title, then the title and body of
        each article reporting it."""
        joined = self.group_text("a.title || ' ' || a.body")
        return (
            f"coalesce({row}.title, '') || ' ' || coalesce((SELECT {joined}"
            f" FROM event_article ea JOIN article a ON a.id = ea.article_id"
            f" WHERE ea.event_id = {row}.id), '')"
        )

    # --- Queries ----------------------------------------------------------------------------

    def month_of(self, column: pw.Field) -> pw.Node:
        """``YYYY-MM`` of a date column (one expression, the same in SELECT and GROUP BY)."""
        raise NotImplementedError

    def for_update(self, query: pw.SelectQuery) -> pw.SelectQuery:
        """``query`` locking the rows it reads until the transaction ends, where the store
        lets two write transactions run at once."""
        return query

    def lock_writers(self) -> bool:
        """Wait for, and hold to the end of this transaction, the lock of writers that create
        names; True if a lock was taken (a store with one writer at a time needs none)."""
        return False

    def is_busy(self, error: BaseException) -> bool:
        """Whether ``error`` says the store is too busy to answer now: a lock not had within
        the wait, or no connection free. Worth retrying later; no fault of the request's."""
        return isinstance(error, MaxConnectionsExceeded)

    # --- The change log (api.store.changelog) -----------------------------------------------

    now_utc: str  # SQL: the current time, naive UTC, whole seconds

    def change_log_triggers(self, resources: dict[str, tuple[str, str, str]]) -> list[str]:
        """The statements creating the triggers that log each change of ``resources``."""
        raise NotImplementedError

    # --- Full-text search (api.store.search) ------------------------------------------------

    search: FullText

    # --- Whole-store operations (export, import, bulk loads) --------------------------------

    def snapshot(self) -> AbstractContextManager:
        """A transaction that reads one consistent state and blocks no writer."""
        raise NotImplementedError

    def sequence_marks(self, tables: dict[str, str]) -> dict[str, int]:
        """The highest id the sequence of each ``table: id column`` has given."""
        raise NotImplementedError

    def advance_sequence(self, table: str, column: str, top: int) -> None:
        """Make the next id of ``table`` follow ``top``."""
        raise NotImplementedError

    def highest_id(self, table: str) -> int:
        """The largest id a row of ``table`` may have."""
        return self.max_integer

    def analyze(self, *, vacuum: bool = False) -> None:
        """Gather the planner's statistics (after a load); ``vacuum``: also mark the loaded
        pages visible, where the store has such a thing."""
        raise NotImplementedError

    def insert_rows(self, model: type[pw.Model], columns: list[pw.Field], rows: list, batch: int):
        """Insert ``rows`` (tuples of database values in ``columns`` order) as fast as the store
        takes them."""
        raise NotImplementedError

    def bulk_load(
        self,
        loaded: tuple[str, ...],
        indexed: tuple[str, ...],
        derive: Callable[[], None],
        echo: Callable[[str], None],
    ) -> AbstractContextManager[None]:
        """A load of an empty database: the triggers of ``loaded`` and the secondary indexes of
        ``indexed`` off meanwhile, built once at the end; ``derive`` then writes what the
        triggers would have (search documents, change log)."""
        raise NotImplementedError


class FullText:
    """A store's full-text search: the event search documents and the article index."""

    def ddl(self) -> list[str]:
        """The tables, triggers or columns that keep the search indexes (idempotent)."""
        raise NotImplementedError

    def fill_event_search(self) -> None:
        """Write every event's search document (the table is empty)."""
        raise NotImplementedError

    def rebuild_article_search(self) -> None:
        """Index every article's text again, where the index is not kept by the store itself."""

    def articles_matching(self, words: list[str]) -> pw.Node:
        """A subquery of the ids of articles whose title or body holds every one of ``words``."""
        raise NotImplementedError

    def is_common(self, words: list[str]) -> bool:
        """Whether the store expects so many events to hold ``words`` that finding them all
        costs more than walking the date order for a page."""
        return False

    def matching_ids(self, words: list[str], limit: int) -> list[int]:
        """Up to ``limit`` ids of events holding ``words``."""
        raise NotImplementedError

    def holds(self, words: list[str], event: type[pw.Model]) -> pw.Node:
        """The condition that the ``event`` row holds ``words``."""
        raise NotImplementedError

    def walk(
        self,
        columns: Sequence,
        words: list[str],
        sort: str,
        start_after: dt.date | None,
        start_by: dt.date | None,
        event: type[pw.Model],
    ) -> tuple[pw.SelectQuery, object]:
        """The events holding ``words`` read in date order from the search table, with the
        order (an ``api.store.order.Order``) that pages them."""
        raise NotImplementedError


def batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]

"""Full-text search: one function for both stores.

Articles are searched in their own index (``GET /v1/articles?q=``). Events are
searched in a document of their own, their title and the titles and bodies of
the articles reporting them, kept in date order next to the date index the
event list pages on, so a common word is a walk down that order that stops
after a page, and a rare one a sort of its few matches (``few_events``).

How each store keeps them is its dialect's (``api.store.dialect``): SQLite
keeps FTS5 tables, ``event_search``'s rowid encoding (start date, event id) so
that FTS5's own rowid order is the event list's date order; PostgreSQL keeps a
generated ``tsvector`` on articles and a table ``event_search`` (event, start
date, document vector), both with GIN indexes. Triggers keep every copy in the
transaction of each write, whatever the write path. User input is cut into
words here and each word is searched as a plain word, so quotes, ``*``,
``NEAR`` or ``AND`` never reach either query language as syntax.
"""

from __future__ import annotations

import datetime as dt
import re

import peewee as pw

from api.store.db import database
from api.store.dialect import dialect
from api.store.models import Event

_WORD = re.compile(r"\w+", re.UNICODE)

# Below this many matching events a page sorts them; above, it walks the search documents
# in date order (a common word is met early, so the walk stops soon).
FEW_MATCHES = 2000


def install() -> None:
    """Create the search tables, triggers or columns (idempotent)."""
    for statement in dialect().search.ddl():
        database.execute_sql(statement)


def fill_event_search() -> None:
    """Write every event's search document (a migration's backfill, a bulk load's last step)."""
    database.execute_sql("DELETE FROM event_search")
    dialect().search.fill_event_search()


def rebuild_article_search() -> None:
    """Index every article's text again (where the store does not keep it by itself)."""
    dialect().search.rebuild_article_search()


def words(text: str) -> list[str]:
    """The searchable words of user input, normalised (lower case, ё read as е)."""
    return [w.lower().replace("ё", "е") for w in _WORD.findall(text or "")]


def articles_matching(text: str) -> pw.Node:
    """A subquery of the ids of articles whose title or body holds every word of ``text``."""
    return dialect().search.articles_matching(words(text))


def few_events(text: str) -> list[int] | None:
    """The ids of the events holding ``text`` when fewer than FEW_MATCHES do, else None.

    Reading stops at the limit. The choice is made here, not left to a planner:
    PostgreSQL's estimates a word missing from its statistics at a fixed small
    share and would walk the date order for it, reading every document when the
    word is nowhere.
    """
    search, terms = dialect().search, words(text)
    if search.is_common(terms):
        return None
    ids = search.matching_ids(terms, FEW_MATCHES)
    return ids if len(ids) < FEW_MATCHES else None


def event_condition(text: str) -> pw.Node:
    """The condition for ``q`` on Event rows (for a page led by another filter, and for
    the aggregates): the ids of a rare word's few events, or a check per event row."""
    ids = few_events(text)
    if ids is not None:
        return Event.id.in_(ids)
    return dialect().search.holds(words(text), Event)


def walk(columns, text: str, sort: str, start_after: dt.date | None, start_by: dt.date | None):
    """The events holding ``text`` (``columns`` of them) read from the search table in date
    order, and that order: a page stops after its last row, however many events match.

    ``start_after``/``start_by`` bound the start dates the walk reads (a filter's
    date range). Cursors are those of the event list's date order: a page may
    follow one sorted the other way (``few_events``) when the count crossed the line.
    """
    return dialect().search.walk(columns, words(text), sort, start_after, start_by, Event)

"""Full-text search: one function for both stores.

SQLite keeps FTS5 external-content tables in sync with triggers; PostgreSQL
keeps a generated ``tsvector`` column with a GIN index. User input is cut into
words here and each word is searched as a plain word, so quotes, ``*``,
``NEAR`` or ``AND`` never reach either query language as syntax.
"""

from __future__ import annotations

import re

import peewee as pw

from api.db import database, is_postgres

_WORD = re.compile(r"\w+", re.UNICODE)

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
    """CREATE VIRTUAL TABLE IF NOT EXISTS event_fts USING fts5(
        title, content='event', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS event_fts_ai AFTER INSERT ON event BEGIN
        INSERT INTO event_fts(rowid, title) VALUES (new.id, new.title);
    END""",
    """CREATE TRIGGER IF NOT EXISTS event_fts_ad AFTER DELETE ON event BEGIN
        INSERT INTO event_fts(event_fts, rowid, title) VALUES ('delete', old.id, old.title);
    END""",
    """CREATE TRIGGER IF NOT EXISTS event_fts_au AFTER UPDATE OF title ON event BEGIN
        INSERT INTO event_fts(event_fts, rowid, title) VALUES ('delete', old.id, old.title);
        INSERT INTO event_fts(rowid, title) VALUES (new.id, new.title);
    END""",
]

_PG_VECTOR = "to_tsvector('simple'::regconfig, replace({cols}, 'ё', 'е'))"
POSTGRES_DDL = [
    "ALTER TABLE article ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS ("
    + _PG_VECTOR.format(cols="coalesce(title, '') || ' ' || coalesce(body, '')")
    + ") STORED",
    "CREATE INDEX IF NOT EXISTS article_search_gin ON article USING gin (search)",
    "ALTER TABLE event ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS ("
    + _PG_VECTOR.format(cols="coalesce(title, '')")
    + ") STORED",
    "CREATE INDEX IF NOT EXISTS event_search_gin ON event USING gin (search)",
]


def schema_statements() -> list[str]:
    """The store-specific DDL that keeps the search index."""
    return POSTGRES_DDL if is_postgres() else SQLITE_DDL


def words(text: str) -> list[str]:
    """The searchable words of user input, normalised (lower case, ё read as е)."""
    return [w.lower().replace("ё", "е") for w in _WORD.findall(text or "")]


def _match(table: str, terms: list[str]) -> tuple[str, list[str]]:
    """SQL selecting the ids of rows of ``table`` holding every term."""
    if is_postgres():
        return (
            f"SELECT id FROM {table} WHERE search @@ plainto_tsquery('simple', %s)",
            [" ".join(terms)],
        )
    # Each term as an FTS5 string literal: never an operator, column filter or prefix.
    return (
        f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?",
        [" ".join(f'"{t}"' for t in terms)],
    )


def articles_matching(text: str) -> pw.Node:
    """A subquery of the ids of articles whose title or body holds every word of ``text``."""
    sql, params = _match("article", words(text) or [""])
    return pw.SQL(f"({sql})", params)


def events_matching(text: str) -> pw.Node:
    """A subquery of the ids of events whose title, or an article reporting them, holds every
    word of ``text``."""
    terms = words(text) or [""]
    event_sql, event_params = _match("event", terms)
    article_sql, article_params = _match("article", terms)
    return pw.SQL(
        f"({event_sql} UNION SELECT event_id FROM event_article"
        f" WHERE article_id IN ({article_sql}))",
        event_params + article_params,
    )


# Below this many matches a page sorts them; above, it walks the date index and checks each
# event (a common word is met early, so the walk stops soon).
FEW_MATCHES = 2000


class _EventText(pw.Model):
    """SQLite's FTS5 index of event titles, for per-row checks (created by ``install``)."""

    rowid = pw.IntegerField(primary_key=True)

    class Meta:
        database = database
        table_name = "event_fts"


class _ArticleText(pw.Model):
    """SQLite's FTS5 index of article titles and bodies (created by ``install``)."""

    rowid = pw.IntegerField(primary_key=True)

    class Meta:
        database = database
        table_name = "article_fts"


def _matches_few(text: str) -> bool:
    """Whether ``text`` is found fewer than FEW_MATCHES times (event titles plus the events
    of matching articles). Counting stops at the limit: both full-text indexes are read as
    streams (the article side joined row by row, never collected first), so a common
    word costs FEW_MATCHES index entries, not all of its matches."""
    terms = words(text) or [""]
    if is_postgres():
        query = "plainto_tsquery('simple', %s)"
        params = [" ".join(terms)] * 2
        in_titles = f"SELECT id FROM event WHERE search @@ {query}"
        in_articles = (
            "SELECT ea.event_id FROM article a JOIN event_article ea ON ea.article_id = a.id"
            f" WHERE a.search @@ {query}"
        )
    else:
        params = [" ".join(f'"{t}"' for t in terms)] * 2
        in_titles = "SELECT rowid FROM event_fts WHERE event_fts MATCH ?"
        # CROSS JOIN: SQLite keeps the full-text index as the outer loop, so LIMIT stops it.
        in_articles = (
            "SELECT ea.event_id FROM article_fts CROSS JOIN event_article ea"
            " ON ea.article_id = article_fts.rowid WHERE article_fts MATCH ?"
        )
    sql = f"SELECT count(*) FROM ({in_titles} UNION ALL {in_articles} LIMIT {FEW_MATCHES}) AS found"
    (count,) = database.execute_sql(sql, params).fetchone()
    return count < FEW_MATCHES


def _holds(text: str) -> pw.Node:
    """Per event row: its title, or an article reporting it, holds every word of ``text``."""
    from api.models import Article, Event, EventArticle

    terms = words(text) or [""]
    if is_postgres():
        query = pw.fn.plainto_tsquery("simple", " ".join(terms))

        def matches(model):
            return pw.Expression(pw.Column(model, "search"), "@@", query)

        # A correlated aggregate, not EXISTS: PostgreSQL may run an EXISTS under OR as a
        # hashed subplan that first collects every match; this is checked row by row, so
        # a walk down the date index stops after a page.
        in_articles = (
            EventArticle.select(pw.fn.bool_or(matches(Article)))
            .join(Article, on=(Article.id == EventArticle.article))
            .where(EventArticle.event == Event.id)
        )
        return matches(Event) | in_articles
    phrase = " ".join(f'"{t}"' for t in terms)

    def matches(model):
        return pw.Expression(pw.Column(model, model._meta.table_name), "MATCH", phrase)

    in_title = _EventText.select(pw.SQL("1")).where(
        matches(_EventText) & (_EventText.rowid == Event.id)
    )
    in_articles = (
        EventArticle.select(pw.SQL("1"))
        .join(_ArticleText, on=(_ArticleText.rowid == EventArticle.article))
        .where((EventArticle.event == Event.id) & matches(_ArticleText))
    )
    return pw.fn.EXISTS(in_title) | pw.fn.EXISTS(in_articles)


def event_condition(text: str) -> pw.Node:
    """The event-list condition for ``q``: the cheaper of two plans, by how many match."""
    from api.models import Event

    if _matches_few(text):
        return Event.id.in_(events_matching(text))
    return _holds(text)


def install() -> None:
    """Create the search tables, triggers or columns (idempotent)."""
    for statement in schema_statements():
        database.execute_sql(statement)

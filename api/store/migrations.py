"""Versioned schema migrations (peewee's ``playhouse.migrate`` for later steps).

Each step runs once, in its own transaction, and is recorded in
``schema_version``; ``upgrade()`` brings any database, empty or older, to the
newest version.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from api.store import search
from api.store.db import database
from api.store.dialect import dialect
from api.store.models import TABLES, BaseModel, utcnow


class SchemaVersion(BaseModel):
    version = pw.IntegerField(primary_key=True)
    name = pw.CharField(max_length=200)
    applied_at = pw.DateTimeField(default=utcnow)


def _initial() -> None:
    database.create_tables(TABLES, safe=True)
    search.install()
    dialect().initial_schema()


def _api_keys() -> None:
    from api.store.models import ApiKey

    database.create_tables([ApiKey], safe=True)


def _event_revisions() -> None:
    from api.store.models import EventRevision

    database.create_tables([EventRevision], safe=True)


def _change_log() -> None:
    from api.store import changelog as changes

    changes.install()


def _updated_at_indexes() -> None:
    # `updated_since` on the lists, and mirrors catching up, read these in order.
    for table in ("event", "article", "entity", "place"):
        database.execute_sql(
            f"CREATE INDEX IF NOT EXISTS {table}_updated_at ON {table} (updated_at, id)"
        )


def _postings() -> None:
    """Date-ordered copies for the event filters (api.store.postings): columns, table, indexes."""
    from playhouse.migrate import SchemaMigrator, migrate

    from api.store import postings
    from api.store.models import Event, EventCountry, EventTopic, Participant

    migrator = SchemaMigrator.from_database(database.obj)
    steps = []
    for model, field in (
        (Participant, Participant.start_date),
        (EventTopic, EventTopic.start_date),
        (Event, Event.venue_country),
    ):
        table = model._meta.table_name
        if field.column_name not in {c.name for c in database.get_columns(table)}:
            steps.append(migrator.add_column(table, field.column_name, field))
    migrate(*steps)
    database.create_tables([EventCountry], safe=True)
    for old in ("participant_entity_id_event_id", "event_topic_topic_id_event_id"):
        database.execute_sql(f"DROP INDEX IF EXISTS {old}")
    for model in (Participant, EventTopic, Event):
        model._schema.create_indexes(safe=True)
    postings.refresh_all()


def _event_search() -> None:
    """One search document per event, in date order (api.store.search), instead of searching
    event titles and articles apart."""
    dialect().drop_legacy_event_search()
    search.install()
    search.fill_event_search()


# The index of a foreign key (peewee makes one for each) where a wider index leads with the
# same column: lookups, foreign-key checks and cascades use the wider one, so these only cost
# writes, loads and disk. (index, table, column); the wider index in the comment.
REDUNDANT_INDEXES = (
    ("event_venue_id", "event", "venue_id"),  # (venue_id, start_date, id)
    ("event_parent_id", "event", "parent_id"),  # (parent_id, start_date, id)
    ("participant_event_id", "participant", "event_id"),  # (event_id, entity_id), unique
    ("participant_entity_id", "participant", "entity_id"),  # (entity_id, start_date, event_id)
    ("event_topic_event_id", "event_topic", "event_id"),  # the key (event_id, topic_id)
    ("event_topic_topic_id", "event_topic", "topic_id"),  # (topic_id, start_date, event_id)
    ("event_country_event_id", "event_country", "event_id"),  # the key (event_id, country)
    ("event_article_event_id", "event_article", "event_id"),  # the key (event_id, article_id)
    ("event_article_article_id", "event_article", "article_id"),  # (article_id, event_id)
)


def _redundant_indexes() -> None:
    for index, _, _ in REDUNDANT_INDEXES:
        database.execute_sql(f"DROP INDEX IF EXISTS {index}")


def _jobs() -> None:
    from api.store.models import Job

    database.create_tables([Job], safe=True)


MIGRATIONS: list[tuple[int, str, Callable[[], None]]] = [
    (1, "initial schema", _initial),
    (2, "api keys", _api_keys),
    (3, "event revisions", _event_revisions),
    (4, "change log and its triggers", _change_log),
    (5, "indexes for updated_since", _updated_at_indexes),
    (6, "date-ordered copies for the event filters", _postings),
    (7, "a search document per event", _event_search),
    (8, "no indexes that wider ones cover", _redundant_indexes),
    (9, "annotation jobs", _jobs),
]

LATEST = MIGRATIONS[-1][0]


def current_version() -> int:
    if not SchemaVersion.table_exists():
        return 0
    return SchemaVersion.select(pw.fn.MAX(SchemaVersion.version)).scalar() or 0


def applied_versions() -> set[int]:
    if not SchemaVersion.table_exists():
        return set()
    return {v for (v,) in SchemaVersion.select(SchemaVersion.version).tuples()}


def upgrade() -> list[int]:
    """Apply every migration the database has not had, in order; returns those applied.

    Checked against the set of applied versions, not the highest one, so a step
    added below the newest (work merged from two branches) still runs.
    """
    database.create_tables([SchemaVersion], safe=True)
    done = applied_versions()
    applied = []
    for version, name, step in MIGRATIONS:
        if version in done:
            continue
        with database.atomic():
            step()
            SchemaVersion.create(version=version, name=name)
        applied.append(version)
    return applied

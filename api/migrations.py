"""Versioned schema migrations (peewee's ``playhouse.migrate`` for later steps).

Each step runs once, in its own transaction, and is recorded in
``schema_version``; ``upgrade()`` brings any database, empty or older, to the
newest version.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from api import search
from api.db import database, is_postgres
from api.models import TABLES, BaseModel, utcnow


class SchemaVersion(BaseModel):
    version = pw.IntegerField(primary_key=True)
    name = pw.CharField(max_length=200)
    applied_at = pw.DateTimeField(default=utcnow)


def _initial() -> None:
    database.create_tables(TABLES, safe=True)
    search.install()
    if is_postgres():
        # Name keys are compared byte-wise so prefix ranges work under any locale.
        for table in ("entity_name", "place_name"):
            database.execute_sql(
                f'ALTER TABLE {table} ALTER COLUMN key TYPE varchar(300) COLLATE "C"'
            )


MIGRATIONS: list[tuple[int, str, Callable[[], None]]] = [
    (1, "initial schema", _initial),
]

LATEST = MIGRATIONS[-1][0]


def current_version() -> int:
    if not SchemaVersion.table_exists():
        return 0
    return SchemaVersion.select(pw.fn.MAX(SchemaVersion.version)).scalar() or 0


def upgrade() -> list[int]:
    """Apply every migration newer than the database; returns the versions applied."""
    database.create_tables([SchemaVersion], safe=True)
    applied = []
    for version, name, step in MIGRATIONS:
        if version <= current_version():
            continue
        with database.atomic():
            step()
            SchemaVersion.create(version=version, name=name)
        applied.append(version)
    return applied

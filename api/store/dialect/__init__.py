"""Every difference between SQLite and PostgreSQL, behind one object per store.

The store is chosen once, by ``DATABASE_URL`` when the database is bound
(``api.store.db.bind``); ``dialect()`` then answers the object that speaks to
it. Whatever one store does differently from the other (full-text search,
building JSON in SQL, the change log's triggers, locks, sequences, bulk loads,
statistics) is a method of that object, so no code outside this package asks
which store it is talking to.

``base`` says what every dialect answers, ``sqlite`` and ``postgres`` answer it.
"""

from __future__ import annotations

import peewee as pw

from api.store.db import database
from api.store.dialect.base import Dialect
from api.store.dialect.postgres import Postgres
from api.store.dialect.sqlite import Sqlite

SQLITE = Sqlite()
POSTGRES = Postgres()

__all__ = ["POSTGRES", "SQLITE", "Dialect", "dialect", "dialect_of"]


def dialect_of(db: pw.Database) -> Dialect:
    """The dialect of the peewee database ``db``."""
    return POSTGRES if isinstance(db, pw.PostgresqlDatabase) else SQLITE


def dialect() -> Dialect:
    """The dialect of the bound store."""
    return dialect_of(database.obj)

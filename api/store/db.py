"""The database handle: one ``DatabaseProxy``, bound from ``DATABASE_URL`` by the app factory."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import peewee as pw
from playhouse.db_url import parse as parse_url
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = pw.DatabaseProxy()


def open_database(
    url: str, *, pool_size: int = 8, busy_timeout_ms: int = 10_000, lock_timeout_ms: int = 10_000
) -> pw.Database:
    """Build a peewee database for ``url`` (``sqlite:///path`` or ``postgresql://...``).

    A writer waits for the store's locks up to ``busy_timeout_ms`` (SQLite) or
    ``lock_timeout_ms`` (PostgreSQL), then fails as busy (``Dialect.is_busy``)."""
    scheme = urlparse(url).scheme
    params = parse_url(url)
    if scheme in ("sqlite", ""):
        path = params["database"]
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        settings = {
            # Every transaction takes the write lock at BEGIN: writers queue on the busy
            # timeout instead of failing ("database is locked") when a read snapshot
            # cannot be upgraded, and each reads what the one before it committed.
            "lock_type": "IMMEDIATE",
            "pragmas": {
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": busy_timeout_ms,
                "synchronous": "normal",
                # Per connection: a worker's threads each keep one (the pool below).
                "cache_size": -8_000,
            },
        }
        if path == ":memory:":  # every connection would be a database of its own
            return pw.SqliteDatabase(path, timeout=busy_timeout_ms / 1000, **settings)
        # Connections are kept and handed from request to request (never used by two
        # threads at once): a request neither opens a file nor re-reads the schema and
        # its PRAGMAs, and finds the pages the last one read still in its cache.
        return PooledSqliteDatabase(
            path,
            max_connections=pool_size,
            # How long a thread waits for a free connection (the wait for the write lock
            # is the busy_timeout PRAGMA).
            timeout=busy_timeout_ms / 1000,
            # A pooled connection moves between threads, one at a time.
            check_same_thread=False,
            **settings,
        )
    if scheme in ("postgres", "postgresql", "postgresql+pool", "postgres+pool"):
        # Options of the URL's own (``?options=...``) come first; the lock timeout is added
        # (none at 0: a pooler that refuses startup options may set it on the role instead).
        options = params.pop("options", "")
        if lock_timeout_ms:
            options = f"{options} -c lock_timeout={int(lock_timeout_ms)}".strip()
        if options:
            params["options"] = options
        return PooledPostgresqlDatabase(
            max_connections=pool_size,
            stale_timeout=300,
            timeout=10,
            **params,
        )
    raise RuntimeError(f"DATABASE_URL: unsupported scheme {scheme!r} (use sqlite or postgresql)")


def bind(url: str, **kwargs) -> pw.Database:
    """Open the store for ``url`` and point the proxy at it."""
    db = open_database(url, **kwargs)
    database.initialize(db)
    return db

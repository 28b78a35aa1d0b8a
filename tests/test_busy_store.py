"""A store too busy to answer now is a 503 problem with ``Retry-After``, never a 500.

A connection of the test's own holds the writers' lock (``served.held``) past the app's
short wait for it (``SQLITE_BUSY_TIMEOUT_MS``, ``POSTGRES_LOCK_TIMEOUT_MS``); the pool's
one connection is taken by another thread past the wait for a free one.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from served import held

from api import create_app
from api.store.db import database
from api.store.models import Event

EVENT = {"title": "A meeting", "type": "visit", "start_date": "2025-01-01"}
WAIT_MS = 200


@contextmanager
def impatient(database_url: str, **settings):
    """An app on the test's store that waits ``WAIT_MS`` for locks; the test's own store
    handle is put back after."""
    default = database.obj
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            "SQLITE_BUSY_TIMEOUT_MS": WAIT_MS,
            "POSTGRES_LOCK_TIMEOUT_MS": WAIT_MS,
            **settings,
        }
    )
    try:
        yield app
    finally:
        if not database.is_closed():
            database.close()
        database.obj.close_all()
        database.initialize(default)


def assert_busy(response) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code == 503, text
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 503 and "busy" in response.json["detail"]
    assert 1 <= int(response.headers["Retry-After"]) <= 5
    for leak in ("locked", "lock_timeout", "sqlite", "psycopg", "Traceback"):
        assert leak not in text


def test_a_write_waiting_past_the_lock_timeout_is_503_with_retry_after(app, database_url):
    with impatient(database_url) as busy:
        client = busy.test_client()
        with held(database_url):
            assert_busy(client.post("/v1/events", json=EVENT))
        # Nothing was written; once the lock is free the same request is stored.
        with busy.app_context(), database.connection_context():
            assert Event.select().count() == 0
        assert client.post("/v1/events", json=EVENT).status_code == 201


def test_no_free_connection_is_503_with_retry_after(app, database_url):
    with impatient(database_url, DB_POOL_SIZE=1) as busy:
        taken, done = threading.Event(), threading.Event()

        def hold_the_only_connection():
            with database.connection_context():
                taken.set()
                done.wait()

        holder = threading.Thread(target=hold_the_only_connection)
        holder.start()
        try:
            taken.wait()
            assert_busy(busy.test_client().get("/v1/events"))
        finally:
            done.set()
            holder.join()

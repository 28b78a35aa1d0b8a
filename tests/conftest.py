"""Test fixtures: a fresh database per test, on SQLite or on the PostgreSQL of DATABASE_URL."""

from __future__ import annotations

import os

import pytest

from api import create_app
from api.db import database
from api.fixtures import load_fixtures, load_topics
from api.migrations import upgrade

POSTGRES_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgres")


def _reset_postgres() -> None:
    """Drop everything in the test database so each test starts empty."""
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture
def database_url(tmp_path) -> str:
    if ON_POSTGRES:
        _reset_postgres()
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app(database_url):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True})
    with app.app_context(), database.connection_context():
        upgrade()
        load_topics()
    yield app
    if not database.is_closed():
        database.close()
    close_all = getattr(database.obj, "close_all", None)
    if close_all:
        close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seeded(app):
    """The app with fixtures/ loaded: the seed article and its six events."""
    with app.app_context(), database.connection_context():
        load_fixtures()
    return app


@pytest.fixture
def db(app):
    """A connection for tests that read or write the store directly."""
    with database.connection_context():
        yield database

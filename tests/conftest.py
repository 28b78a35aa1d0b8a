"""Test fixtures: a fresh database per test, on SQLite or on the PostgreSQL of DATABASE_URL."""

from __future__ import annotations

import os

import pytest

from api import create_app
from api.db import database
from api.fixtures import load_fixtures, load_topics
from api.migrations import upgrade

SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith("postgres")


@pytest.fixture(scope="session")
def postgres_url():
    """A database of this test session's own on the server of DATABASE_URL, dropped at the end.

    Its own database keeps parallel runs (and the named database) out of each other's way.
    """
    import psycopg

    name = f"annals_test_{os.getpid()}"
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    yield SERVER_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def database_url(request, tmp_path) -> str:
    if not ON_POSTGRES:
        return f"sqlite:///{tmp_path / 'test.db'}"
    import psycopg

    url = request.getfixturevalue("postgres_url")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url


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
    """The store, for tests that read or write it directly (peewee connects on first use)."""
    yield database
    if not database.is_closed():
        database.close()

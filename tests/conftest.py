"""Test fixtures: a fresh database per test, on SQLite or on the PostgreSQL of DATABASE_URL.

Every test client sends an editor key (made by the ``app`` fixture) unless told
otherwise: ``anon_client`` sends none, ``admin_client`` an admin key.
"""

from __future__ import annotations

import os

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.urls import iri_to_uri

from api import create_app
from api.http.auth import create_key
from api.ops.fixtures import load_fixtures, load_topics
from api.store.db import database
from api.store.migrations import upgrade

SERVER_URL = os.environ.get("DATABASE_URL", "")
# Annotation jobs run inside their request in every app a test makes (the queue is one per
# process: the last app made configures it); tests/test_jobs.py names real brokers.
os.environ.setdefault("JOB_BROKER_URL", "inline")
ON_POSTGRES = SERVER_URL.startswith("postgres")


KEYS: dict[str, str] = {}  # role -> token of the current test's keys


class KeyedClient(FlaskClient):
    """A test client sending the current test's editor key, as an API client would.

    A URL written with non-ASCII text (``/v1/events?q=Вене``) is percent-encoded first, as
    browsers, requests and httpx do; raw, it is a 400 (tests/test_query_encoding.py).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "editor" in KEYS:
            self.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {KEYS['editor']}"

    def open(self, *args, **kwargs):
        if args and isinstance(args[0], str):
            args = (iri_to_uri(args[0]), *args[1:])
        return super().open(*args, **kwargs)


# Every app of a test (some tests build a second one on the same database) sends the key.
Flask.test_client_class = KeyedClient


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
    # Limits have their own tests (test_ratelimit.py), with their own tiny limits.
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context(), database.connection_context():
        upgrade()
        load_topics()
        for role in ("editor", "admin"):
            KEYS[role] = create_key(role, f"test {role}")[1]
    yield app
    KEYS.clear()
    if not database.is_closed():
        database.close()
    close_all = getattr(database.obj, "close_all", None)
    if close_all:
        close_all()


@pytest.fixture
def app_with(app, database_url):
    """Make apps of the test's own on its store, with settings (``app_with(PUBLIC_READS=False)``).

    Each binds the store anew; after the test their connections are closed (one left open is
    a ResourceWarning on PostgreSQL) and the store is bound as ``app`` left it.
    """
    default = database.obj
    made = []

    def make(**settings):
        built = create_app(
            {"DATABASE_URL": database_url, "TESTING": True, "RATELIMIT_ENABLED": False, **settings}
        )
        made.append(database.obj)
        return built

    yield make
    for store in made:
        store.close()
        if hasattr(store, "close_all"):  # a pool
            store.close_all()
    database.initialize(default)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def anon_client(app):
    """A client sending no key."""
    client = app.test_client()
    client.environ_base.pop("HTTP_AUTHORIZATION", None)
    return client


@pytest.fixture
def admin_client(app):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {KEYS['admin']}"
    return client


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

"""gunicorn serving the app for the load and crash tests (the project's gunicorn.conf.py),
on a free loopback port, over a store prepared here, with an editor key."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN = BIN / "gunicorn"


def prepare_database(url: str, *, fixtures: bool = False) -> str:
    """Migrate the store of ``url``, load the topics (or all of ``fixtures/``), and return a
    new editor key."""
    from api import create_app
    from api.http.auth import create_key
    from api.ops.fixtures import load_fixtures, load_topics
    from api.store.db import database
    from api.store.migrations import upgrade

    app = create_app({"DATABASE_URL": url, "TESTING": True})
    with app.app_context(), database.connection_context():
        upgrade()
        load_fixtures() if fixtures else load_topics()
        token = create_key("editor", "test server")[1]
    close_all = getattr(database.obj, "close_all", None)
    if close_all:
        close_all()
    return token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    url: str, log: Path, *, workers: int = 4, env: dict | None = None
) -> tuple[int, subprocess.Popen]:
    """Start gunicorn on ``url``'s store and wait until it answers; returns (port, process).

    Annotation jobs run inside their request unless ``env`` names a broker
    (``JOB_BROKER_URL``; tests/test_jobs.py runs real workers)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RATELIMIT_ENABLED": "false",
        "JOB_BROKER_URL": "inline",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        **(env or {}),
    }
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"), "api.wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole, workers too
        )
    try:
        wait_healthy(port, process)
    except BaseException:
        kill_group(process)
        raise
    return port, process


@contextmanager
def gunicorn(url: str, log: Path, *, workers: int = 4, env: dict | None = None):
    port, process = start(url, log, workers=workers, env=env)
    try:
        yield port, process
    finally:
        kill_group(process)


@contextmanager
def live_server(url: str, log: Path):
    """Yield ``(base_url, editor_key)`` of one gunicorn worker serving ``fixtures/``."""
    key = prepare_database(url, fixtures=True)
    with gunicorn(url, log, workers=1) as (port, _process):
        yield f"http://127.0.0.1:{port}", key


def start_worker(env: dict, log: Path, *, cwd: Path = ROOT) -> subprocess.Popen:
    """Start ``flask --app api worker`` (one pool process) with ``env`` over the environment,
    in a process group of its own, and wait until it takes jobs."""
    mark = log.stat().st_size if log.exists() else 0
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [str(BIN / "flask"), "--app", "api", "worker", "--concurrency", "1"],
            cwd=cwd,
            env={**os.environ, **{k: str(v) for k, v in env.items()}},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited: {log.read_text()[-2000:]}")
        if b" ready." in log.read_bytes()[mark:]:
            return process
        time.sleep(0.2)
    kill_group(process)
    raise RuntimeError(f"worker not ready: {log.read_text()[-2000:]}")


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal gunicorn's whole process group (master and workers) and reap the master."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if request(port, "GET", "/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy")


def request(port: int, method: str, path: str, body=None, key: str | None = None, timeout=60):
    """One HTTP request; returns (status, parsed JSON, or the text, or None)."""
    status, _, parsed = call(port, method, path, body, key, timeout=timeout)
    return status, parsed


def call(port, method, path, body=None, key=None, headers=None, timeout=60):
    """One HTTP request with ``headers``; returns (status, response headers, parsed body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Authorization"] = f"Bearer {key}"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return response.status, dict(response.getheaders()), parsed
    finally:
        conn.close()


def store_rows(url: str, sql: str) -> list[tuple]:
    """Rows of ``sql`` read straight from the store (a connection of its own)."""
    from api.store.db import open_database

    db = open_database(url)
    try:
        return [tuple(row) for row in db.execute_sql(sql).fetchall()]
    finally:
        db.close()
        if hasattr(db, "close_all"):
            db.close_all()


@contextmanager
def held(url: str):
    """The store's writers held back until the block ends: a connection of its own holds
    the writers' lock (PostgreSQL's advisory lock, SQLite's write lock)."""
    if url.startswith("postgres"):
        import psycopg

        from api.store.dialect.base import WRITERS_LOCK

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (WRITERS_LOCK,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (WRITERS_LOCK,))
        return
    # The SQLite library peewee uses (pysqlite3 when installed): two libraries in one
    # process do not see each other's file locks.
    from peewee import sqlite3

    conn = sqlite3.connect(urlsplit(url).path, isolation_level=None, timeout=30)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()

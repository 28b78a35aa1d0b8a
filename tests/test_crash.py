"""Crash: ``kill -9`` of the whole server during write load loses no acknowledged write.

Writers post until the server dies under them; every write that got a 2xx must be there
after a restart, and the store must pass its integrity check.
"""

from __future__ import annotations

import http.client
import sqlite3
import threading
import time
from multiprocessing import get_context

from served import kill_group, request, start, store_rows
from test_concurrency import PEOPLE, PLACES, server_database  # noqa: F401 (a fixture)

WRITERS = 4
MAX_WRITES = 2000  # per writer: bounded, though the kill comes long before


def write_until_refused(args) -> list[tuple[str, int]]:
    """Post until the server stops answering; the (kind, id) of every acknowledged write."""
    port, key, writer = args
    acknowledged = []
    for i in range(MAX_WRITES):
        if i % 2 == 0:
            kind, path, body = (
                "article",
                "/v1/articles",
                {
                    "title": f"Crash {writer}-{i}",
                    "body": f"Body {writer}-{i}.",
                    "published_at": "2025-12-05",
                    "source": "Kabar (KG)",
                },
            )
        else:
            kind, path, body = (
                "event",
                "/v1/events",
                {
                    "title": f"Crash meeting {writer}-{i}",
                    "type": "visit",
                    "start_date": "2025-12-05",
                    "venue": PLACES[i % len(PLACES)],
                    "participants": [{"entity": PEOPLE[(writer + i) % len(PEOPLE)]}],
                },
            )
        try:
            status, answer = request(port, "POST", path, body, key, timeout=10)
        except (OSError, http.client.HTTPException):  # the server died mid-answer
            break
        if 200 <= status < 300:
            acknowledged.append((kind, answer["id"]))
        elif status >= 500:
            break
    return acknowledged


def test_kill_9_during_writes_loses_no_acknowledged_write(server_database, tmp_path):  # noqa: F811
    from served import prepare_database

    key = prepare_database(server_database)
    log = tmp_path / "gunicorn.log"
    port, process = start(server_database, log)
    try:
        killer = threading.Timer(4.0, kill_group, (process,))
        killer.start()
        with get_context("fork").Pool(WRITERS) as pool:
            batches = pool.map(write_until_refused, [(port, key, w) for w in range(WRITERS)])
        killer.join()
    finally:
        kill_group(process)
    acknowledged = [item for batch in batches for item in batch]
    assert len(acknowledged) > 10, "the load never got going before the kill"

    if server_database.startswith("sqlite"):
        path = server_database.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    else:
        for table in ("article", "event", "entity", "place", "participant", "event_revision"):
            store_rows(server_database, f"SELECT COUNT(*) FROM {table}")

    started = time.monotonic()
    port, process = start(server_database, log)
    try:
        for kind, ident in acknowledged:
            status, _ = request(port, "GET", f"/v1/{kind}s/{ident}")
            assert status == 200, (kind, ident)
    finally:
        kill_group(process)
    assert time.monotonic() - started < 60
    stored = {i for (i,) in store_rows(server_database, "SELECT id FROM event")}
    assert {i for kind, i in acknowledged if kind == "event"} <= stored

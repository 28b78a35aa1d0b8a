"""Nothing lost under concurrent writers: 8 processes × 250 writes against gunicorn workers.

Articles, and events whose inline participants and venues name a small shared set of
people and places, so racing writers would make duplicates if resolution raced. Every
write must be acknowledged (no 5xx, no "database is locked"), every acknowledged id must
be readable afterwards, the counts exact, and each person, place and source stored once.
"""

from __future__ import annotations

import os
from multiprocessing import get_context

import psycopg
import pytest
from served import gunicorn, prepare_database, request, store_rows

WRITERS = 8
WRITES = 250
PEOPLE = [
    {"name": "Ермек Кошербаев", "kind": "person", "country": "KZ"},
    {"name": "Jeenbek Kulubaev", "kind": "person", "country": "KG"},
    {"name": "Бахтиёр Саидов", "kind": "person", "country": "UZ"},
    {"name": "Sirojiddin Muhriddin", "kind": "person", "country": "TJ"},
    {"name": "Rashid Meredov", "kind": "person", "country": "TM"},
    {"name": "Kazakhstan", "kind": "country", "country": "KZ"},
]
PLACES = [
    {"name": "Astana", "country": "KZ"},
    {"name": "Bishkek", "country": "KG"},
    {"name": "Tashkent", "country": "UZ"},
]
SOURCES = ["Kazinform (KZ)", "Kabar (KG)", "UzA (UZ)"]


def _writes(writer: int):
    """The writes of one writer: articles and events, alternating."""
    for i in range(WRITES):
        if i % 2 == 0:
            yield (
                "article",
                "/v1/articles",
                {
                    "title": f"Writer {writer} article {i}",
                    "body": f"Text {writer}-{i}: ministers met to discuss transit and water.",
                    "published_at": "2025-12-05",
                    "source": SOURCES[(writer + i) % len(SOURCES)],
                },
            )
        else:
            a, b = PEOPLE[(writer + i) % len(PEOPLE)], PEOPLE[(writer * 3 + i) % len(PEOPLE)]
            participants = [{"entity": a, "role": "host"}]
            if b is not a:
                participants.append({"entity": b, "role": "guest"})
            yield (
                "event",
                "/v1/events",
                {
                    "title": f"Writer {writer} meeting {i}",
                    "type": "bilateral-meeting",
                    "start_date": "2025-12-05",
                    "venue": PLACES[(writer + i) % len(PLACES)],
                    "participants": participants,
                    "topics": ["diplomacy"],
                },
            )


def write_all(args) -> list[tuple[str, int, int | None]]:
    """One writer process: every write, answered with (kind, status, id)."""
    port, key, writer = args
    results = []
    for kind, path, body in _writes(writer):
        status, answer = request(port, "POST", path, body, key)
        ident = answer.get("id") if isinstance(answer, dict) else None
        results.append((kind, status, ident, None if status < 300 else answer))
    return results


@pytest.fixture
def server_database(tmp_path):
    """A fresh store of the run's kind: a SQLite file, or a PostgreSQL database of its own."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'concurrent.db'}"
        return
    name = f"annals_concurrency_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    yield server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(server_database, tmp_path):
    key = prepare_database(server_database)
    with gunicorn(server_database, tmp_path / "gunicorn.log") as (port, _):
        with get_context("fork").Pool(WRITERS) as pool:
            results = [
                r
                for batch in pool.map(write_all, [(port, key, w) for w in range(WRITERS)])
                for r in batch
            ]
        failures = [r for r in results if r[1] != 201]
        assert failures == [], failures[:5]
        articles = {i for kind, _, i, _ in results if kind == "article"}
        events = {i for kind, _, i, _ in results if kind == "event"}
        assert len(articles) == len(events) == WRITERS * WRITES // 2
        # Read back through the server: every acknowledged write is there.
        for ident in list(events)[:: len(events) // 20]:
            assert request(port, "GET", f"/v1/events/{ident}")[0] == 200

    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert "database is locked" not in log
    assert {i for (i,) in store_rows(server_database, "SELECT id FROM article")} == articles
    assert {i for (i,) in store_rows(server_database, "SELECT id FROM event")} == events
    people = store_rows(
        server_database, "SELECT kind, name, COUNT(*) FROM entity GROUP BY kind, name"
    )
    assert sorted(people) == sorted((p["kind"], p["name"], 1) for p in PEOPLE)
    places = store_rows(server_database, "SELECT name, COUNT(*) FROM place GROUP BY name")
    assert sorted(places) == sorted((p["name"], 1) for p in PLACES)
    sources = store_rows(server_database, "SELECT name, COUNT(*) FROM source GROUP BY name")
    assert sorted(sources) == sorted((s, 1) for s in SOURCES)
    participants = store_rows(server_database, "SELECT COUNT(DISTINCT event_id) FROM participant")
    assert participants == [(len(events),)]
    revisions = store_rows(server_database, "SELECT COUNT(*) FROM event_revision")
    assert revisions == [(len(events),)]

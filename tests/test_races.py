"""Races between writers, made to happen every time: real requests to gunicorn workers, held
at the door of the store until all of them are waiting, then let in together.

The door is the writers' lock: on PostgreSQL the test's own connection holds the advisory
lock every logged write takes (``WRITERS_LOCK``); on SQLite it holds the write lock
(``BEGIN IMMEDIATE``). Each race runs several rounds; every answer must be a documented
one (no 5xx, no "deadlock detected"), and the store must hold what a one-at-a-time order
of the same requests would have left.
"""

from __future__ import annotations

import os
import threading
import time
from importlib import resources

import psycopg
import pytest
from served import call as _call
from served import gunicorn, held, prepare_database, store_rows

ROUNDS = 4
SEED = resources.files("fixtures").joinpath("seed-article.txt").read_text(encoding="utf-8")
ARTICLE = {
    "title": "Foreign ministers of Central Asia and Northern Europe met in Vienna",
    "body": SEED,
    "published_at": "2025-12-05",
    "language": "ru",
    "source": "Kazinform (KZ)",
}


def call(port: int, method: str, path: str, key: str, body=None, headers=None):
    """One request with the key, ready to wait for an annotation (the job runs inside the
    request here); (status, headers, parsed body)."""
    headers = {"Prefer": "wait=10", **(headers or {})}
    return _call(port, method, path, body, key, headers, timeout=120)


def race(*requests, gap: float = 0.4, settle: float = 1.5, hold=None):
    """Send each of ``requests`` (callables) from its own thread, ``gap`` seconds apart,
    while ``hold`` keeps the store's writers waiting; release them ``settle`` seconds after
    the last has left, and return their answers in order."""
    answers: list = [None] * len(requests)

    def run(i, send):
        answers[i] = send()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    with hold:
        for thread in threads:
            thread.start()
            time.sleep(gap)
        time.sleep(settle)
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.fixture
def store(tmp_path):
    """A fresh store of the run's kind, and its editor key."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        url = f"sqlite:///{tmp_path / 'races.db'}"
        yield url, prepare_database(url)
        return
    name = f"annals_races_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = server.rsplit("/", 1)[0] + "/" + name
    yield url, prepare_database(url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _auto_events(url: str, article_id: int) -> list[int]:
    return sorted(
        i
        for (i,) in store_rows(
            url,
            "SELECT e.id FROM event e JOIN event_article ea ON ea.event_id = e.id"
            f" WHERE ea.article_id = {int(article_id)} AND e.status = 'auto'",
        )
    )


def test_two_annotations_of_one_article_store_its_events_once(store, tmp_path):
    url, key = store
    with gunicorn(url, tmp_path / "gunicorn.log", workers=2) as (port, _):
        status, _, article = call(port, "POST", "/v1/articles?annotate=true", key, ARTICLE)
        assert status == 201
        alone = len(article["events"])
        assert alone >= 4
        path = f"/v1/articles/{article['id']}/annotate"
        for _ in range(ROUNDS):
            answers = race(
                lambda: call(port, "POST", path, key),
                lambda: call(port, "POST", path, key),
                hold=held(url),
            )
            assert [a[0] for a in answers] == [200, 200], answers
            assert len(_auto_events(url, article["id"])) == alone


def test_the_annotator_never_deletes_an_event_a_reviewer_has_just_reviewed(store, tmp_path):
    url, key = store
    with gunicorn(url, tmp_path / "gunicorn.log", workers=2) as (port, _):
        for round_ in range(ROUNDS):
            # An article of its own each round: once one event of a type and day is
            # reviewed, re-annotation leaves the others of that type and day alone.
            body = {**ARTICLE, "title": f"{ARTICLE['title']} ({round_})"}
            status, _, article = call(port, "POST", "/v1/articles?annotate=true", key, body)
            assert status == 201
            annotate = f"/v1/articles/{article['id']}/annotate"
            event_id = _auto_events(url, article["id"])[0]
            event = f"/v1/events/{event_id}"
            tag = call(port, "GET", event, key)[1]["ETag"]

            def review(event=event, tag=tag):
                body = {"status": "reviewed"}
                return call(port, "PATCH", event, key, body, {"If-Match": tag})

            # Either may be let in first: rounds alternate which waits first.
            reannotate = lambda annotate=annotate: call(port, "POST", annotate, key)  # noqa: E731
            order = (reannotate, review) if round_ % 2 == 0 else (review, reannotate)
            answers = race(*order, hold=held(url))
            reviewed = answers[order.index(review)]
            assert all(a[0] < 500 for a in answers), answers
            got = call(port, "GET", event, key)
            if reviewed[0] == 200:  # the review was acknowledged: it is kept
                assert got[0] == 200 and got[2]["status"] == "reviewed", (answers, got)
            else:  # the annotation came first and replaced the event: nothing to review
                assert reviewed[0] == 404 and got[0] == 404, (answers, got)


def test_an_event_edit_and_an_edit_of_its_article_never_deadlock(store, tmp_path):
    url, key = store
    with gunicorn(url, tmp_path / "gunicorn.log", workers=2) as (port, _):
        status, _, article = call(port, "POST", "/v1/articles?annotate=true", key, ARTICLE)
        assert status == 201
        event = f"/v1/events/{article['events'][0]['id']}"
        for round_ in range(ROUNDS):
            tag = call(port, "GET", event, key)[1]["ETag"]

            def edit_event(tag=tag, round_=round_):
                body = {"title": f"Meeting, round {round_}"}
                return call(port, "PATCH", event, key, body, {"If-Match": tag})

            def edit_article(round_=round_):
                body = {"title": f"{ARTICLE['title']} ({round_})"}
                return call(port, "PATCH", f"/v1/articles/{article['id']}", key, body)

            # The article's edit waits first, the event's (holding its row) second: the
            # order that deadlocked.
            answers = race(edit_article, edit_event, hold=held(url))
            assert answers[0][0] == 200, answers
            # The article's new title is part of the event: a tag from before it may be stale.
            assert answers[1][0] in (200, 412), answers
    assert "deadlock" not in (tmp_path / "gunicorn.log").read_text(errors="replace")

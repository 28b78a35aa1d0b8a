"""Annotation jobs through the API, run by real workers on real brokers.

Each worker is ``flask --app api worker`` in a process group of its own, on the test's
store, taking jobs from a queue of the test's own on the file-system transport (the
embedded default), Redis or RabbitMQ. The bounds and the recovery are exercised the way
they happen: a pool process killed with SIGKILL mid-job, a whole worker killed and
another started, a job past the time limit, an article past the memory limit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from contextlib import suppress
from pathlib import Path

import pytest
from served import kill_group, start_worker

from api.store.db import database
from api.store.models import EventArticle, Job

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT.parent / "shared" / "reference" / "seed-article.txt").read_text(encoding="utf-8")
SEED_EVENTS = 6

BROKERS = {
    "filesystem": "filesystem://",
    "redis": "redis://127.0.0.1:6379/3",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}


def _article(body: str = SEED, tag: str | None = None) -> dict:
    return {
        "title": f"Встреча в Вене {tag or uuid.uuid4().hex}",
        "body": body,
        "published_at": "2025-12-05",
        "language": "ru",
    }


class Workers:
    """The broker settings of one test, its workers, and an API client on them."""

    def __init__(self, broker: str, app_with, database_url: str, tmp_path: Path, **limits):
        self.settings = {
            "DATABASE_URL": database_url,
            "JOB_BROKER_URL": BROKERS[broker],
            "JOB_QUEUE": f"annals.test.{uuid.uuid4().hex}",
            "JOB_QUEUE_DIR": str(tmp_path / "queue"),
            **limits,
        }
        self.log = tmp_path / "worker.log"
        self.processes: list[subprocess.Popen] = []
        self.app = app_with(**self.settings)
        self.client = self.app.test_client()

    def start(self) -> subprocess.Popen:
        process = start_worker(self.settings, self.log)
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        kill_group(process)

    def close(self) -> None:
        for process in self.processes:
            self.kill(process)
        from api.ops.queue import queue

        if not self.settings["JOB_BROKER_URL"].startswith("filesystem"):
            with suppress(Exception), queue.connection_for_write() as conn:
                conn.default_channel.queue_delete(self.settings["JOB_QUEUE"])

    def post(self, article: dict, **headers) -> dict:
        response = self.client.post("/v1/articles?annotate=true", json=article, headers=headers)
        assert response.status_code == 202, response.json
        assert response.headers["Location"] == f"/v1/jobs/{response.json['id']}"
        return response.json

    def job(self, job_id: int) -> dict:
        response = self.client.get(f"/v1/jobs/{job_id}")
        assert response.status_code == 200, response.json
        return response.json

    def wait(self, job_id: int, states=("done", "failed"), timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if job["state"] in states:
                return job
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} still {job['state']}: {self.log.read_text()[-3000:]}")


@pytest.fixture
def workers(request, app_with, database_url, tmp_path):
    broker, limits = request.param if isinstance(request.param, tuple) else (request.param, {})
    made = Workers(broker, app_with, database_url, tmp_path, **limits)
    yield made
    made.close()


def _events_of(article_id: int) -> int:
    with database.connection_context():
        return EventArticle.select().where(EventArticle.article == article_id).count()


@pytest.mark.parametrize("workers", list(BROKERS), indirect=True)
def test_a_worker_annotates_a_queued_article(workers):
    job = workers.post(_article())
    assert job["state"] == "queued"
    assert job["events"] is None
    workers.start()
    done = workers.wait(job["id"])
    assert done["state"] == "done", done
    assert len(done["events"]) == SEED_EVENTS
    assert done["article"] == f"/v1/articles/{done['article_id']}"
    assert {e["status"] for e in done["events"]} == {"auto"}
    listed = workers.client.get(f"/v1/articles/{done['article_id']}/events").json["data"]
    assert sorted(e["id"] for e in listed) == sorted(e["id"] for e in done["events"])


@pytest.mark.parametrize("workers", ["filesystem"], indirect=True)
def test_prefer_wait_answers_with_the_events_when_done_in_time(workers):
    workers.start()
    response = workers.client.post(
        "/v1/articles?annotate=true", json=_article(), headers={"Prefer": "wait=10"}
    )
    assert response.status_code == 201, response.json
    assert len(response.json["events"]) == SEED_EVENTS
    assert response.headers["Location"] == f"/v1/articles/{response.json['id']}"
    job = workers.job(int(response.headers["Content-Location"].rsplit("/", 1)[1]))
    assert job["state"] == "done"
    again = workers.client.post(
        f"/v1/articles/{response.json['id']}/annotate", headers={"Prefer": "wait=10"}
    )
    assert again.status_code == 200, again.json
    assert len(again.json["events"]) == SEED_EVENTS
    assert _events_of(response.json["id"]) == SEED_EVENTS  # replaced, not added


@pytest.mark.parametrize("workers", ["filesystem"], indirect=True)
def test_asking_again_while_queued_answers_the_same_job(workers):
    job = workers.post(_article())
    again = workers.client.post(f"/v1/articles/{job['article_id']}/annotate")
    assert again.status_code == 202
    assert again.json["id"] == job["id"]
    workers.start()
    assert workers.wait(job["id"])["state"] == "done"
    assert _events_of(job["article_id"]) == SEED_EVENTS


@pytest.mark.parametrize("workers", ["filesystem"], indirect=True)
def test_a_job_whose_article_was_deleted_fails_with_why(workers):
    job = workers.post(_article())
    assert workers.client.delete(job["article"]).status_code == 204
    assert workers.job(job["id"])["article_id"] is None
    workers.start()
    failed = workers.wait(job["id"])
    assert failed["state"] == "failed"
    assert failed["problem"]["type"] == "urn:annals:job:article-deleted"


def _running(workers: Workers, job_id: int) -> dict:
    job = workers.wait(job_id, states=("running", "done", "failed"))
    assert job["state"] == "running", "the job must still run when its worker is killed"
    return job


def _worker_pid(job_id: int) -> int:
    with database.connection_context():
        worker = Job.get_by_id(job_id).worker
    return int(worker.rpartition(":")[2])


LONG = SEED * 40  # ~220 KB: several seconds of annotation


@pytest.mark.parametrize(
    "workers",
    [(broker, {"ANNOTATION_MAX_CHARS": 1_000_000}) for broker in BROKERS],
    indirect=True,
)
def test_a_pool_process_killed_mid_job_loses_no_job_and_stores_once(workers):
    workers.start()
    job = workers.post(_article(LONG))
    _running(workers, job["id"])
    os.kill(_worker_pid(job["id"]), signal.SIGKILL)
    done = workers.wait(job["id"])
    assert done["state"] == "done", done
    assert done["attempt"] == 2
    assert _events_of(job["article_id"]) == len(done["events"]) > 0


@pytest.mark.parametrize(
    "workers",
    [(broker, {"ANNOTATION_MAX_CHARS": 1_000_000}) for broker in BROKERS],
    indirect=True,
)
def test_a_whole_worker_killed_mid_job_leaves_it_to_the_next(workers):
    first = workers.start()
    job = workers.post(_article(LONG))
    _running(workers, job["id"])
    workers.kill(first)
    assert workers.job(job["id"])["state"] == "running"
    workers.start()
    done = workers.wait(job["id"])
    assert done["state"] == "done", done
    assert done["attempt"] == 2
    assert _events_of(job["article_id"]) == len(done["events"]) > 0


@pytest.mark.parametrize("workers", ["redis"], indirect=True)
def test_two_workers_never_store_one_article_twice(workers):
    workers.start()
    workers.start()
    jobs = [workers.post(_article(tag=str(n))) for n in range(6)]
    again = [workers.client.post(f"/v1/articles/{j['article_id']}/annotate") for j in jobs]
    assert all(a.status_code in (200, 202) for a in again)
    for job in jobs:
        assert workers.wait(job["id"])["state"] == "done"
    for response in again:
        if response.status_code == 202:
            assert workers.wait(response.json["id"])["state"] == "done"
    for job in jobs:
        assert _events_of(job["article_id"]) == SEED_EVENTS


@pytest.mark.parametrize(
    "workers",
    [("filesystem", {"JOB_TIME_LIMIT_S": 2, "ANNOTATION_MAX_CHARS": 1_000_000})],
    indirect=True,
)
def test_a_job_past_the_time_limit_fails_and_the_worker_goes_on(workers):
    workers.start()
    slow = workers.post(_article(SEED * 60))
    failed = workers.wait(slow["id"])
    assert failed["state"] == "failed", (failed["state"], workers.log.read_text()[-4000:])
    assert failed["problem"]["title"] == "Time limit", failed["problem"]
    assert failed["problem"]["type"] == "urn:annals:job:time-limit"
    assert "2 s" in failed["problem"]["detail"]
    assert _events_of(slow["article_id"]) == 0
    quick = workers.post(_article())
    assert workers.wait(quick["id"])["state"] == "done"


@pytest.mark.parametrize(
    "workers",
    [
        (
            "filesystem",
            {"JOB_MEMORY_LIMIT_MB": 40, "JOB_TIME_LIMIT_S": 300, "ANNOTATION_MAX_CHARS": 2 * 10**6},
        )
    ],
    indirect=True,
)
def test_an_article_past_the_memory_limit_fails_and_the_worker_goes_on(workers):
    workers.start()
    # A sentence that never ends: ~100 MB to annotate (bench/annotation_bounds.py, "dots").
    dots = {**_article("Tokayev met Putin" + "." * 990_000 + "x"), "language": "en"}
    huge = workers.post(dots)
    failed = workers.wait(huge["id"])
    assert failed["state"] == "failed", failed
    assert failed["problem"]["title"] == "Memory limit", failed["problem"]
    assert _events_of(huge["article_id"]) == 0
    quick = workers.post(_article())
    assert workers.wait(quick["id"])["state"] == "done"


def test_an_article_longer_than_the_annotator_takes_is_a_422_and_not_stored(app, client):
    app.config["ANNOTATION_MAX_CHARS"] = 1000
    response = client.post("/v1/articles?annotate=true", json=_article())
    assert response.status_code == 422
    assert "body" in response.json["errors"]
    assert client.get("/v1/articles").json["data"] == []
    stored = client.post("/v1/articles", json=_article())
    assert stored.status_code == 201
    again = client.post(f"/v1/articles/{stored.json['id']}/annotate")
    assert again.status_code == 422
    assert "body" in again.json["errors"]


def test_without_prefer_the_answer_is_the_job_even_when_done(client):
    response = client.post("/v1/articles?annotate=true", json=_article())
    assert response.status_code == 202
    assert response.json["state"] == "done"  # inline: done before the answer
    assert response.headers["Location"] == f"/v1/jobs/{response.json['id']}"


def test_prefer_wait_is_for_short_articles_only(app, client):
    app.config["JOB_WAIT_MAX_CHARS"] = 100
    response = client.post(
        "/v1/articles?annotate=true", json=_article(), headers={"Prefer": "wait=10"}
    )
    assert response.status_code == 202


def test_a_long_article_stores_its_thousands_of_mentions(app_with):
    # Its mentions were one insert, past SQLite's limit of bound parameters: the job failed.
    client = app_with(JOB_BROKER_URL="inline", ANNOTATION_MAX_CHARS=10**6).test_client()
    response = client.post("/v1/articles?annotate=true", json=_article(SEED * 60))
    assert response.status_code == 202
    assert response.json["state"] == "done", response.json["problem"]
    assert len(response.json["events"]) >= SEED_EVENTS


def test_a_job_is_a_document_and_an_unknown_one_a_404(client):
    response = client.post(
        "/v1/articles?annotate=true", json=_article(), headers={"Prefer": "wait=5"}
    )
    assert response.status_code == 201
    job_id = int(response.headers["Content-Location"].rsplit("/", 1)[1])
    job = client.get(f"/v1/jobs/{job_id}")
    assert job.status_code == 200
    assert job.json["state"] == "done"
    assert job.json["attempt"] == 1
    assert len(job.json["events"]) == SEED_EVENTS
    missing = client.get("/v1/jobs/999999")
    assert missing.status_code == 404
    assert missing.content_type == "application/problem+json"


def test_an_unreachable_broker_is_a_503_and_the_job_waits(app_with):
    client = app_with(JOB_BROKER_URL="redis://127.0.0.1:1/0").test_client()  # no one there
    response = client.post("/v1/articles?annotate=true", json=_article())
    assert response.status_code == 503, response.json
    assert response.headers["Retry-After"]
    job = client.get(response.json["job"]).json
    assert job["state"] == "queued"
    assert client.get(job["article"]).status_code == 200


def test_the_file_system_queue_keeps_all_its_files_in_its_folder(app_with, tmp_path, monkeypatch):
    """kombu's file-system transport keeps its exchange tables in ``control/`` of the
    working directory unless told: 125 such files were once committed from the
    repository's root."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    folder = tmp_path / "queue"
    client = app_with(JOB_BROKER_URL="filesystem://", JOB_QUEUE_DIR=str(folder)).test_client()
    response = client.post("/v1/articles?annotate=true", json=_article())
    assert response.status_code == 202, response.json
    assert list(cwd.iterdir()) == []
    assert list(folder.rglob("*.exchange"))  # its exchange table is there, with its message


def _feed(tmp_path: Path) -> Path:
    from importlib import resources

    root = tmp_path / "feed"
    root.mkdir()
    gold = resources.files("fixtures").joinpath("gold", "dev")
    for name in ("seed.txt", "ru-01-tokayev-xi-phone.txt", "en-02-mirziyoyev-lee-phone.txt"):
        (root / name).write_text(gold.joinpath(name).read_text(encoding="utf-8"), "utf-8")
    return root


@pytest.mark.parametrize("workers", ["filesystem"], indirect=True)
def test_ingest_feeds_the_queue_and_runs_workers_of_its_own(workers, tmp_path):
    runner = workers.app.test_cli_runner()
    result = runner.invoke(args=["ingest", str(_feed(tmp_path)), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "stored 3, skipped 0 (already stored), failed 0" in result.output
    with database.connection_context():
        jobs = list(Job.select())
        made = EventArticle.select().count()
    assert [job.state for job in jobs] == ["done"] * 3
    assert made >= 8 and f"events made {made}" in result.output


@pytest.mark.parametrize("workers", ["redis"], indirect=True)
def test_ingest_can_leave_its_jobs_to_workers_elsewhere(workers, tmp_path):
    runner = workers.app.test_cli_runner()
    args = ["ingest", str(_feed(tmp_path)), "--workers", "0", "--no-wait", "--quiet"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "annotation jobs queued 3, not waited for" in result.output
    with database.connection_context():
        ids = [job.id for job in Job.select()]
    workers.start()
    assert [workers.wait(i)["state"] for i in ids] == ["done"] * 3

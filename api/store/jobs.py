"""Annotation jobs in the store: asked for, taken by one worker at a time, finished once.

The job row is the truth about the work; the queue only carries job ids to workers
(``api.ops.queue``). So a message lost with a worker, or delivered twice, costs
nothing: a worker takes a job only if it is queued, or running under a worker that
is gone (its lease ran out, or its process on this host is dead); it stores the
events only if the job is still its own (the same ``attempt``), in the writing
transaction that marks it done. Two workers therefore never store an article's
annotation twice, and a worker killed mid-job leaves the job to the next one.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from api.store.annotation import store_found_events
from api.store.errors import NotFound
from api.store.models import Article, Job, utcnow
from api.store.transaction import writing

UNFINISHED = ("queued", "running")
MAX_ATTEMPTS = 3  # a job whose worker died this many times is failed, not retried forever


def annotated_length(title: str, body: str) -> int:
    """What the annotation limits count of an article: its title and body, in characters."""
    return len(title) + len(body)


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def queue_annotation(article: Article) -> Job:
    """The article's unfinished annotation job, else a new queued one.

    One job per article at a time: asking again while one waits or runs answers that
    job (the body never changes, so its result is the answer to both).
    """
    with writing():
        job = (
            Job.select()
            .where((Job.article == article.id) & Job.state.in_(UNFINISHED))
            .order_by(Job.id)
            .first()
        )
        return job or Job.create(article=article.id, state="queued", created_at=utcnow())


def get_job(job_id: int) -> Job:
    job = Job.get_or_none(Job.id == job_id)
    if job is None:
        raise NotFound(f"No job with id {job_id}.")
    return job


@dataclass(frozen=True)
class Claim:
    """A job taken by this worker: ``attempt`` fences what it may store."""

    job_id: int
    attempt: int
    article: Article | None


@dataclass(frozen=True)
class Busy:
    """The job runs under a worker that may be alive: ask again in ``seconds``."""

    seconds: float


def _gone(job: Job, now: dt.datetime) -> bool:
    """Is the worker that took ``job`` gone? Its lease ran out, or it was on this host
    and its process no longer exists."""
    if job.lease_until is None or job.lease_until <= now:
        return True
    host, _, pid = (job.worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def claim(job_id: int, *, lease: float) -> Claim | Busy | None:
    """Take the job for this worker for ``lease`` seconds; ``None`` if there is nothing to
    do (finished, failed, gone, or failed here after too many lost workers)."""
    with writing():
        job = Job.get_or_none(Job.id == job_id)
        if job is None or job.state not in UNFINISHED:
            return None
        now = utcnow()
        if job.state == "running" and not _gone(job, now):
            return Busy(max((job.lease_until - now).total_seconds(), 1.0))
        if job.attempt >= MAX_ATTEMPTS:
            _fail(
                job,
                "Worker lost",
                f"The worker annotating this article was lost {job.attempt} times (killed, "
                "or over its memory limit); the job is not tried again.",
            )
            return None
        job.state = "running"
        job.attempt += 1
        job.worker = this_worker()
        job.started_at = now
        job.lease_until = now + dt.timedelta(seconds=lease)
        job.save()
        article = Article.get_or_none(Article.id == job.article_id) if job.article_id else None
        return Claim(job.id, job.attempt, article)


def _own(claimed: Claim) -> Job | None:
    job = Job.get_or_none(Job.id == claimed.job_id)
    if job is None or job.state != "running" or job.attempt != claimed.attempt:
        return None  # another worker took it over: what this one found is dropped
    return job


def finish(claimed: Claim, found: list) -> bool:
    """Store ``found`` for the claimed job's article and mark it done, in one transaction;
    ``False`` (nothing stored) when the job is no longer this worker's."""
    with writing():
        job = _own(claimed)
        if job is None:
            return False
        article = Article.get_or_none(Article.id == job.article_id) if job.article_id else None
        if article is None:
            _fail(job, "Article deleted", "The article was deleted before it was annotated.")
            return True
        events = store_found_events(article, found)
        job.state = "done"
        job.events = [event.id for event in events]
        job.finished_at = utcnow()
        job.lease_until = None
        job.save()
        return True


def fail(job_id: int, title: str, detail: str, *, attempt: int | None = None) -> None:
    """Mark the job failed with why; with ``attempt``, only if it is still that attempt's."""
    with writing():
        job = Job.get_or_none(Job.id == job_id)
        if job is None or job.state not in UNFINISHED:
            return
        if attempt is not None and job.attempt != attempt:
            return
        _fail(job, title, detail)


def _fail(job: Job, title: str, detail: str) -> None:
    job.state = "failed"
    job.problem = {"title": title, "detail": detail}
    job.finished_at = utcnow()
    job.lease_until = None
    job.save()


def unfinished() -> list[int]:
    """Ids of the jobs not finished, oldest first (a worker starting sends them again)."""
    rows = Job.select(Job.id).where(Job.state.in_(UNFINISHED)).order_by(Job.id).tuples()
    return [job_id for (job_id,) in rows]

"""Bulk ingest: feed-format text files and JSON Lines in, articles stored and their
annotation queued.

The input is streamed (``api.ops.ingest_files``): each article is stored as soon as it is
read, so memory stays the same whatever the size of a file (but for 8 bytes a job waited
for). A bad line or file is reported and skipped; every good one is kept, and a second run
skips what is stored.

Annotation goes through the same queue and bounded workers as the API's
(``api.ops.queue``): each article stored is one job. ``workers`` starts that many local
workers for the run; workers elsewhere on the same broker take jobs too.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kombu.exceptions import OperationalError
from tqdm import tqdm

from api.ops import queue
from api.ops.ingest_files import Item, Summary, discover, ignore, read_file
from api.store.articles import content_hash, create_article
from api.store.errors import Conflict
from api.store.jobs import UNFINISHED, annotated_length, queue_annotation
from api.store.models import Article, Job
from api.store.transaction import writing

POLL_S = 0.5
CHUNK = 500  # jobs looked up per query while waiting


def _is_stored(data: dict) -> bool:
    digest = content_hash(data.get("source"), data["title"], data["body"])
    condition = Article.content_hash == digest
    if data.get("url"):
        condition |= Article.url == data["url"]
    return Article.select().where(condition).exists()


def _store(item: Item, summary: Summary, *, annotate: bool, longest: int) -> int | None:
    """Store the article and, if asked, queue its annotation; the job's id, if one."""
    data = item.data
    too_long = annotate and annotated_length(data["title"], data["body"]) > longest
    try:
        with writing():
            article = create_article(data)
            job = queue_annotation(article) if annotate and not too_long else None
    except Conflict:  # stored already
        summary.skipped += 1
        return None
    summary.stored += 1
    if too_long:
        summary.fail(item.origin, f"stored, not annotated: over {longest:,} characters")
    if job is None:
        return None
    try:
        queue.enqueue(job.id)
    except OperationalError:
        summary.fail(item.origin, f"stored; job {job.id} waits: the queue cannot be reached")
        return None
    return job.id


def ingest(
    paths: Iterable[str],
    *,
    limit: int,
    settings: dict,
    annotate: bool = True,
    workers: int = 1,
    wait: bool = True,
    progress: bool = True,
    report: Callable[[str, str], None] = ignore,
) -> Summary:
    """Store every article under ``paths`` as it is read and queue its annotation unless
    ``annotate`` is false; with ``wait``, wait for those jobs and count their events. A JSON
    line or a feed file is at most ``limit`` bytes (the API's body limit); ``settings`` are
    the app's (the broker, the workers' bounds); ``report`` is told each failure (origin,
    reason) as it happens."""
    summary = Summary(report=_above_the_bar(report))
    files = discover(paths, summary)
    total = sum(map(_size, files))
    longest = int(settings["ANNOTATION_MAX_CHARS"])
    queued = array("q")
    with queue.local_workers(settings, workers if annotate else 0):
        bar = tqdm(total=total, unit="B", unit_scale=True, disable=not progress)
        try:
            for item in _new_items(files, summary, limit, bar):
                job_id = _store(item, summary, annotate=annotate, longest=longest)
                if job_id is not None:
                    queued.append(job_id)
                bar.update(item.size)
        finally:
            bar.close()
        summary.queued = len(queued)
        if wait:
            _await(queued, summary, progress)
    return summary


def _await(queued: array, summary: Summary, progress: bool) -> None:
    """Wait for the jobs, counting the events of those done and reporting those failed."""
    bar = tqdm(total=len(queued), unit="job", disable=not progress)
    try:
        for start in range(0, len(queued), CHUNK):
            for job in _finished(list(queued[start : start + CHUNK])):
                if job.state == "done":
                    summary.events += len(job.events)
                else:
                    summary.fail(f"article {job.article_id} (job {job.id})", _why(job))
                bar.update()
    finally:
        bar.close()


def _finished(ids: list[int]) -> list[Job]:
    """The jobs of ``ids`` once none is queued or running."""
    while Job.select().where(Job.id.in_(ids) & Job.state.in_(UNFINISHED)).exists():
        time.sleep(POLL_S)
    return list(Job.select().where(Job.id.in_(ids)).order_by(Job.id))


def _why(job: Job) -> str:
    problem = job.problem or {}
    return f"annotation failed: {problem.get('title')}: {problem.get('detail')}"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when it is read
        return 0


def _above_the_bar(report: Callable[[str, str], None]) -> Callable[[str, str], None]:
    """``report``, written above the progress bar rather than through it."""

    def write(origin: str, reason: str) -> None:
        with tqdm.external_write_mode():
            report(origin, reason)

    return write


def _new_items(files: list[Path], summary: Summary, limit: int, bar: tqdm) -> Iterator[Item]:
    """Each article of ``files`` not stored yet, as it is read. The bar counts the bytes
    done: what is no article as it is read, an article once it is stored or skipped."""
    for path in files:
        for item in read_file(path, summary, limit=limit, advance=bar.update):
            if _is_stored(item.data):
                summary.skipped += 1
                bar.update(item.size)
            else:
                yield item

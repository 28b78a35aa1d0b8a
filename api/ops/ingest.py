"""Bulk ingest: feed-format text files and JSON Lines in, articles (and their events) stored.

The input is streamed (``api.ops.ingest_files``): each article is stored in a batch as
soon as the batch is full, so memory stays the same whatever the size of a file. A bad
line or file is reported and skipped; every good one is kept, and a second run skips
what is stored.

Reading and storing happen in this process (one writer); annotation, the costly part,
can run in worker processes that each load the models once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from tqdm import tqdm

from api.ops.ingest_files import Item, Summary, discover, ignore, read_file
from api.store.annotation import store_found_events
from api.store.articles import content_hash, create_article
from api.store.errors import Conflict
from api.store.models import Article
from api.store.transaction import writing

# A batch ends at either bound, so a file of big articles is held a few at a time.
BATCH = 32
BATCH_CHARS = 4_000_000


def _annotate(data: dict) -> tuple[list | None, str | None]:
    """Worker side: ``(events, None)`` for one article, or ``(None, why it failed)``.

    The models load once per process. A failure on one article is reported,
    not raised, so the rest of the batch goes on.
    """
    from annotator import get_annotator

    try:
        found = get_annotator().annotate(
            data["body"],
            title=data["title"],
            published_at=data["published_at"],
            language=data.get("language"),
        )
    except Exception as exc:  # one bad article must not stop the ingest
        return None, f"annotation failed: {exc.__class__.__name__}: {exc}"
    return found, None


def _is_stored(data: dict) -> bool:
    digest = content_hash(data.get("source"), data["title"], data["body"])
    condition = Article.content_hash == digest
    if data.get("url"):
        condition |= Article.url == data["url"]
    return Article.select().where(condition).exists()


def _store(item: Item, found: list | None, summary: Summary) -> None:
    try:
        with writing():
            article = create_article(item.data)
            if found is not None:
                summary.events += len(store_found_events(article, found))
    except Conflict:  # stored already
        summary.skipped += 1
        return
    summary.stored += 1


def ingest(
    paths: Iterable[str],
    *,
    limit: int,
    annotate: bool = True,
    workers: int = 1,
    progress: bool = True,
    report: Callable[[str, str], None] = ignore,
) -> Summary:
    """Store every article under ``paths`` as it is read, a batch at a time; annotate them
    unless ``annotate`` is false. A JSON line or a feed file is at most ``limit`` bytes (the
    API's body limit); ``report`` is told each failure (origin, reason) as it happens."""
    summary = Summary(report=_above_the_bar(report))
    files = discover(paths, summary)
    total = sum(map(_size, files))
    bar = tqdm(total=total, unit="B", unit_scale=True, disable=not progress, dynamic_ncols=True)
    pool = _annotation_pool(annotate=annotate, workers=workers)
    try:
        for batch in _batches(_new_items(files, summary, limit, bar)):
            results = _annotate_batch(batch, annotate=annotate, pool=pool)
            for item, (found, error) in zip(batch, results, strict=True):
                if error:
                    summary.fail(item.origin, error)
                else:
                    _store(item, found, summary)
                bar.update(item.size)
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown()
    return summary


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


def _batches(items: Iterator[Item]) -> Iterator[list[Item]]:
    """``items`` in lists of at most ``BATCH`` articles and ``BATCH_CHARS`` characters. (A
    copy of an article in the same batch is found stored when its turn comes.)"""
    batch: list[Item] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item.data["title"]) + len(item.data["body"])
        if len(batch) == BATCH or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _annotation_pool(*, annotate: bool, workers: int) -> ProcessPoolExecutor | None:
    """Worker processes for the annotation, when it is asked for with more than one worker;
    else ``None``, to annotate here. (The processes start with the first batch they get.)"""
    if annotate and workers > 1:
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    return None


def _annotate_batch(
    batch: list[Item], *, annotate: bool, pool: ProcessPoolExecutor | None
) -> list[tuple[list | None, str | None]]:
    """``(events, error)`` for each item of ``batch`` (``(None, None)`` when not annotating).
    A single article is annotated here: starting a worker for it is not worth it."""
    if not annotate:
        return [(None, None)] * len(batch)
    if pool is not None and len(batch) > 1:
        return list(pool.map(_annotate, [item.data for item in batch]))
    return [_annotate(item.data) for item in batch]

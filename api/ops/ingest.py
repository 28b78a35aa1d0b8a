"""Bulk ingest: feed-format text files and JSON Lines in, articles (and their events) stored.

Reading and storing happen in this process (one writer); annotation, the
costly part, can run in worker processes that each load the models once.
A file that cannot be read is reported by name and skipped; nothing else is
lost, and a second run skips what is stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from marshmallow import ValidationError
from tqdm import tqdm

from annotator.feed import parse_feed_text
from annotator.text import detect_language
from api.store.annotation import store_found_events
from api.store.articles import content_hash, create_article
from api.store.errors import Conflict
from api.store.models import Article
from api.store.transaction import writing
from schemas.articles import ArticleWriteSchema

FEED_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
BATCH = 32


@dataclass
class Item:
    origin: str  # file, or file:line
    data: dict


@dataclass
class Summary:
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, origin: str, reason: str) -> None:
        self.failed += 1
        self.failures.append((origin, reason))


def discover(paths: Iterable[str], summary: Summary) -> list[Path]:
    """The files to read under ``paths``: directories recursively, symlinks not followed."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_symlink():
            summary.fail(raw, "is a symbolic link; give the file itself")
        elif path.is_dir():
            for root, dirs, names in os.walk(path, followlinks=False):
                dirs.sort()
                for name in sorted(names):
                    found = Path(root) / name
                    if found.suffix not in FEED_SUFFIXES + JSONL_SUFFIXES:
                        continue
                    if found.is_symlink():
                        summary.fail(str(found), "is a symbolic link; not followed")
                    else:
                        files.append(found)
        elif path.is_file():
            files.append(path)
        else:
            summary.fail(raw, "no such file or directory")
    return files


def _with_language(data: dict) -> dict:
    if not data.get("language"):
        data["language"] = detect_language(data["title"] + "\n" + data["body"])
    return data


def read_file(path: Path, summary: Summary) -> Iterator[Item]:
    """The articles of one file; what cannot be read is recorded in ``summary``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        summary.fail(str(path), f"cannot be read as UTF-8 text: {exc.__class__.__name__}")
        return
    if path.suffix in JSONL_SUFFIXES:
        schema = ArticleWriteSchema()
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            origin = f"{path}:{number}"
            try:
                data = schema.load(json.loads(line))
            except json.JSONDecodeError as exc:
                summary.fail(origin, f"not JSON: {exc.msg}")
                continue
            except ValidationError as exc:
                summary.fail(origin, f"invalid article: {exc.messages}")
                continue
            yield Item(origin, _with_language(data))
        return
    try:
        feed = parse_feed_text(text)
    except ValueError as exc:
        summary.fail(str(path), f"not in the feed format: {exc}")
        return
    data = {key: feed[key] for key in ("title", "body", "published_at", "source")}
    yield Item(str(path), _with_language({**data, "url": None}))


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
    paths: Iterable[str], *, annotate: bool = True, workers: int = 1, progress: bool = True
) -> Summary:
    """Store every article under ``paths``; annotate them unless ``annotate`` is false."""
    summary = Summary()
    items = _new_items(paths, summary)
    bar = tqdm(total=len(items), unit="article", disable=not progress, dynamic_ncols=True)
    pool = _annotation_pool(items, annotate=annotate, workers=workers)
    try:
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            results = _annotate_batch(batch, annotate=annotate, pool=pool)
            for item, (found, error) in zip(batch, results, strict=True):
                if error:
                    summary.fail(item.origin, error)
                else:
                    _store(item, found, summary)
                bar.update()
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown()
    return summary


def _new_items(paths: Iterable[str], summary: Summary) -> list[Item]:
    """Every article under ``paths`` not stored yet, each once (by content): all are read
    before any is annotated, so the progress bar knows its total."""
    items: list[Item] = []
    seen: set[str] = set()
    for path in discover(paths, summary):
        for item in read_file(path, summary):
            key = content_hash(item.data.get("source"), item.data["title"], item.data["body"])
            if key in seen or _is_stored(item.data):
                summary.skipped += 1
                continue
            seen.add(key)
            items.append(item)
    return items


def _annotation_pool(
    items: list[Item], *, annotate: bool, workers: int
) -> ProcessPoolExecutor | None:
    """Worker processes for the annotation, when it is asked for and worth them (more than
    one worker and more than one article); else ``None``, to annotate here."""
    if annotate and workers > 1 and len(items) > 1:
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    return None


def _annotate_batch(
    batch: list[Item], *, annotate: bool, pool: ProcessPoolExecutor | None
) -> list[tuple[list | None, str | None]]:
    """``(events, error)`` for each item of ``batch`` (``(None, None)`` when not annotating)."""
    if not annotate:
        return [(None, None)] * len(batch)
    if pool is not None:
        return list(pool.map(_annotate, [item.data for item in batch]))
    return [_annotate(item.data) for item in batch]

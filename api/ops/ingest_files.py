"""The files of an ingest, read as they come: feed-format text files and JSON Lines.

A JSON Lines file is read a line at a time, in bytes and split at ``b"\\n"`` alone, and
no line is held whole when it is longer than the limit; a feed file is read up to the
limit. Each line and each feed file passes the checks a ``POST /v1/articles`` body
passes (its size, JSON as the API reads it, ``ArticleWriteSchema``); one that fails is
recorded in the ``Summary``, by ``file:line`` and why.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from marshmallow import ValidationError

from annotator.feed import parse_feed_text
from annotator.text import detect_language
from schemas.articles import ArticleWriteSchema
from schemas.json_text import load_json

FEED_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
# A reason may echo what was read (an unknown field's name): a line of the report, no more.
REASON_CHARS = 300
ARTICLE = ArticleWriteSchema()


@dataclass
class Item:
    origin: str  # file, or file:line
    data: dict
    size: int  # bytes read for it, for the progress bar


def ignore(origin: str, reason: str) -> None:
    """The report of a run that no one reads."""


@dataclass
class Summary:
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    queued: int = 0  # annotation jobs
    report: Callable[[str, str], None] = ignore  # told each failure as it happens

    def fail(self, origin: str, reason: str) -> None:
        self.failed += 1
        if len(reason) > REASON_CHARS:
            reason = reason[: REASON_CHARS - 1] + "…"
        self.report(origin, reason)


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


def read_file(
    path: Path, summary: Summary, *, limit: int, advance: Callable[[int], object]
) -> Iterator[Item]:
    """The articles of one file as they are read, each checked as the API checks a body of
    at most ``limit`` bytes; what fails is recorded in ``summary``. ``advance`` is told the
    bytes read for what is no article (each article carries its own)."""
    try:
        with path.open("rb") as stream:
            if path.suffix in JSONL_SUFFIXES:
                yield from _read_lines(stream, str(path), summary, limit, advance)
            else:
                yield from _read_feed(stream, str(path), summary, limit, advance)
    except OSError as exc:
        summary.fail(str(path), f"cannot be read: {exc.__class__.__name__}")


def _too_large(limit: int) -> str:
    return f"larger than {limit:,} bytes, the limit of a request body"


def _read_lines(
    stream: BinaryIO, name: str, summary: Summary, limit: int, advance: Callable[[int], object]
) -> Iterator[Item]:
    for number, (line, size) in enumerate(_lines(stream, limit), start=1):
        origin = f"{name}:{number}"
        blank = line is not None and not line.strip()
        data = None if blank else _line_article(line, origin, summary, limit)
        if data is None:
            advance(size)
        else:
            yield Item(origin, data, size)


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Each line of ``stream`` and its size, ended by ``b"\\n"`` alone (U+2028 or U+0085 in a
    string is text, not an end of line); ``None`` for a line longer than ``limit`` bytes,
    which is read past in pieces of that size and never held whole."""
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line, len(line)
            continue
        size = len(line)
        while line and not line.endswith(b"\n"):
            line = stream.readline(limit + 1)
            size += len(line)
        yield None, size


def _line_article(line: bytes | None, origin: str, summary: Summary, limit: int) -> dict | None:
    if line is None:
        summary.fail(origin, _too_large(limit))
        return None
    try:
        value = load_json(line)
    except json.JSONDecodeError as exc:
        summary.fail(origin, f"not JSON: {exc.msg}")
        return None
    return _article(value, origin, summary)


def _read_feed(
    stream: BinaryIO, name: str, summary: Summary, limit: int, advance: Callable[[int], object]
) -> Iterator[Item]:
    size = os.fstat(stream.fileno()).st_size
    data = _feed_article(stream.read(limit + 1), name, summary, limit)
    if data is None:
        advance(size)
    else:
        yield Item(name, data, size)


def _feed_article(raw: bytes, name: str, summary: Summary, limit: int) -> dict | None:
    if len(raw) > limit:
        summary.fail(name, _too_large(limit))
        return None
    try:
        feed = parse_feed_text(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        summary.fail(name, f"cannot be read as UTF-8 text: {exc.reason}")
        return None
    except ValueError as exc:
        summary.fail(name, f"not in the feed format: {exc}")
        return None
    fields = {key: feed[key] for key in ("title", "body", "source")}
    return _article({**fields, "published_at": feed["published_at"].isoformat()}, name, summary)


def _article(value: object, origin: str, summary: Summary) -> dict | None:
    """``value`` as the API stores a request body, with its language; ``None`` (recorded in
    ``summary``) when the API would refuse it."""
    try:
        data = ARTICLE.load(value)
    except ValidationError as exc:
        summary.fail(origin, f"invalid article: {exc.messages}")
        return None
    if not data.get("language"):
        data["language"] = detect_language(data["title"] + "\n" + data["body"])
    return data

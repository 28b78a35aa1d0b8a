"""The news feed's text format: ``date YYYY-MM-DD <title>``, a blank line, the body."""

from __future__ import annotations

import datetime as dt
import re

_FEED_START = re.compile(r"^\ufeff?[ \t]*date \d{4}-\d{2}-\d{2}[ \t]")
# The title runs to the line's last non-space: a lazy title before \s*$ read the spaces
# after each of its letters again (quadratic in a run of spaces, issue 14).
_FIRST_LINE = re.compile(r"^date (\d{4}-\d{2}-\d{2})[ \t]+(\S(?:.*\S)?)\s*$")
# The source that opens a body («Kazinform (KZ) - »). The spaces before it are read once
# (\s*+): given back one by one, each was the start of a source read again (quadratic).
SOURCE = re.compile(r"^\s*+(?P<source>[^\n()]{1,80}?)\s*\((?P<cc>[A-Z]{2})\)\s+[-–—]\s+")


def looks_like_feed(text: str) -> bool:
    """True when ``text`` opens with the feed's ``date YYYY-MM-DD`` line."""
    return bool(_FEED_START.match(text))


def parse_feed_text(text: str) -> dict:
    """Split one feed item into title, publication date, body and source.

    Returns ``{"title", "published_at", "body", "source", "source_country"}``.
    ``body`` is everything after the blank line, unchanged (evidence offsets
    point into it); ``source``/``source_country`` come from the dateline
    ``<Source name> (<CC>) - `` that opens the body, or are ``None``.
    Raises :class:`ValueError` when the text is not in the feed format.
    """
    if not isinstance(text, str):
        raise ValueError("feed item must be text")
    text = text.removeprefix("\ufeff")
    head, sep, body = text.partition("\n")
    head = head.rstrip("\r").lstrip(" \t")
    match = _FIRST_LINE.match(head)
    if not match:
        raise ValueError("first line must be 'date YYYY-MM-DD <title>', got " + repr(head[:80]))
    try:
        published = dt.date.fromisoformat(match.group(1))
    except ValueError as exc:
        raise ValueError(f"invalid publication date {match.group(1)!r}: {exc}") from None
    if not sep:
        raise ValueError("feed item has no body: expected a blank line after the first line")
    blank, sep2, rest = body.partition("\n")
    if blank.strip():
        raise ValueError("the first line must be followed by a blank line")
    body = rest if sep2 else ""
    if not body.strip():
        raise ValueError("feed item has an empty body")
    source = source_country = None
    found = SOURCE.match(body)
    if found:
        source = f"{found.group('source')} ({found.group('cc')})"
        source_country = found.group("cc")
    return {
        "title": match.group(2).rstrip(),
        "published_at": published,
        "body": body,
        "source": source,
        "source_country": source_country,
    }

"""Annals annotator: news articles in, structured events out.

Importing this package is cheap: the language models load only when an
:class:`Annotator` is built (or on the first call of :func:`annotate`).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING

from annotator.model import FoundEntity, FoundEvent, FoundPlace, Span
from annotator.vocabulary import EVENT_TYPES

if TYPE_CHECKING:
    from annotator.pipeline import Annotator

__all__ = [
    "EVENT_TYPES",
    "Annotator",
    "FoundEntity",
    "FoundEvent",
    "FoundPlace",
    "Span",
    "annotate",
    "get_annotator",
]

_shared: Annotator | None = None
_lock = threading.Lock()


def __getattr__(name: str):
    if name == "Annotator":
        from annotator.pipeline import Annotator

        return Annotator
    raise AttributeError(f"module 'annotator' has no attribute {name!r}")


def get_annotator() -> Annotator:
    """The process-wide annotator, built on first use."""
    global _shared
    if _shared is None:
        with _lock:
            if _shared is None:
                from annotator.pipeline import Annotator

                _shared = Annotator()
    return _shared


def annotate(
    body: str, *, title: str, published_at: dt.date, language: str | None = None
) -> list[FoundEvent]:
    """Annotate one article with the process-wide :class:`Annotator`."""
    return get_annotator().annotate(body, title=title, published_at=published_at, language=language)

"""What the annotator hands back: plain dataclasses, no database, no Flask.

Offsets are Unicode code-point offsets into the article body exactly as given
(Python ``str`` indices), so ``body[span.start:span.end] == span.text``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """One piece of evidence: a slice of the article body."""

    start: int
    end: int
    text: str
    part: str = "body"  # "body", or "title" when the fact is only in the headline


@dataclass
class FoundEntity:
    """A person, organisation or country taking part in an event."""

    kind: str  # "person" | "organization" | "country"
    name: str  # canonical name, nominative ("Ермек Кошербаев", "Казахстан", "ОБСЕ")
    aliases: list[str] = field(default_factory=list)  # other spellings seen or known
    country: str | None = None  # ISO 3166-1 alpha-2 it represents / is; None if unknown
    role: str = "participant"  # host | guest | participant | chair | organizer
    position: str | None = None  # position held at the event, as written, nominative
    mentions: list[Span] = field(default_factory=list)


@dataclass
class FoundPlace:
    """A venue resolved against the gazetteer."""

    name: str  # English name ("Vienna")
    aliases: list[str] = field(default_factory=list)  # other names ("Вена", "Wien")
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    mention: Span | None = None


@dataclass
class FoundEvent:
    """One event the article reports."""

    key: str  # local to this article, used by parent_key
    title: str
    type: str  # a key of annotator.vocabulary.EVENT_TYPES
    start_date: dt.date
    end_date: dt.date
    date_precision: str  # "day" | "month" | "year"
    date_source: str  # "text" | "relative" | "published" (fallback)
    date_mention: Span | None
    venue: FoundPlace | None
    participants: list[FoundEntity]
    topics: list[str]  # slugs from topics.json
    topic_mentions: dict[str, list[Span]] = field(default_factory=dict)
    type_mention: Span | None = None
    title_mention: Span | None = None
    parent_key: str | None = None
    confidence: float = 0.5

"""The annotator: one article in, its events out.

:class:`Annotator` loads the models once; :meth:`Annotator.annotate` runs the
steps: sentences, gazetteer mentions (countries, organisations, places),
people and positions, dates, then event assembly (:mod:`annotator.events`).
"""

from __future__ import annotations

import datetime as dt
import re

from annotator import (
    countries,
    dates,
    english_names,
    orgs,
    people,
    places,
    positions,
    russian_names,
)
from annotator.analysis import Analysis, Dateline
from annotator.events import build
from annotator.feed import SOURCE
from annotator.model import FoundEvent
from annotator.text import detect_language, sentences, token_at, tokenize

_DATELINE_RU = re.compile(
    r"^([А-ЯЁ][\w\-]+(?:[ \-][А-ЯЁ][\w\-]+)?)(?P<date>,\s+\d{1,2}\s+[а-я]+)?\.\s*"
)
_DATELINE_EN = re.compile(
    r"^([A-Z][A-Za-z\-]+(?: [A-Z][A-Za-z\-]+)?)(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s*\([^)]{1,40}\))?\s*[-–—]\s+"
)


# Words after a city's name that make it a building's or a street's.
_BUILDINGS = {"palace", "gardens", "hall", "square", "airport", "station", "hotel", "centre",
              "center", "street", "avenue", "park"}  # fmt: skip


class Annotator:
    """Loads the models once; :meth:`annotate` is then cheap and thread-compatible."""

    def __init__(self) -> None:
        from annotator.nlp import RussianNER

        self._ner = RussianNER()
        # warm the gazetteers so the first article does not pay for them
        for lang in ("ru", "en"):
            countries.name_index(lang)
            places.index(lang)
            orgs.index(lang)
            positions.position_index(lang)
        people.known_people()

    def analyse(
        self, body: str, *, title: str, published_at: dt.date, language: str | None = None
    ) -> Analysis:
        lang = language or detect_language(body)
        lang = "ru" if lang.startswith("ru") else "en"
        tokens = tokenize(body)
        found_countries = countries.find(tokens, lang)
        found_orgs = orgs.find(tokens, lang)
        found_places = places.find(tokens, lang)
        # a country name inside an organisation's name is not a separate mention
        org_tokens = {k for o in found_orgs for k in range(o.token_index, o.token_end)}
        found_countries = [c for c in found_countries if c.token_index not in org_tokens]
        # …nor one inside a place's name, unless the one word names both (Luxembourg,
        # Singapore, Kuwait: the state of a list, the city of a venue)
        place_tokens = {k for p in found_places for k in range(p.token_index, p.token_end)}
        same = {
            (p.token_index, p.token_end)
            for p in found_places
            if p.token_end >= len(tokens) or tokens[p.token_end].text.casefold() not in _BUILDINGS
        }  # "the Luxembourg Palace" is no state
        found_countries = [
            c
            for c in found_countries
            if c.token_index not in place_tokens or (c.token_index, c.token_end) in same
        ]
        if lang == "ru":
            mentions, refs = russian_names.find(
                body, tokens, self._ner.spans(body), found_countries, found_orgs, found_places
            )
        else:
            mentions, refs = english_names.find(
                body, tokens, found_countries, found_orgs, found_places
            )
        person_tokens = set()
        for m in mentions:
            person_tokens.update(range(token_at(tokens, m.start), token_at(tokens, m.end - 1) + 1))
        found_places = [p for p in found_places if p.token_index not in person_tokens]
        found_countries = [c for c in found_countries if c.token_index not in person_tokens]
        clusters = people.cluster(mentions)
        dateline = _dateline(body, lang)
        found_dates = [
            d
            for d in dates.find(body, published_at, lang)
            if dateline is None or d.start >= dateline.end
        ]
        title_places = places.find(tokenize(title), detect_language(title) if title else lang)
        return Analysis(
            body,
            title,
            published_at,
            lang,
            tokens,
            sentences(body),
            found_countries,
            found_orgs,
            found_places,
            found_dates,
            mentions,
            clusters,
            refs,
            dateline,
            title_places,
        )

    def annotate(
        self, body: str, *, title: str, published_at: dt.date, language: str | None = None
    ) -> list[FoundEvent]:
        """The events the article reports (an empty list when it reports none)."""
        return build(self.analyse(body, title=title, published_at=published_at, language=language))


def _dateline(body: str, lang: str) -> Dateline | None:
    m = SOURCE.match(body)
    start = m.end() if m else 0
    rest = body[start:]
    found = (_DATELINE_RU if lang == "ru" else _DATELINE_EN).match(rest)
    if not found:
        return None if not m else Dateline(None, start, start)
    name = found.group(1)
    hits = places.find(tokenize(name), lang)
    place = hits[0].place if hits else None
    if place is None and lang == "ru" and not found.group("date"):
        return Dateline(None, start, start)
    return Dateline(place, start, start + found.end())

"""Where an event took place: a place the text names for it, its umbrella's, the
headline's or the dateline's city when it agrees with the host state; a country is no
venue, and a dateline far from the event is the newsroom's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator import places as place_data
from annotator import triggers
from annotator.analysis import Analysis
from annotator.model import FoundPlace, Span
from annotator.text import Sentence

if TYPE_CHECKING:
    from annotator.events import Draft

# The prepositions of a place where something happens («в Вене», "in Vienna").
LOCATIVE = {"в", "во", "in", "at"}


def venue(a: Analysis, d: Draft, drafts: dict[str, Draft]) -> tuple[FoundPlace | None, str | None]:
    """Where an event took place, and the country of that place.

    A place written after «в»/"in" in the event's first sentence, else the
    umbrella's venue, else the headline's place or the dateline's city (when it
    agrees with a host country the sentence names), else that country itself.
    Phone and video calls have no venue."""
    if d.type == "phone-call":
        return None, None
    country = None
    # its first sentence, then a later one that says where it took place («Встреча
    # прошла в резиденции «Кўксарой»»)
    told = [a.sentences[i] for i in d.sentences[:1]] + [
        a.sentences[i] for i in d.sentences[1:] if triggers.happened(a.sentences[i].text, a.lang)
    ]
    for s in told:
        found = _place_named_in(a, d, s)
        if found is not None:
            return found
        country = country or _host_country_in(a, d, s)
    parent = drafts.get(d.parent) if d.parent else None
    if parent is not None:
        if parent.venue is not None:
            return parent.venue, parent.venue_country
        # a visit «в Республику Корея»: the last place of that country named since the
        # visit began ("the Seoul National Cemetery"), never the newsroom's city
        country = country or parent.venue_country
        since = a.sentences[min(parent.sentences)].start if parent.sentences else 0
        first = a.sentences[min(d.sentences)].start if d.sentences else 0
        named = [
            p
            for p in a.places
            if since <= p.start <= first and (country is None or p.place.country == country)
        ]
        if named:
            p = named[-1]
            return place_data.to_found(p.place, Span(p.start, p.end, a.body[p.start : p.end])), (
                p.place.country
            )
    for place, span in _article_places(a):
        if country is None or place.country == country:
            return place_data.to_found(place, span), place.country
    # a country is no venue: the event is placed in it, its city unknown
    return None, country


def _preceding_word(a: Analysis, token_index: int) -> str:
    return a.tokens[token_index - 1].text.casefold() if token_index else ""


def _place_named_in(a: Analysis, d: Draft, s: Sentence) -> tuple[FoundPlace, str] | None:
    """The first place of sentence ``s`` written after a locative preposition
    («в Вене», "in Vienna"; for a visit also "to Vienna")."""
    for p in a.places:
        if s.start <= p.start < s.end:
            prev = _preceding_word(a, p.token_index)
            if prev in LOCATIVE or (d.type == "visit" and prev in {"в", "во", "to", "in"}):
                mention = Span(p.start, p.end, a.body[p.start : p.end])
                return place_data.to_found(p.place, mention), p.place.country
    return None


def _host_country_in(a: Analysis, d: Draft, s: Sentence) -> str | None:
    """The last country of sentence ``s`` written after a locative preposition,
    for the events that have a host state (visits, summits, conferences)."""
    country = None
    for c in a.countries:
        if s.start <= c.start < s.end and not c.adjective:
            prev = _preceding_word(a, c.token_index)
            if prev == "the" and c.token_index > 1:
                prev = _preceding_word(a, c.token_index - 1)  # "to the Republic of Korea"
            if (prev in LOCATIVE or (d.type == "visit" and prev == "to")) and d.type in {
                "visit",
                "summit",
                "conference",
            }:
                country = c.code
    return country


def _article_places(a: Analysis) -> list[tuple[place_data.Place, Span | None]]:
    """Places of the whole article, in order of trust: the headline's, then the dateline's."""
    candidates = [
        (m.place, Span(m.start, m.end, a.title[m.start : m.end], part="title"))
        for m in a.title_places
    ]
    dateline = a.dateline
    if dateline and dateline.place:
        name = dateline.place.name_ru or dateline.place.name
        start = a.body.find(name, dateline.start, dateline.end)
        span = Span(start, start + len(name), name) if start >= 0 else None
        candidates.append((dateline.place, span))
    return candidates

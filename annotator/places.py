"""Places (venues) from ``fixtures/gazetteer/places.json``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from annotator.gazetteer import PhraseIndex, load
from annotator.model import FoundPlace, Span
from annotator.text import Token


@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    name_ru: str | None
    aliases: tuple[str, ...]
    country: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    place: Place
    token_index: int
    token_end: int


@cache
def places() -> tuple[Place, ...]:
    out = []
    for row in load("places.json")["places"]:
        aliases = [a for a in [row["name_ru"], *row["aliases_ru"], *row["aliases_en"]] if a]
        out.append(
            Place(
                row["geonames_id"],
                row["name"],
                row["name_ru"],
                tuple(aliases),
                row["country"],
                row["lat"],
                row["lon"],
                row["population"],
            )
        )
    return tuple(out)


@cache
def index(lang: str) -> PhraseIndex:
    """Place names of one language → :class:`Place` (the most populous wins a clash)."""
    idx = PhraseIndex()
    for place in sorted(places(), key=lambda p: -p.population):
        if lang == "ru":
            names = [a for a in place.aliases if any("а" <= c.lower() <= "я" for c in a)]
        else:
            names = [place.name, *(a for a in place.aliases if a.isascii())]
        for name in names:
            idx.add(name, place)
    return idx


@cache
def capital_of() -> dict[str, Place]:
    """Country code → its capital, when the gazetteer has it."""
    import pycountry  # noqa: F401  (kept local: only needed here)

    out: dict[str, Place] = {}
    for place in places():
        out.setdefault(place.country, place)
    return out


def find(tokens: list[Token], lang: str) -> list[PlaceMention]:
    return [
        PlaceMention(tokens[i].start, tokens[j - 1].end, place, i, j)
        for i, j, place in index(lang).find(tokens)
    ]


def to_found(place: Place, mention: Span | None) -> FoundPlace:
    aliases = list(dict.fromkeys(a for a in place.aliases if a != place.name))
    return FoundPlace(
        name=place.name,
        aliases=aliases,
        country=place.country,
        lat=place.lat,
        lon=place.lon,
        geonames_id=place.geonames_id,
        mention=mention,
    )

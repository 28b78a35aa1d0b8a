"""Organisations from ``fixtures/gazetteer/organizations.json``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from annotator.gazetteer import PhraseIndex, load
from annotator.text import Token


@dataclass(frozen=True)
class Organization:
    name: str  # canonical (usually the English abbreviation)
    name_ru: str
    aliases: tuple[str, ...]
    country: str | None


@dataclass(frozen=True)
class OrgMention:
    start: int
    end: int
    org: Organization
    token_index: int
    token_end: int


@cache
def organizations() -> tuple[Organization, ...]:
    out = []
    for row in load("organizations.json")["organizations"]:
        aliases = tuple(dict.fromkeys([*row["ru"], *row["en"]]))
        out.append(Organization(row["name"], row["ru"][0], aliases, row.get("country")))
    return tuple(out)


@cache
def index(lang: str) -> PhraseIndex:
    idx = PhraseIndex()
    for org in organizations():
        for alias in org.aliases:
            is_ru = any("а" <= c.lower() <= "я" for c in alias)
            if (lang == "ru") == is_ru or alias.isupper():
                idx.add(alias, org)
    return idx


def find(tokens: list[Token], lang: str) -> list[OrgMention]:
    return [
        OrgMention(tokens[i].start, tokens[j - 1].end, org, i, j)
        for i, j, org in index(lang).find(tokens)
    ]


def by_name(name: str) -> Organization | None:
    for org in organizations():
        if org.name == name:
            return org
    return None

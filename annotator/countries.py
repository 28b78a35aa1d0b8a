"""Country names in Russian and English: pycountry's own names and translations
plus the curated aliases of ``fixtures/gazetteer/countries.json``."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache

import pycountry

from annotator.gazetteer import PhraseIndex, load
from annotator.morph import lemmas
from annotator.text import Token


@dataclass(frozen=True)
class CountryMention:
    start: int
    end: int
    code: str
    adjective: bool  # «казахстанская делегация», "Kazakh Foreign Minister"
    token_index: int  # first token of the mention
    token_end: int


def _translations(lang: str):
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return None


@cache
def _curated() -> dict:
    return load("countries.json")


@cache
def name_index(lang: str) -> PhraseIndex:
    """Country names (nouns) of one language → alpha-2 code."""
    index = PhraseIndex()
    curated = _curated()["countries"]
    for code, entry in curated.items():
        for name in entry.get(lang, []):
            index.add(name, code)
    tr = {"ru": [_translations("ru"), _translations("kk")], "en": []}[lang]
    for country in pycountry.countries:
        names = {country.name, getattr(country, "official_name", None)}
        names.add(getattr(country, "common_name", None))
        names.discard(None)
        for name in names:
            if lang == "en":
                if "," not in name and "(" not in name:
                    index.add(name, country.alpha_2)
                continue
            for translation in tr:
                if translation is None:
                    continue
                local = translation.gettext(name)
                if local != name and "," not in local and "(" not in local:
                    index.add(local, country.alpha_2)
    return index


@cache
def adjective_lemmas(lang: str) -> dict[str, str]:
    """Adjective (ru lemma, en demonym casefolded) → code."""
    out: dict[str, str] = {}
    for code, entry in _curated()["countries"].items():
        for adj in entry.get(f"{lang}_adj", []):
            out.setdefault(adj.casefold().replace("ё", "е"), code)
    return out


@cache
def names(code: str) -> tuple[str, str]:
    """(Russian name, English name) for a code."""
    entry = _curated()["countries"].get(code)
    country = pycountry.countries.get(alpha_2=code)
    en = entry["en"][0] if entry else getattr(country, "common_name", None) or country.name
    if entry:
        ru = entry["ru"][0]
    else:
        tr = _translations("ru")
        ru = tr.gettext(country.name) if tr else country.name
    return ru, en


def find(tokens: list[Token], lang: str) -> list[CountryMention]:
    """Country names and attributive adjectives in ``tokens``."""
    out = [
        CountryMention(tokens[i].start, tokens[j - 1].end, code, False, i, j)
        for i, j, code in name_index(lang).find(tokens)
    ]
    taken = {k for m in out for k in range(m.token_index, m.token_end)}
    adjectives = adjective_lemmas(lang)
    for i, tok in enumerate(tokens):
        if i in taken:
            continue
        for code in _adjective_codes(tok.text, lang, adjectives):
            out.append(CountryMention(tok.start, tok.end, code, True, i, i + 1))
    out.sort(key=lambda m: m.start)
    return out


def _adjective_codes(word: str, lang: str, adjectives: dict[str, str]) -> list[str]:
    if lang == "en":
        if not word[:1].isupper():
            return []
        code = adjectives.get(word.casefold())
        return [code] if code else []
    codes = []
    for part in word.split("-"):
        forms = set(lemmas(part))
        low = part.casefold()
        if low.endswith("о"):
            # first half of a compound: «казахстанско-китайских»
            forms.add(low[:-1] + "ий")
        for form in forms:
            code = adjectives.get(form)
            if code and code not in codes:
                codes.append(code)
                break
    return codes

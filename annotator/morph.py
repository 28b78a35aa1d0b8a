"""Russian morphology through pymorphy3, cached per word form."""

from __future__ import annotations

from functools import lru_cache

import pymorphy3

_analyzer: pymorphy3.MorphAnalyzer | None = None


def analyzer() -> pymorphy3.MorphAnalyzer:
    global _analyzer
    if _analyzer is None:
        _analyzer = pymorphy3.MorphAnalyzer()
    return _analyzer


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple:
    """All pymorphy3 parses of ``word`` (case-insensitive)."""
    return tuple(analyzer().parse(word))


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> frozenset[str]:
    """The word itself and every normal form pymorphy3 offers, casefolded, ё→е."""
    low = word.casefold().replace("ё", "е")
    out = {low}
    if any("а" <= ch <= "я" for ch in low):
        out.update(p.normal_form.replace("ё", "е") for p in parses(low))
    return frozenset(out)


@lru_cache(maxsize=50_000)
def best_lemma(word: str) -> str:
    """The most likely normal form of ``word``, casefolded, ё→е."""
    low = word.casefold().replace("ё", "е")
    if not any("а" <= ch <= "я" for ch in low):
        return low
    found = parses(low)
    return found[0].normal_form.replace("ё", "е") if found else low


def cases(word: str) -> set[str]:
    """Grammatical cases the form can have (empty when unknown)."""
    return {p.tag.case for p in parses(word.casefold()) if p.tag.case}

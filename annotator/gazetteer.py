"""Curated data under ``fixtures/gazetteer`` and phrase matching over tokens.

A :class:`PhraseIndex` maps multi-word names to values. Russian names are
stored as lemma sequences and matched through every lemma pymorphy3 offers
for a text token, so case forms («Казахстана», «в Вене») find their entry.
"""

from __future__ import annotations

import json
import os
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from annotator.morph import best_lemma, lemmas
from annotator.text import Token, norm, tokenize

GAZETTEER_DIR = Path(
    os.environ.get(
        "ANNALS_GAZETTEER_DIR",
        Path(__file__).resolve().parent.parent / "fixtures" / "gazetteer",
    )
)
TOPICS_FILE = Path(
    os.environ.get(
        "ANNALS_TOPICS_FILE", Path(__file__).resolve().parent.parent / "fixtures" / "topics.json"
    )
)


@cache
def load(name: str) -> Any:
    """One JSON file of the gazetteer, parsed once per process."""
    with open(GAZETTEER_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def _is_cyrillic(word: str) -> bool:
    return any("а" <= ch <= "я" or ch == "ё" for ch in word.casefold())


def phrase_key(name: str, *, lemmatize: bool) -> tuple[str, ...]:
    """The token key a name is indexed under."""
    words = [t.text for t in tokenize(name) if t.text not in {"«", "»", '"', "“", "”"}]
    if lemmatize:
        return tuple(best_lemma(w) if _is_cyrillic(w) else norm(w) for w in words)
    return tuple(norm(w) for w in words)


class PhraseIndex:
    """Longest-match lookup of names over a token list.

    Names are proper nouns: a match must start with a capital letter, and an
    all-capitals entry («РК», "UN") matches only a text written in capitals.
    """

    def __init__(self, *, proper: bool = True) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], bool, Any]]] = {}
        self.max_len = 1
        self.proper = proper

    def add(self, name: str, value: Any, *, lemmatize: bool = True) -> None:
        """Index ``name`` (lemmatised for Cyrillic words unless ``lemmatize`` is off)."""
        key = phrase_key(name, lemmatize=lemmatize)
        if not key:
            return
        letters = [c for c in name if c.isalpha()]
        abbrev = len(name) <= 6 and bool(letters) and all(c.isupper() for c in letters)
        if abbrev:
            key = tuple("=" + k for k in phrase_key(name, lemmatize=False))
        bucket = self._by_first.setdefault(key[0], [])
        if all(k != key for k, _, _ in bucket):
            bucket.append((key, abbrev, value))
            bucket.sort(key=lambda kv: -len(kv[0]))
        self.max_len = max(self.max_len, len(key))

    def find(self, tokens: list[Token]):
        """Yield ``(i, j, value)`` for non-overlapping longest matches tokens[i:j]."""
        forms = [_forms(t.text) for t in tokens]
        i = 0
        n = len(tokens)
        while i < n:
            best = None
            first_word = tokens[i].text
            if not self.proper or first_word[:1].isupper():
                for first in forms[i]:
                    for key, abbrev, value in self._by_first.get(first, ()):
                        if best is not None and len(key) <= best[1] - i:
                            break
                        j = i + len(key)
                        if j > n:
                            continue
                        if not all(key[k] in forms[i + k] for k in range(1, len(key))):
                            continue
                        if abbrev and not all(t.text.upper() == t.text for t in tokens[i:j]):
                            continue
                        best = (i, j, value)
                        break
            if best:
                yield best
                i = best[1]
            else:
                i += 1


@lru_cache(maxsize=200_000)
def _forms(word: str) -> frozenset[str]:
    low = norm(word)
    out = set(lemmas(word)) if _is_cyrillic(word) else {low}
    if _is_cyrillic(word) and word[:1].isupper():
        # pymorphy guesses foreign names' lemmas; also try the plain stem
        # («Тяньцзине» → «тяньцзинь», «Ханое» → «ханой»)
        for lemma in list(out):
            if len(lemma) > 3 and lemma[-1] not in "аеиоуыэюяь":
                out.update((lemma + "ь", lemma + "й"))
    out.add("=" + low)
    return frozenset(out)

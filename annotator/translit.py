"""Match keys for names across Cyrillic and Latin spellings.

:func:`name_keys` gives every key a name is indexed under; two spellings of
one name share at least one key: «Ермек Кошербаев» and "Yermek Kosherbayev"
share the consonant skeleton ``~krshbv rmk`` (word order ignored), as do
«Феридун Синирлиоглу» / "Feridun Sinirlioğlu" and «Кристоф Камп» /
"Christophe Kamp". Pure Python, no models.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Readable romanisation in the style of Central Asian English-language wires.
_ROMAN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "і": "i",
    "ў": "u",
    "ҳ": "h",
    "ҷ": "j",
    "ӣ": "i",
    "ӯ": "u",
}
_VOWELS_CYR = set("аеёиоуыэюяьъ")
_NON_WORD = re.compile(r"[^\w]+")
_SPACES = re.compile(r"\s+")
# Spellings of one sound made one, applied in this order.
_SKELETON = [
    (re.compile(r"dzh|dj|zh"), "j"),
    (re.compile(r"shch|sch|sh"), "s"),
    (re.compile(r"tch"), "c"),
    (re.compile(r"ch(?=[bcdfgjklmnpqrstvwxz])"), "k"),  # Christophe → Kristof
    (re.compile(r"ch"), "c"),
    (re.compile(r"ts|tz"), "c"),
    (re.compile(r"kh|gh"), lambda m: m.group()[0] if m.group() == "gh" else "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ck|qu|q"), "k"),
    (re.compile(r"c(?![ch])"), "k"),
]
# vowels and the semivowels y/j are spelt too variably to compare
_VARIABLE = re.compile(r"[aeiouyj']")
_DOUBLED = re.compile(r"(.)\1+")


def romanize(text: str) -> str:
    """Cyrillic → Latin («Ермек Кошербаев» → "Yermek Kosherbayev"); Latin passes through."""
    out = []
    prev = ""
    for ch in text:
        low = ch.lower()
        if low in _ROMAN:
            lat = _ROMAN[low]
            if low == "е" and (not prev or prev in _VOWELS_CYR or not prev.isalpha()):
                lat = "ye"
            if lat and ch.isupper():
                lat = lat[0].upper() + lat[1:]
            out.append(lat)
        else:
            out.append(ch)
        prev = low
    return "".join(out)


def _fold(text: str) -> str:
    """Casefold, ё→е, strip accents, punctuation and hyphens to single spaces."""
    text = text.casefold().replace("ё", "е").replace("ı", "i").replace("й", "\x00")
    text = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).replace("\x00", "й")
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _skeleton_word(word: str) -> str:
    w = word
    for pattern, spelling in _SKELETON:
        w = pattern.sub(spelling, w)
    w = w.replace("x", "ks").replace("w", "f").replace("v", "f")
    w = _VARIABLE.sub("", w)
    return _DOUBLED.sub(r"\1", w)


@lru_cache(maxsize=100_000)
def name_keys(name: str) -> frozenset[str]:
    """Normalised match keys of a person's (or any) name.

    * the folded name itself (casefold, ё→е, no accents, punctuation to spaces);
    * its Latin romanisation when it is Cyrillic (``yermek kosherbayev``);
    * ``~`` + the consonant skeleton (y/j and vowels dropped, v/w/f merged) of
      the romanised words in sorted order, when it has at least four consonants
      (shorter skeletons collide too often).
    """
    folded = _fold(name)
    if not folded:
        return frozenset()
    keys = {folded}
    latin = _fold(romanize(folded))
    keys.add(latin)
    words = [w for w in (_skeleton_word(w) for w in latin.split()) if w]
    if sum(len(w) for w in words) >= 4:
        keys.add("~" + " ".join(sorted(words)))
    return frozenset(keys)


def same_name(a: str, b: str) -> bool:
    """True when two spellings share a match key."""
    return bool(name_keys(a) & name_keys(b))

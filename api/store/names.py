"""Normalised name keys: how entity and place names are matched and searched.

Three kinds of key are stored per name (``EntityName``/``PlaceName``):

- the name itself, normalised (case-folded, ё read as е, punctuation dropped);
- its Latin romanisation («Ермек Кошербаев» → ``yermek kosherbayev``), so a
  name written in either script finds the other;
- a consonant skeleton tagged with the script it came from
  (``~cyrl:ksrbf rmk``): it matches only a name of the *other* script, where
  spellings differ («Кристоф Камп» / "Christophe Kamp") but never two names of
  one script, where a near-miss is another person (Марат / Мурат).

The first two are "full" keys (they resolve writes); the words of a name from
each word on are search-only keys for ``q`` prefix search.
"""

from __future__ import annotations

import re
import unicodedata

from annotator.translit import name_keys as translit_keys

_PUNCT = re.compile(r"[«»\"“”„'’`().,;:!?~]+")
_SPACE = re.compile(r"\s+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def normalize(name: str) -> str:
    """Case-folded, ё read as е, quotes and punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", name or "").casefold().replace("ё", "е")
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def _script(name: str) -> str:
    return "cyrl" if _CYRILLIC.search(name) else "latn"


def exact_keys(names: list[str]) -> set[str]:
    """Keys that identify a thing by a whole name: the name and its romanisation."""
    keys: set[str] = set()
    for name in names:
        key = normalize(name)
        if not key:
            continue
        keys.add(key)
        keys.update(k for k in translit_keys(name) if not k.startswith("~"))
    return keys


def skeleton_keys(names: list[str]) -> set[str]:
    """Script-tagged consonant skeletons of the names (see the module docstring)."""
    return {
        f"~{_script(name)}:{k[1:]}"
        for name in names
        for k in translit_keys(name)
        if k.startswith("~")
    }


def cross_script(skeletons: set[str]) -> set[str]:
    """The skeleton keys a name of the other script would carry."""
    swap = {"~cyrl:": "~latn:", "~latn:": "~cyrl:"}
    return {swap[k[:6]] + k[6:] for k in skeletons}


def full_keys(names: list[str]) -> set[str]:
    """Every key stored as "full" for ``names``: exact keys and skeletons."""
    return exact_keys(names) | skeleton_keys(names)


def search_keys(names: list[str]) -> set[str]:
    """The keys ``q`` prefix search looks in besides the full ones: each name from each of
    its words on (in both scripts)."""
    keys: set[str] = set()
    for key in exact_keys(names):
        parts = key.split(" ")
        keys.update(" ".join(parts[i:]) for i in range(1, len(parts)))
    return keys - full_keys(names)


def prefix_bounds(text: str) -> tuple[str, str] | None:
    """The key range ``[low, high)`` holding every key that starts with ``text``."""
    low = normalize(text)
    if not low:
        return None
    return low, low + "\U0010ffff"

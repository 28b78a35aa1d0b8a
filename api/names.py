"""Normalised name keys: how entity and place names are matched and searched."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[«»\"“”„'’`().,;:!?]+")
_SPACE = re.compile(r"\s+")


def normalize(name: str) -> str:
    """Case-folded, ё read as е, quotes and punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", name or "").casefold().replace("ё", "е")
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def full_keys(names: list[str]) -> set[str]:
    """The keys that identify a thing by any of its whole names."""
    return {key for key in (normalize(n) for n in names) if key}


def search_keys(names: list[str]) -> set[str]:
    """The keys ``q`` prefix search looks in: each name from each of its words on."""
    keys: set[str] = set()
    for key in full_keys(names):
        parts = key.split(" ")
        keys.update(" ".join(parts[i:]) for i in range(1, len(parts)))
    return keys - full_keys(names)


def prefix_bounds(text: str) -> tuple[str, str] | None:
    """The key range ``[low, high)`` holding every key that starts with ``text``."""
    low = normalize(text)
    if not low:
        return None
    return low, low + "\U0010ffff"

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
each of its first ``SEARCH_WORDS`` words on are search-only keys for ``q`` prefix search.
A key longer than its column is stored cut, ending in a digest of the whole (``stored``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from annotator.translit import name_keys as translit_keys
from api.store.models import EntityName, PlaceName

# A name's search keys start at each of its first this many words, so what one name stores
# is bounded (a key per word and script) whatever its length or what NFKC makes of it («ﷺ»
# is four words); the name of a person, body or place runs to fewer.
SEARCH_WORDS = 10

# The characters a key column holds, and those of the digest ending a longer key.
KEY_LENGTH = min(EntityName.key.max_length, PlaceName.key.max_length)
_DIGEST = 16

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


def stored(keys: Iterable[str]) -> set[str]:
    """``keys`` as their column holds them: one longer than it (NFKC and romanisation make
    a name of 300 characters up to 18 times as long: «ﷺ», «Щ» is ``shch``) keeps its
    start, so ``q`` (at most 200 characters) still finds it by prefix, and ends in a digest
    of the whole key, so two names alike in their first 283 characters stay two names."""
    return {_stored(key) for key in keys}


def _stored(key: str) -> str:
    if len(key) <= KEY_LENGTH:
        return key
    digest = hashlib.blake2b(key.encode(), digest_size=_DIGEST // 2).hexdigest()
    return f"{key[: KEY_LENGTH - _DIGEST - 1]}#{digest}"


def full_keys(names: list[str]) -> set[str]:
    """Every key stored as "full" for ``names``: exact keys and skeletons, as stored."""
    return stored(exact_keys(names) | skeleton_keys(names))


def search_keys(names: list[str]) -> set[str]:
    """The keys ``q`` prefix search looks in besides the full ones, as stored: each name
    from each of its first ``SEARCH_WORDS`` words on (in both scripts)."""
    keys: set[str] = set()
    for key in exact_keys(names):
        parts = key.split(" ")
        keys.update(" ".join(parts[i:]) for i in range(1, min(len(parts), SEARCH_WORDS)))
    return stored(keys) - full_keys(names)


def prefix_bounds(text: str) -> tuple[str, str] | None:
    """The key range ``[low, high)`` holding every key that starts with ``text``."""
    low = normalize(text)
    if not low:
        return None
    return low, low + "\U0010ffff"

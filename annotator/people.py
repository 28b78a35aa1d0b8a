"""People in an article: their mentions and positions, the gazetteer of known
people, and the clustering of later mentions («Е.Кошербаев», «Кошербаев») onto
the full name.

Names are found per language: :mod:`annotator.russian_names` (from natasha's
NER spans) and :mod:`annotator.english_names` (by rule); position phrases by
:mod:`annotator.positions`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

from annotator import morph
from annotator.gazetteer import load
from annotator.text import norm
from annotator.translit import name_keys, romanize

# Lower-case words inside a name («Урсула фон дер Ляйен», "Faisal bin Farhan"):
# part of the name, yet neither a given name nor a surname.
PARTICLES = {
    "фон", "дер", "де", "ван", "бин", "ибн", "аль", "ал", "ди", "да", "дос", "эль", "ла", "ле",
    "von", "der", "van", "de", "bin", "ibn", "al", "el", "di", "da", "dos", "du", "la", "le",
    "ul", "bint", "den", "ter",
}  # fmt: skip


@dataclass
class Position:
    text: str  # nominative, as written otherwise
    head: str  # canonical head lemma ("министр", "генеральный секретарь")
    start: int
    end: int
    country: str | None = None
    org: str | None = None
    plural: bool = False


@dataclass
class PersonMention:
    start: int
    end: int
    surface: str
    words: list[str]  # name words in the nominative, no initials
    initials: str = ""
    position: Position | None = None
    cluster: int = -1

    @property
    def name(self) -> str:
        return " ".join(self.words)


@dataclass
class Person:
    """All mentions of one person in an article."""

    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[PersonMention] = field(default_factory=list)
    position: Position | None = None
    country: str | None = None
    org: str | None = None

    @property
    def surname(self) -> str:
        return norm(self.name.split()[-1])

    @property
    def first_start(self) -> int:
        return min(m.start for m in self.mentions)


# ---------------------------------------------------------------- gazetteer


@cache
def known_people() -> tuple[dict, ...]:
    return tuple(load("persons.json")["persons"])


@cache
def _known_by_key() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for row in known_people():
        for spelling in [row["ru"], *row["aliases"]]:
            for key in name_keys(spelling):
                out.setdefault(key, row)
    return out


@cache
def _known_by_surname() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in known_people():
        for spelling in [row["ru"], *row["aliases"]]:
            out.setdefault(norm(spelling.split()[-1]), []).append(row)
    return out


def known(name: str) -> dict | None:
    """The gazetteer entry of a full name in any spelling, if any."""
    table = _known_by_key()
    for key in name_keys(name):
        if key in table:
            return table[key]
    return None


def known_with_surname(word: str) -> list[dict]:
    """Gazetteer entries one of whose spellings ends in the surname ``word``."""
    return _known_by_surname().get(norm(word), [])


# ------------------------------------------------------------- clustering


def cluster(mentions: list[PersonMention]) -> list[Person]:
    """Group mentions of one person; the longest full name is the canonical one."""
    people: list[Person] = []
    ordered = sorted(mentions, key=lambda m: (-len(m.words), m.start))
    for m in ordered:
        target = next((idx for idx, person in enumerate(people) if _same_person(m, person)), None)
        if target is None:
            people.append(Person(name=m.name))
            target = len(people) - 1
        m.cluster = target
        people[target].mentions.append(m)
    for person in people:
        _complete(person)
    people.sort(key=lambda p: p.first_start)
    for idx, person in enumerate(people):
        for m in person.mentions:
            m.cluster = idx
    return people


def _same_person(m: PersonMention, person: Person) -> bool:
    """Whether ``m`` names ``person``: the same name, or the surname in any case form
    with a matching given name or initial when the mention has one."""
    pwords = person.name.split()
    last = norm(m.words[-1]) if m.words else ""
    return norm(person.name) == norm(m.name) or bool(
        last
        and (last == person.surname or last in _surname_forms(pwords[-1]))
        and (len(m.words) == 1 or norm(m.words[0]) == norm(pwords[0]))
        and (not m.initials or norm(m.initials[0]) == norm(pwords[0][0]))
    )


@lru_cache(maxsize=20_000)
def _surname_forms(surname: str) -> frozenset[str]:
    low = norm(surname)
    forms = {low}
    for p in morph.parses(low):
        if p.lexeme and len(p.lexeme) < 40:
            forms.update(norm(x.word) for x in p.lexeme)
    for end in ("а", "у", "ым", "ом", "ем", "е", "ой", "ы", "ою"):
        forms.add(low + end)
    return frozenset(forms)


def _complete(person: Person) -> None:
    """Canonical name, aliases, position, country and organisation of a clustered person."""
    mentions = sorted(person.mentions, key=lambda m: m.start)
    full = max(mentions, key=lambda m: (len(m.words), -m.start))
    person.name = full.name
    entry = known(person.name)
    if entry is None and len(full.words) == 1:
        rows = known_with_surname(full.words[0])
        initials = {norm(m.initials[0]) for m in mentions if m.initials}
        if len(rows) > 1 and len(initials) == 1:
            # «С.Бердымухамедов»: the office-holder of that given name's initial
            (first,) = initials
            rows = [r for r in rows if any(norm(n)[:1] == first for n in (r["ru"], *r["aliases"]))]
        if len(rows) == 1:
            entry = rows[0]
            person.name = entry["ru"] if _cyr(full.words[0]) else entry["aliases"][0]
    aliases: list[str] = []
    for m in mentions:
        aliases.append(m.name)
        if m.initials:
            aliases.append(m.initials + m.name)
            aliases.append(m.initials + " " + m.name)
    if entry:
        aliases.extend([entry["ru"], *entry["aliases"]])
        person.country = entry.get("country")
        person.org = entry.get("org")
    if _cyr(person.name):
        aliases.append(romanize(person.name))
    person.aliases = [a for a in dict.fromkeys(aliases) if a and a != person.name]
    person.position = next((m.position for m in mentions if m.position is not None), None)
    if person.position is not None and (person.position.country or person.position.org):
        person.country = person.position.country
        person.org = person.position.org or person.org


def _cyr(text: str) -> bool:
    return any("а" <= c.lower() <= "я" for c in text)

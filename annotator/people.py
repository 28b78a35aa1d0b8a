"""People: names in the nominative, their positions, and the clustering of
later mentions («Е.Кошербаев», «Кошербаев») onto the full name.

Russian names come from natasha's NER spans; English names from rules
(capitalised words, name particles, titles and positions before them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from annotator import morph
from annotator.gazetteer import PhraseIndex, load
from annotator.text import Token, norm
from annotator.translit import name_keys, romanize

PARTICLES = {
    "фон",
    "дер",
    "де",
    "ван",
    "бин",
    "ибн",
    "аль",
    "ал",
    "ди",
    "да",
    "дос",
    "эль",
    "ла",
    "ле",
    "von",
    "der",
    "van",
    "de",
    "bin",
    "ibn",
    "al",
    "el",
    "di",
    "da",
    "dos",
    "du",
    "la",
    "le",
    "ul",
    "bint",
    "den",
    "ter",
}
_CASE_ORDER = ("nomn", "gent", "datv", "ablt", "accs", "loct")
_STOP_BACK_RU = {
    "с",
    "со",
    "к",
    "ко",
    "от",
    "у",
    "при",
    "между",
    "для",
    "о",
    "об",
    "за",
    "что",
    "как",
}
_INITIAL = re.compile(r"^([A-ZА-ЯЁ])\.\s*")


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


# ---------------------------------------------------------------- gazetteers


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


@cache
def position_index(lang: str) -> PhraseIndex:
    data = load("positions.json")
    idx = PhraseIndex(proper=False)
    aliases = data[f"{lang}_alias"]
    for phrase in data[lang]:
        idx.add(phrase, aliases.get(phrase, phrase))
    return idx


# ------------------------------------------------------ Russian normalisation


def _name_parses(word: str):
    return [p for p in morph.parses(word) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]


def _case_set(word: str) -> set[str] | None:
    """Cases a name word can be in; None when it is indeclinable or unknown."""
    found = _name_parses(word) or [
        p for p in morph.parses(word) if p.tag.POS == "NOUN" and p.score >= 0.1
    ]
    if not found or any("Fixd" in p.tag for p in found):
        return None
    return {p.tag.case for p in found if p.tag.case}


def _gender(word: str) -> str | None:
    for p in _name_parses(word):
        if "Name" in p.tag and p.tag.gender:
            return p.tag.gender
    return None


def _given_gender(word: str) -> str | None:
    """Gender of a given name when one of its (hyphen) parts is unambiguous."""
    for part in word.split("-"):
        genders = {
            str(p.tag.gender) for p in _name_parses(part) if "Name" in p.tag and p.tag.gender
        }
        if len(genders) == 1:
            return genders.pop()
    return None


def _decline(word: str, case: str, gender: str | None, first: bool) -> str:
    """``word`` put into the nominative, when a parse in ``case`` allows it."""
    if "-" in word:
        head, _, last = word.rpartition("-")
        return head + "-" + _decline(last, case, gender, first)
    low = word.casefold()
    best = None
    for p in morph.parses(low):
        if p.tag.case != case or p.tag.POS != "NOUN" or p.tag.number == "plur":
            continue
        named = {"Surn", "Name", "Patr"} & set(p.tag.grammemes)
        if named and gender and p.tag.gender and str(p.tag.gender) != gender:
            continue
        rank = 0 if ({"Name"} if first else {"Surn", "Name"}) & set(p.tag.grammemes) else 1
        target = {"nomn", "sing"}
        if gender and "Surn" in p.tag:
            target.add(gender)
        form = p.inflect(target) or (p.inflect({"nomn"}))
        if form is None:
            continue
        cand = form.word
        common = len(_common_prefix(cand, low))
        if common < max(2, len(low) - 3) or len(cand) < 2:
            continue
        if best is None or rank < best[0]:
            best = (rank, cand)
    if best is None:
        return word
    return _recase(best[1], word)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _recase(new: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return new.upper()
    return "-".join(part[:1].upper() + part[1:] for part in new.split("-"))


def nominative_ru(words: list[str], hint: str | None = None) -> list[str]:
    """Put a Russian name (list of words) into the nominative.

    The case comes from the given name (its Name parses), else from what all
    declinable words share, else from ``hint`` (the case of the position noun
    before the name). A word with no parse in that case is indeclinable
    («Брату», «Телалиан», «Синирлиоглу») and stays as written.
    """
    core = [w for w in words if w.casefold() not in PARTICLES]
    if not core:
        return words
    first_part = core[0].rpartition("-")[2]
    gender = _given_gender(core[0])

    def fits(p) -> bool:
        return not gender or not p.tag.gender or str(p.tag.gender) == gender

    given = {
        p.tag.case for p in _name_parses(first_part) if "Name" in p.tag and p.tag.case and fits(p)
    }
    rest: set[str] = set()
    for w in core[1:]:
        part = w.rpartition("-")[2]
        rest |= {p.tag.case for p in _name_parses(part) if p.tag.case and fits(p)}
    last = core[-1].rpartition("-")[2]
    any_last = {
        p.tag.case for p in morph.parses(last.casefold()) if p.tag.POS == "NOUN" and p.tag.case
    }
    if hint and (
        hint in rest or (not rest and hint in any_last) or (0 < len(given) < 6 and hint in given)
    ):
        case = hint
    elif len(given) == 1:
        case = next(iter(given))
    elif rest and "nomn" not in rest:
        both = given & rest
        case = next(c for c in _CASE_ORDER if c in (both or rest))
    elif "ablt" in any_last and re.search(r"(ом|ем|ой|ей|ым|им|ою)$", last):
        case = "ablt"
    elif given and "nomn" not in given:
        case = next(c for c in _CASE_ORDER if c in given)
    else:
        case = "nomn"
    if case == "nomn":
        return words
    out = []
    first = True
    for w in words:
        if w.casefold() in PARTICLES:
            out.append(w)
            continue
        out.append(_decline(w, case, gender, first))
        first = False
    return out


def _split_name(text: str) -> tuple[str, list[str]]:
    initials = ""
    rest = text.strip()
    while True:
        m = _INITIAL.match(rest)
        if not m:
            break
        initials += m.group(1) + "."
        rest = rest[m.end() :]
    words = [w for w in re.split(r"\s+", rest) if w]
    return initials, words


# ---------------------------------------------------------------- positions


def _position_before(
    tokens: list[Token],
    i: int,
    heads: dict[int, tuple[int, str]],
    blocked: set[int],
    body: str,
    lang: str,
) -> tuple[int, int, str] | None:
    """The position phrase ending right before token ``i``: (head start, end, head)."""
    k = i - 1
    steps = 0
    while k >= 0 and steps < 14:
        if k in blocked:
            return None
        for hs, (he, head) in heads.items():
            if he - 1 == k or (hs <= k < he):
                return hs, i, head
        word = tokens[k].text
        low = word.casefold()
        if lang == "ru":
            if word in {",", ".", ";", ":", "—", "–", "!", "?"} or low in _STOP_BACK_RU:
                return None
            if word.isalpha() and any(
                p.tag.POS in {"VERB", "INFN", "GRND", "PRTF", "PRTS"} and p.score > 0.3
                for p in morph.parses(low)
            ):
                return None
        else:
            if word in {",", ".", ";", ":", "—", "–", "!", "?"} or low in {
                "with",
                "and",
                "met",
                "by",
                "from",
                "to",
                "between",
                "said",
                "told",
                "that",
            }:
                return None
        k -= 1
        steps += 1
    return None


def _nominative_position(text: str, tokens: list[Token], lang: str) -> str:
    """«генеральным секретарём ОБСЕ» → «генеральный секретарь ОБСЕ» (head only)."""
    if lang != "ru":
        return text
    base = tokens[0].start
    out = []
    cut = 0
    for tok in tokens:
        low = tok.text.casefold()
        parses = [p for p in morph.parses(low) if p.tag.POS in {"NOUN", "ADJF"}]
        if not parses:
            break
        p = parses[0]
        form = p.inflect({"nomn", "sing"}) if p.tag.case != "nomn" else None
        word = form.word if form else low
        if tok.text[:1].isupper() and len(out) > 0:
            word = tok.text  # proper names inside the head stay
        out.append((tok.start - base, tok.end - base, word))
        cut = tok.end - base
        if p.tag.POS == "NOUN":
            break
    if not out:
        return text
    head = " ".join(w for _, _, w in out)
    return (head + text[cut:]).strip()


def position_case(word: str) -> str | None:
    """Case of a position noun («Послом» → ablt); None for other words."""
    if len(word) <= 2:
        return None
    for p in morph.parses(word.casefold()):
        if p.tag.POS == "NOUN" and p.tag.case and "Fixd" not in p.tag:
            return p.tag.case
    return None


# ------------------------------------------------------------- clustering


def cluster(mentions: list[PersonMention]) -> list[Person]:
    """Group mentions of one person; the longest full name is the canonical one."""
    people: list[Person] = []
    ordered = sorted(mentions, key=lambda m: (-len(m.words), m.start))
    for m in ordered:
        target = None
        last = norm(m.words[-1]) if m.words else ""
        for idx, person in enumerate(people):
            pwords = person.name.split()
            if norm(person.name) == norm(m.name) or (
                last
                and (last == person.surname or last in _surname_forms(person.name.split()[-1]))
                and (len(m.words) == 1 or norm(m.words[0]) == norm(pwords[0]))
                and (not m.initials or norm(m.initials[0]) == norm(pwords[0][0]))
            ):
                target = idx
                break
        if target is None:
            people.append(Person(name=m.name))
            target = len(people) - 1
        m.cluster = target
        people[target].mentions.append(m)
    for person in people:
        _finish(person)
    people.sort(key=lambda p: p.first_start)
    for idx, person in enumerate(people):
        for m in person.mentions:
            m.cluster = idx
    return people


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


def _finish(person: Person) -> None:
    mentions = sorted(person.mentions, key=lambda m: m.start)
    full = max(mentions, key=lambda m: (len(m.words), -m.start))
    person.name = full.name
    entry = known(person.name)
    if entry is None and len(full.words) == 1:
        rows = _known_by_surname().get(norm(full.words[0]), [])
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
    for m in mentions:
        if m.position is not None:
            person.position = m.position
            break
    if person.position is not None and (person.position.country or person.position.org):
        person.country = person.position.country
        person.org = person.position.org or person.org


def _cyr(text: str) -> bool:
    return any("а" <= c.lower() <= "я" for c in text)


# ------------------------------------------------------------------ finders

_EN_NOT_NAME = {
    # function words that open sentences
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "following",
    "according",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "both",
    "also",
    "later",
    "earlier",
    "meanwhile",
    "however",
    "today",
    "yesterday",
    "tomorrow",
    "as",
    "for",
    "with",
    "by",
    "from",
    "to",
    "of",
    "and",
    "or",
    "but",
    "while",
    "when",
    "since",
    "under",
    "over",
    "his",
    "her",
    "their",
    "its",
    "our",
    "there",
    "here",
    "such",
    "other",
    "several",
    "many",
    "some",
    "all",
    "each",
    "then",
    "last",
    "next",
    "first",
    "new",
    "mr",
    "mrs",
    "ms",
    "dr",
    # months and weekdays
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    # office and institution words
    "minister",
    "ministers",
    "ministry",
    "foreign",
    "affairs",
    "president",
    "presidential",
    "prime",
    "deputy",
    "vice",
    "chairman",
    "chairwoman",
    "chair",
    "speaker",
    "ambassador",
    "envoy",
    "secretary",
    "general",
    "director",
    "head",
    "representative",
    "special",
    "high",
    "commissioner",
    "commission",
    "mayor",
    "governor",
    "akim",
    "hokim",
    "king",
    "queen",
    "prince",
    "emir",
    "sheikh",
    "sultan",
    "crown",
    "council",
    "forum",
    "summit",
    "conference",
    "committee",
    "agency",
    "bank",
    "fund",
    "declaration",
    "agreement",
    "memorandum",
    "programme",
    "program",
    "initiative",
    "partnership",
    "strategy",
    "plan",
    "route",
    "corridor",
    "office",
    "embassy",
    "palace",
    "centre",
    "center",
    "hall",
    "residence",
    "hotel",
    "university",
    "institute",
    "academy",
    "school",
    "parliament",
    "senate",
    "mazhilis",
    "majlis",
    "assembly",
    "chamber",
    "government",
    "cabinet",
    "administration",
    "presidency",
    "secretariat",
    "republic",
    "kingdom",
    "federation",
    "union",
    "organization",
    "organisation",
    "league",
    "group",
    "association",
    "company",
    "corporation",
    "holding",
    "airport",
    "station",
    "port",
    "railway",
    "railways",
    "river",
    "lake",
    "sea",
    "state",
    "states",
    "united",
    "nations",
    "national",
    "international",
    "regional",
    "central",
    "northern",
    "southern",
    "eastern",
    "western",
    "european",
    "asian",
    "arab",
    "islamic",
    "joint",
    "strategic",
    "economic",
    "global",
    "gateway",
    "green",
    "digital",
    "year",
    "day",
    "week",
    "session",
    "meeting",
    "talks",
    "visit",
    "press",
    "service",
    "news",
    "official",
    "officials",
    "delegation",
    "cooperation",
    "development",
    "security",
    "trade",
    "energy",
    "investment",
    "human",
    "rights",
    "media",
    "freedom",
    "democratic",
    "institutions",
    "chief",
    "executive",
    "managing",
    "permanent",
    "senior",
    "acting",
    "former",
    "excellency",
    "majesty",
    "highness",
    "hpp",
    "gas",
    "oil",
    "power",
    "plant",
    "project",
    "north",
    "south",
    "east",
    "west",
    "asia",
    "europe",
    "eurasian",
    "caspian",
    "trans-caspian",
    "minister-counsellor",
    "counsellor",
    "adviser",
    "advisor",
    "consul",
    "spokesperson",
    "spokesman",
    "akorda",
    "kremlin",
    "white",
    "house",
    "ak",
    "orda",
    "road",
    "belt",
    "one",
    "two",
    "three",
    "ceo",
    "chairperson",
    "co-chair",
    "resident",
    "coordinator",
    "mission",
    "parliamentary",
    "member",
    "members",
    "leaders",
    "leader",
    "heads",
    "side",
    "sides",
    "party",
    "parties",
}
_EN_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sheikh",
    "sultan",
    "emir",
    "king",
    "queen",
    "prince",
    "excellency",
    "h.e",
}
_EN_VERBS = {
    "met",
    "said",
    "told",
    "held",
    "spoke",
    "took",
    "made",
    "gave",
    "noted",
    "stressed",
    "emphasized",
    "emphasised",
    "discussed",
    "received",
    "welcomed",
    "thanked",
    "visited",
    "signed",
    "attended",
    "arrived",
    "invited",
    "expressed",
    "underlined",
    "highlighted",
    "informed",
    "briefed",
    "congratulated",
    "proposed",
    "praised",
    "added",
    "called",
    "paid",
    "chaired",
    "opened",
    "addressed",
    "hosted",
    "and",
    "was",
    "is",
    "has",
    "had",
    "will",
}
_NAME_WORD = re.compile(r"^[A-ZÀ-ÞĞİŞÇÖÜŁŽČŠ][\w'’\-]*$")


def _is_name_word(word: str) -> bool:
    return (
        bool(_NAME_WORD.match(word))
        and not (word.isupper() and len(word) > 1)
        and (word.casefold() not in _EN_NOT_NAME)
    )


def _heads(tokens: list[Token], lang: str) -> dict[int, tuple[int, str]]:
    return {i: (j, head) for i, j, head in position_index(lang).find(tokens)}


def _position(
    body: str,
    tokens: list[Token],
    hs: int,
    i: int,
    head: str,
    lang: str,
    countries: list,
    orgs: list,
) -> Position:
    text = body[tokens[hs].start : tokens[i - 1].end]
    words = [t for t in tokens[hs:i] if t.text.isalpha() or "-" in t.text]
    nominal = _nominative_position(text, words, lang) if words else text
    if lang == "ru" and nominal[:1].isupper() and not nominal[:2].isupper():
        nominal = nominal[0].lower() + nominal[1:]
    country = org = None
    for c in countries:
        if hs <= c.token_index < i and not (
            c.token_index > 0 and tokens[c.token_index - 1].text.casefold() in {"в", "во", "in"}
        ):
            country = c.code
            break
    for o in orgs:
        if hs <= o.token_index < i:
            org = o.org.name
            break
    plural = lang == "ru" and any(
        p.tag.number == "plur" and p.score > 0.3 for p in morph.parses(tokens[hs].text.casefold())
    )
    if lang == "en":
        plural = tokens[hs].text.casefold().endswith("s") and tokens[hs].text.casefold() not in {
            "chairs"
        }
    return Position(nominal, head, tokens[hs].start, tokens[i - 1].end, country, org, plural)


def find_ru(
    body: str, tokens: list[Token], ner_spans, countries: list, orgs: list, places: list
) -> tuple[list[PersonMention], list[Position]]:
    """Person mentions from natasha's PER spans, plus position phrases with no name."""
    starts = {t.start: k for k, t in enumerate(tokens)}
    ends = {t.end: k for k, t in enumerate(tokens)}
    heads = _heads(tokens, "ru")
    non_person = {
        k for m in [*countries, *orgs, *places] for k in range(m.token_index, m.token_end)
    }
    spans = []
    for span in ner_spans:
        if span.type != "PER":
            continue
        i = starts.get(span.start)
        j = ends.get(span.stop)
        if i is None or j is None:
            continue
        j += 1
        if all(k in non_person for k in range(i, j)):
            continue
        spans.append((i, j))
    person_tokens = {k for i, j in spans for k in range(i, j)}
    mentions = []
    for i, j in spans:
        surface = body[tokens[i].start : tokens[j - 1].end]
        initials, words = _split_name(surface)
        words = [w for w in words if any(c.isalpha() for c in w)]
        if not words:
            continue
        found = _position_before(tokens, i, heads, person_tokens - set(range(i, j)), body, "ru")
        position = hint = None
        if found:
            hs, _, head = found
            position = _position(body, tokens, hs, i, head, "ru", countries, orgs)
            hint = next(
                (c for c in (position_case(t.text) for t in tokens[hs : heads[hs][0]]) if c), None
            )
        words = nominative_ru(words, hint)
        mentions.append(
            PersonMention(tokens[i].start, tokens[j - 1].end, surface, words, initials, position)
        )
    refs = _position_refs(body, tokens, heads, person_tokens, "ru", countries, orgs)
    return mentions, refs


def _position_refs(body, tokens, heads, person_tokens, lang, countries, orgs) -> list[Position]:
    """Position phrases not followed by a name («с генсеком ОБСЕ»): later references."""
    refs = []
    for hs, (he, head) in heads.items():
        k = he
        while k < len(tokens) and k - he < 8 and k not in person_tokens:
            if tokens[k].text in {",", ".", ";", ":", "—", "–", "!", "?"}:
                break
            k += 1
        if k < len(tokens) and k in person_tokens:
            continue
        end = he
        for c in countries:
            if c.token_index == end and not c.adjective:
                end = c.token_end
        for o in orgs:
            if o.token_index == end:
                end = o.token_end
        refs.append(_position(body, tokens, hs, end, head, lang, countries, orgs))
    return refs


def find_en(
    body: str, tokens: list[Token], countries: list, orgs: list, places: list
) -> tuple[list[PersonMention], list[Position]]:
    """Person mentions in English text by rule."""
    heads = _heads(tokens, "en")
    head_tokens = {k for i, (j, _) in heads.items() for k in range(i, j)}
    non_person = {
        k for m in [*countries, *orgs, *places] for k in range(m.token_index, m.token_end)
    }
    blocked = non_person | head_tokens
    n = len(tokens)
    spans: list[tuple[int, int, bool]] = []
    i = 0
    while i < n:
        if i in blocked or not _is_name_word(tokens[i].text):
            i += 1
            continue
        j = i + 1
        while j < n:
            word = tokens[j].text
            if (
                j not in blocked
                and _is_name_word(word)
                and tokens[j].start - tokens[j - 1].end <= 1
            ) or (
                word.casefold() in PARTICLES
                and j + 1 < n
                and (
                    _is_name_word(tokens[j + 1].text) or tokens[j + 1].text.casefold() in PARTICLES
                )
            ):
                j += 1
            else:
                break
        while j > i + 1 and tokens[j - 1].text.casefold() in PARTICLES:
            j -= 1
        spans.append((i, j, False))
        i = j
    mentions = []
    person_tokens = {k for i, j, _ in spans for k in range(i, j)}
    trimmed = []
    for i, j, flag in spans:
        # "Commissioner for International Partnerships Jozef Síkela": the first
        # capitalised word after "for"/"of" belongs to the title
        while (
            j - i >= 3
            and i
            and (
                tokens[i - 1].text.casefold() in {"for", "of", "on", "and"}
                or tokens[i - 1].text[:1].isupper()
            )
        ):
            i += 1
        trimmed.append((i, j, flag))
    spans = trimmed
    for i, j, _ in spans:
        words = [t.text for t in tokens[i:j]]
        surface = body[tokens[i].start : tokens[j - 1].end]
        prev = tokens[i - 1].text.casefold().rstrip(".") if i else ""
        found = _position_before(tokens, i, heads, person_tokens - set(range(i, j)), body, "en")
        position = None
        if found:
            hs, _, head = found
            position = _position(body, tokens, hs, i, head, "en", countries, orgs)
        nxt = tokens[j].text.casefold() if j < n else ""
        appos = None
        if nxt == "," and j + 1 < n:
            k = j + 1
            while k < n and k - j < 4 and k not in heads:
                k += 1
            if k in heads:
                end = heads[k][0]
                while end < n and tokens[end].text not in {",", ".", ";"} and end - k < 10:
                    end += 1
                appos = _position(body, tokens, k, end, heads[k][1], "en", countries, orgs)
        evidence = (
            found is not None
            or appos is not None
            or prev in _EN_TITLES
            or known(" ".join(words)) is not None
            or (len(words) >= 2 and nxt in _EN_VERBS)
        )
        if len(words) == 1:
            rows = _known_by_surname().get(norm(words[0]), [])
            evidence = evidence and (prev in _EN_TITLES or found is not None or bool(rows))
            if not rows and not found and prev not in _EN_TITLES:
                evidence = False
        if not evidence:
            continue
        mentions.append(
            PersonMention(tokens[i].start, tokens[j - 1].end, surface, words, "", position or appos)
        )
    # bare surnames of people already named ("Kosherbayev said")
    surnames = {norm(m.words[-1]) for m in mentions if len(m.words) >= 2}
    taken = {k for m in mentions for k in range(_tok(tokens, m.start), _tok(tokens, m.end - 1) + 1)}
    for i, tok in enumerate(tokens):
        if (
            i not in taken
            and i not in blocked
            and norm(tok.text) in surnames
            and tok.text[:1].isupper()
        ):
            mentions.append(PersonMention(tok.start, tok.end, tok.text, [tok.text]))
    mentions.sort(key=lambda m: m.start)
    refs = _position_refs(body, tokens, heads, person_tokens, "en", countries, orgs)
    return mentions, refs


def _tok(tokens: list[Token], offset: int) -> int:
    lo, hi = 0, len(tokens) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo

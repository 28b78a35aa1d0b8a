"""Russian person names: mentions from natasha's PER spans, put into the
nominative («с Петером Сийярто» → «Петер Сийярто») through pymorphy3, with the
position phrase before each name."""

from __future__ import annotations

import re

from annotator import morph
from annotator.people import PARTICLES, PersonMention, Position
from annotator.positions import heads as position_heads
from annotator.positions import position_at, position_before, position_case, position_refs
from annotator.text import Token

# Cases in the order a tie between them is settled.
_CASE_ORDER = ("nomn", "gent", "datv", "ablt", "accs", "loct")
_INITIAL = re.compile(r"^([A-ZА-ЯЁ][a-zа-яё]?)\.\s*")  # «Е.», «Дж.»
# The case a preposition right before a name governs, when nothing else tells it:
# «с Михаем Попшой», «у Ильхама Алиева».
_PREPOSITION_CASE = {"с": "ablt", "со": "ablt", "у": "gent", "от": "gent", "для": "gent",
                     "к": "datv", "ко": "datv"}  # fmt: skip
# Instrumental endings: a foreign surname that pymorphy3 only guesses at («Ямадой»)
# is read as ablt by its ending when the given name does not tell the case.
_ABLT_ENDING = re.compile(r"(ом|ем|ой|ей|ым|им|ою)$")


def find(
    body: str, tokens: list[Token], ner_spans, countries: list, orgs: list, places: list
) -> tuple[list[PersonMention], list[Position]]:
    """Person mentions from natasha's PER spans, plus position phrases with no name."""
    heads = position_heads(tokens, "ru")
    spans = _person_spans(tokens, ner_spans, [*countries, *orgs, *places])
    person_tokens = {k for i, j in spans for k in range(i, j)}
    mentions = []
    for i, j in spans:
        while i < j and i in heads:
            i = heads[i][0]  # «Президенты Шавкат Мирзиёев»: the title is no name
        if i >= j:
            continue
        surface = body[tokens[i].start : tokens[j - 1].end]
        initials, words = _split_name(surface)
        words = [w for w in words if any(c.isalpha() for c in w)]
        if not words:
            continue
        found = position_before(tokens, i, heads, person_tokens, "ru")
        position = hint = None
        if found:
            hs, _, head = found
            position = position_at(body, tokens, hs, i, head, "ru", countries, orgs)
            # the position noun's case is the name's case: «послом Японии Такэси Ямадой»
            # …the first noun's, when titles follow each other: «заместителем
            # государственного секретаря США Кристофером Ландау»
            while any(he == hs for he, _ in heads.values()):
                hs = next(k for k, (he, _) in heads.items() if he == hs)
            hint = next(
                (c for c in (position_case(t.text) for t in tokens[hs : heads[hs][0]]) if c), None
            )
            if hs and tokens[hs - 1].text.islower() and position_case(tokens[hs - 1].text):
                # «заместителем государственного секретаря»: the first noun's case
                hint = position_case(tokens[hs - 1].text)
        if hint is None and i:
            hint = _PREPOSITION_CASE.get(tokens[i - 1].text.casefold())
        words = nominative_ru(words, hint)
        mentions.append(
            PersonMention(tokens[i].start, tokens[j - 1].end, surface, words, initials, position)
        )
    refs = position_refs(body, tokens, heads, person_tokens, "ru", countries, orgs)
    return mentions, refs


def _person_spans(
    tokens: list[Token], ner_spans, gazetteer_mentions: list
) -> list[tuple[int, int]]:
    """Token ranges of natasha's PER spans, except those wholly inside a country,
    organisation or place name."""
    starts = {t.start: k for k, t in enumerate(tokens)}
    ends = {t.end: k for k, t in enumerate(tokens)}
    non_person = {k for m in gazetteer_mentions for k in range(m.token_index, m.token_end)}
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
        # a span run across a sentence end («… Кулубаев. Н.Ермекбаев …») is two names
        cut = i
        for k in range(i + 1, j - 1):
            if tokens[k].text == "." and len(tokens[k - 1].text) > 2:
                spans.append((cut, k))
                cut = k + 1
        spans.append((cut, j))
    return spans


def _split_name(text: str) -> tuple[str, list[str]]:
    """«Е.Кошербаев» → ("Е.", ["Кошербаев"])."""
    initials = ""
    rest = text.strip()
    while True:
        m = _INITIAL.match(rest)
        if not m:
            break
        initials += m.group(1) + "."
        rest = rest[m.end() :]
    words = rest.split()
    return initials, words


# ------------------------------------------------------------ the nominative


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
    gender = _given_gender(core[0])
    case = _name_case(core, gender, hint)
    if gender is None and case == "ablt" and core[0].endswith(("ом", "ем", "ём")):
        gender = "masc"  # «Михаем Попшой»: a man's name, so «Попшой» is no woman's ablt
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


def _name_case(core: list[str], gender: str | None, hint: str | None) -> str:
    """The case a name (without particles) is written in; see :func:`nominative_ru`."""
    first_part = core[0].rpartition("-")[2]
    given = {
        p.tag.case
        for p in _name_parses(first_part)
        if "Name" in p.tag and p.tag.case and _fits(p, gender)
    }
    rest: set[str] = set()
    for w in core[1:]:
        part = w.rpartition("-")[2]
        rest |= {p.tag.case for p in _name_parses(part) if p.tag.case and _fits(p, gender)}
    last = core[-1].rpartition("-")[2]
    any_last = {
        p.tag.case for p in morph.parses(last.casefold()) if p.tag.POS == "NOUN" and p.tag.case
    }
    if hint and (
        hint in rest
        or (not rest and hint in any_last)
        or (0 < len(given) < 6 and hint in given)
        or not (given or rest or any_last)  # a foreign name pymorphy3 knows nothing of
    ):
        return hint
    if len(given) == 1:
        return next(iter(given))
    if rest and "nomn" not in rest:
        both = given & rest
        return next(c for c in _CASE_ORDER if c in (both or rest))
    if "ablt" in any_last and _ABLT_ENDING.search(last):
        return "ablt"
    if given and "nomn" not in given:
        return next(c for c in _CASE_ORDER if c in given)
    return "nomn"


def _fits(parse, gender: str | None) -> bool:
    """A parse agrees with the given name's gender (or either is unknown)."""
    return not gender or not parse.tag.gender or str(parse.tag.gender) == gender


def _name_parses(word: str):
    return [p for p in morph.parses(word) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]


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
        return _decline_hyphenated(word, case, gender, first)
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
        # a form that rewrites more than the ending is another word, not this name
        if common < max(2, len(low) - 3) or len(cand) < 2:
            continue
        if best is None or rank < best[0]:
            best = (rank, cand)
    if best is None:
        return _foreign(word, case, gender, first)
    return _recase(best[1], word)


def _decline_hyphenated(word: str, case: str, gender: str | None, first: bool) -> str:
    """«Франка-Вальтера» → «Франк-Вальтер»: a given name's parts decline each, when
    they are nouns in that case («Касым-Жомарта» keeps «Касым»)."""
    head, _, last = word.rpartition("-")
    if first and any(
        p.tag.POS == "NOUN" and p.tag.case == case for p in morph.parses(head.casefold())
    ):
        head = _decline(head, case, gender, first)
    return head + "-" + _decline(last, case, gender, first)


def _foreign(word: str, case: str, gender: str | None, first: bool) -> str:
    """A man's foreign name pymorphy3 has no parse of in that case, by its ending: in
    the instrumental the given name («Кристофером» → «Кристофер», «Михаем» → «Михай»),
    in the genitive a word ending after a consonant («у послов … Тимоти Смарта» → «Смарт»,
    «Тарика Мехмуда» → «Тарик Мехмуд»)."""
    if gender == "femn" or len(word) < 4:
        return word
    if case == "ablt" and first and gender == "masc":
        if word.endswith("ом"):
            return word[:-2]
        if word.endswith(("ем", "ём")):
            return word[:-2] + ("й" if word[-3] in _VOWELS else "ь")
    if case == "ablt" and not first and gender == "masc" and word.endswith(("ой", "ей")):
        return word[:-2] + ("а" if word.endswith("ой") else "я")  # «Йозефом Сикелой»
    if case == "gent" and word[-2:-1] not in _VOWELS and word[-3:-2] in _VOWELS:
        if word.endswith("а"):
            return word[:-1]
        if word.endswith("я"):
            return word[:-1] + "ь"
    return word


_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _recase(new: str, like: str) -> str:
    """``new`` in the capitals of ``like`` (all capitals, or each hyphen part capitalised)."""
    if like.isupper() and len(like) > 1:
        return new.upper()
    return "-".join(part[:1].upper() + part[1:] for part in new.split("-"))

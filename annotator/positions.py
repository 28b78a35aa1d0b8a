"""Positions and titles («министр иностранных дел», "Secretary General"): the
phrases of ``fixtures/gazetteer/positions.json`` found over tokens, put into the
nominative, tied to the person named after them or kept as later references."""

from __future__ import annotations

from functools import cache

from annotator import morph
from annotator.gazetteer import PhraseIndex, load
from annotator.people import Position
from annotator.text import Token

# A position phrase's first token → (the token after its head, the head's canonical lemma).
Heads = dict[int, tuple[int, str]]

# Punctuation that closes the clause a position phrase belongs to.
_CLAUSE_BREAK = {",", ".", ";", ":", "—", "–", "!", "?"}
# Words that stand between a name and a position phrase further back, so the
# phrase is not the name's: «встретился с …», "met with …".
_STOP_BACK = {
    "ru": {"с", "со", "к", "ко", "от", "у", "при", "между", "для", "о", "об", "за", "что", "как"},
    "en": {"with", "and", "met", "by", "from", "to", "between", "said", "told", "that"},
}
# Lower-case words inside an English title or between it and the name.
_EN_TITLE_LINKS = {"of", "for", "the", "on", "in", "at", "to", "de", "del", "al", "el", "bin"}
# A verb form between a Russian position and a name ends the position's reach.
_VERB_POS = {"VERB", "INFN", "GRND", "PRTF", "PRTS"}


@cache
def position_index(lang: str) -> PhraseIndex:
    data = load("positions.json")
    idx = PhraseIndex(proper=False)
    aliases = data[f"{lang}_alias"]
    for phrase in data[lang]:
        idx.add(phrase, aliases.get(phrase, phrase))
        if lang == "en":
            # "the foreign ministers of …", "Presidents …": Russian plurals are lemmatised,
            # English ones are indexed as phrases of their own
            idx.add(english_plural(phrase), aliases.get(phrase, phrase))
    return idx


def english_plural(phrase: str) -> str:
    """ "foreign minister" → "foreign ministers", "secretary general" → "secretaries general"."""
    words = phrase.split()
    if "of" in words[1:]:
        at = words.index("of") - 1  # "ministers of foreign affairs"
    elif len(words) > 1 and (words[-1] == "general" or "'" in words[-1]):
        at = len(words) - 2  # "secretaries general", "chargés d'affaires"
    else:
        at = len(words) - 1
    word = words[at]
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        plural = word[:-1] + "ies"
    elif word.endswith(("s", "sh", "ch", "x")):
        plural = word + "es"
    else:
        plural = word + "s"
    return " ".join([*words[:at], plural, *words[at + 1 :]])


@cache
def english_plural_words() -> dict[str, str]:
    """The plural words of English positions → their singular ("ministers" → "minister")."""
    words = {}
    for phrase in load("positions.json")["en"]:
        plural = english_plural(phrase).split()
        words.update((w, s) for w, s in zip(plural, phrase.split(), strict=True) if w != s)
    return words


def heads(tokens: list[Token], lang: str) -> Heads:
    """Every position phrase in ``tokens``."""
    return {i: (j, head) for i, j, head in position_index(lang).find(tokens)}


def position_before(
    tokens: list[Token], i: int, heads: Heads, blocked: set[int], lang: str
) -> tuple[int, int, str] | None:
    """The position phrase ending right before token ``i``: (head start, end, head).

    No phrase is looked for past a token of ``blocked`` (another name). Only tokens before
    ``i`` are read, so ``blocked`` may hold the name's own: every name's tokens, made once."""
    k = i - 1
    steps = 0
    while k >= 0 and steps < 14:
        if k in blocked:
            return None
        for hs, (he, head) in heads.items():
            if he - 1 == k or (hs <= k < he):
                return hs, i, head
        inside_title = (  # "Special Envoy for South and Central Asian Affairs Sergio Gor",
            # "Minister of Investment, Industry and Trade Laziz Kudratov"
            lang == "en"
            and tokens[k].text in {"and", ","}
            and 0 < k < i - 1
            and tokens[k - 1].text[:1].isupper()
            and tokens[k + 1].text[:1].isupper()
        )
        if not inside_title and _breaks_back(tokens[k].text, lang):
            return None
        k -= 1
        steps += 1
    return None


def _breaks_back(word: str, lang: str) -> bool:
    """Whether ``word``, between a name and a position phrase before it, parts them."""
    low = word.casefold()
    if word in _CLAUSE_BREAK or low in _STOP_BACK[lang]:
        return True
    if lang == "en":
        # a title runs up to its name in capitals and links ("Minister of Foreign Affairs
        # of Hungary"); a lower-case word of a clause ("minister laid a wreath at the
        # Independence Monument") ends it
        return word[:1].islower() and word.isalpha() and low not in _EN_TITLE_LINKS
    return (
        lang == "ru"
        and word.isalpha()
        and any(p.tag.POS in _VERB_POS and p.score > 0.3 for p in morph.parses(low))
    )


def position_at(
    body: str,
    tokens: list[Token],
    hs: int,
    i: int,
    head: str,
    lang: str,
    countries: list,
    orgs: list,
) -> Position:
    """The position phrase ``tokens[hs:i]`` in the nominative, with the state or
    organisation it names."""
    text = body[tokens[hs].start : tokens[i - 1].end]
    words = [t for t in tokens[hs:i] if t.text.isalpha() or "-" in t.text]
    nominal = _nominative_position(text, words, lang) if words else text
    if lang == "ru" and nominal[:1].isupper() and not nominal[:2].isupper():
        nominal = nominal[0].lower() + nominal[1:]
    country = next(
        (
            c.code
            for c in countries
            if hs <= c.token_index < i
            # «посол в Японии» is posted there, not sent by it
            and not (
                c.token_index > 0 and tokens[c.token_index - 1].text.casefold() in {"в", "во", "in"}
            )
        ),
        None,
    )
    if country is None and lang == "en":
        country = _possessor(tokens, hs, countries)
    org = next((o.org.name for o in orgs if hs <= o.token_index < i), None)
    first = tokens[hs].text.casefold()
    if lang == "en":
        plural = any(t.text.casefold() in english_plural_words() for t in tokens[hs:i])
    else:
        plural = lang == "ru" and any(
            p.tag.number == "plur" and p.score > 0.3 for p in morph.parses(first)
        )
    return Position(nominal, head, tokens[hs].start, tokens[i - 1].end, country, org, plural)


def _possessor(tokens: list[Token], hs: int, countries: list) -> str | None:
    """The state of "Moldova's Deputy Prime Minister and Foreign Minister …": the
    country before "'s" and the titles joined by "and" up to this one."""
    k = hs - 1
    for _ in range(8):
        if k < 1:
            return None
        if tokens[k].text.casefold() in {"'s", "’s"}:
            return next((c.code for c in countries if c.token_end == k), None)
        if not (tokens[k].text[:1].isupper() or tokens[k].text == "and"):
            return None
        k -= 1
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


def position_refs(
    body: str,
    tokens: list[Token],
    heads: Heads,
    person_tokens: set[int],
    lang: str,
    countries: list,
    orgs: list,
) -> list[Position]:
    """Position phrases not followed by a name («с генсеком ОБСЕ»): later references."""
    refs = []
    for hs, (he, head) in heads.items():
        if _name_follows(tokens, he, person_tokens):
            continue
        end = he
        if lang == "en" and end < len(tokens) and tokens[end].text == "of":
            # "the President of Turkmenistan": the state after "of" (and "the")
            k = end + 1 + (end + 1 < len(tokens) and tokens[end + 1].text.casefold() == "the")
            if any(c.token_index == k and not c.adjective for c in countries):
                end = k
        for c in countries:
            if c.token_index == end and not c.adjective:
                end = c.token_end
        for o in orgs:
            if o.token_index == end:
                end = o.token_end
        ref = position_at(body, tokens, hs, end, head, lang, countries, orgs)
        if ref.country is None:
            # "the Kazakh President", «казахстанский президент»: the state before the title
            ref.country = next((c.code for c in countries if c.token_end == hs), None)
        refs.append(ref)
    return refs


def _name_follows(tokens: list[Token], he: int, person_tokens: set[int]) -> bool:
    """Whether a person's name comes within a few tokens after a position's head,
    in the same clause."""
    k = he
    while k < len(tokens) and k - he < 8 and k not in person_tokens:
        if tokens[k].text in _CLAUSE_BREAK:
            break
        k += 1
    return k < len(tokens) and k in person_tokens

"""English person names, found by rule: runs of capitalised words and name
particles that some evidence marks as a person (a position or title before the
name, a position after it, a known name, a reporting verb after it), and later
bare surnames of people already named."""

from __future__ import annotations

import re

from annotator.dates import EN_MONTH_ABBREVIATIONS, EN_MONTH_NAMES, EN_WEEKDAYS
from annotator.people import PARTICLES, PersonMention, Position, known, known_with_surname
from annotator.positions import (
    Heads,
    english_plural_words,
    position_at,
    position_before,
    position_refs,
)
from annotator.positions import heads as position_heads
from annotator.text import Token, norm, token_at

# Capitalised words that are never part of a person's name.
_NOT_NAME = {
    # function words that open sentences
    "the", "a", "an", "in", "on", "at", "during", "after", "before", "following", "according",
    "this", "that", "these", "those", "it", "he", "she", "they", "we", "both", "also", "later",
    "earlier", "meanwhile", "however", "today", "yesterday", "tomorrow", "as", "for", "with",
    "by", "from", "to", "of", "and", "or", "but", "while", "when", "since", "under", "over",
    "his", "her", "their", "its", "our", "there", "here", "such", "other", "several", "many",
    "some", "all", "each", "then", "last", "next", "first", "new", "mr", "mrs", "ms", "dr",
    # months and weekdays
    *EN_MONTH_NAMES,
    *EN_MONTH_ABBREVIATIONS,
    *EN_WEEKDAYS,
    # office and institution words
    "minister", "ministers", "ministry", "foreign", "affairs", "president", "presidential",
    "prime", "deputy", "vice", "chairman", "chairwoman", "chair", "speaker", "ambassador",
    "envoy", "secretary", "general", "director", "head", "representative", "special", "high",
    "commissioner", "commission", "mayor", "governor", "akim", "hokim", "king", "queen", "prince",
    "emir", "sheikh", "sultan", "crown", "council", "forum", "summit", "conference", "committee",
    "agency", "bank", "fund", "declaration", "agreement", "memorandum", "programme", "program",
    "initiative", "partnership", "strategy", "plan", "route", "corridor", "office", "embassy",
    "palace", "centre", "center", "hall", "residence", "hotel", "university", "institute",
    "academy", "school", "parliament", "senate", "mazhilis", "majlis", "assembly", "chamber",
    "government", "cabinet", "administration", "presidency", "secretariat", "republic", "kingdom",
    "federation", "union", "organization", "organisation", "league", "group", "association",
    "company", "corporation", "holding", "airport", "station", "port", "railway", "railways",
    "river", "lake", "sea", "state", "states", "united", "nations", "national", "international",
    "regional", "central", "northern", "southern", "eastern", "western", "european", "asian",
    "arab", "islamic", "joint", "strategic", "economic", "global", "gateway", "green", "digital",
    "year", "day", "week", "session", "meeting", "talks", "visit", "press", "service", "news",
    "official", "officials", "delegation", "cooperation", "development", "security", "trade",
    "energy", "investment", "human", "rights", "media", "freedom", "democratic", "institutions",
    "chief", "executive", "managing", "permanent", "senior", "acting", "former", "excellency",
    "majesty", "highness", "hpp", "gas", "oil", "power", "plant", "project", "north", "south",
    "east", "west", "asia", "europe", "eurasian", "caspian", "trans-caspian",
    "minister-counsellor", "counsellor", "adviser", "advisor", "consul", "spokesperson",
    "spokesman", "akorda", "kremlin", "white", "house", "ak", "orda", "road", "belt", "one",
    "two", "three", "ceo", "chairperson", "co-chair", "resident", "coordinator", "mission",
    "parliamentary", "member", "members", "leaders", "leader", "heads", "side", "sides", "party",
    "parties",
    # monuments, plants, orders and the titles of offices, written in capitals beside names
    "monument", "memorial", "mausoleum", "order", "orders", "highest", "medal", "prize",
    "award", "photovoltaic", "solar", "wind", "square", "park", "museum", "theatre", "theater",
    "stadium", "mosque", "cathedral", "complex", "independence", "victory", "oliy", "presidents",
    "premiers", "ambassadors", "honorable", "honourable", "nation", "envoys", "chairmen",
    "governors", "kings", "emirs",
    # what ministries and committees are of, capitalised in their titles
    "economy", "finance", "industry", "integration", "justice", "defence", "defense", "culture",
    "education", "health", "agriculture", "labour", "labor", "transport", "interior",
    "emergency", "emergencies", "ecology", "science", "sports", "sport", "tourism", "world",
    "legislative", "standing", "investments", "relations", "policy", "information",
}  # fmt: skip
# Words before a name that make it a person's on their own.
_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "sheikh", "sultan", "emir", "king", "queen", "prince",
    "excellency", "h.e", "honorable", "honourable",
}  # fmt: skip
# Words right before a name of two or more words that make it a person's: whom one met.
_MET = {"met", "received", "welcomed", "hosted", "with", "congratulated", "thanked"}
# Words after a name of two or more words that make it a person's: a reporting verb.
_VERBS = {
    "met", "said", "told", "held", "spoke", "took", "made", "gave", "noted", "stressed",
    "emphasized", "emphasised", "discussed", "received", "welcomed", "thanked", "visited",
    "signed", "attended", "arrived", "invited", "expressed", "underlined", "highlighted",
    "informed", "briefed", "congratulated", "proposed", "praised", "added", "called", "paid",
    "chaired", "opened", "addressed", "hosted", "and", "was", "is", "has", "had", "will",
}  # fmt: skip
_NAME_WORD = re.compile(r"^[A-ZÀ-ÞĞİŞÇÖÜŁŽČŠ][\w'’\-]*$")
# How the words of a title end, that a name's first word seldom does.
_TITLE_WORD = re.compile(r"(?:s|tion|ment|ity|ism|ance|ence|ing)$")
# A capitalised word right after these still belongs to the title before them.
_TITLE_LINKS = {"for", "of", "on", "and"}


def find(
    body: str, tokens: list[Token], countries: list, orgs: list, places: list
) -> tuple[list[PersonMention], list[Position]]:
    """Person mentions in English text by rule, plus position phrases with no name."""
    heads = position_heads(tokens, "en")
    head_tokens = {k for i, (j, _) in heads.items() for k in range(i, j)}
    non_person = {
        k for m in [*countries, *orgs, *places] for k in range(m.token_index, m.token_end)
    }
    blocked = non_person | head_tokens
    # the capitalised words a run starts with that belong to the title before it are
    # the title's ("Commissioner for International Partnerships Jozef Síkela")
    runs = [
        (_after_title_words(tokens, i, j), j)
        for i, j in _name_runs(tokens, blocked)
        if not _initial_at(tokens, i, j)
    ]
    person_tokens = {k for i, j in runs for k in range(i, j)}
    mentions = []
    for i, j in runs:
        mention = _mention(body, tokens, i, j, heads, person_tokens, countries, orgs)
        initial = _initial_before(tokens, i)
        if initial and (mention is not None or j - i == 1):
            # "the Minister of Foreign Affairs of Turkmenistan R.Meredov": an initial
            # makes the surname after it a person's
            mention = PersonMention(
                tokens[i - 2].start,
                tokens[j - 1].end,
                body[tokens[i - 2].start : tokens[j - 1].end],
                [t.text for t in tokens[i:j]],
                initial,
                mention.position
                if mention
                else _position_of(body, tokens, i - 2, heads, countries, orgs),
            )
        if mention is None or mention.position is None or mention.position.plural:
            # "the foreign ministers of Spain José Albares, Latvia Baiba Braže and …"
            listed = _listed(body, tokens, i, j, heads, countries)
            mention = listed or mention
        if mention is not None:
            mentions.append(mention)
    mentions.extend(_bare_surnames(tokens, mentions, blocked))
    mentions.sort(key=lambda m: m.start)
    refs = position_refs(body, tokens, heads, person_tokens, "en", countries, orgs)
    return mentions, refs


def _is_name_word(word: str) -> bool:
    return (
        bool(_NAME_WORD.match(word))
        and not (word.isupper() and len(word) > 1)
        and (word.casefold() not in _NOT_NAME)
    )


def _name_runs(tokens: list[Token], blocked: set[int]) -> list[tuple[int, int]]:
    """Token ranges of capitalised words (with particles inside) that may be names."""
    n = len(tokens)
    runs = []
    i = 0
    while i < n:
        if i in blocked or not _is_name_word(tokens[i].text):
            i += 1
            continue
        j = i + 1
        while j < n and _continues_name(tokens, j, blocked):
            j += 1
        # a particle belongs to a name inside it ("Ursula von der Leyen"), never at its end
        while j > i + 1 and tokens[j - 1].text.casefold() in PARTICLES:
            j -= 1
        runs.append((i, j))
        i = j
    return runs


def _continues_name(tokens: list[Token], j: int, blocked: set[int]) -> bool:
    """Whether token ``j`` extends the name run before it: a name word written
    right after it, or a particle followed by a name word or another particle."""
    word = tokens[j].text
    return (
        j not in blocked and _is_name_word(word) and tokens[j].start - tokens[j - 1].end <= 1
    ) or (
        word.casefold() in PARTICLES
        and j + 1 < len(tokens)
        and (_is_name_word(tokens[j + 1].text) or tokens[j + 1].text.casefold() in PARTICLES)
    )


def _after_title_words(tokens: list[Token], i: int, j: int) -> int:
    """Where a name run of three or more words really starts.

    "Commissioner for International Partnerships Jozef Síkela": the first
    capitalised word after "for"/"of" belongs to the title.
    """
    while (
        sum(t.text.casefold() not in PARTICLES for t in tokens[i:j]) >= 3  # not "von der"
        and i
        and _TITLE_WORD.search(tokens[i].text)  # "Partnerships", not "José" or "Tamim"
        and tokens[i - 1].text.casefold() in (_TITLE_LINKS | _NOT_NAME)
        and known(" ".join(t.text for t in tokens[i:j])) is None
    ):
        i += 1
    return i


def _mention(
    body: str,
    tokens: list[Token],
    i: int,
    j: int,
    heads: Heads,
    person_tokens: set[int],
    countries: list,
    orgs: list,
) -> PersonMention | None:
    """The name run ``tokens[i:j]`` as a person mention with its position, or
    None when nothing marks it as a person."""
    words = [t.text for t in tokens[i:j]]
    prev = tokens[i - 1].text.casefold().rstrip(".") if i else ""
    nxt = tokens[j].text.casefold() if j < len(tokens) else ""
    # right after "for" or "of" a capitalised run goes on a title or a name of an office
    # ("Head of the Regional Centre for Preventive Diplomacy"), not to a person
    found = None if prev in _TITLE_LINKS else position_before(tokens, i, heads, person_tokens, "en")
    position = None
    if found:
        hs, _, head = found
        position = position_at(body, tokens, hs, i, head, "en", countries, orgs)
    appos = _apposition(body, tokens, j, nxt, heads, countries, orgs)
    if not _is_person(words, prev, nxt, found is not None, appos is not None):
        return None
    surface = body[tokens[i].start : tokens[j - 1].end]
    return PersonMention(tokens[i].start, tokens[j - 1].end, surface, words, "", position or appos)


def _initial_at(tokens: list[Token], i: int, j: int) -> bool:
    """Whether the run is one capital letter followed by a full stop: an initial."""
    return j - i == 1 and len(tokens[i].text) == 1 and j < len(tokens) and tokens[j].text == "."


def _initial_before(tokens: list[Token], i: int) -> str:
    """The initial written right before token ``i`` ("R." of "R.Meredov", "R. Meredov")."""
    if i < 2 or tokens[i - 1].text != "." or tokens[i - 1].start != tokens[i - 2].end:
        return ""
    letter = tokens[i - 2].text
    return letter + "." if len(letter) == 1 and letter.isupper() else ""


def _position_of(
    body: str, tokens: list[Token], i: int, heads: Heads, countries: list, orgs: list
) -> Position | None:
    found = position_before(tokens, i, heads, set(), "en")
    if not found:
        return None
    hs, _, head = found
    return position_at(body, tokens, hs, i, head, "en", countries, orgs)


def _listed(
    body: str, tokens: list[Token], i: int, j: int, heads: Heads, countries: list
) -> PersonMention | None:
    """The name run ``tokens[i:j]`` as one item of a list that a plural position
    distributes over its states: "the foreign ministers of Spain José Albares, Latvia
    Baiba Braže and Poland Radosław Sikorski". Each state goes to the name after it."""
    ends = {c.token_end: c for c in countries if not c.adjective}
    own = ends.get(i)
    if own is None or j - i < 2:
        return None
    k = own.token_index - 1
    for _ in range(12):  # list items before this one
        if k < 0:
            return None
        word = tokens[k].text.casefold()
        if word == "of":
            head = next(
                ((hs, h) for hs, (he, h) in heads.items() if he == k and _plural(tokens, hs, he)),
                None,
            )
            if head is None:
                return None
            hs, name = head
            singular = english_plural_words()
            title = " ".join(singular.get(t.text.casefold(), t.text) for t in tokens[hs:k])
            state = body[tokens[own.token_index].start : tokens[own.token_end - 1].end]
            position = Position(
                f"{title} of {state}", name, tokens[hs].start, tokens[i - 1].end, own.code
            )
            surface = body[tokens[i].start : tokens[j - 1].end]
            words = [t.text for t in tokens[i:j]]
            return PersonMention(tokens[i].start, tokens[j - 1].end, surface, words, "", position)
        if word not in {",", "and"}:
            return None
        k -= 1
        while k >= 0 and _is_name_word(tokens[k].text) and (k + 1) not in ends:
            k -= 1  # the name of the item before, back to its state
        before = ends.get(k + 1)
        if before is None:
            return None
        k = before.token_index - 1
    return None


def _plural(tokens: list[Token], hs: int, he: int) -> bool:
    return any(t.text.casefold() in english_plural_words() for t in tokens[hs:he])


def _apposition(
    body: str, tokens: list[Token], j: int, nxt: str, heads: Heads, countries: list, orgs: list
) -> Position | None:
    """The position phrase a few tokens after the comma that follows a name
    ("…, Foreign Minister of Hungary")."""
    n = len(tokens)
    if nxt != "," or j + 1 >= n:
        return None
    k = j + 1
    while k < n and k - j < 4 and k not in heads:
        k += 1
    if k not in heads:
        return None
    end = heads[k][0]
    while end < n and tokens[end].text not in {",", ".", ";"} and end - k < 10:
        word = tokens[end].text
        if word[:1].islower() and word.isalpha() and word.casefold() not in _TITLE_LINKS:
            # "With Japarov, the Uzbek leader reviewed …": the subject of a clause, not
            # an apposition
            return None
        end += 1
    return position_at(body, tokens, k, end, heads[k][1], "en", countries, orgs)


def _is_person(
    words: list[str], prev: str, nxt: str, has_position: bool, has_apposition: bool
) -> bool:
    """Whether a name run names a person: a position before or after it, a title
    before it, a known name, or a reporting verb after two or more words. A single
    word also needs a title or a position before it, or a known surname."""
    titled = prev in _TITLES
    evidence = (
        has_position
        or has_apposition
        or titled
        or known(" ".join(words)) is not None
        or (len(words) >= 2 and (nxt in _VERBS or prev in _MET))
    )
    if len(words) == 1:
        evidence = evidence and (titled or has_position or bool(known_with_surname(words[0])))
    return evidence


def _bare_surnames(
    tokens: list[Token], mentions: list[PersonMention], blocked: set[int]
) -> list[PersonMention]:
    """Surnames alone of people already named in full ("Kosherbayev said")."""
    surnames = {norm(m.words[-1]) for m in mentions if len(m.words) >= 2}
    taken = {
        k
        for m in mentions
        for k in range(token_at(tokens, m.start), token_at(tokens, m.end - 1) + 1)
    }
    return [
        PersonMention(tok.start, tok.end, tok.text, [tok.text])
        for i, tok in enumerate(tokens)
        if i not in taken
        and i not in blocked
        and norm(tok.text) in surnames
        and tok.text[:1].isupper()
    ]

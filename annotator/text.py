"""Language detection, sentence splitting and tokenising with exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.dates import EN_MONTH_ABBREVIATIONS

_CYR = re.compile(r"[А-Яа-яЁё]")
_LAT = re.compile(r"[A-Za-z]")
# An English possessive is a token of its own ("Moldova's" → "Moldova", "'s"): the name
# before it is then a country, a person or a place like any other.
TOKEN_RE = re.compile(r"\w+(?:[-‐]\w+|['’](?![sS]\b)\w+)*|['’][sS]\b|[^\w\s]", re.UNICODE)
# A sentence ends at . ! ? … (maybe closed by quotes/brackets) before a space. A run of
# marks is read from its first (?<!…) and once (++, *+): from each mark of a long run of
# dots the rest of it was read again (quadratic, issue 14).
_END = re.compile(r"(?<![.!?…])[.!?…]++[»\"”’)]*+(?=\s)")
# The word before a full stop, dots inside it kept ("U.S."), read from its first letter.
_WORD_BEFORE_DOT = re.compile(r"(?<![\w.])[\w.]++$")
_LINE_BREAK = re.compile(r"\n")
# Tokens after which a full stop does not end a sentence.
_ABBREV = {
    "г", "гг", "т", "тыс", "млн", "млрд", "ул", "им", "см", "стр", "руб", "долл", "др", "пр",
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "gen", "sen", "rep", "gov", "u.s",
    "u.k", "u.n", "e.u", "inc", "ltd", "co", "jr", "sr", "h.e",
    *EN_MONTH_ABBREVIATIONS,
}  # fmt: skip


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


def detect_language(text: str) -> str:
    """``"ru"`` when Cyrillic letters outnumber Latin ones, else ``"en"``."""
    return "ru" if len(_CYR.findall(text)) >= len(_LAT.findall(text)) else "en"


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Words (hyphenated and apostrophe-joined kept whole) and punctuation marks."""
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in TOKEN_RE.finditer(text)]


def token_at(tokens: list[Token], offset: int) -> int:
    """Index of the token that ends after ``offset`` (the token holding it, in a word)."""
    lo, hi = 0, len(tokens) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


# The word before a one-letter word ending at a full stop ("Ван" of «Ван И.»).
_WORD_BEFORE_LETTER = re.compile(r"(?<!\w)(\w++) $")  # each word read once


def _ends_sentence(text: str, dot: int, after: int) -> bool:
    if text[dot] != ".":
        return True
    word = _WORD_BEFORE_DOT.search(text[max(0, dot - 12) : dot + 1])
    prev = word.group().rstrip(".").lower() if word else ""
    if prev in _ABBREV:
        return False
    if len(prev) == 1 and prev.isalpha():
        # an initial ("Е. Кошербаев"), unless it ends a name: a one-letter word after a
        # capitalised one is its last part («министром иностранных дел КНР Ван И.»)
        before = _WORD_BEFORE_LETTER.search(text, max(0, dot - 40), dot - 1)
        return bool(before and before.group(1)[:1].isupper() and len(before.group(1)) > 1)
    nxt = text[after : after + 3].lstrip()
    return not nxt or not nxt[0].islower()


def sentences(body: str) -> list[Sentence]:
    """Split ``body`` into sentences; a line break always ends one."""
    out: list[Sentence] = []
    pos = 0
    for para, line in enumerate(_lines(body)):
        start, end = line
        cut = start
        chunk = body[start:end]
        for m in _END.finditer(chunk):
            dot = start + m.start()
            after = start + m.end()
            if _ends_sentence(body, dot, after):
                _add(out, body, cut, after, para)
                cut = after
        _add(out, body, cut, end, para)
        pos = end
    del pos
    return out


def pieces(body: str, limit: int) -> list[tuple[int, int]]:
    """``body`` cut into spans of at most ``limit`` characters: as many whole sentences as
    fit in one, a longer sentence cut at its last space before the limit (or at the limit
    when it has none)."""
    out: list[tuple[int, int]] = []
    for s in sentences(body):
        if out and s.end - out[-1][0] <= limit:
            out[-1] = (out[-1][0], s.end)
            continue
        start = s.start
        while s.end - start > limit:
            cut = start + limit
            while cut > start + 1 and not body[cut - 1].isspace():
                cut -= 1
            if cut == start + 1:
                cut = start + limit
            out.append((start, cut))
            start = cut
            while body[start].isspace():
                start += 1
        out.append((start, s.end))
    return out


def _lines(body: str):
    start = 0
    for m in _LINE_BREAK.finditer(body):
        if body[start : m.start()].strip():
            yield start, m.start()
        start = m.end()
    if body[start:].strip():
        yield start, len(body)


def _add(out: list[Sentence], body: str, start: int, end: int, para: int) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence(len(out), start, end, body[start:end], para))


def norm(text: str) -> str:
    """Casefold and read ё as е: the comparison form of names."""
    return text.casefold().replace("ё", "е")

"""Dates in the text: days, ranges, months, and relative expressions resolved
against the publication date. Phrases are found by regular expressions and
resolved here; nothing searches running text for anything date-like."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

RU_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
EN_MONTH_NAMES = (
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
)
# Keyed by the first three letters: every English form of a month starts with them.
EN_MONTHS = {name[:3]: number for number, name in enumerate(EN_MONTH_NAMES, start=1)}
# Written with a full stop ("Oct. 9"); "May" is never shortened.
EN_MONTH_ABBREVIATIONS = (*(name[:3] for name in EN_MONTH_NAMES if len(name) > 3), "sept")
RU_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "сред": 2,
    "четверг": 3,
    "пятниц": 4,
    "суббот": 5,
    "воскресень": 6,
}
EN_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

_RU_MONTH = (
    r"(?P<{g}>января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
)
_RU_MONTH_IN = (
    r"(?P<mon>январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)"
)
_EN_MONTH = (
    r"(?P<{g}>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DASH = r"\s*[-–—]\s*"
_YEAR_RU = r"(?:\s+(?P<{g}>\d{{4}})(?:\s*(?:года|г\.|г\b))?)?"
_YEAR_EN = r"(?:,?\s+(?P<{g}>\d{{4}}))?"

RU_PATTERNS = [
    # 31 августа – 1 сентября 2025 года / с 31 августа по 1 сентября
    re.compile(
        r"(?:\bс\s+)?\b(?P<d1>\d{1,2})\s+"
        + _RU_MONTH.format(g="m1")
        + _YEAR_RU.format(g="y1")
        + r"(?:"
        + _DASH
        + r"|\s+по\s+)(?P<d2>\d{1,2})\s+"
        + _RU_MONTH.format(g="m2")
        + _YEAR_RU.format(g="y2"),
        re.I,
    ),
    # 3–4 апреля / с 10 по 12 июня (2025 года)
    re.compile(
        r"(?:\bс\s+(?P<d1a>\d{1,2})\s+по\s+|\b(?P<d1b>\d{1,2})"
        + _DASH
        + r")(?P<d2>\d{1,2})\s+"
        + _RU_MONTH.format(g="m2")
        + _YEAR_RU.format(g="y2"),
        re.I,
    ),
    re.compile(r"\b(?P<d1>\d{1,2})\s+" + _RU_MONTH.format(g="m1") + _YEAR_RU.format(g="y1"), re.I),
    re.compile(r"\b(?P<d1>\d{1,2})\.(?P<n1>\d{2})\.(?P<y1>\d{4})\b"),
    re.compile(r"\bв\s+" + _RU_MONTH_IN + r"(?:\s+(?P<y1>\d{4})\s*(?:года|г\.)?)?", re.I),
]
EN_PATTERNS = [
    re.compile(
        r"\b(?P<d1>\d{1,2})\s+"
        + _EN_MONTH.format(g="m1")
        + _DASH
        + r"(?P<d2>\d{1,2})\s+"
        + _EN_MONTH.format(g="m2")
        + _YEAR_EN.format(g="y2")
    ),
    re.compile(
        r"\b"
        + _EN_MONTH.format(g="m1")
        + r"\s+(?P<d1>\d{1,2})"
        + _DASH
        + _EN_MONTH.format(g="m2")
        + r"\s+(?P<d2>\d{1,2})"
        + _YEAR_EN.format(g="y2")
    ),
    re.compile(
        r"\b(?:from\s+)?(?P<d1b>\d{1,2})(?:"
        + _DASH
        + r"|\s+to\s+|\s+and\s+)(?P<d2>\d{1,2})\s+"
        + _EN_MONTH.format(g="m2")
        + _YEAR_EN.format(g="y2")
    ),
    re.compile(
        r"\b"
        + _EN_MONTH.format(g="m2")
        + r"\s+(?P<d1b>\d{1,2})(?:"
        + _DASH
        + r"|\s+to\s+|\s+and\s+)(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
        + _YEAR_EN.format(g="y2")
    ),
    re.compile(
        r"\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + _EN_MONTH.format(g="m1")
        + _YEAR_EN.format(g="y1")
    ),
    re.compile(
        r"\b"
        + _EN_MONTH.format(g="m1")
        + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?!:)"
        + _YEAR_EN.format(g="y1")
    ),
    re.compile(r"\bin\s+" + _EN_MONTH.format(g="mon") + r"(?:\s+(?P<y1>\d{4}))?"),
]
# Nouns naming an event another one can be placed against («накануне саммита»,
# "the day before the summit", «в первый день визита», "on the second day of the forum").
_EVENT_NOUN_RU = (
    r"(?:заседани|саммит|визит|форум|конференци|встреч|переговор|сесси|совещани|съезд"
    r"|открыти|церемони|подписани|поездк|турне|выставк|недел)\w*"
)
_EVENT_NOUN_EN = (
    r"(?:summit|visit|forum|conference|meeting|talks|session|council|assembly|congress|trip"
    r"|tour|ceremony|signing|opening|week|expo|exhibition|event)s?"
)
RU_RELATIVE = re.compile(
    # «накануне заседания» is the eve of another event (see ANCHORED), not yesterday
    r"\b(?P<word>сегодня|вчера|позавчера|накануне(?!\s+(?:этого\s+|того\s+|\w+(?:ого|его)\s+)?"
    + _EVENT_NOUN_RU
    + r")|завтра)\b|"
    r"\bв(?:о)?\s+(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b",
    re.I,
)
EN_RELATIVE = re.compile(
    r"\b(?P<word>today|yesterday|tomorrow)\b|"
    r"\b(?:on\s+|last\s+)?(?P<wd>" + "|".join(day.title() for day in EN_WEEKDAYS) + r")\b",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    start_date: dt.date
    end_date: dt.date
    precision: str  # day | month
    source: str  # text | relative
    weekday: int | None = None  # set when the phrase is a weekday name («в среду»)

    @property
    def is_range(self) -> bool:
        return self.end_date != self.start_date


def _month(name: str, lang: str) -> int:
    low = name.lower().rstrip(".")
    if lang == "ru":
        for stem, num in RU_MONTHS.items():
            if low.startswith(stem) and (stem != "ма" or low in {"мая", "мае", "май"}):
                return num
        raise ValueError(name)
    return EN_MONTHS[low[:3]]


def _year(explicit: str | None, month: int, day: int, published: dt.date) -> int:
    if explicit:
        return int(explicit)
    year = published.year
    # News reports the past: a date far after publication belongs to last year.
    try:
        if dt.date(year, month, day) - published > dt.timedelta(days=31):
            year -= 1
    except ValueError:
        pass
    return year


def _safe(year: int, month: int, day: int) -> dt.date | None:
    # None for a day that does not exist: 31 June, or a year 0 (a year before 0001).
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shifted(day: dt.date, days: int) -> dt.date | None:
    """``day`` moved by ``days``; None past the ends of the calendar (0001-01-01 and
    9999-12-31): "yesterday" of an article of 0001-01-01 is no date found."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def find(text: str, published: dt.date, lang: str, offset: int = 0) -> list[DateMention]:
    """All date phrases in ``text`` (offsets shifted by ``offset``), left to right."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in RU_PATTERNS if lang == "ru" else EN_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            found = _resolve(m, published, lang)
            if found is None:
                continue
            start_date, end_date, precision = found
            taken.append((m.start(), m.end()))
            s, e = m.start(), m.end()
            while e > s and text[e - 1] in " ,":
                e -= 1
            out.append(DateMention(s + offset, e + offset, start_date, end_date, precision, "text"))
    relative = RU_RELATIVE if lang == "ru" else EN_RELATIVE
    for m in relative.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        day = _relative(m, published, lang)
        if day is not None:
            wd = day.weekday() if m.group("wd") else None
            out.append(
                DateMention(m.start() + offset, m.end() + offset, day, day, "day", "relative", wd)
            )
    out.sort(key=lambda d: d.start)
    return out


def _resolve(m: re.Match, published: dt.date, lang: str):
    g = m.groupdict()
    if g.get("mon"):
        month = _month(g["mon"], lang)
        first = _safe(_year(g.get("y1"), month, 1, published), month, 1)
        if first is None:
            return None
        return first, first.replace(day=calendar.monthrange(first.year, month)[1]), "month"
    if g.get("n1"):
        day = _safe(int(g["y1"]), int(g["n1"]), int(g["d1"]))
        return (day, day, "day") if day else None
    d1 = g.get("d1") or g.get("d1a") or g.get("d1b")
    if g.get("d2"):
        m2 = _month(g["m2"], lang)
        m1 = _month(g["m1"], lang) if g.get("m1") else m2
        y2 = _year(g.get("y2"), m2, int(g["d2"]), published)
        y1 = int(g["y1"]) if g.get("y1") else (y2 - 1 if m1 > m2 else y2)
        start, end = _safe(y1, m1, int(d1)), _safe(y2, m2, int(g["d2"]))
        if not start or not end or end < start or (end - start).days > 62:
            return None
        return start, end, "day"
    month = _month(g["m1"], lang)
    day = _safe(_year(g.get("y1"), month, int(d1), published), month, int(d1))
    return (day, day, "day") if day else None


def _relative(m: re.Match, published: dt.date, lang: str) -> dt.date | None:
    word = (m.group("word") or "").lower()
    if word:
        shift = {
            "сегодня": 0,
            "today": 0,
            "вчера": -1,
            "yesterday": -1,
            "позавчера": -2,
            "накануне": -1,
            "завтра": 1,
            "tomorrow": 1,
        }[word]
        return _shifted(published, shift)
    wd = m.group("wd").lower()
    table = RU_WEEKDAYS if lang == "ru" else EN_WEEKDAYS
    target = next(num for stem, num in table.items() if wd.startswith(stem))
    back = (published.weekday() - target) % 7
    return _shifted(published, -back)


# ---------------------------------------------------------------- anchored phrases
# Phrases that date an event against another event of the same article rather
# than against the publication date: «днём ранее», «на следующий день», «в тот
# же день», «накануне саммита», «в первый день визита», "the previous day",
# "later that day", "on the second day of the visit". They carry no date of
# their own; :mod:`annotator.events` resolves them against the event they point to.

_ORDINALS = {
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четв": 4,
    "пят": 5,
    "заключительн": -1,
    "последн": -1,
    "финальн": -1,
    "first": 1,
    "opening": 1,
    "one": 1,
    "second": 2,
    "two": 2,
    "third": 3,
    "three": 3,
    "fourth": 4,
    "four": 4,
    "fifth": 5,
    "final": -1,
    "last": -1,
    "closing": -1,
    "concluding": -1,
}
_RU_OF = (
    r"(?:\s+(?:(?:его|её|ее|их|этого|своего|официального|рабочего|государственного)\s+)?"
    r"(?P<noun>"
)
_EN_OF = r"(?:\s+of\s+(?:the\s+|his\s+|her\s+|their\s+|its\s+)?(?:[\w\-]+\s+){0,2}?(?P<noun>"
RU_ANCHORED = [
    (
        re.compile(
            r"\b(?:в|во|на)\s+(?:ходе\s+|течение\s+)?(?P<ord>перв|втор|трет|четв[её]рт|пят"
            r"|заключительн|последн|финальн)\w*\s+(?:день|дня|дне)\b"
            + _RU_OF
            + _EVENT_NOUN_RU
            + "))?",
            re.I,
        ),
        "ordinal",
        0,
    ),
    (
        re.compile(r"\bв\s+день\s+(?:открытия|начала)" + _RU_OF + _EVENT_NOUN_RU + "))?", re.I),
        "ordinal",
        1,
    ),
    (
        re.compile(
            r"\bнакануне\s+(?:(?:этого|того|\w+(?:ого|его))\s+)?(?P<noun>" + _EVENT_NOUN_RU + ")",
            re.I,
        ),
        "shift",
        -1,
    ),
    (
        re.compile(
            r"\bдн[её]м\s+ранее\b|\bза\s+день\s+до\s+(?:этого|того)\b|\bдн[её]м\s+раньше\b",
            re.I,
        ),
        "shift",
        -1,
    ),
    (
        re.compile(
            r"\bна\s+(?:следующий|другой)\s+день\b|\bдн[её]м\s+позже\b|\bспустя\s+(?:один\s+)?день\b"
            r"|\bна\s+следующее\s+утро\b",
            re.I,
        ),
        "shift",
        1,
    ),
    (
        re.compile(r"\bв\s+(?:тот|этот)\s+же\s+день\b|\bтогда\s+же\b", re.I),
        "shift",
        0,
    ),
]
EN_ANCHORED = [
    (
        re.compile(
            r"(?:\b(?:on|during)\s+(?:the\s+)?|,\s*the\s+|^\W*the\s+)"
            r"(?P<ord>first|second|third|fourth|fifth|final|last"
            r"|closing|opening|concluding)\s+day\b" + _EN_OF + _EVENT_NOUN_EN + r")\b)?",
            re.I,
        ),
        "ordinal",
        0,
    ),
    (re.compile(r"\bon\s+day\s+(?P<ord>one|two|three|four)\b", re.I), "ordinal", 0),
    # "The state visit ended with …": its last day
    (re.compile(r"\b(?:visit|summit|forum)\s+(?:ended|concluded)\s+with\b", re.I), "ordinal", -1),
    (
        re.compile(
            r"\b(?:the\s+day\s+before|on\s+the\s+eve\s+of)\s+(?:the\s+|this\s+|that\s+|his\s+|her\s+)?"
            r"(?:[\w\-]+\s+){0,2}?(?P<noun>" + _EVENT_NOUN_EN + r")\b",
            re.I,
        ),
        "shift",
        -1,
    ),
    (
        re.compile(
            r"\bthe\s+(?:previous|preceding)\s+day\b|\bthe\s+day\s+before\b(?!\s+yesterday)"
            r"|\ba\s+day\s+(?:earlier|before)\b",
            re.I,
        ),
        "shift",
        -1,
    ),
    (
        re.compile(r"\bthe\s+(?:next|following)\s+day\b|\ba\s+day\s+later\b", re.I),
        "shift",
        1,
    ),
    (
        re.compile(
            r"\b(?:later|earlier)\s+(?:that|the\s+same|in\s+the)\s+day\b"
            r"|\b(?:on\s+)?(?:the|that)\s+same\s+day\b",
            re.I,
        ),
        "shift",
        0,
    ),
]


@dataclass(frozen=True)
class Anchored:
    """A date phrase that points at another event: shift by ``value`` days from
    it (``kind == "shift"``) or take day ``value`` of its range (``"ordinal"``,
    -1 for the last day). ``noun`` names the event pointed at, when the text does."""

    start: int
    end: int
    kind: str
    value: int
    noun: str | None


def anchored(text: str, lang: str) -> list[Anchored]:
    """Anchored date phrases in ``text``, left to right (offsets within ``text``)."""
    out: list[Anchored] = []
    for pattern, kind, value in RU_ANCHORED if lang == "ru" else EN_ANCHORED:
        for m in pattern.finditer(text):
            if any(m.start() < a.end and a.start < m.end() for a in out):
                continue
            groups = m.groupdict()
            if kind == "ordinal" and groups.get("ord"):
                word = groups["ord"].casefold()
                value = next(n for stem, n in _ORDINALS.items() if word.startswith(stem))
            noun = groups.get("noun")
            out.append(Anchored(m.start(), m.end(), kind, value, noun.casefold() if noun else None))
    out.sort(key=lambda a: a.start)
    return out


def resolve_anchor(anchor: Anchored, start: dt.date, end: dt.date) -> dt.date | None:
    """The day ``anchor`` names, given the dates of the event it points to."""
    if anchor.kind == "ordinal":
        if anchor.value < 0:
            return end
        day = _shifted(start, anchor.value - 1)
        return day if day is not None and day <= end else None
    if anchor.value < 0:
        return _shifted(start, anchor.value)
    if anchor.value > 0:
        return _shifted(end, anchor.value)
    return start

"""Cue phrases: what kind of event a sentence reports, whether it refers back
to one already reported, and whether it names an umbrella event."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from annotator import morph

# Every pattern here runs in time linear in the sentence (tests/test_linear_patterns.py):
# where more follows a stem its ending is bounded (\w{0,20}, not \w*), or each of many
# stems in one long word would scan the rest of that word again (issue 14).
_RU = {
    "phone-call": r"телефонн\w{0,20} (?:разговор|переговор|бесед)|по телефону|видеосвяз"
    r"|видеоконференц|в онлайн-формате|в режиме онлайн|онлайн-встреч|в формате видео",
    "summit": r"\bсаммит",
    "signing": r"\bподписал\w*|\bподписан\w* (?:соглашени|меморандум|договор|документ)",
    "visit": r"\bвизит\w*|\bпосетил\w*|\bприбыл\w*|\bнаход(?:ится|ятся) с \w+ визитом",
    "conference": r"\bфорум\w*|\bконференци\w*",
    "meeting": r"\bвстретил(?:ся|ась|ись)\b|\bвстреч[аеиуй]\w*|\bпереговор\w*"
    r"|\bпринял\w*+(?!\s+участи)"  # «приняли участие» is taking part, not receiving
    r"|\bверительн\w{0,3} грамот"  # a credentials ceremony: the head of state receives envoys
    r"|\bбыл[аио]? принят[аоы]?\b"  # «был принят Президентом», «были приняты …»
    r"|\bпровел\w*|\bпровёл\w*|\bзаседани\w*|\bсовещани\w*|\bконсультаци\w*|\bбесед\w*|\bсесси\w*",
}
_EN = {
    "phone-call": r"\b(?:tele)?phone (?:call|conversation|talks)|\bby (?:tele)?phone"
    r"|\bover the phone"
    r"|\bvideo ?(?:call|conference|link)|\bvideoconference|\bvirtual (?:meeting|talks)"
    r"|\bonline (?:meeting|talks)",
    "summit": r"\bsummit",
    "signing": r"\bsigned\b|\bsigning\b",
    "visit": r"\bvisit\w*|\barrived\b",
    "conference": r"\bforum\b|\bconference\b",
    "meeting": r"\bmet\b|\bmeet(?:s|ing)?\b|\btalks\b|\breceived\b|\bheld\b|\bconsultations\b"
    r"|\bsession\b"
    r"|\bhosted\b|\bconvened\b|\bcredentials\b|\b(?:was|were) received by\b",
}
_FUTURE_RU = re.compile(
    r"предстоящ|планиру|запланирован\w*|состоится|пройд[её]т|\bбудет\b|\bбудут\b|намерен"
    r"|ожидается|ожидаются|предусмотрен\w{0,3}|предполагается|пригласил\w*"
    r"|(?<!по )приглашени|договорил\w{0,20} (?:о|провести)|в следующем году",
    re.I,
)
_FUTURE_EN = re.compile(
    r"\bwill\b|\bupcoming\b|\bplanned\b|\bnext (?:week|month|year)\b"
    r"|\b(?:is|are)(?: also)? (?:expected|scheduled|due)\b"
    r"|(?<!the )\binvit\w*|\bagreed to (?:hold|meet)\b"
    r"|\bto be (?:held|signed)\b|\bbeing prepared\b|\b(?:plans|intends|is set|are set) to\b"
    r"|\bahead of (?:his|her|the)\b|\b(?:may|might|could) be\b",
    re.I,
)
_REFERENCE_RU = re.compile(
    r"\bв ходе (?:встреч|переговор|бесед|разговор|визит|заседани)\w*"
    r"|\bна (?:встрече|переговорах)\b"
    r"|\bво (?:время )?встреч\w*|\bпо итогам (?:встреч|переговор|визит)\w*"
    r"|\bстороны\b|\bсобеседники\b"
    r"|\bв мероприятии\b|\bв завершение встречи\b|\bлидеры\b"
    r"|\bв (?:беседе|разговоре) с\b",
    re.I,
)
_REFERENCE_EN = re.compile(
    r"\bduring the (?:meeting|talks|visit|conversation|call)\b|\bat the (?:meeting|talks)\b"
    r"|\bthe (?:two )?sides\b|\bthe parties\b|\bthe leaders\b|\bin the course of\b"
    r"|\bfollowing the (?:talks|meeting)\b|\bin (?:the|his|her) (?:conversation|call|talks) with\b",
    re.I,
)
_UMBRELLA_RU = re.compile(
    r"\b(?:в рамках|на полях|в ходе)\s+((?:[\w\-«»\"]+\s+){0,3}?"
    r"(?:заседани|саммит|форум|конференци|сесси|совещани|визит|съезд)\w*"
    r"[^,.;:]*)",
    re.I,
)
# At most 120 characters from the lead to the event noun: unbounded, each "during" of
# "during during …" scanned the rest of its clause again (34 s on 80 KB, issue 14).
_UMBRELLA_EN = re.compile(
    r"\b(?:on the (?:sidelines|margins) of|within the framework of|as part of"
    r"|in the framework of|during)\s+"
    r"((?:the\s+)?[^,.;:]{0,120}?\b(?:session|summit|forum|conference|meeting|visit|council|assembly)\b"
    r"[^,.;:]*)",
    re.I,
)
_SERIES_RU = re.compile(
    r"(?:сери|ряд|отдельн)\w{0,20}\s+(?:\w+\s+)?(?:встреч|переговор|бесед)"
    r"|двусторонн\w{1,20} (?:встреч|переговор)",
    re.I,
)
_SERIES_EN = re.compile(
    r"\b(?:series of|several|separate|a number of)\s+(?:\w+\s+)?(?:meetings|talks)"
    r"|\bbilateral meetings\b",
    re.I,
)
# Who took part, said outside a meeting verb: taking part, and the passive of receiving
# and discussing («Верительные грамоты приняты у послов …», «был принят Президентом …»,
# "were discussed with its Director-General …", "was received by …").
_PARTICIPATION_RU = re.compile(
    r"\bучаств\w*|\bприняли участие|\bприсутствовал\w*|\bделегаци\w+ (?:из|от)\b|\bпредставлен\w*"
    r"|\bпринят[аоы]?\b|\bобсуждены с\b|\bс участием\b|\bпредседательствовал\w{0,3}",
    re.I,
)
_PARTICIPATION_EN = re.compile(
    r"\btook part\b|\bparticipated\b|\battended\b|\bjoined\b|\bwere present\b|\brepresented\b"
    r"|\bdelegations? (?:from|of)\b|\b(?:was|were) (?:discussed|received|welcomed) (?:with|by)\b"
    r"|\bwith the participation of\b|\bin the presence of\b|\bchaired\b",
    re.I,
)
_NOMINAL = re.compile(
    r"^(?:встреч|переговор|заседани|совещани|консультаци|бесед|сесси|участи|meeting|meet|talks|session|consultations)",
    re.I,
)
# An event noun right after these is an earlier event the sentence counts from («после
# саммита «Центральная Азия – США» в Вашингтоне отношения вышли …», "since the summit")…
_AFTER = re.compile(
    r"(?:\bпосле|\bс момента|\bподготовк\w{0,3} к|\bafter the|\bsince the|\bpreparations? for the)"
    r"\s++(?:\w+\s+)?$",
    re.I,
)  # …and one it prepares («подготовка к саммиту», "preparations for the Consultative Meeting")
# The other nouns of the cues: an event, not its report.
_EVENT_NOUN = re.compile(
    r"^(?:summit|forum|conference|visits?$|саммит|форум|конференц|визит)", re.I
)
_COMPILED = {
    "ru": {k: re.compile(v, re.I) for k, v in _RU.items()},
    "en": {k: re.compile(v, re.I) for k, v in _EN.items()},
}
_ORDER = ("phone-call", "summit", "signing", "visit", "conference", "meeting")


@dataclass(frozen=True)
class Trigger:
    type: str
    start: int  # offsets within the sentence
    end: int
    nominal: bool  # a noun («встреча», "talks") rather than a verb


# A Russian verb in the future tense («посетит», «прибудет», «состоятся», «примут
# участие»): perfective futures carry no marker word. Only words with a verb's ending
# of the third person are looked up.
_VERB_3RD = re.compile(r"\b[а-яё]{3,}(?:[иеуюяа]т|[уюя]тся|[ие]тся)\b", re.I)


@lru_cache(maxsize=4096)  # trigger(), planned() and the event builder each ask of a sentence
def _future(text: str, lang: str) -> re.Match | None:
    """Where a sentence starts speaking of the future, if it does."""
    future = (_FUTURE_RU if lang == "ru" else _FUTURE_EN).search(text)
    if lang != "ru":
        return future
    for m in _VERB_3RD.finditer(text, 0, future.start() if future else len(text)):
        found = morph.parses(m.group().casefold())
        if found and found[0].tag.POS == "VERB" and found[0].tag.tense == "futr":
            return m
    return future


def future_at(text: str, lang: str) -> int | None:
    """The offset where a sentence starts speaking of the future, if it does."""
    found = _future(text, lang)
    return found.start() if found else None


def trigger(text: str, lang: str) -> Trigger | None:
    """The strongest event cue of a sentence, unless it speaks of the future: in a
    sentence that does, only cues before it count, and only when a verb reports
    something done there ("met … and will visit"); a noun before the future is its
    subject ("the summit is expected to adopt …", «переговоры планируются»)."""
    future = _future(text, lang)
    if future and not any(
        not _NOMINAL.match(m.group()) and not _EVENT_NOUN.match(m.group())
        for kind in _ORDER
        for m in _COMPILED[lang][kind].finditer(text, 0, future.start())
    ):
        return None
    # the noun of an umbrella the sentence places its event in («На полях международной
    # конференции … принял министра») is not that event's cue
    umb = (_UMBRELLA_RU if lang == "ru" else _UMBRELLA_EN).search(text)
    inside = (umb.start(), umb.end()) if umb else (0, 0)
    found = []
    for kind in _ORDER:
        for m in _COMPILED[lang][kind].finditer(text):
            if future and m.start() > future.start():
                continue
            if inside[0] <= m.start() < inside[1] or _AFTER.search(
                text, max(0, m.start() - 40), m.start()
            ):
                continue
            found.append((kind, m))
            break
    if not found and umb:
        return None if future else _cue_in(text, lang, inside)
    if not found:
        return None
    kind, m = found[0]
    if kind == "meeting":
        verb = next(
            (
                mm
                for mm in _COMPILED[lang]["meeting"].finditer(text)
                if not _NOMINAL.match(mm.group())
            ),
            None,
        )
        if verb is not None and not (future and verb.start() > future.start()):
            m = verb
    return Trigger(kind, m.start(), m.end(), bool(_NOMINAL.match(m.group())))


# An event noun said to have taken place («Заседание … состоялось 10 октября», "The
# summit was held"): a report of that event, even with nobody named yet.
_HAPPENED_RU = re.compile(r"\bсостоял(?:ся|ась|ось|ись)\b|\bпрош(?:[её]л|ла|ло|ли)\b", re.I)
_HAPPENED_EN = re.compile(r"\btook place\b|\b(?:was|were) held\b", re.I)


_GENERIC = re.compile(
    r"\b(?:every|each|any|such|no|каждый|каждого|каждом|любой|любого|такой|такого)\s++$", re.I
)


def generic(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows "every", "each", «каждого» …: any such."""
    return bool(_GENERIC.search(text, max(0, start - 20), start))


def is_event_noun(cue: str) -> bool:
    """A summit, forum, conference or visit named by its noun, not a verb."""
    return bool(_EVENT_NOUN.match(cue))


def happened(text: str, lang: str) -> bool:
    return bool((_HAPPENED_RU if lang == "ru" else _HAPPENED_EN).search(text))


# What a sentence says was discussed: its topics are the event's, even where they look
# ahead («обсудили подготовку предстоящего саммита», "discussed the upcoming visit").
_DISCUSSED_RU = re.compile(
    r"\bобсу(?:дил|жд)\w{0,10}|\bуделен\w{0,3} (?:особое )?внимани|\bвнимани\w{0,3} уделен"
    r"|\bрассмотрен\w{0,3}\b|\bобменял\w{0,4} мнениями",
    re.I,
)
_DISCUSSED_EN = re.compile(
    r"\bdiscuss(?:ed|ing)\b|\battention (?:was|is) (?:paid|given)\b|\bexchanged views\b",
    re.I,
)


def discussed(text: str, lang: str) -> bool:
    return bool((_DISCUSSED_RU if lang == "ru" else _DISCUSSED_EN).search(text))


def _cue_in(text: str, lang: str, span: tuple[int, int]) -> Trigger | None:
    """The umbrella's own noun as the cue, when the sentence has no other: it reports
    the umbrella itself («На полях саммита ШОС, прошедшего в Астане, …»)."""
    for kind in _ORDER:
        m = _COMPILED[lang][kind].search(text, span[0], span[1])
        if m:
            return Trigger(kind, m.start(), m.end(), bool(_NOMINAL.match(m.group())))
    return None


def is_reference(text: str, lang: str) -> bool:
    return bool((_REFERENCE_RU if lang == "ru" else _REFERENCE_EN).search(text))


def umbrella(text: str, lang: str) -> tuple[int, int] | None:
    m = (_UMBRELLA_RU if lang == "ru" else _UMBRELLA_EN).search(text)
    return (m.start(1), m.end(1)) if m else None


def series(text: str, lang: str) -> bool:
    return bool((_SERIES_RU if lang == "ru" else _SERIES_EN).search(text))


def participation(text: str, lang: str) -> bool:
    return bool((_PARTICIPATION_RU if lang == "ru" else _PARTICIPATION_EN).search(text))


def umbrella_type(phrase: str) -> str:
    low = phrase.casefold()
    if "саммит" in low or "summit" in low:
        return "summit"
    if any(w in low for w in ("форум", "конференц", "forum", "conference")):
        return "conference"
    if "визит" in low or "visit" in low:
        return "visit"
    return "multilateral-meeting"


# Background: a reminder of earlier news, statistics quoted from an agency, a
# past year's figures. Such a sentence reports no event and says nothing about
# what the reported events discussed, so it adds neither an event nor topics.
_BACKGROUND_LEAD_RU = re.compile(
    r"^\W*(?:напомним|напомним,|как сообщалось|как ранее сообщалось|справочно|для справки"
    r"|справка|читайте также|также читайте|по теме|смотрите также|фото)\b",
    re.I,
)
_BACKGROUND_LEAD_EN = re.compile(
    r"^\W*(?:as (?:previously )?reported|for reference|background:|read (?:also|more)\b"
    r"|photo\b"
    r"|see also\b|related:|it (?:is|should be) "
    r"(?:worth )?(?:recalled|noted) that)\b",
    re.I,
)
_BACKGROUND_RU = re.compile(
    r"\b(?:по (?:данным|информации|статистике)|согласно (?:данным|статистике|информации))\b"
    r"|\bв прошлом году\b|\bв (?:прошлом|минувшем|предыдущем) (?:году|месяце)\b"
    r"|\b(?:за|в|по итогам) (?:\w+(?:[–-]\w+)? )?(?P<year>(?:19|20)\d\d) год(?:а|у)?\b",
    re.I,
)
_BACKGROUND_EN = re.compile(
    r"\baccording to (?:the )?(?:data|figures|statistics|estimates)\b"
    r"|\b(?:data|figures|statistics) (?:from|by|of) the\b|\blast year\b"
    r"|\bin (?:the (?:first|second) half of |\w+(?:[–-]\w+)? )?(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
_REPORTING_SUBJECT_EN = re.compile(
    r"^\W*the (?:[A-Z][\w\-]*\s+){0,6}(?:bank|ministry|agency|committee|bureau|service|office)"
    r"\b[^.]*\b(?:said|reported|announced)\b",
)


def background(text: str, lang: str, published_year: int) -> bool:
    """Whether a sentence is background rather than part of the report."""
    lead = _BACKGROUND_LEAD_RU if lang == "ru" else _BACKGROUND_LEAD_EN
    if lead.search(text):
        return True
    if is_reference(text, lang):
        return False
    if lang == "en" and _REPORTING_SUBJECT_EN.search(text):
        return True
    for m in (_BACKGROUND_RU if lang == "ru" else _BACKGROUND_EN).finditer(text):
        year = m.group("year")
        if year is None or int(year) < published_year:
            return True
    return False


_LAST_RU = re.compile(r"\bв (?:прошлом|минувшем|предыдущем) (?:году|месяце)\b", re.I)
_LAST_EN = re.compile(r"\blast (?:year|month)\b|\bpreviously\b", re.I)


def recalled(text: str, lang: str, published: dt.date) -> bool:
    """Whether a sentence tells of a year before the publication's («In August 2025,
    Japarov and Lee discussed …» in 2026): background, whoever it names. Not in January,
    when last December's events are still news."""
    last = (_LAST_RU if lang == "ru" else _LAST_EN).search(text)
    if last and last.start() < 40:
        # «В прошлом месяце министры провели …»: what the sentence tells; later in it
        # («договора, вступившего в силу в прошлом году») it dates something else
        return True
    if published.month == 1:
        return False
    return any(
        m.group("year") is not None and int(m.group("year")) < published.year
        for m in (_BACKGROUND_RU if lang == "ru" else _BACKGROUND_EN).finditer(text)
    )


def background_lead(text: str, lang: str) -> bool:
    """«Напомним, …», "As reported, …": background even when it names people."""
    return bool((_BACKGROUND_LEAD_RU if lang == "ru" else _BACKGROUND_LEAD_EN).search(text))


def planned(text: str, lang: str) -> bool:
    """A sentence about an event still to come («во второй день форума
    запланированы панельные сессии», "will host a summit next year")."""
    future = _future(text, lang)
    if future is None:
        return False
    return any(
        m.start() > future.start() or m.end() > future.start()
        for kind in _ORDER
        for m in _COMPILED[lang][kind].finditer(text)
    )

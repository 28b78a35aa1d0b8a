"""Topic slugs (``fixtures/topics.json``) from keyword rules applied to the
sentences that describe one event."""

from __future__ import annotations

import json
import re
from functools import cache

from annotator.gazetteer import TOPICS_FILE
from annotator.model import Span

# Where another word follows a stem, the stem's ending is bounded (\w{0,20}, not \w*): or
# each stem of one long word would scan the rest of it again, in time quadratic (issue 14).
#
# Phrases rewritten before matching, so a compound counts for the right slug:
# «торгово-экономическое» is trade, «гуманитарное измерение» (OSCE) human rights.
_REWRITE = [
    (re.compile(r"торгово-экономическ\w*", re.I), "торговый"),
    (re.compile(r"trade and economic", re.I), "trade"),
    (re.compile(r"гуманитарн\w{0,20} измерени\w*|human dimension", re.I), "права человека"),
    (re.compile(r"культурно-гуманитарн\w*", re.I), "культура"),
    (re.compile(r"«?зелен\w{0,20}»? энергетик\w*|green energy", re.I), "энергетика"),
    # an energy corridor or energy security is energy, not transport or security
    (
        re.compile(
            r"энергетическ\w{0,20} (?:коридор\w*|безопасност\w*)|energy (?:corridor|security)\w*",
            re.I,
        ),
        "энергетика",
    ),
    # food security is agriculture, not security
    (re.compile(r"продовольственн\w{0,20} безопасност\w*", re.I), "продовольствие"),
    (re.compile(r"food security", re.I), "agriculture"),
    # a feasibility study says nothing about the economy
    (re.compile(r"технико-экономическ\w{0,20} обосновани\w*|feasibility stud\w*", re.I), "ТЭО"),
    # critical minerals / raw materials count as economy (topics.json scope note)
    (
        re.compile(r"критическ\w{0,20} (?:сырь|минерал)\w*|critical (?:raw )?minerals?", re.I),
        "экономика",
    ),
]
RULES: dict[str, list[str]] = {
    "security": [
        r"безопасност",
        r"террори",
        r"экстремизм",
        r"оборон",
        r"военн",
        r"военно-",
        r"наркотрафик",
        r"пограничн\w{0,20} безопас",
        r"делимитац",
        r"демаркац",
        r"demarcation",
        r"delimitation",
        r"конфликт",
        r"security",
        r"terroris",
        r"extremis",
        r"defen[cs]e",
        r"military",
        r"conflict",
        r"drug trafficking",
        # the state border, its guards, and the situation in Afghanistan (gold: security)
        r"государственн\w{0,5} границ",
        r"state border",
        r"border (?:security|management|guard)",
        r"пограничн\w{0,20} (?:служб|войск|ведомств)",
        r"наркоти",
        r"ситуаци\w{0,5} в афганистан",
        r"situation in afghanistan",
    ],
    "economy": [
        r"экономи",
        r"инвестиц",
        r"бизнес",
        r"промышлен",
        r"предпринимат",
        r"индустри",
        r"economic",
        r"economy",
        r"invest",
        r"business",
        r"industr",
    ],
    "trade": [
        r"торгов",
        r"товарооборот",
        r"экспорт",
        r"импорт",
        r"таможен",
        r"trade",
        r"export",
        r"import(?!an)",  # not "importance"
        r"customs",
    ],
    "finance": [
        r"финанс",
        r"кредит",
        r"\bбанк",
        r"фонд\w{0,20} развития",
        r"валют",
        r"заем",
        r"займ",
        r"financ",
        r"loan",
        r"\bcredit",  # not "accredited"
        r"\bbank",
        r"currenc",
    ],
    "energy": [
        r"энергет",
        r"энергии",
        r"нефт",
        r"\bгаз",
        r"электроэнерг",
        r"электростанц",
        r"\bгэс\b",
        r"гидроэнерг",
        r"гидроэлектр",
        r"атомн",
        r"возобновляем",
        r"трубопровод",
        r"energy",
        r"\boil\b",
        r"\bgas\b",
        r"electric",
        r"hydropower",
        r"nuclear",
        r"renewable",
        r"pipeline",
    ],
    "environment": [
        r"эколог",
        r"климат",
        r"окружающ\w{0,20} сред",
        r"загрязнен",
        r"биоразнообраз",
        r"ледник",
        r"environment",
        r"climate",
        r"ecolog",
        r"pollution",
        r"biodiversity",
        r"glacier",
    ],
    "water": [
        r"водн\w{0,20} ресурс",
        r"(?<!про)водн",  # not «полупроводников»
        r"водоснабжен",
        r"водопользован",
        r"водохозяйств",
        r"питьев",
        r"ирригац",
        r"орошен",
        r"арал",
        r"\bwater",
        r"irrigation",
        r"\briver",
        r"aral",
    ],
    "agriculture": [
        r"сельск\w{0,20} хозяйств",
        r"сельскохозяйств",
        r"аграр",
        r"агропром",
        r"продовольств",
        r"фермер",
        r"agricultur",
        r"farm",
        r"food security",
        r"agro",
        r"\bзерн",
        r"пшениц",
        r"хлопк",
        r"животновод",
        r"\bgrain",
        r"wheat",
        r"cotton",
        r"livestock",
    ],
    "transport": [
        r"транспорт",
        r"(?<!digital )connectivity",  # links of roads, rails and ports between states
        r"логистик",
        r"железнодорож",
        r"автодорог",
        r"авиа",
        r"транзит",
        r"коридор",
        r"перевоз",
        r"transport",
        r"logistic",
        r"railway",
        r"\brail",
        r"\broads?\b",
        r"aviation",
        r"transit",
        r"corridor",
        r"flights?\b",
    ],
    "education": [
        r"образован",
        r"университет",
        r"\bвуз",
        r"студент",
        r"школ",
        r"стипенди",
        r"education",
        r"universit",
        r"student",
        r"school",
        r"scholarship",
        r"erasmus",
    ],
    "science-technology": [
        r"\bнаук",
        r"научн",
        r"технолог",
        r"инновац",
        r"цифров",
        r"искусственн\w{0,20} интеллект",
        r"scien",
        r"technolog",
        r"innovat",
        r"digital",
        r"artificial intelligence",
        r"research",
    ],
    "health": [
        r"здравоохранен",
        r"медицин",
        r"больниц",
        r"эпидеми",
        r"вакцин",
        r"health",
        r"medic",
        r"hospital",
        r"vaccin",
        r"pandemic",
        r"covid",
        r"коронавирус",
        r"пандеми",
    ],
    "culture": [
        r"культур",
        r"наследи",
        r"искусств",
        r"\bспорт",
        r"гуманитарн",
        r"culture",
        r"cultural",
        r"heritage",
        r"\barts?\b",
        r"sport",
        r"humanitarian",
        r"people-to-people",
    ],
    "tourism": [r"туризм", r"туристи", r"турист", r"tourism", r"tourist"],
    "human-rights": [
        r"прав\w{0,20} человека",
        r"меньшинств",
        r"межэтническ",
        r"гендер",
        r"гражданск\w{0,20} общества",
        r"human rights",
        r"minorit",
        r"interethnic",
        r"gender",
        r"civil society",
    ],
    "media-freedom": [
        r"свобод\w{0,20} (?:сми|медиа|слова|прессы)",
        # journalists' work and safety, not a statement «сказал журналистам»
        r"журналист\w{0,5} (?:прав|свобод|безопасност|деятельност)",
        r"(?:защит|безопасност|преследовани)\w{0,20} журналист",
        r"доступ\w{0,20} к информации",
        r"media freedom",
        r"freedom of (?:the )?(?:press|media|expression)",
        r"(?:safety|protection|rights|persecution) of journalists",
    ],
    "rule-of-law": [
        r"верховенств\w{0,20} закона",
        r"демократ",
        # elections mentioned in passing (a congratulation, a date) are no topic of talks:
        # only their conduct is
        r"наблюден\w{0,20} (?:за )?выбор",
        r"избирательн\w{0,20} (?:процесс|систем|законодательств|реформ)",
        r"коррупц",
        r"судебн",
        r"rule of law",
        r"democra",
        r"election observ",
        r"electoral (?:process|system|reform|law|code)",
        r"corruption",
        r"judicial",
        r"governance",
        r"законотвор",
        r"законодательн\w{0,20} (?:опыт|деятельност|практик|баз)",
        r"legislative",
    ],
    "migration": [
        r"миграц",
        r"мигрант",
        r"диаспор",
        r"беженц",
        r"гражданств",
        r"соотечественник",
        r"migra",
        r"diaspora",
        r"refugee",
        r"citizenship",
    ],
}


@cache
def vocabulary() -> tuple[str, ...]:
    with open(TOPICS_FILE, encoding="utf-8") as fh:
        return tuple(row["slug"] for row in json.load(fh))


@cache
def _compiled() -> tuple[re.Pattern, dict[str, str]]:
    """One alternation over every rule (lower-case text), group name → slug."""
    known = set(vocabulary())
    groups = {}
    parts = []
    for n, (slug, patterns) in enumerate(RULES.items()):
        if slug not in known:
            continue
        groups[f"t{n}"] = slug
        parts.append(f"(?P<t{n}>" + "|".join(f"(?:{p})" for p in patterns) + ")")
    return re.compile("|".join(parts)), groups


def _rewrite(text: str) -> str:
    # keep the length: replacements are padded/truncated to the matched span
    def pad(repl: str):
        def inner(m: re.Match) -> str:
            out = repl[: len(m.group())]
            return out + " " * (len(m.group()) - len(out))

        return inner

    for pattern, repl in _REWRITE:
        text = pattern.sub(pad(repl), text)
    return text


# How far evidence is widened to a whole word: no word is longer, and widening every one of
# the matches in a "word" of thousands of letters read all of it each time (issue 14).
_WIDEN = 40


def find(body: str, ranges: list[tuple[int, int]]) -> dict[str, list[Span]]:
    """Slugs whose rules match inside the given body ranges, with evidence spans."""
    pattern, groups = _compiled()
    out: dict[str, list[Span]] = {}
    for start, end in ranges:
        text = _rewrite(body[start:end]).lower()
        for m in pattern.finditer(text):
            slug = groups[m.lastgroup]
            s, e = start + m.start(), start + m.end()
            # widen to the whole word for readable evidence
            right, left = min(end, e + _WIDEN), max(start, s - _WIDEN)
            while e < right and body[e].isalnum():
                e += 1
            while s > left and body[s - 1].isalnum():
                s -= 1
            out.setdefault(slug, []).append(Span(s, e, body[s:e]))
    return out


_TAIL_RU = r"(?:\s++[А-ЯЁ]{2,}+)?(?:\s++(?:по|для)\s++[а-яё]++(?:\s++[а-яё]++){0,2})?"
# The name of a school, a university or an institute: a capitalised word inside a sentence,
# up to five more, the institution's noun and what it is "of" or "for" («Казахским
# национальным аграрным исследовательским университетом»): it names what is taught there,
# not what was discussed. Other institutions' names (a bank, a counter-terrorism
# committee) do say what their people came for.
_INSTITUTION_RU = re.compile(
    r"(?<=[^.!?\s]\s)[А-ЯЁ][а-яё]++(?:[ -][а-яё]++){0,5}?[ -]"
    r"(?:университет|институт|академи|колледж|лице|школ)[а-яё]*+"
    + _TAIL_RU
    + r"|(?<=\s)(?:Институт|Университет|Академи)[а-яё]*+"
    + _TAIL_RU
)
# An English one: a capitalised run ("of", "for", "and" inside it) that names one.
_CAPITALISED_RUN = re.compile(
    r"(?<![\w-])[A-Z][\w'-]*+(?:\s++(?:(?:of|for|and|the|on)\s++)?[A-Z][\w'-]*+)++"
)
_INSTITUTION_EN = re.compile(r"\b(?:University|Institute|Academy|College|School|Lyceum)\b")


def institution_names(body: str, lang: str) -> list[tuple[int, int]]:
    """The spans of the names of schools, universities and institutes in ``body``."""
    if lang == "ru":
        return [m.span() for m in _INSTITUTION_RU.finditer(body)]
    return [m.span() for m in _CAPITALISED_RUN.finditer(body) if _INSTITUTION_EN.search(m.group())]

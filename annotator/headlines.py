"""Event titles that read like a headline in the article's language: «Переговоры Ермека
Кошербаева и Сергея Лаврова», "Talks between Yermek Kosherbayev and Sergey Lavrov", and an
umbrella's own name in the nominative («32-е заседание Совета министров иностранных дел
ОБСЕ», not the genitive the text names it in)."""

from __future__ import annotations

from functools import lru_cache

from annotator import morph
from annotator.people import PARTICLES

# Every type of the vocabulary: what an event of it is called before its people, and
# when nobody is named in it, per language.
LEADS = {
    "ru": {
        "multilateral-meeting": ("Встреча", "Встреча"),
        "bilateral-meeting": ("Переговоры", "Встреча"),
        "visit": ("Визит", "Визит"),
        "phone-call": ("Телефонный разговор", "Телефонный разговор"),
        "summit": ("Саммит с участием", "Саммит"),
        "conference": ("Конференция с участием", "Конференция"),
        "negotiation": ("Переговоры", "Переговоры"),
        "signing": ("Подписание документов при участии", "Подписание документов"),
        "statement": ("Заявление", "Заявление"),
        "other": ("Событие с участием", "Событие"),
    },
    "en": {
        "multilateral-meeting": ("Meeting of", "Meeting"),
        "bilateral-meeting": ("Talks between", "Meeting"),
        "visit": ("Visit of", "Visit"),
        "phone-call": ("Phone call between", "Phone call"),
        "summit": ("Summit with", "Summit"),
        "conference": ("Conference with", "Conference"),
        "negotiation": ("Negotiations between", "Negotiations"),
        "signing": ("Signing by", "Signing"),
        "statement": ("Statement by", "Statement"),
        "other": ("Event with", "Event"),
    },
}


def headline(kind: str, names: list[str], lang: str) -> str:
    """The title of an event of type ``kind`` between the people ``names`` (nominative)."""
    lead, alone = LEADS[lang].get(kind, LEADS[lang]["other"])
    if not names:
        return alone
    if lang == "ru":
        if len(names) == 1 and kind == "bilateral-meeting":
            lead = "Встреча"
        return f"{lead} {_enumerate([genitive(n) for n in names], 'и')}"
    if len(names) == 1 and lead.endswith(" between"):
        lead = lead.removesuffix(" between") + " of"
    if kind == "bilateral-meeting" and len(names) > 2:
        lead = "Meeting of"
    return f"{lead} {_enumerate(names, 'and')}"


def _enumerate(items: list[str], conjunction: str) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


_FEMININE_SURNAME = ("ова", "ева", "ёва", "ина", "ая", "ына")
_MASCULINE_SURNAME = ("ов", "ев", "ёв", "ин", "ын", "ий")
_CONSONANTS = set("бвгджзклмнпрстфхцчшщ")


@lru_cache(maxsize=20_000)
def genitive(name: str) -> str:
    """«Ермек Кошербаев» → «Ермека Кошербаева», «Си Цзиньпин» → «Си Цзиньпина»: what
    pymorphy3 knows as a name is declined by it; a man's name it does not know declines
    as Russian declines foreign men's names (a consonant takes «-а», «-й» and «-ь» take
    «-я»), a woman's stays as written, as do words ending in a vowel («Эмомали», «Ли»)."""
    if not any("а" <= c.lower() <= "я" or c in "ёЁ" for c in name):
        return name
    words = name.split()
    gender = _gender(words)
    return " ".join(
        word
        if word.casefold() in PARTICLES  # «фон дер», «бин», «Аль»
        else "-".join([*word.split("-")[:-1], _genitive_word(word.split("-")[-1], gender)])
        for word in words
    )  # «Касым-Жомарта»: a hyphenated given name declines its last part


def _gender(words: list[str]) -> str:
    """A name's gender: its given name's, else its surname's ending, else the given
    name's ending («-а», «-я» for a woman)."""
    for p in morph.parses(words[0].split("-")[0].casefold()):
        if "Name" in p.tag and p.tag.case == "nomn" and p.tag.gender and p.score > 0.2:
            return str(p.tag.gender)
    last = words[-1].casefold()
    if len(words) > 1 and last.endswith(_FEMININE_SURNAME):
        return "femn"
    if len(words) > 1 and last.endswith(_MASCULINE_SURNAME):
        return "masc"
    return "femn" if words[0].casefold().endswith(("а", "я")) else "masc"


def _genitive_word(word: str, gender: str) -> str:
    low = word.casefold()
    for p in morph.parses(low):
        named = {"Name", "Surn", "Patr"} & set(p.tag.grammemes)
        if not named or p.tag.case != "nomn" or p.tag.number == "plur":
            continue
        if p.tag.gender and str(p.tag.gender) != gender and "Ms-f" not in p.tag:
            continue
        if not (p.is_known or low.endswith(_MASCULINE_SURNAME + _FEMININE_SURNAME)):
            continue
        form = p.inflect({"gent", gender} if "Surn" in p.tag else {"gent"})
        if form is not None:
            return _recase(form.word, word)
    if gender != "masc" or len(low) < 2:
        return word
    if low[-1] in _CONSONANTS:
        return word + "а"
    if low[-1] in "йь":
        return word[:-1] + "я"
    return word


def _recase(new: str, like: str) -> str:
    return new[:1].upper() + new[1:] if like[:1].isupper() else new


@lru_cache(maxsize=20_000)
def nominative_phrase(phrase: str, lang: str) -> str:
    """An umbrella's name as the text writes it, put into the nominative from its first
    word to its head noun («32-го заседания Совета министров …» → «32-е заседание Совета
    министров …»), capitalised."""
    phrase = phrase.strip()
    if lang == "ru":
        words = phrase.split(" ")
        head = next(
            (k for k, w in enumerate(words[:6]) if _is_noun(w) and not _is_ordinal(w)), None
        )
        if head is not None:
            noun = _nominative_noun(words[head])
            if noun is not None:
                word, gender = noun
                words = [
                    *(
                        _ordinal(w, gender) if _is_ordinal(w) else _agree(w, gender)
                        for w in words[:head]
                    ),
                    word,
                    *words[head + 1 :],
                ]
        phrase = " ".join(words)
    return phrase[:1].upper() + phrase[1:]


def _is_noun(word: str) -> bool:
    found = morph.parses(word.casefold())
    return bool(found) and found[0].tag.POS == "NOUN" and found[0].tag.case is not None


def _is_ordinal(word: str) -> bool:
    number, _, ending = word.partition("-")
    return number.isdigit() and bool(ending)


def _nominative_noun(word: str) -> tuple[str, str] | None:
    """The head noun in the nominative of its number, and its gender. The phrase is the
    object of «в рамках», «на полях», «в ходе»: a genitive singular is read first
    («заседания» is that, not a nominative plural)."""
    parses = [p for p in morph.parses(word.casefold()) if p.tag.POS == "NOUN"]
    if not parses:
        return None
    p = next((x for x in parses if x.tag.case == "gent" and x.tag.number == "sing"), parses[0])
    form = p if p.tag.case == "nomn" else p.inflect({"nomn", p.tag.number or "sing"})
    if form is None:
        return None
    return _recase(form.word, word), str(p.tag.gender or "masc")


def _agree(word: str, gender: str) -> str:
    """An adjective before the head noun, in the nominative singular of its gender."""
    for p in morph.parses(word.casefold()):
        if p.tag.POS == "ADJF":
            form = p.inflect({"nomn", "sing", gender})
            if form is not None:
                return _recase(form.word, word)
    return word


def _ordinal(word: str, gender: str) -> str:
    """«32-го» before a noun of ``gender`` in the nominative: «32-е», «32-й», «32-я»."""
    number, _, ending = word.partition("-")
    if not (number.isdigit() and ending):
        return word
    return f"{number}-{ {'neut': 'е', 'femn': 'я'}.get(gender, 'й') }"

"""Event titles read like headlines, in the article's language (issue 15)."""

import datetime as dt

import pytest

from annotator import Annotator
from annotator.headlines import genitive, headline, nominative_phrase


@pytest.mark.parametrize(
    ("name", "of"),
    [
        ("Ермек Кошербаев", "Ермека Кошербаева"),
        ("Касым-Жомарт Токаев", "Касым-Жомарта Токаева"),
        ("Си Цзиньпин", "Си Цзиньпина"),  # a foreign man's name ending in a consonant
        ("Эмомали Рахмон", "Эмомали Рахмона"),
        ("Анна Петрова", "Анны Петровой"),
        ("Байба Браже", "Байба Браже"),  # a woman's name pymorphy3 does not know stays
        ("Урсула фон дер Ляйен", "Урсулы фон дер Ляйен"),
        ("Фейсал бин Фархан Аль Сауд", "Фейсала бин Фархана Аль Сауда"),
        ("Yermek Kosherbayev", "Yermek Kosherbayev"),
    ],
)
def test_names_in_the_genitive(name, of):
    assert genitive(name) == of


def test_headlines_of_each_kind():
    ru = ["Ермек Кошербаев", "Сергей Лавров"]
    assert (
        headline("bilateral-meeting", ru, "ru") == "Переговоры Ермека Кошербаева и Сергея Лаврова"
    )
    assert headline("phone-call", ru, "ru").startswith("Телефонный разговор Ермека")
    assert headline("visit", ru[:1], "ru") == "Визит Ермека Кошербаева"
    en = ["Yermek Kosherbayev", "Sergey Lavrov"]
    assert (
        headline("bilateral-meeting", en, "en")
        == "Talks between Yermek Kosherbayev and Sergey Lavrov"
    )
    assert headline("multilateral-meeting", [*en, "Wang Yi"], "en") == (
        "Meeting of Yermek Kosherbayev, Sergey Lavrov and Wang Yi"
    )
    assert headline("summit", [], "en") == "Summit"


@pytest.mark.parametrize(
    ("phrase", "title"),
    [
        (
            "32-го заседания Совета министров иностранных дел ОБСЕ",
            "32-е заседание Совета министров иностранных дел ОБСЕ",
        ),
        (
            "Государственного визита Президента Шавката Мирзиёева",
            "Государственный визит Президента Шавката Мирзиёева",
        ),
        ("международной конференции", "Международная конференция"),
        ("31-й сессии Генеральной Ассамблеи", "31-я сессия Генеральной Ассамблеи"),
        ("the OSCE Ministerial Council in Vienna", "The OSCE Ministerial Council in Vienna"),
    ],
)
def test_an_umbrella_is_named_in_the_nominative(phrase, title):
    lang = "en" if phrase.isascii() else "ru"
    assert nominative_phrase(phrase, lang) == title


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


def test_who_received_whom_and_who_chaired(annotator):
    body = (
        "AKIpress (KG) - Президент Кыргызстана Садыр Жапаров принял министра иностранных дел "
        "Китая Ван И. Стороны обсудили торговлю.\n"
        "Заседание Совета глав государств СНГ состоялось 10 октября в Душанбе. "
        "Председательствовал на нем Президент Таджикистана Эмомали Рахмон."
    )
    events = annotator.annotate(body, title="Встречи", published_at=dt.date(2025, 10, 11))
    roles = {p.name: p.role for e in events for p in e.participants if p.kind == "person"}
    assert roles["Ван И"] == "guest"
    assert roles["Эмомали Рахмон"] == "chair"
    talks = next(e for e in events if any(p.name == "Ван И" for p in e.participants))
    assert talks.type == "bilateral-meeting"  # «иностранных» holds no «стран»
    assert talks.title == "Переговоры Садыра Жапарова и Ван И"
    assert next(p.role for p in talks.participants if p.name == "Садыр Жапаров") == "host"

import pytest

from annotator import countries
from annotator.text import tokenize


def codes(text, lang="ru"):
    return [m.code for m in countries.find(tokenize(text), lang)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("представители Кыргызстана", "KG"),
        ("с Таджикистаном", "TJ"),
        ("в Узбекистане", "UZ"),
        ("сообщает МИД РК", "KZ"),
        ("делегация КР", "KG"),
        ("Киргизии", "KG"),
        ("Туркмении", "TM"),
        ("из США", "US"),
        ("Российской Федерации", "RU"),
        ("Китайской Народной Республики", "CN"),
        ("Исландии", "IS"),
        ("Kazakh Foreign Minister", "KZ"),
    ],
)
def test_country_in_any_case(text, code):
    lang = "en" if text.isascii() else "ru"
    assert code in codes(text, lang)


def test_compound_adjective_names_both():
    assert set(codes("казахстанско-китайских отношений")) == {"KZ", "CN"}


def test_regions_are_not_countries():
    assert codes("страны Центральной Азии и Северной Европы") == []
    assert codes("countries of Central Asia", "en") == []


def test_names_both_languages():
    assert countries.names("KZ") == ("Казахстан", "Kazakhstan")

import datetime as dt
import subprocess
import sys

import pytest

from annotator import Annotator


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


def test_statistics_release_has_no_event(annotator):
    body = (
        "Kabar (KG) - Бишкек, 3 февраля. Внешнеторговый оборот Кыргызстана в 2025 году составил "
        "14,2 млрд долларов, сообщает Национальный статистический комитет. Основными партнерами "
        "остались Китай, Россия и Казахстан. Экспорт вырос на 12%, импорт — на 8%."
    )
    assert (
        annotator.annotate(body, title="Товарооборот вырос", published_at=dt.date(2026, 2, 3)) == []
    )


def test_phone_call_has_no_venue_and_relative_date(annotator):
    body = (
        "Kazinform (KZ) - Астана, 15 января. Президент Казахстана Касым-Жомарт Токаев вчера провел "
        "телефонный разговор с Председателем Китайской Народной Республики Си Цзиньпином.\n\n"
        "Стороны обсудили развитие транспортно-логистических маршрутов."
    )
    events = annotator.annotate(body, title="Разговор", published_at=dt.date(2026, 1, 15))
    assert len(events) == 1
    e = events[0]
    assert e.type == "phone-call" and e.venue is None
    assert e.start_date == dt.date(2026, 1, 14) and e.date_source == "relative"
    names = {p.name for p in e.participants if p.kind == "person"}
    assert names == {"Касым-Жомарт Токаев", "Си Цзиньпин"}
    assert {p.country for p in e.participants if p.kind == "country"} == {"KZ", "CN"}
    assert "transport" in e.topics


def test_english_article(annotator):
    body = (
        "Astana Times (KZ) - BRUSSELS – Kazakh Foreign Minister Yermek Kosherbayev met with "
        "OSCE Secretary General Feridun Sinirlioğlu on Dec. 4. The sides discussed regional "
        "security and water cooperation."
    )
    events = annotator.annotate(body, title="Meeting", published_at=dt.date(2025, 12, 5))
    assert len(events) == 1
    e = events[0]
    people = {p.name: p for p in e.participants if p.kind == "person"}
    assert set(people) == {"Yermek Kosherbayev", "Feridun Sinirlioğlu"}
    assert people["Yermek Kosherbayev"].country == "KZ"
    assert e.venue is not None and e.venue.name == "Brussels"
    assert e.start_date == dt.date(2025, 12, 4)
    assert {"security", "water"} <= set(e.topics)


def test_language_is_detected(annotator):
    events = annotator.annotate(
        "Sadyr Japarov met with Shavkat Mirziyoyev in Tashkent on Monday.",
        title="t",
        published_at=dt.date(2025, 6, 12),
    )
    assert events and events[0].venue.name == "Tashkent"


def test_import_does_not_load_models():
    code = "import sys, annotator; assert 'natasha' not in sys.modules; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"

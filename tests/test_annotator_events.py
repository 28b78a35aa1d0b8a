"""Event-level dates: sub-events placed against other events of the article,
and background sentences that add neither events nor topics."""

import datetime as dt

import pytest

from annotator import Annotator

D = dt.date


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


def dates_of(events):
    return {(e.start_date, e.end_date) for e in events}


def test_day_before_the_previous_event(annotator):
    body = (
        "Kazinform (KZ) - Астана, 2 января. 30 декабря Президент Казахстана Касым-Жомарт Токаев "
        "провел телефонный разговор с Президентом России Владимиром Путиным.\n\n"
        "Днём ранее Глава государства поговорил по телефону с Президентом Узбекистана "
        "Шавкатом Мирзиёевым. Президенты обсудили вопросы водопользования."
    )
    events = annotator.annotate(body, title="Разговоры", published_at=D(2026, 1, 2))
    assert dates_of(events) == {(D(2025, 12, 30),) * 2, (D(2025, 12, 29),) * 2}
    assert "water" in {t for e in events for t in e.topics}


def test_days_of_a_visit(annotator):
    body = (
        "Astana Times (KZ) - BEIJING – Kazakh Prime Minister Olzhas Bektenov paid an official "
        "visit to China on Dec. 29–31.\n\n"
        "On Monday, Bektenov held talks with Premier of the State Council of China Li Qiang.\n\n"
        "On the second day of the visit, Bektenov met with Chinese Vice Premier Ding Xuexiang."
    )
    events = annotator.annotate(body, title="Visit", published_at=D(2026, 1, 2), language="en")
    assert {(D(2025, 12, 29), D(2025, 12, 31)), (D(2025, 12, 30),) * 2} <= dates_of(events)
    assert (D(2025, 12, 29),) * 2 in dates_of(events)


def test_eve_of_a_session_and_paragraph_date(annotator):
    body = (
        "AKIpress (KG) - Президент Кыргызстана Садыр Жапаров 9–10 октября находился с рабочим "
        "визитом в Душанбе.\n\n"
        "Заседание Совета глав государств СНГ состоялось 10 октября. В заседании также приняли "
        "участие президенты Казахстана Касым-Жомарт Токаев и России Владимир Путин.\n\n"
        "Накануне заседания С.Жапаров провел переговоры с Президентом Таджикистана Эмомали "
        "Рахмоном."
    )
    events = annotator.annotate(body, title="СНГ", published_at=D(2025, 10, 11))
    assert {(D(2025, 10, 10),) * 2, (D(2025, 10, 9),) * 2} <= dates_of(events)
    rahmon = [e for e in events if any(p.name == "Эмомали Рахмон" for p in e.participants)]
    assert rahmon and rahmon[-1].start_date == D(2025, 10, 9)


def test_next_day_and_weekday_within_a_visit(annotator):
    body = (
        "Khovar (TJ) - Министр иностранных дел Таджикистана Сироджиддин Мухриддин 24–26 ноября "
        "находился с официальным визитом в Италии.\n\n"
        "Во вторник в Риме состоялись переговоры Сироджиддина Мухриддина с министром "
        "иностранных дел Италии Антонио Таяни.\n\n"
        "На следующий день глава МИД Таджикистана встретился с Председателем Сената Италии "
        "Иньяцио Ла Руссой."
    )
    # published more than a week later: «во вторник» is still the Tuesday of the visit
    events = annotator.annotate(body, title="Визит", published_at=D(2025, 12, 5))
    assert {(D(2025, 11, 25),) * 2, (D(2025, 11, 26),) * 2} <= dates_of(events)


def test_background_adds_no_event_and_no_topic(annotator):
    body = (
        "Kabar (KG) - Бишкек, 5 марта. Министр иностранных дел Кыргызстана Жээнбек Кулубаев "
        "сегодня встретился с Послом Германии Михаэлем Кинделем. Стороны обсудили вопросы "
        "образования.\n\n"
        "Напомним, в прошлом году Кыргызстан и Германия подписали соглашение об инвестициях в "
        "энергетику.\n\n"
        "По данным Национального статистического комитета, товарооборот двух стран "
        "в 2025 году вырос на 12 процентов."
    )
    events = annotator.annotate(body, title="Встреча", published_at=D(2026, 3, 5))
    assert len(events) == 1
    assert "education" in events[0].topics
    assert not {"energy", "economy", "trade"} & set(events[0].topics)


def test_a_visit_ending_on_the_last_day_there_is(annotator):
    # «Во вторник» is looked for among the days of the visit; the search stepped past
    # its last day, and after 9999-12-31 there is none. (29–31 December 9999 is
    # Wednesday to Friday: no Tuesday in it, so the Tuesday before publication.)
    body = (
        "Khovar (TJ) - Министр иностранных дел Таджикистана Сироджиддин Мухриддин 29–31 "
        "декабря находился с официальным визитом в Италии.\n\n"
        "Во вторник в Риме состоялись переговоры Сироджиддина Мухриддина с министром "
        "иностранных дел Италии Антонио Таяни."
    )
    events = annotator.annotate(body, title="Визит", published_at=D(9999, 12, 31))
    assert {(D(9999, 12, 29), D(9999, 12, 31)), (D(9999, 12, 28),) * 2} <= dates_of(events)

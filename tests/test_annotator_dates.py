import datetime as dt

from annotator.dates import find

D = dt.date


def one(text, published, lang="ru"):
    found = find(text, published, lang)
    assert found, text
    return found[0]


def test_day_with_year():
    m = one("5 декабря 2025 года", D(2025, 12, 6))
    assert (m.start_date, m.end_date, m.source) == (D(2025, 12, 5), D(2025, 12, 5), "text")


def test_ranges():
    assert one("3–4 апреля", D(2025, 4, 4)).end_date == D(2025, 4, 4)
    m = one("31 августа – 1 сентября", D(2025, 9, 2))
    assert (m.start_date, m.end_date) == (D(2025, 8, 31), D(2025, 9, 1))
    m = one("с 5 по 6 декабря", D(2025, 12, 6))
    assert (m.start_date, m.end_date) == (D(2025, 12, 5), D(2025, 12, 6))
    m = one("on 4–5 December 2025", D(2025, 12, 6), "en")
    assert (m.start_date, m.end_date) == (D(2025, 12, 4), D(2025, 12, 5))
    m = one("on Oct. 9-10", D(2025, 10, 10), "en")
    assert (m.start_date, m.end_date) == (D(2025, 10, 9), D(2025, 10, 10))


def test_relative():
    assert one("вчера", D(2026, 1, 15)).start_date == D(2026, 1, 14)
    assert one("Today, the leader", D(2025, 11, 25), "en").start_date == D(2025, 11, 25)
    assert one("В среду", D(2025, 6, 12)).start_date == D(2025, 6, 11)  # a Thursday
    m = one("on Monday", D(2025, 6, 12), "en")
    assert (m.start_date, m.source) == (D(2025, 6, 9), "relative")


def test_year_rollover():
    assert one("30 декабря", D(2026, 1, 3)).start_date == D(2025, 12, 30)
    assert one("Dec. 30", D(2026, 1, 3), "en").start_date == D(2025, 12, 30)
    assert one("12 ноября", D(2025, 11, 20)).start_date == D(2025, 11, 12)


def test_offsets_point_into_text():
    text = "Переговоры прошли 12 ноября в Бишкеке."
    m = one(text, D(2025, 11, 12))
    assert text[m.start : m.end] == "12 ноября"


def test_eve_of_an_event_is_not_yesterday():
    # «накануне заседания» points at the session, not at the publication date
    assert find("Накануне заседания министр провел переговоры", D(2025, 10, 11), "ru") == []
    assert one("Накануне министр провел переговоры", D(2025, 10, 11)).start_date == D(2025, 10, 10)


def test_anchored_phrases():
    from annotator.dates import anchored

    cases = [
        ("Днём ранее президент поговорил по телефону", "ru", ("shift", -1, None)),
        ("На следующий день глава МИД встретился", "ru", ("shift", 1, None)),
        ("В тот же день состоялась встреча", "ru", ("shift", 0, None)),
        ("Накануне саммита ШОС лидеры встретились", "ru", ("shift", -1, "саммита")),
        ("В ходе второго дня визита премьера принял", "ru", ("ordinal", 2, "визита")),
        ("В заключительный день форума", "ru", ("ordinal", -1, "форума")),
        ("The previous day, on the sidelines", "en", ("shift", -1, None)),
        ("Later that day, he met", "en", ("shift", 0, None)),
        ("The day before the summit, they met", "en", ("shift", -1, "summit")),
        ("On the second day of the visit, he met", "en", ("ordinal", 2, "visit")),
        ("On Wednesday, the final day of the visit", "en", ("ordinal", -1, "visit")),
    ]
    for text, lang, want in cases:
        found = anchored(text, lang)
        assert found, text
        assert (found[0].kind, found[0].value, found[0].noun) == want, text


def test_resolve_anchor():
    from annotator.dates import Anchored, resolve_anchor

    start, end = D(2025, 12, 29), D(2025, 12, 31)
    assert resolve_anchor(Anchored(0, 1, "ordinal", 2, None), start, end) == D(2025, 12, 30)
    assert resolve_anchor(Anchored(0, 1, "ordinal", -1, None), start, end) == end
    assert resolve_anchor(Anchored(0, 1, "ordinal", 4, None), start, end) is None
    assert resolve_anchor(Anchored(0, 1, "shift", -1, None), start, end) == D(2025, 12, 28)
    assert resolve_anchor(Anchored(0, 1, "shift", 1, None), start, start) == D(2025, 12, 30)


def test_weekday_is_recorded():
    assert one("во вторник", D(2025, 11, 27)).weekday == 1
    assert one("вчера", D(2025, 11, 27)).weekday is None


FIRST, LAST = D(1, 1, 1), D(9999, 12, 31)  # a Monday and a Friday


def test_a_relative_day_outside_the_calendar_is_no_date():
    # "yesterday" of 0001-01-01 and "tomorrow" of 9999-12-31 are not dates: not found
    for text, published, lang in [
        ("Вчера министр встретился с коллегой.", FIRST, "ru"),
        ("Позавчера министр встретился с коллегой.", D(1, 1, 2), "ru"),
        ("Накануне министр встретился с коллегой.", FIRST, "ru"),
        ("В воскресенье министр встретился с коллегой.", FIRST, "ru"),
        ("Завтра министр встретится с коллегой.", LAST, "ru"),
        ("Yesterday the minister met his counterpart.", FIRST, "en"),
        ("On Sunday the minister met his counterpart.", FIRST, "en"),
        ("Tomorrow the minister will meet his counterpart.", LAST, "en"),
    ]:
        assert find(text, published, lang) == [], text
    assert one("Сегодня", FIRST).start_date == FIRST
    assert one("В понедельник", FIRST).start_date == FIRST
    assert one("Today", LAST, "en").start_date == LAST
    assert one("вчера", LAST).start_date == D(9999, 12, 30)


def test_a_month_outside_the_calendar_is_no_date():
    # December before an article of January of year 1 would be in year 0
    assert find("в декабре", FIRST, "ru") == []
    assert find("в мае 0000 года", D(2025, 6, 1), "ru") == []
    assert find("in May 0000", D(2025, 6, 1), "en") == []
    # the last month there is ends on the last day there is
    m = one("в декабре 9999 года", D(2025, 6, 1))
    assert (m.start_date, m.end_date, m.precision) == (D(9999, 12, 1), LAST, "month")
    m = one("in December 9999", D(2025, 6, 1), "en")
    assert (m.start_date, m.end_date, m.precision) == (D(9999, 12, 1), LAST, "month")


def test_an_anchor_outside_the_calendar_is_no_date():
    from annotator.dates import Anchored, resolve_anchor

    # «на следующий день» after an event of 9999-12-31, «днём ранее» before 0001-01-01
    assert resolve_anchor(Anchored(0, 1, "shift", 1, None), LAST, LAST) is None
    assert resolve_anchor(Anchored(0, 1, "shift", -1, None), FIRST, FIRST) is None
    assert resolve_anchor(Anchored(0, 1, "ordinal", 2, None), LAST, LAST) is None
    assert resolve_anchor(Anchored(0, 1, "ordinal", -1, None), LAST, LAST) == LAST
    assert resolve_anchor(Anchored(0, 1, "shift", 1, None), FIRST, FIRST) == D(1, 1, 2)

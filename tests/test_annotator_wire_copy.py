"""What published wire copy does that the project's first articles did not (issue 15):
each test is one phenomenon, in text written for it."""

import datetime as dt

import pytest

from annotator import Annotator

D = dt.date


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


def people(events):
    return {p.name: p for e in events for p in e.participants if p.kind == "person"}


def states(events):
    return {p.country for e in events for p in e.participants if p.kind == "country"}


def test_an_english_list_gives_each_state_to_the_name_after_it(annotator):
    body = (
        "Kazinform (KZ) - ASTANA – On the sidelines of the OSCE Ministerial Council in Vienna, "
        "Foreign Minister Yermek Kosherbayev met with the foreign ministers of Spain José "
        "Albares, Latvia Baiba Braže, Luxembourg Xavier Bettel and Switzerland Ignazio Cassis."
    )
    found = people(annotator.annotate(body, title="Talks", published_at=D(2025, 12, 5)))
    assert {n: found[n].country for n in found if n != "Yermek Kosherbayev"} == {
        "José Albares": "ES",
        "Baiba Braže": "LV",
        "Xavier Bettel": "LU",
        "Ignazio Cassis": "CH",
    }
    assert found["Baiba Braže"].position == "foreign minister of Latvia"


def test_a_possessive_state_and_plural_titles(annotator):
    body = (
        "Trend (AZ) - Kosherbayev also met Moldova's Deputy Prime Minister and Foreign "
        "Minister Mihai Popșoi. Earlier, Presidents Sadyr Japarov and Shavkat Mirziyoyev "
        "held talks in Tashkent."
    )
    events = annotator.annotate(body, title="Talks", published_at=D(2025, 12, 5))
    found = people(events)
    assert found["Mihai Popșoi"].country == "MD"
    assert "Sadyr Japarov" in found and not any(n.startswith("Presidents") for n in found)


def test_monuments_and_plants_are_no_people(annotator):
    body = (
        "UzA (UZ) - TASHKENT – Prime Minister Abdulla Aripov received the Minister of Energy "
        "of Qatar Saad Sherida Al-Kaabi. The minister laid a wreath at the Independence "
        "Monument and visited the Riverside Solar Photovoltaic plant."
    )
    found = people(annotator.annotate(body, title="Talks", published_at=D(2025, 12, 5)))
    assert not {n for n in found if "Monument" in n or "Riverside" in n or "Solar" in n}


@pytest.mark.parametrize(
    "body",
    [
        # a perfective future has no marker word
        "Trend (AZ) - Баку, 9 декабря. Президент Азербайджана Ильхам Алиев 15–16 декабря "
        "посетит Кыргызстан с государственным визитом. В Бишкеке состоятся переговоры "
        "Ильхама Алиева и Садыра Жапарова.",
        # an event noun before "is expected" is its subject
        "Kabar (KG) - On the sidelines of the summit, Sadyr Japarov is expected to hold "
        "bilateral talks with President of Korea Lee Jae-myung. A meeting with Prime "
        "Minister Kim Min-seok is also planned.",
        # a year before the publication's is background, whoever it names
        "Kabar (KG) - In August 2025, Japarov and Lee Jae-myung discussed preparations for "
        "the summit by phone.",
    ],
)
def test_planned_and_recalled_meetings_are_no_events(annotator, body):
    assert annotator.annotate(body, title="Plans", published_at=D(2026, 5, 12)) == []


def test_an_invitation_received_is_no_plan(annotator):
    body = (
        "Kabar (KG) - BUDAPEST – President Sadyr Japarov is paying a state visit to Hungary "
        "at the invitation of Hungarian President Tamás Sulyok. On Monday, Japarov and "
        "Sulyok held talks at the Sándor Palace."
    )
    events = annotator.annotate(body, title="Visit", published_at=D(2025, 11, 25))
    assert {"Sadyr Japarov", "Tamás Sulyok"} <= set(people(events))


def test_who_took_part_joins_the_event_told(annotator):
    body = (
        "Казинформ (KZ) - 14 октября в Душанбе на заседании Совета глав государств СНГ "
        "рассмотрены вопросы сотрудничества. В заседании приняли участие К.Токаев, "
        "С.Жапаров, Э.Рахмон и Ш.Мирзиёев."
    )
    events = annotator.annotate(body, title="СНГ", published_at=D(2025, 10, 15))
    assert len(events) == 1
    assert {"KZ", "KG", "TJ", "UZ"} <= states(events)


def test_a_passive_reception_names_its_participants(annotator):
    body = (
        "Kursiv (UZ) - Президент Узбекистана Шавкат Мирзиёев накануне принял верительные "
        "грамоты у послов пяти государств.\n"
        "Верительные грамоты приняты у послов Малайзии и Туркменистана."
    )
    events = annotator.annotate(body, title="Грамоты", published_at=D(2025, 8, 31))
    assert {"MY", "TM"} <= states(events)


def test_a_minister_of_his_own_meets_without_the_president(annotator):
    body = (
        "Kazinform (KZ) - Президент Казахстана Касым-Жомарт Токаев принял в Акорде "
        "Президента Франции Эммануэля Макрона.\n"
        "Глава МИД Казахстана Ермек Кошербаев провел встречу с министром иностранных дел "
        "Франции Жан-Ноэлем Барро."
    )
    events = annotator.annotate(body, title="Встречи", published_at=D(2025, 11, 5))
    ministers = next(e for e in events if any("Кошербаев" in p.name for p in e.participants))
    assert not any("Токаев" in p.name for p in ministers.participants)


def test_declined_foreign_given_names_are_put_in_the_nominative(annotator):
    body = (
        "МИД (KZ) - В Нью-Йорке министр провел встречу с вице-премьером Молдовы Михаем "
        "Попшой, а также с президентом Германии Франком-Вальтером Штайнмайером."
    )
    found = people(annotator.annotate(body, title="Встречи", published_at=D(2025, 9, 25)))
    assert any(n.startswith("Михай ") for n in found), found
    assert "Франк-Вальтер Штайнмайер" in found, found


def test_calls_with_several_leaders_are_one_call_each(annotator):
    body = (
        "Sputnik (TJ) - ДУШАНБЕ, 21 мар — Sputnik. В пятницу Э.Рахмон поговорил по телефону с "
        "президентом Казахстана К.Токаевым, президентом Узбекистана Ш.Мирзиёевым и "
        "президентом Туркменистана С.Бердымухамедовым.\n"
        "В беседе с Касым-Жомартом Токаевым обсуждались поставки казахстанского зерна. С "
        "Шавкатом Мирзиёевым стороны затронули вопросы строительства ГЭС."
    )
    events = annotator.annotate(body, title="Звонки", published_at=D(2026, 3, 21))
    calls = [e for e in events if e.type == "phone-call"]
    pairs = [sorted(p.name for p in e.participants if p.kind == "person") for e in calls]
    assert sorted(pairs) == [
        ["Касым-Жомарт Токаев", "Эмомали Рахмон"],
        ["Сердар Бердымухамедов", "Эмомали Рахмон"],
        ["Шавкат Мирзиёев", "Эмомали Рахмон"],
    ]
    topics = {next(p.name for p in e.participants if p.name != "Эмомали Рахмон"): e.topics
              for e in calls}  # fmt: skip
    assert "agriculture" in topics["Касым-Жомарт Токаев"]
    assert "energy" in topics["Шавкат Мирзиёев"]
    assert "agriculture" not in topics["Шавкат Мирзиёев"]


def test_an_english_initial_resolves_through_the_office_holders(annotator):
    body = (
        "MFA of Turkmenistan (TM) - On February 21, 2023, the Minister of Foreign Affairs of "
        "Turkmenistan R.Meredov received Natalya Gherman, the head of the UN Regional Centre "
        "for Preventive Diplomacy for Central Asia."
    )
    found = people(annotator.annotate(body, title="Meeting", published_at=D(2023, 2, 21)))
    assert set(found) == {"Rashid Meredov", "Natalya Gherman"}


def test_states_meeting_with_nobody_named_is_an_event(annotator):
    body = (
        "TASS (RU) - МОСКВА, 31 мая. /ТАСС/. Совет глав правительств Содружества Независимых "
        "Государств на заседании в пятницу в Душанбе утвердил план мероприятий. В заседании "
        "приняли участие делегации Казахстана, Киргизии, России и Таджикистана."
    )
    events = annotator.annotate(body, title="СНГ", published_at=D(2025, 5, 31))
    assert [(e.start_date, e.venue.name if e.venue else None) for e in events] == [
        (D(2025, 5, 30), "Dushanbe")
    ]
    assert {"KZ", "KG", "RU", "TJ"} <= states(events)


def test_the_events_of_a_dated_visit_take_its_first_day(annotator):
    body = (
        "24.kg (KG) - President of Kyrgyzstan Sadyr Japarov paid a state visit to Kazakhstan "
        "on March 2-3.\n"
        "The state visit began with the official meeting ceremony with the President of "
        "Kazakhstan Kassym-Jomart Tokayev. The heads of state held talks in narrow and "
        "expanded formats."
    )
    events = annotator.annotate(body, title="Visit", published_at=D(2021, 3, 3))
    visit = next(e for e in events if e.type == "visit")
    assert (visit.start_date, visit.end_date) == (D(2021, 3, 2), D(2021, 3, 3))
    assert all(e.start_date == D(2021, 3, 2) for e in events if e is not visit)


def test_a_name_of_one_letter_ends_a_sentence(annotator):
    from annotator.text import sentences

    text = "Переговоры с министром КНР Ван И. Обсуждены вопросы визита. Встреча с Е. Кошербаевым."
    assert [s.text for s in sentences(text)] == [
        "Переговоры с министром КНР Ван И.",
        "Обсуждены вопросы визита.",
        "Встреча с Е. Кошербаевым.",
    ]


def test_a_spokesperson_takes_no_part(annotator):
    body = (
        "Podrobno.uz (UZ) - Пресс-секретарь Президента Шерзод Асадов сообщил, что вчера "
        "Шавкат Мирзиёев провёл переговоры с Президентом Казахстана Касым-Жомартом Токаевым."
    )
    found = people(annotator.annotate(body, title="Переговоры", published_at=D(2026, 4, 2)))
    assert "Шерзод Асадов" not in found and "Касым-Жомарт Токаев" in found


def test_a_visit_abroad_is_not_in_the_newsroom_city(annotator):
    body = (
        "Kabar (KG) - BISHKEK, November 19 – Chairman of the Cabinet of Ministers Adylbek "
        "Kasymaliev is paying an official visit to the Republic of Korea on November 17–19.\n"
        "On the first day of the visit, he laid a wreath at the Seoul National Cemetery. "
        "Then Kasymaliev held talks with Prime Minister of Korea Kim Min-seok."
    )
    events = annotator.annotate(body, title="Visit", published_at=D(2025, 11, 19))
    visit = next(e for e in events if e.type == "visit" and e.end_date > e.start_date)
    talks = next(e for e in events if any(p.name == "Kim Min-seok" for p in e.participants))
    assert visit.venue is None  # a country is no venue
    assert talks.venue is not None and talks.venue.name == "Seoul"


def test_a_later_sentence_says_where_it_took_place(annotator):
    body = (
        "Daryo (UZ) - Вчера Президент Узбекистана Шавкат Мирзиёев принял министра "
        "иностранных дел Турции Хакана Фидана.\nВстреча прошла в Самарканде."
    )
    events = annotator.annotate(body, title="Встреча", published_at=D(2026, 1, 23))
    assert [e.venue.name for e in events if e.venue] == ["Samarkand"]


def topics_of(annotator, body, published, lang=None):
    events = annotator.annotate(body, title="T", published_at=published, language=lang)
    return {t for e in events for t in e.topics}


@pytest.mark.parametrize(
    ("body", "absent"),
    [
        # elections only as the occasion of a call are no topic of it
        (
            "Kabar (KG) - President Sadyr Japarov held a phone call with President Shavkat "
            "Mirziyoyev, who congratulated him on the elections. The sides discussed trade.",
            "rule-of-law",
        ),
        # "accredited", "importance": no credit, no imports
        (
            "Kabar (KG) - Photo credit: Akorda. President Sadyr Japarov received the newly "
            "accredited Ambassador of Japan Takeshi Yamada and noted the importance of ties.",
            "finance",
        ),
        (
            "Kabar (KG) - President Sadyr Japarov received Ambassador of Japan Takeshi Yamada "
            "and stressed the importance of cultural ties.",
            "trade",
        ),
        # «полупроводников» holds «водн» and is no water
        (
            "Казинформ (KZ) - Касым-Жомарт Токаев провёл переговоры с Президентом Кореи Ли "
            "Чжэ Мёном. Обсуждено производство полупроводников.",
            "water",
        ),
        # a university's name is what is taught there, not what was discussed
        (
            "Daryo (UZ) - Bakhtiyor Saidov met with IOM Director General Amy Pope at the "
            "University of World Economy and Diplomacy. They discussed labour migration.",
            "economy",
        ),
        # «сказал журналистам» is no talk of the press
        (
            "ТАСС (RU) - Владимир Путин провёл переговоры с Президентом Казахстана "
            "Касым-Жомартом Токаевым, сказал журналистам Дмитрий Песков.",
            "media-freedom",
        ),
    ],
)
def test_words_that_name_no_topic(annotator, body, absent):
    assert absent not in topics_of(annotator, body, D(2026, 3, 20))


@pytest.mark.parametrize(
    ("body", "lang"),
    [
        # a year before the publication's, written «в 2024 году»
        (
            "Trend (AZ) - В 2024 году Ильхам Алиев провёл переговоры с Садыром Жапаровым в Баку.",
            "ru",
        ),
        # a "Read also" line names an earlier report
        (
            "Kabar (KG) - Read also: Sadyr Japarov held talks with Shavkat Mirziyoyev in Tashkent",
            "en",
        ),
        # "may be signed during the visit": a visit still to come
        (
            "Asia-Plus (TJ) - An agreement on grants may be signed during the visit of "
            "Emomali Rahmon to Tokyo.",
            "en",
        ),
        # any summit, not one
        (
            "Times of Central Asia (KZ) - Political analyst Daniyar Ospanov said the region "
            "was in demand. The agenda of almost every summit was written in Astana.",
            "en",
        ),
        # a state for its capital signed, the columnist takes no part
        (
            "Times of Central Asia (KZ) - Political analyst Daniyar Ospanov said the region "
            "was in demand. Beijing signed a treaty on good-neighbourliness with all five "
            "states.",
            "en",
        ),
        # the event a sentence prepares
        (
            "Daryo (UZ) - Shavkat Mirziyoyev spoke of the preparations for the Consultative "
            "Meeting of the Heads of State of Central Asia.",
            "en",
        ),
    ],
)
def test_recalled_planned_and_mentioned_events_are_none(annotator, body, lang):
    assert annotator.annotate(body, title="T", published_at=D(2026, 3, 20), language=lang) == []


def test_a_meeting_after_an_earlier_summit_is_not_that_summit(annotator):
    body = (
        "Daryo (UZ) - Вчера Президент Узбекистана Шавкат Мирзиёев принял специального "
        "посланника Президента США Серджио Гора. Глава государства отметил, что после "
        "саммита «Центральная Азия – США» в Вашингтоне отношения вышли на новый уровень."
    )
    events = annotator.annotate(body, title="Встреча", published_at=D(2026, 1, 23))
    assert [e.type for e in events] == ["bilateral-meeting"]


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (
            "Astana Times (KZ) - Bektenov met with European Commissioner for International "
            "Partnerships Jozef Síkela.",
            "Jozef Síkela",
        ),
        (
            "Orient (TM) - Serdar Berdimuhamedov received US Special Envoy for South and "
            "Central Asian Affairs Sergio Gor.",
            "Sergio Gor",
        ),
        (
            "Kazinform (KZ) - Serik Zhumangarin held talks with Uzbekistan's Minister of "
            "Investment, Industry and Trade Laziz Kudratov.",
            "Laziz Kudratov",
        ),
    ],
)
def test_a_long_english_title_leads_to_its_name(annotator, body, name):
    found = people(annotator.annotate(body, title="Talks", published_at=D(2025, 10, 9)))
    assert name in found and not any(n.endswith(name) and n != name for n in found), found


def test_a_visit_s_events_take_the_days_the_text_writes_since_it_began(annotator):
    body = (
        "UzA (UZ) - TASHKENT – President Sadyr Japarov is on a state visit to Uzbekistan on "
        "April 21-23.\n"
        "An official welcoming ceremony took place today at the Kuksaroy residence. "
        "Presidents Shavkat Mirziyoyev and Sadyr Japarov then held talks.\n"
        "The second day of the state visit began with a meeting of Sadyr Japarov with the "
        "Speaker of the Senate Tanzila Narbayeva."
    )
    events = annotator.annotate(body, title="Visit", published_at=D(2026, 4, 22))
    days = {
        frozenset(p.name for p in e.participants if p.kind == "person"): e.start_date
        for e in events
        if e.type != "visit"
    }
    assert days[frozenset({"Shavkat Mirziyoyev", "Sadyr Japarov"})] == D(2026, 4, 22)
    assert days[frozenset({"Sadyr Japarov", "Tanzila Narbayeva"})] == D(2026, 4, 22)

"""Deterministic synthetic data for benchmarks: ``flask --app api seed-synthetic --events N``.

The data is shaped like the real thing: persons with Russian, Kazakh and
English names and aliases, organisations, every country of ISO 3166-1 (Russian
name, English alias), geocoded places, 3-8 participants and 2-4 topics per
event, dates over ten years, one article (Russian or English, a few paragraphs
from word lists) per 1-3 events, evidence spans and sources.

Everything follows from ``(seed, events, entities, places)``: the reference
data from one ``random.Random(seed)``, and events in fixed blocks of
``BLOCK`` events, each block from its own ``Random`` (so a block can be made
in a helper process while the previous one is written). ``batch`` only sizes
the INSERT statements and never changes the data.

The load refuses a database that already holds entities, places, sources,
articles or events (only the topic vocabulary may be there): appending would
duplicate every entity and place and change what name resolution finds.
"""

from __future__ import annotations

import datetime as dt
import gettext
import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

import click
import pycountry

from api.ops.fixtures import load_topics
from api.store import bulk, names, postings
from api.store.articles import content_hash
from api.store.bulk import EventBlock
from api.store.db import database
from api.store.dialect import dialect
from api.store.migrations import upgrade
from api.store.models import (
    Article,
    Entity,
    EntityName,
    Event,
    Place,
    PlaceName,
    Source,
    Topic,
)

BLOCK = 5_000
SENTENCES = 20_000
FIRST_DAY = dt.date(2016, 1, 1)
SPAN_DAYS = (dt.date(2026, 1, 1) - FIRST_DAY).days
# A word every article of either language is likely to hold a few times in
# a hundred: the benchmark's one-word `q`.
COMMON_WORD = "сотрудничества"

# --- Names -------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip


def translit(text: str) -> str:
    """A Latin spelling of a Cyrillic name (the usual press transliteration)."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = _TRANSLIT.get(low, ch)
        out.append(latin.capitalize() if ch != low and latin else latin)
    return "".join(out).replace("aev", "ayev").replace("iev", "iyev")


MALE_FIRST = _words(
    "Ермек Касым-Жомарт Нурсултан Алихан Ерлан Мурат Бахыт Серик Аскар Даурен Канат "
    "Ержан Берик Нурлан Айдос Тимур Руслан Арман Болат Жанибек Мухтар Азамат Кайрат "
    "Сергей Андрей Владимир Алексей Дмитрий Михаил Николай Игорь Павел Виктор Олег "
    "Шавкат Бахтиёр Джамшид Фаррух Садыр Эмомали Сапар Улугбек Рустам Дильшод"
)
FEMALE_FIRST = _words(
    "Айгерим Динара Гульнара Асель Жанар Сауле Мадина Айжан Камила Алия Томирис "
    "Мария Елена Ольга Анна Наталья Татьяна Ирина Светлана Валентина Дильноза Гульшат"
)
SURNAME_STEMS = _words(
    "Кошербаев Токаев Назарбаев Смаилов Скляр Нуртлеу Ашимбаев Кошанов Тлеуберди "
    "Жумангарин Сапаров Исекешев Мамин Бектенов Мухамедиулы Карин Абенов Ахметов "
    "Джаксыбеков Султанов Ибраимов Оспанов Сейтказиев Байжанов Ермеков Жакупов "
    "Лавров Шойгу Мишустин Оверчук Новак Решетников Галузин Руденко Козак Лихачев "
    "Мирзиёев Саидов Норов Арипов Жапаров Кулмухамбетов Рахмон Мухриддинов Бердымухамедов "
    "Мередов Алиев Байрамов Пашинян Мирзоян Лукашенко Рыженков Сандов Волков Кузнецов"
)
EN_FIRST = _words(
    "John Michael David James Robert William Richard Thomas Charles Daniel Emmanuel "
    "Olaf Antony Josep Kaja Ursula Annalena Rishi Keir Mark Catherine Helen Sarah Anne"
)
EN_SURNAMES = _words(
    "Smith Johnson Brown Miller Davis Wilson Anderson Taylor Moore Martin Thompson "
    "White Harris Clark Lewis Walker Hall Allen Young King Wright Scott Green Baker"
)
EN_RU = {
    "John": "Джон", "Michael": "Майкл", "David": "Дэвид", "James": "Джеймс",
    "Robert": "Роберт", "William": "Уильям", "Richard": "Ричард", "Thomas": "Томас",
    "Charles": "Чарльз", "Daniel": "Дэниел", "Emmanuel": "Эммануэль", "Olaf": "Олаф",
    "Antony": "Энтони", "Josep": "Жозеп", "Kaja": "Кая", "Ursula": "Урсула",
    "Annalena": "Анналена", "Rishi": "Риши", "Keir": "Кир", "Mark": "Марк",
    "Catherine": "Кэтрин", "Helen": "Хелен", "Sarah": "Сара", "Anne": "Энн",
    "Smith": "Смит", "Johnson": "Джонсон", "Brown": "Браун", "Miller": "Миллер",
    "Davis": "Дэвис", "Wilson": "Уилсон", "Anderson": "Андерсон", "Taylor": "Тейлор",
    "Moore": "Мур", "Martin": "Мартин", "Thompson": "Томпсон", "White": "Уайт",
    "Harris": "Харрис", "Clark": "Кларк", "Lewis": "Льюис", "Walker": "Уокер",
    "Hall": "Холл", "Allen": "Аллен", "Young": "Янг", "King": "Кинг", "Wright": "Райт",
    "Scott": "Скотт", "Green": "Грин", "Baker": "Бейкер",
}  # fmt: skip
SYLLABLES = _words(
    "ка ра та ба са жа ал ма ку ла ар ас ер ен ты бе ке мир зан тал бай дар хан кур "
    "ша ат ак ор ту су на ге ле бу ди ор ем тау кум кол бек"
)
POSITIONS = (
    "министр иностранных дел",
    "заместитель министра иностранных дел",
    "президент",
    "премьер-министр",
    "посол",
    "министр энергетики",
    "министр экономики",
    "министр торговли и интеграции",
    "генеральный секретарь",
    "председатель правления",
    "специальный представитель",
    "советник президента",
)
ORG_PATTERNS = (
    ("Национальная компания «{}»", "{} National Company"),
    ("Банк развития «{}»", "{} Development Bank"),
    ("Фонд «{}»", "{} Foundation"),
    ("Холдинг «{}»", "{} Holding"),
    ("Ассоциация «{}»", "{} Association"),
    ("Институт «{}»", "{} Institute"),
    ("Агентство «{}»", "{} Agency"),
    ("Корпорация «{}»", "{} Corporation"),
    ("Центр «{}»", "{} Centre"),
    ("Университет «{}»", "{} University"),
)
REAL_ORGS = (
    ("Организация Объединённых Наций", ["United Nations", "ООН", "UN"], None),
    ("Шанхайская организация сотрудничества", ["Shanghai Cooperation Organisation", "ШОС"], "CN"),
    ("Организация Договора о коллективной безопасности", ["CSTO", "ОДКБ"], "RU"),
    ("Евразийский экономический союз", ["Eurasian Economic Union", "ЕАЭС"], "RU"),
    ("Содружество Независимых Государств", ["Commonwealth of Independent States", "СНГ"], "BY"),
    ("ОБСЕ", ["OSCE", "Organization for Security and Co-operation in Europe"], "AT"),
    ("Европейский союз", ["European Union", "ЕС", "EU"], "BE"),
    ("НАТО", ["NATO", "North Atlantic Treaty Organization"], "BE"),
    ("Организация исламского сотрудничества", ["Organisation of Islamic Cooperation"], "SA"),
    ("Организация тюркских государств", ["Organization of Turkic States", "ОТГ"], "TR"),
    ("Всемирный банк", ["World Bank"], "US"),
    ("Международный валютный фонд", ["International Monetary Fund", "МВФ", "IMF"], "US"),
    ("Азиатский банк развития", ["Asian Development Bank", "АБР"], "PH"),
    ("Европейский банк реконструкции и развития", ["EBRD", "ЕБРР"], "GB"),
    ("МАГАТЭ", ["IAEA", "International Atomic Energy Agency"], "AT"),
    ("ЮНЕСКО", ["UNESCO"], "FR"),
    ("Всемирная организация здравоохранения", ["World Health Organization", "ВОЗ"], "CH"),
    ("Совещание по взаимодействию и мерам доверия в Азии", ["CICA", "СВМДА"], "KZ"),
)
# Countries that make the news here, with a weight; every other country weighs 1.
FAVOURED = {
    "KZ": 60, "RU": 40, "UZ": 30, "KG": 20, "TJ": 15, "TM": 12, "CN": 25, "US": 20,
    "TR": 12, "AZ": 10, "DE": 10, "FR": 8, "GB": 8, "IN": 8, "JP": 6, "KR": 6,
    "AT": 6, "BY": 8, "AM": 6, "GE": 6, "IR": 6, "AF": 6, "PK": 5, "AE": 6, "SA": 5,
    "IT": 5, "PL": 4, "HU": 4, "CH": 4, "BE": 5, "MN": 4, "UA": 5, "QA": 4, "EG": 3,
}  # fmt: skip
CENTROIDS = {
    "KZ": (48.0, 67.0, 6.0, 14.0), "RU": (56.0, 60.0, 5.0, 30.0), "UZ": (41.3, 64.5, 1.5, 4.0),
    "KG": (41.5, 74.5, 1.0, 3.0), "TJ": (38.8, 71.0, 1.0, 2.0), "TM": (39.0, 59.5, 1.5, 4.0),
    "CN": (35.0, 105.0, 8.0, 15.0), "US": (39.0, -98.0, 7.0, 20.0), "TR": (39.0, 35.0, 2.0, 7.0),
    "AZ": (40.3, 47.7, 0.8, 1.5), "DE": (51.0, 10.0, 2.0, 3.0), "FR": (46.5, 2.5, 2.5, 3.0),
    "GB": (53.0, -1.5, 2.0, 1.5), "IN": (22.0, 79.0, 6.0, 6.0), "AT": (47.5, 14.0, 0.5, 2.5),
    "BY": (53.7, 28.0, 1.2, 3.0), "CH": (46.8, 8.2, 0.4, 1.0), "BE": (50.6, 4.6, 0.4, 0.8),
}  # fmt: skip
CAPITALS = (
    ("Астана", "Astana", "KZ", 51.17, 71.45), ("Алматы", "Almaty", "KZ", 43.24, 76.89),
    ("Москва", "Moscow", "RU", 55.76, 37.62), ("Ташкент", "Tashkent", "UZ", 41.3, 69.24),
    ("Бишкек", "Bishkek", "KG", 42.87, 74.59), ("Душанбе", "Dushanbe", "TJ", 38.56, 68.77),
    ("Ашхабад", "Ashgabat", "TM", 37.96, 58.33), ("Пекин", "Beijing", "CN", 39.9, 116.41),
    ("Вашингтон", "Washington", "US", 38.9, -77.04), ("Анкара", "Ankara", "TR", 39.93, 32.86),
    ("Баку", "Baku", "AZ", 40.41, 49.87), ("Берлин", "Berlin", "DE", 52.52, 13.4),
    ("Париж", "Paris", "FR", 48.86, 2.35), ("Лондон", "London", "GB", 51.51, -0.13),
    ("Вена", "Vienna", "AT", 48.21, 16.37), ("Минск", "Minsk", "BY", 53.9, 27.56),
    ("Женева", "Geneva", "CH", 46.2, 6.14), ("Брюссель", "Brussels", "BE", 50.85, 4.35),
    ("Нью-Йорк", "New York", "US", 40.71, -74.01), ("Шанхай", "Shanghai", "CN", 31.23, 121.47),
    ("Самарканд", "Samarkand", "UZ", 39.65, 66.96), ("Стамбул", "Istanbul", "TR", 41.01, 28.98),
    ("Дели", "Delhi", "IN", 28.61, 77.21), ("Токио", "Tokyo", "JP", 35.68, 139.69),
    ("Сеул", "Seoul", "KR", 37.57, 126.98), ("Дубай", "Dubai", "AE", 25.2, 55.27),
    ("Ереван", "Yerevan", "AM", 40.18, 44.51), ("Тбилиси", "Tbilisi", "GE", 41.72, 44.79),
)  # fmt: skip
SOURCES = (
    ("CentralAsia (KZ)", "KZ", "ru", "centralasia.kz"),
    ("Kazinform (KZ)", "KZ", "ru", "inform.kz"),
    ("Tengrinews (KZ)", "KZ", "ru", "tengrinews.kz"),
    ("Astana Times (KZ)", "KZ", "en", "astanatimes.com"),
    ("Kun.uz (UZ)", "UZ", "ru", "kun.uz"),
    ("Gazeta.uz (UZ)", "UZ", "ru", "gazeta.uz"),
    ("24.kg (KG)", "KG", "ru", "24.kg"),
    ("Asia-Plus (TJ)", "TJ", "ru", "asiaplustj.info"),
    ("TASS (RU)", "RU", "ru", "tass.ru"),
    ("RIA Novosti (RU)", "RU", "ru", "ria.ru"),
    ("Interfax (RU)", "RU", "ru", "interfax.ru"),
    ("Reuters (GB)", "GB", "en", "reuters.com"),
    ("Associated Press (US)", "US", "en", "apnews.com"),
    ("Eurasianet (US)", "US", "en", "eurasianet.org"),
    ("Xinhua (CN)", "CN", "en", "xinhuanet.com"),
    ("Anadolu (TR)", "TR", "en", "aa.com.tr"),
    ("Trend (AZ)", "AZ", "ru", "trend.az"),
    ("Belta (BY)", "BY", "ru", "belta.by"),
    ("Deutsche Welle (DE)", "DE", "en", "dw.com"),
    ("Ministry of Foreign Affairs (KZ)", "KZ", "ru", "gov.kz"),
)

# --- Text --------------------------------------------------------------------

RU_WORDS = _words(
    "стороны обсудили вопросы двустороннего сотрудничества в сфере торговли энергетики "
    "транспорта логистики инвестиций водных ресурсов сельского хозяйства образования "
    "здравоохранения культуры туризма безопасности региона также были рассмотрены "
    "перспективы расширения взаимодействия в рамках многосторонних структур отмечена "
    "важность укрепления дружественных отношений и стратегического партнёрства "
    "подчеркнута необходимость реализации достигнутых договорённостей подписаны "
    "соглашения меморандумы дорожная карта товарооборот вырос процентов за прошлый год "
    "проекты возобновляемой энергетики транзитный потенциал коридора климатическая "
    "повестка цифровизация экономики инфраструктура железной дороги трубопровода "
    "переговоры прошли в конструктивной атмосфере министр подчеркнул делегация "
    "визит состоялся встреча саммит конференция форум заседание совета консультации "
    "граница таможня миграция права человека верховенство закона свобода прессы "
    "наука технологии университеты студенты гранты пшеница хлопок газ нефть уран "
    "гидроэнергетика ирригация засуха ледники аральское море экология выбросы"
)
EN_WORDS = _words(
    "the sides discussed bilateral cooperation in trade energy transport logistics "
    "investment water resources agriculture education health culture tourism "
    "security of the region and also reviewed prospects for expanding interaction "
    "within multilateral frameworks noted the importance of strengthening friendly "
    "relations strategic partnership stressed the need to implement agreements "
    "reached signed memoranda roadmap trade turnover grew percent last year "
    "renewable energy projects transit potential corridor climate agenda digital "
    "economy railway infrastructure pipeline talks were held in a constructive "
    "atmosphere minister delegation visit meeting summit conference forum council "
    "consultations border customs migration human rights rule of law press freedom "
    "science technology universities students grants wheat cotton gas oil uranium "
    "hydropower irrigation drought glaciers aral sea ecology emissions cooperation"
)
TITLES = {
    "ru": {
        "multilateral-meeting": "Встреча министров: {t}",
        "bilateral-meeting": "Встреча: {a} и {b}",
        "visit": "Визит: {a}, {v}",
        "phone-call": "Телефонный разговор: {a} и {b}",
        "summit": "Саммит: {v}",
        "conference": "Конференция «{t}»: {v}",
        "negotiation": "Переговоры: {a} и {b}",
        "signing": "Подписание соглашения: {a} и {b}",
        "statement": "Заявление: {a}",
        "other": "{t}: {a}",
    },
    "en": {
        "multilateral-meeting": "Ministerial meeting on {t}",
        "bilateral-meeting": "{a} meets {b}",
        "visit": "{a} visits {v}",
        "phone-call": "Phone call between {a} and {b}",
        "summit": "Summit in {v}",
        "conference": "Conference on {t} in {v}",
        "negotiation": "Talks between {a} and {b}",
        "signing": "{a} and {b} sign an agreement",
        "statement": "Statement by {a}",
        "other": "{t}: {a}",
    },
}
TYPE_WEIGHTS = {
    "multilateral-meeting": 8, "bilateral-meeting": 30, "visit": 15, "phone-call": 12,
    "summit": 4, "conference": 8, "negotiation": 8, "signing": 5, "statement": 6, "other": 4,
}  # fmt: skip
TOPIC_WEIGHTS = {
    "diplomacy": 40, "security": 12, "economy": 20, "trade": 15, "finance": 6, "energy": 12,
    "environment": 5, "water": 5, "agriculture": 4, "transport": 8, "education": 4,
    "science-technology": 4, "health": 3, "culture": 4, "tourism": 3, "human-rights": 2,
    "media-freedom": 1, "rule-of-law": 2, "migration": 3,
}  # fmt: skip


class NotEmpty(RuntimeError):
    """The database holds data already; the synthetic load only fills an empty one."""


@dataclass
class Pool:
    """Things to draw from with skewed popularity (``random.choices`` cumulative weights)."""

    items: list
    cum: list[float] = field(default_factory=list)

    @classmethod
    def weighted(cls, items: list, weights: list[float]) -> Pool:
        return cls(items, list(accumulate(weights)))

    def draw(self, rng: random.Random, k: int = 1) -> list:
        return rng.choices(self.items, cum_weights=self.cum, k=k)


@dataclass
class World:
    """The reference data events are drawn from (made once, shared by every block)."""

    persons: Pool
    countries: Pool
    organizations: Pool
    places: Pool
    topics: Pool
    sources: Pool
    # id -> (Russian name, English name) for titles and article text.
    entity_names: dict[int, tuple[str, str]]
    place_names: dict[int, tuple[str, str]]
    positions: dict[int, str]
    source_domains: dict[int, str]
    source_languages: dict[int, str]
    topic_labels: dict[str, tuple[str, str]]
    # Sentences made once from the word lists, per language: articles draw from them.
    sentences: tuple[list[str], list[str]] = ((), ())


# --- Reference data ----------------------------------------------------------


def _zipf(n: int, s: float) -> list[float]:
    return [1.0 / (rank + 1) ** s for rank in range(n)]


def _stem(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _person(rng: random.Random) -> tuple[str, list[str]]:
    """A person's Russian-spelled name and aliases (a Latin spelling; Kazakh -улы forms)."""
    roll = rng.random()
    if roll < 0.15:
        first, last = rng.choice(EN_FIRST), rng.choice(EN_SURNAMES)
        return f"{EN_RU[first]} {EN_RU[last]}", [f"{first} {last}"]
    female = rng.random() < 0.25
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    if rng.random() < 0.6:
        last = rng.choice(SURNAME_STEMS)
    else:
        last = _stem(rng, rng.randint(2, 3)) + rng.choice(("ов", "ев", "баев", "ин", "бек"))
    if female and last.endswith(("ов", "ев", "ин")):
        last += "а"
    name = f"{first} {last}"
    aliases = [translit(name)]
    if not female and rng.random() < 0.1 and last.endswith(("ов", "ев")):
        aliases.append(f"{first} {last[:-2]}улы")
    return name, aliases


def _countries_ru() -> Callable[[str], str]:
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
    return ru.gettext


def build_reference(rng: random.Random, n_entities: int, n_places: int, now: dt.datetime):
    """Rows of sources, entities and places, and the ``World`` drawn from them."""
    sources = [
        (i + 1, name, country, lang, f"https://{domain}")
        for i, (name, country, lang, domain) in enumerate(SOURCES)
    ]
    entities: list[tuple] = []  # (id, kind, name, aliases, country, description)
    country_ids = _countries(entities)
    codes = sorted(country_ids)
    code_weights = [FAVOURED.get(c, 1) for c in codes]
    code_pool = Pool.weighted(codes, code_weights)
    n_orgs = min(2_000, max(len(REAL_ORGS), n_entities // 10))
    org_ids = _organizations(rng, entities, n_orgs, code_pool)
    person_ids, positions = _persons(rng, entities, n_entities, code_pool)
    places = _places(rng, n_places, code_pool)

    def shuffled_zipf(ids: list[int], s: float) -> Pool:
        weights = _zipf(len(ids), s)
        rng.shuffle(weights)
        return Pool.weighted(ids, weights)

    by_id = {e[0]: e for e in entities}
    world = World(
        persons=shuffled_zipf(person_ids, 0.8),
        countries=Pool.weighted([country_ids[c] for c in codes], code_weights),
        organizations=shuffled_zipf(org_ids, 0.9),
        places=Pool.weighted([p[0] for p in places], _zipf(len(places), 1.0)),
        topics=Pool.weighted(list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())),
        sources=Pool.weighted([s[0] for s in sources], [3 if s[2] == "KZ" else 1 for s in sources]),
        entity_names={i: (e[2], e[3][0] if e[3] else e[2]) for i, e in by_id.items()},
        place_names={p[0]: (p[1], p[2][0]) for p in places},
        positions=positions,
        source_domains={s[0]: s[4].removeprefix("https://") for s in sources},
        source_languages={s[0]: s[3] for s in sources},
        topic_labels={},
        sentences=(
            [_sentence(rng, RU_WORDS) for _ in range(SENTENCES)],
            [_sentence(rng, EN_WORDS) for _ in range(SENTENCES)],
        ),
    )
    entity_rows = [(*e[:3], e[3], e[4], e[5], now, now) for e in entities]
    place_rows = [(*p, now, now) for p in places]
    return sources, entity_rows, place_rows, world


def _countries(entities: list[tuple]) -> dict[str, int]:
    """Every country as an entity (Russian name, English aliases); their ids by code."""
    ru_name = _countries_ru()
    country_ids: dict[str, int] = {}
    for country in pycountry.countries:
        aliases = [country.name]
        for extra in (
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ):
            if extra and extra not in aliases:
                aliases.append(extra)
        entity_id = len(entities) + 1
        country_ids[country.alpha_2] = entity_id
        entities.append(
            (entity_id, "country", ru_name(country.name), aliases, country.alpha_2, None)
        )
    return country_ids


def _organizations(rng, entities: list[tuple], n_orgs: int, code_pool: Pool) -> list[int]:
    """The real organisations, then made-up ones up to ``n_orgs``; their ids."""
    org_ids = []
    for name, aliases, country in REAL_ORGS:
        org_ids.append(len(entities) + 1)
        entities.append((org_ids[-1], "organization", name, list(aliases), country, None))
    seen: set[str] = set()
    while len(org_ids) < n_orgs:
        ru_pattern, en_pattern = rng.choice(ORG_PATTERNS)
        stem = _stem(rng, rng.randint(2, 3))
        name = ru_pattern.format(stem)
        if name in seen:
            continue
        seen.add(name)
        org_ids.append(len(entities) + 1)
        country = code_pool.draw(rng)[0]
        entities.append(
            (org_ids[-1], "organization", name, [en_pattern.format(translit(stem))], country, None)
        )
    return org_ids


def _persons(rng, entities: list[tuple], n_entities: int, code_pool: Pool):
    """Persons, each with a position, until there are ``n_entities`` entities."""
    person_ids = []
    positions: dict[int, str] = {}
    while len(entities) < n_entities:
        name, aliases = _person(rng)
        person_ids.append(len(entities) + 1)
        position = rng.choice(POSITIONS)
        positions[person_ids[-1]] = position
        country = code_pool.draw(rng)[0]
        entities.append((person_ids[-1], "person", name, aliases, country, position))
    return person_ids, positions


def _places(rng, n_places: int, code_pool: Pool) -> list[tuple]:
    """The capitals, then made-up places near their country's centre (id, name, aliases,
    country, lat, lon)."""
    places: list[tuple] = []
    for ru, en, country, lat, lon in CAPITALS[:n_places]:
        places.append((len(places) + 1, ru, [en], country, lat, lon))
    seen = {p[1] for p in places}
    while len(places) < n_places:
        name = _stem(rng, rng.randint(2, 3))
        if name in seen:
            continue
        seen.add(name)
        country = code_pool.draw(rng)[0]
        lat0, lon0, dlat, dlon = CENTROIDS.get(country, (20.0, 40.0, 30.0, 80.0))
        lat = round(max(-89.0, min(89.0, lat0 + rng.uniform(-dlat, dlat))), 4)
        lon = round(max(-179.0, min(179.0, lon0 + rng.uniform(-dlon, dlon))), 4)
        places.append((len(places) + 1, name, [translit(name)], country, lat, lon))
    return places


def name_key_rows(rows: list[tuple]) -> list[tuple]:
    """``(owner id, key, full)`` lookup keys for ``(id, name, aliases)`` rows."""
    out = []
    for owner_id, name, aliases in rows:
        all_names = [name, *aliases]
        out.extend((owner_id, k, True) for k in sorted(names.full_keys(all_names)))
        out.extend((owner_id, k, False) for k in sorted(names.search_keys(all_names)))
    return out


# --- Events, block by block --------------------------------------------------


def _sentence(rng: random.Random, words: tuple[str, ...]) -> str:
    text = " ".join(rng.choices(words, k=rng.randint(7, 13)))
    return text[0].upper() + text[1:] + "."


class _Body:
    """An article body being written, remembering where names were put (code points)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.spans: list[tuple[int, int, str]] = []

    def add(self, text: str, remember: bool = False) -> None:
        if remember:
            self.spans.append((self.size, self.size + len(text), text))
        self.parts.append(text)
        self.size += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def generate_block(world: World, seed: int, block: int, n_events: int) -> EventBlock:
    """The rows of events ``block * BLOCK + 1 ..`` (at most ``BLOCK``), articles numbered
    from 1 within the block (the loader shifts them)."""
    maker = _BlockMaker(world, random.Random(f"{seed}:{block}"), block, n_events)
    first = block * BLOCK + 1
    last = min(n_events, first + BLOCK - 1)
    event_id = first
    while event_id <= last:
        group = range(event_id, min(last, event_id + maker.rng.choice((1, 1, 2, 2, 3)) - 1) + 1)
        event_id = group[-1] + 1
        maker.article(group, first)
    return maker.rows


class _BlockMaker:
    """Makes one block's articles, each reporting one to three events."""

    def __init__(self, world: World, rng: random.Random, block: int, n_events: int):
        self.world, self.rng, self.block, self.n_events = world, rng, block, n_events
        self.rows = EventBlock()
        self.types = list(TYPE_WEIGHTS)
        self.type_cum = list(accumulate(TYPE_WEIGHTS.values()))
        self.article_no = 0

    def article(self, group: range, first: int) -> None:
        """An article reporting the events of ``group``, with a paragraph about each."""
        rng, world = self.rng, self.world
        source = world.sources.draw(rng)[0]
        lang = world.source_languages[source]
        if rng.random() < 0.15:
            lang = "en" if lang == "ru" else "ru"
        self.article_no += 1
        body = _Body()
        published = FIRST_DAY
        titles = []
        for eid in group:
            title, end = self.event(eid, first, lang, body)
            titles.append(title)
            published = max(published, end)
        body.add(" ".join(rng.choice(world.sentences[_li(lang)]) for _ in range(rng.randint(2, 4))))
        text = body.text().rstrip()
        headline = titles[0] if len(titles) == 1 else f"{titles[0]}; {titles[-1]}"
        stamp = dt.datetime.combine(published, dt.time(18, 0))
        url = (
            f"https://{world.source_domains[source]}/{published:%Y/%m}/{self.block}-"
            f"{self.article_no}"
        )
        content = content_hash(SOURCES[source - 1][0], headline, text)
        self.rows.articles.append(
            (self.article_no, source, headline, text, lang, published, url, content, stamp, stamp)
        )

    def _dates(self, eid: int) -> tuple[dt.date, dt.date, str]:
        """An event's start, end and precision. Ids follow dates (roughly), as an ingest of
        the news would."""
        rng = self.rng
        offset = min(SPAN_DAYS - 1, (eid - 1) * SPAN_DAYS // self.n_events + rng.randint(0, 2))
        day = FIRST_DAY + dt.timedelta(days=offset)
        if rng.random() < 0.96:
            return day, day + dt.timedelta(days=rng.choice((0, 0, 0, 0, 0, 0, 0, 1, 2, 3))), "day"
        day = day.replace(day=1)
        return day, (day + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1), "month"

    def _participants(self) -> list[int]:
        """Three to eight entities: a country or two, maybe an organisation, then persons."""
        rng, world = self.rng, self.world
        n_part = rng.randint(3, 8)
        chosen: list[int] = []
        for pool, k in (
            (world.countries, rng.randint(1, 2)),
            (world.organizations, 1 if rng.random() < 0.4 else 0),
            (world.persons, n_part),
        ):
            for ent in pool.draw(rng, k):
                if ent not in chosen and len(chosen) < n_part:
                    chosen.append(ent)
        while len(chosen) < n_part:
            ent = world.persons.draw(rng)[0]
            if ent not in chosen:
                chosen.append(ent)
        return chosen

    def _topics(self) -> list[str]:
        topics: list[str] = []
        n_topics = self.rng.randint(2, 4)
        while len(topics) < n_topics:
            slug = self.world.topics.draw(self.rng)[0]
            if slug not in topics:
                topics.append(slug)
        return topics

    def _title(self, lang, etype, chosen, topics, venue) -> str:
        world, li = self.world, _li(lang)
        persons = [e for e in chosen if e in world.positions] or chosen
        a = world.entity_names[persons[0]][li]
        b = world.entity_names[persons[1 % len(persons)]][li]
        vname = world.place_names[venue][li] if venue else ("Астана", "Astana")[li]
        return TITLES[lang][etype].format(a=a, b=b, v=vname, t=topics[0].replace("-", " "))

    def event(self, eid: int, first: int, lang: str, body: _Body) -> tuple[str, dt.date]:
        """Event ``eid`` and its links; its paragraph added to ``body``. Its title and end."""
        rng, world = self.rng, self.world
        day, end, precision = self._dates(eid)
        etype = rng.choices(self.types, cum_weights=self.type_cum)[0]
        chosen = self._participants()
        topics = self._topics()
        venue = world.places.draw(rng)[0] if rng.random() < 0.85 else None
        title = self._title(lang, etype, chosen, topics, venue)
        roll = rng.random()
        status = "auto" if roll < 0.92 else ("reviewed" if roll < 0.98 else "rejected")
        parent = None
        if eid - first > 20 and rng.random() < 0.05:
            parent = rng.randint(max(first, eid - 50), eid - 1)
        stamp = dt.datetime.combine(end, dt.time(12, 0))
        confidence = round(rng.uniform(0.45, 0.99), 2)
        self.rows.events.append(
            (eid, title, etype, day, end, precision, venue, parent, status, confidence, stamp,
             stamp)
        )  # fmt: skip
        for i, ent in enumerate(chosen):
            self.rows.participants.append((eid, ent, self._role(i), self._position(ent)))
        self.rows.event_topics.extend((eid, slug) for slug in topics)
        self.rows.event_articles.append((eid, self.article_no))
        self._paragraph(eid, title, chosen, venue, _li(lang), body)
        return title, end

    def _role(self, i: int) -> str:
        if i == 0 and self.rng.random() < 0.3:
            return "host"
        if i == 1 and self.rng.random() < 0.2:
            return "guest"
        return "participant"

    def _position(self, ent: int) -> str | None:
        return self.world.positions.get(ent) if self.rng.random() < 0.5 else None

    def _paragraph(self, eid, title, chosen, venue, li, body: _Body) -> None:
        """The paragraph about an event, with its names where the evidence points."""
        rng, world = self.rng, self.world
        sentences = world.sentences[li]
        start_span = len(body.spans)
        body.add(title + ". ")
        for ent in chosen[: rng.randint(2, 4)]:
            body.add(world.entity_names[ent][li], remember=True)
            body.add(" — " + rng.choice(sentences) + " ")
        if venue:
            body.add("Место: " if li == 0 else "Venue: ")
            body.add(world.place_names[venue][li], remember=True)
            body.add(". ")
        body.add(rng.choice(sentences) + "\n\n")
        if rng.random() < 0.3:
            for start, stop, exact in body.spans[start_span : start_span + 2]:
                is_venue = venue and exact == world.place_names[venue][li]
                entity = None if is_venue else _entity_named(world, chosen, exact, li)
                field_name = "venue" if is_venue else "participant"
                self.rows.mentions.append(
                    (self.article_no, eid, entity, field_name, "body", start, stop, exact)
                )


def _li(lang: str) -> int:
    """Which of a (Russian, English) pair an article in ``lang`` uses."""
    return 0 if lang == "ru" else 1


def _entity_named(world: World, chosen: list[int], exact: str, li: int) -> int | None:
    for ent in chosen:
        if world.entity_names[ent][li] == exact:
            return ent
    return None


def _shift_articles(rows: EventBlock, offset: int) -> None:
    """Number a block's articles after the ones written before it."""
    rows.articles = [(a[0] + offset, *a[1:]) for a in rows.articles]
    rows.event_articles = [(e, a + offset) for e, a in rows.event_articles]
    rows.mentions = [(m[0] + offset, *m[1:]) for m in rows.mentions]


# --- Loading -----------------------------------------------------------------

_WORLD: World | None = None
_SEED = 0


def _init_worker(world: World, seed: int) -> None:
    global _WORLD, _SEED
    _WORLD, _SEED = world, seed


def _worker_block(args: tuple[int, int]) -> EventBlock:
    block, n_events = args
    assert _WORLD is not None
    return generate_block(_WORLD, _SEED, block, n_events)


def _is_empty() -> bool:
    return not any(
        model.select().limit(1).exists() for model in (Event, Article, Entity, Place, Source)
    )


@dataclass
class Summary:
    counts: dict[str, int]
    seconds: float
    phases: dict[str, float]


def seed_synthetic(
    n_events: int,
    seed: int = 42,
    batch: int = 2_000,
    n_entities: int = 20_000,
    n_places: int = 2_000,
    workers: int | None = None,
    echo: Callable[[str], None] = print,
) -> Summary:
    """Fill an empty database with ``n_events`` synthetic events and everything around them.

    Raises ``NotEmpty`` when the database holds anything but the topic vocabulary.
    """
    started = time.perf_counter()
    phases: dict[str, float] = {}
    upgrade()
    load_topics()
    if not _is_empty():
        raise NotEmpty(
            "the database already holds entities, places, sources, articles or events; "
            "seed-synthetic only fills an empty database (use a new DATABASE_URL)"
        )
    rng = random.Random(seed)
    now = dt.datetime(2026, 1, 1, 0, 0, 0)
    sources, entity_rows, place_rows, world = build_reference(rng, n_entities, n_places, now)
    world.topic_labels = {t.slug: (t.label_ru, t.label_en) for t in Topic.select()}
    missing = set(TOPIC_WEIGHTS) - set(world.topic_labels)
    if missing:
        raise RuntimeError(f"topics missing from the vocabulary: {sorted(missing)}")

    with bulk.loading(echo):
        with database.atomic():
            bulk.insert_rows(Source, ("id", "name", "country", "language", "url"), sources, batch)
            bulk.insert_rows(
                Entity,
                ("id", "kind", "name", "aliases", "country", "description", "created_at",
                 "updated_at"),
                entity_rows,
                batch,
            )  # fmt: skip
            bulk.insert_rows(
                EntityName,
                ("entity", "key", "full"),
                name_key_rows([(e[0], e[2], e[3]) for e in entity_rows]),
                batch,
            )
            bulk.insert_rows(
                Place,
                ("id", "name", "aliases", "country", "lat", "lon", "created_at", "updated_at"),
                place_rows,
                batch,
            )
            bulk.insert_rows(
                PlaceName,
                ("place", "key", "full"),
                name_key_rows([(p[0], p[1], p[2]) for p in place_rows]),
                batch,
            )
        phases["reference"] = time.perf_counter() - started
        echo(
            f"reference data: {len(entity_rows)} entities, {len(place_rows)} places, "
            f"{len(sources)} sources ({phases['reference']:.1f}s)"
        )
        counts = _load_events(world, seed, n_events, batch, workers, echo)
        phases["events"] = time.perf_counter() - started - phases["reference"]
        mark = time.perf_counter()
    phases["indexes"] = time.perf_counter() - mark
    mark = time.perf_counter()
    bulk.advance_sequences((Source, Entity, Place, Event, Article))
    dialect().analyze(vacuum=True)
    phases["analyze"] = time.perf_counter() - mark
    counts = {
        "source": len(sources),
        "entity": len(entity_rows),
        "place": len(place_rows),
        **counts,
    }
    return Summary(counts, time.perf_counter() - started, phases)


def _blocks(world: World, seed: int, n_events: int, workers: int | None) -> Iterator[EventBlock]:
    """Every block's rows in order, made in a helper process while the last one is written."""
    jobs = [(b, n_events) for b in range((n_events + BLOCK - 1) // BLOCK)]
    if workers is None:
        workers = 1 if len(jobs) > 2 and (multiprocessing.cpu_count() or 1) > 1 else 0
    if workers <= 0:
        for block, _ in jobs:
            yield generate_block(world, seed, block, n_events)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(world, seed)) as pool:
        yield from pool.imap(_worker_block, jobs, chunksize=1)


def _load_events(world, seed, n_events, batch, workers, echo) -> dict[str, int]:
    counts = dict.fromkeys(bulk.EVENT_TABLES, 0)
    countries = postings.Countries.read()
    started = time.perf_counter()
    next_report = 0.0
    for rows in _blocks(world, seed, n_events, workers):
        if counts["article"]:
            _shift_articles(rows, counts["article"])
        with database.atomic():
            for table, written in bulk.write_block(rows, countries, batch).items():
                counts[table] += written
        elapsed = time.perf_counter() - started
        if elapsed >= next_report or counts["event"] >= n_events:
            next_report = elapsed + 5.0
            rate = counts["event"] / elapsed if elapsed else 0.0
            echo(
                f"  {counts['event']:>9,} / {n_events:,} events, {counts['article']:,} articles"
                f"  ({elapsed:.0f}s, {rate:,.0f} events/s)"
            )
    return counts


@click.command("seed-synthetic")
@click.option(
    "--events",
    "n_events",
    type=click.IntRange(min=1),
    required=True,
    help="How many events to make.",
)
@click.option(
    "--seed", type=int, default=42, show_default=True, help="The same seed makes the same data."
)
@click.option(
    "--batch",
    type=click.IntRange(min=1, max=10_000),
    default=2_000,
    show_default=True,
    help="SQLite: rows per executemany call (never changes the data).",
)
@click.option(
    "--entities",
    "n_entities",
    type=click.IntRange(min=400),
    default=20_000,
    show_default=True,
    help="Entities: every country, organisations and persons.",
)
@click.option(
    "--places",
    "n_places",
    type=click.IntRange(min=30),
    default=2_000,
    show_default=True,
    help="Places (venues).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0, max=8),
    default=None,
    help="Helper processes making events while others are written "
    "(default: 1 on a multi-core machine; 0 makes everything in this one).",
)
def seed_synthetic_command(n_events, seed, batch, n_entities, n_places, workers) -> None:
    """Fill an EMPTY database with deterministic synthetic data for benchmarks.

    Refuses a database holding anything but the topic vocabulary (appending
    would duplicate every entity and place); use a new DATABASE_URL.
    """  # fmt: skip
    click.echo(f"seed-synthetic: {n_events:,} events, seed {seed}, into {_where()}")
    try:
        with database.connection_context():
            summary = seed_synthetic(
                n_events, seed=seed, batch=batch, n_entities=n_entities,
                n_places=n_places, workers=workers, echo=click.echo,
            )  # fmt: skip
    except NotEmpty as exc:
        raise click.ClickException(str(exc)) from None
    width = max(len(k) for k in summary.counts)
    click.echo("rows:")
    for table, count in summary.counts.items():
        click.echo(f"  {table:<{width}}  {count:>10,}")
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in summary.phases.items())
    click.echo(f"done in {summary.seconds:.1f}s ({phases})")


def _where() -> str:
    return f"{dialect().name} database {database.obj.database!r}"

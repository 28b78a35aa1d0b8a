"""Differential tests of the query layer: the API's answers against a reference in plain Python.

One seeded synthetic store (3,000 events, 400 entities, 60 places) is loaded once for this
module, on the store the suite runs on. Its rows are read back with plain SQL and every
answer is computed again here, over those rows, by the simplest code that says what the
contract says (README, openapi.yaml): a filter keeps an event when any of its values
matches (OR within a repeated filter, AND between filters), dates overlap, ``q`` keeps
events whose title or articles hold every word. Hypothesis draws combinations of every
filter (repeated values included), pages each answer to its end with a small ``limit`` and
compares: the same events, in the same order, each once. The aggregates (``total`` and
every bucket), an entity's network and its event count are checked the same way.

What this catches is what hand-picked examples miss: a store that answers an ``EXISTS``
once per matching row (SQLite 3.51.1 did, for ``topic=a&topic=b``), an order that differs
between stores, a bucket counted twice.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from conftest import ON_POSTGRES, SERVER_URL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import create_app
from api.ops.synthetic import COMMON_WORD, seed_synthetic
from api.store import names
from api.store.db import database

EVENTS = 3000
EXAMPLES = int(os.environ.get("DIFFERENTIAL_EXAMPLES", 120))
# The same examples every run (CI is reproducible); DIFFERENTIAL_EXAMPLES=1000 explores more.
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# One request an example (no paging): more examples for the same time.
SETTINGS_ONE_REQUEST = settings(SETTINGS, max_examples=EXAMPLES * 3)
# Hypothesis reprs a failing example's strategies, here lists of the store's values: a long
# but harmless report, whose warning would otherwise fail the replay of the example itself.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
WORD = re.compile(r"\w+")
LETTERS = re.compile(r"[a-zа-я]{3,}")  # words both stores' tokenisers read the same way


# --- The reference -----------------------------------------------------------------------


def _at(value) -> dt.datetime:
    """A stored timestamp (naive UTC; SQLite answers text) as a naive datetime."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


@dataclass
class Row:
    id: int
    title: str
    type: str
    start: dt.date
    end: dt.date
    venue: int | None
    venue_country: str | None
    status: str
    parent: int | None
    updated: dt.datetime
    participants: set[int] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    words: set[str] = field(default_factory=set)


@dataclass(repr=False)  # Hypothesis prints the arguments of a failing example: keep it short
class Reference:
    events: dict[int, Row]
    entities: dict[int, tuple[str, str | None]]  # id -> (kind, country)
    vocabulary: list[str]  # searchable words, most common first
    # The stored lookup keys of every name and alias (and each word of one), by owner:
    # what `q` of /v1/entities and /v1/places matches by prefix.
    name_keys: dict[str, dict[int, set[str]]]
    place_countries: dict[int, str | None]

    @classmethod
    def read(cls) -> Reference:
        """Every row the answers depend on, by plain SQL."""

        def rows(sql: str) -> list[tuple]:
            return list(database.execute_sql(sql).fetchall())

        events = {
            r[0]: Row(r[0], r[1], r[2], _day(r[3]), _day(r[4]), r[5], None, r[6], r[7], _at(r[8]))
            for r in rows(
                "SELECT id, title, type, start_date, end_date, venue_id, status, parent_id, "
                "updated_at FROM event"
            )
        }
        places = dict(rows("SELECT id, country FROM place"))
        for event in events.values():
            event.venue_country = places.get(event.venue)
        entities = {
            i: (kind, country) for i, kind, country in rows("SELECT id, kind, country FROM entity")
        }
        for event_id, entity_id in rows("SELECT event_id, entity_id FROM participant"):
            events[event_id].participants.add(entity_id)
        for event_id, slug in rows("SELECT event_id, topic_id FROM event_topic"):
            events[event_id].topics.add(slug)
        texts = {i: f"{t} {b}" for i, t, b in rows("SELECT id, title, body FROM article")}
        for event_id, article_id in rows("SELECT event_id, article_id FROM event_article"):
            events[event_id].articles.add(article_id)
        counts: Counter[str] = Counter()
        for event in events.values():
            text = " ".join([event.title, *(texts[a] for a in event.articles)])
            event.words = {w.lower().replace("ё", "е") for w in WORD.findall(text)}
            counts.update(w for w in event.words if LETTERS.fullmatch(w))
        name_keys: dict[str, dict[int, set[str]]] = {"entity": {}, "place": {}}
        for owner in name_keys:
            for owner_id, key in rows(f"SELECT {owner}_id, key FROM {owner}_name"):
                if not key.startswith("~"):  # a consonant skeleton, for resolution only
                    name_keys[owner].setdefault(owner_id, set()).add(key)
        vocabulary = [w for w, _ in counts.most_common()]
        return cls(events, entities, vocabulary, name_keys, places)

    def __repr__(self) -> str:
        return f"<reference of {len(self.events)} events>"

    def countries(self, event: Row) -> set[str]:
        return {self.entities[e][1] for e in event.participants} - {None}

    def matches(self, event: Row, args: dict) -> bool:
        """Whether ``event`` is kept by the filters ``args`` (API names, lists for repeats)."""
        checks = {
            "from": lambda day: event.end >= day,
            "to": lambda day: event.start <= day,
            "participant": lambda ids: bool(event.participants & set(ids)),
            "country": lambda codes: bool(self.countries(event) & set(codes)),
            "venue": lambda ids: event.venue in ids,
            "venue_country": lambda codes: event.venue_country in codes,
            "topic": lambda slugs: bool(event.topics & set(slugs)),
            "type": lambda types: event.type in types,
            "status": lambda statuses: event.status in statuses,
            "article": lambda ids: bool(event.articles & set(ids)),
            "parent": lambda ids: event.parent in ids,
            "q": lambda text: all(w.lower() in event.words for w in text.split()),
            "updated_since": lambda at: event.updated >= at,
        }
        return all(checks[name](value) for name, value in args.items())

    def events_for(self, args: dict, sort: str = "-start_date") -> list[int]:
        kept = [e for e in self.events.values() if self.matches(e, args)]
        kept.sort(key=lambda e: (e.start, e.id), reverse=sort.startswith("-"))
        return [e.id for e in kept]


# --- The store ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A synthetic store of this module's own, its app, and the reference read from it."""
    if ON_POSTGRES:
        import psycopg

        name = f"annals_differential_{os.getpid()}"
        with psycopg.connect(SERVER_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        url = SERVER_URL.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('differential') / 'store.db'}"
    app = create_app({"DATABASE_URL": url, "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context(), database.connection_context():
        seed_synthetic(EVENTS, n_entities=400, n_places=60, workers=0, echo=lambda _: None)
        reference = Reference.read()
    yield app.test_client(), reference
    close_all = getattr(database.obj, "close_all", None)
    if close_all:
        close_all()
    if ON_POSTGRES:
        with psycopg.connect(SERVER_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _query(args: dict) -> list[tuple[str, str]]:
    pairs = []
    for name, value in args.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dt.datetime):  # a naive UTC moment, sent with its offset
                pairs.append((name, item.isoformat() + "Z"))
            else:
                pairs.append((name, item.isoformat() if isinstance(item, dt.date) else str(item)))
    return pairs


def _get(client, path: str, query) -> dict:
    response = client.get(path, query_string=query)
    assert response.status_code == 200, (path, query, response.get_json())
    return response.get_json()


def _page_ids(client, path: str, query: list, limit: int) -> list[int]:
    """The ids of every page of the list at ``path``, in the order answered."""
    ids: list[int] = []
    url, query = path, [*query, ("limit", str(limit))]
    while url:
        page = _get(client, url, query)
        assert len(page["data"]) <= limit
        ids.extend(item["id"] for item in page["data"])
        assert len(ids) <= EVENTS, "paging does not end"
        following = page["links"]["next"]
        url, query = (
            (urlsplit(following).path, urlsplit(following).query) if following else (None, None)
        )
    return ids


def _page_through(client, args: dict, limit: int) -> list[int]:
    """The ids of every page of the event list for ``args``, in the order answered."""
    return _page_ids(client, "/v1/events", _query(args), limit)


# --- What Hypothesis draws -----------------------------------------------------------------


@st.composite
def filters(draw, reference: Reference) -> dict:
    """A combination of the event list's filters, values drawn from the store's own."""
    events = list(reference.events.values())

    def some(values, most=3):
        # Repeats on purpose: `topic=a&topic=a` must answer as `topic=a`.
        return st.lists(st.sampled_from(sorted(values)), min_size=1, max_size=most)

    choices = {
        "participant": some({p for e in events for p in e.participants} | {99999}),
        "country": some({c for _, c in reference.entities.values() if c} | {"ZZ"}),
        "venue": some({e.venue for e in events if e.venue}),
        "venue_country": some({e.venue_country for e in events if e.venue_country}),
        "topic": some({t for e in events for t in e.topics}),
        "type": some({e.type for e in events}),
        "status": some({e.status for e in events}, most=2),
        "article": some({a for e in events for a in e.articles}),
        "parent": some({e.parent for e in events if e.parent}),
        # A stored moment itself (kept: at or after), or a second after it.
        "updated_since": st.sampled_from(sorted({e.updated for e in events})).flatmap(
            lambda at: st.sampled_from([at, at + dt.timedelta(seconds=1)])
        ),
        "q": st.one_of(
            st.sampled_from(reference.vocabulary[:20]),  # common: the walk in date order
            st.sampled_from(reference.vocabulary[-300:]),  # rare: a sort of the few matches
            st.lists(st.sampled_from(reference.vocabulary[:200]), min_size=2, max_size=3).map(
                " ".join
            ),
            st.just(COMMON_WORD),
            st.just("отсутствующееслово"),
        ),
    }
    names = draw(st.lists(st.sampled_from(sorted(choices)), max_size=3, unique=True))
    args = {name: draw(choices[name]) for name in names}
    days = sorted({e.start for e in events})
    if draw(st.booleans()):
        args["from"] = draw(st.sampled_from(days))
    if draw(st.booleans()):
        low = args.get("from", days[0])
        args["to"] = draw(st.sampled_from([d for d in days if d >= low] or [low]))
    return args


# --- The tests -----------------------------------------------------------------------------


@SETTINGS
@given(data=st.data())
def test_event_list_pages_match_the_reference(store, data):
    client, reference = store
    args = data.draw(filters(reference), label="filters")
    sort = data.draw(st.sampled_from(["-start_date", "start_date"]), label="sort")
    expected = reference.events_for(args, sort)
    # Small pages, but never more than ~25 requests for one answer.
    limit = max(data.draw(st.sampled_from([1, 7, 50]), label="limit"), len(expected) // 25 + 1)
    got = _page_through(client, {**args, "sort": sort}, limit)
    assert len(got) == len(set(got)), f"an event answered twice for {args}"
    assert got == expected, args


@SETTINGS_ONE_REQUEST
@given(data=st.data())
def test_aggregates_match_the_reference(store, data):
    client, reference = store
    args = data.draw(filters(reference), label="filters")
    by = data.draw(st.sampled_from(["topic", "country", "participant", "venue", "type"]))
    top = data.draw(st.sampled_from([1, 3, 500]), label="top")
    kinds = data.draw(
        st.lists(st.sampled_from(["person", "organization", "country"]), max_size=2, unique=True)
        if by == "participant"
        else st.just([])
    )
    answer = _get(
        client,
        "/v1/events/aggregate",
        [*_query(args), ("by", by), ("top", str(top)), *(("kind", k) for k in kinds)],
    )
    kept = [reference.events[i] for i in reference.events_for(args)]
    assert answer["total"] == len(kept), args
    counts: Counter = Counter()
    for event in kept:
        counts.update(
            {
                "topic": event.topics,
                "country": reference.countries(event),
                "participant": {
                    p for p in event.participants if not kinds or reference.entities[p][0] in kinds
                },
                "venue": {event.venue} - {None},
                "type": {event.type},
            }[by]
        )
    # Largest first; ties by the key itself (ids as numbers).
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [(b["key"], b["count"]) for b in answer["buckets"]] == [
        (str(k), n) for k, n in ranked[:top]
    ], (by, args)
    assert answer["meta"]["truncated"] == (len(ranked) > top)


@SETTINGS_ONE_REQUEST
@given(data=st.data())
def test_timelines_match_the_reference(store, data):
    client, reference = store
    args = data.draw(filters(reference), label="filters")
    by = data.draw(st.sampled_from(["month", "day"]))
    kept = [reference.events[i] for i in reference.events_for(args)]
    counts: Counter = Counter(e.start if by == "day" else e.start.replace(day=1) for e in kept)
    bounds = list(counts) + [args[n] for n in ("from", "to") if n in args]
    if by == "month":
        bounds = [d.replace(day=1) for d in bounds]
    expected: list[tuple[str, int]] = []
    if bounds:
        day, last = min(bounds), max(bounds)
        while day <= last:
            key = day.isoformat() if by == "day" else day.strftime("%Y-%m")
            expected.append((key, counts.get(day, 0)))
            day = (
                day + dt.timedelta(days=1)
                if by == "day"
                else dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
            )
    response = client.get("/v1/events/aggregate", query_string=[*_query(args), ("by", by)])
    if len(expected) > (3660 if by == "day" else 1200):
        assert response.status_code == 422
        return
    answer = response.get_json()
    assert response.status_code == 200, answer
    assert answer["total"] == len(kept), args
    assert [(b["key"], b["count"]) for b in answer["buckets"]] == expected, (by, args)


@SETTINGS_ONE_REQUEST
@given(data=st.data())
def test_network_matches_the_reference(store, data):
    client, reference = store
    args = data.draw(filters(reference), label="filters")
    entity = data.draw(st.sampled_from(sorted(reference.entities)), label="entity")
    kinds = data.draw(
        st.lists(st.sampled_from(["person", "organization", "country"]), max_size=2, unique=True)
    )
    answer = _get(
        client,
        f"/v1/entities/{entity}/network",
        [*_query(args), ("top", "500"), *(("kind", k) for k in kinds)],
    )
    kept = [
        reference.events[i]
        for i in reference.events_for(args)
        if entity in reference.events[i].participants
    ]
    assert answer["total"] == len(kept), (entity, args)
    partners: dict[int, list[Row]] = defaultdict(list)
    for event in kept:
        for other in event.participants - {entity}:
            if not kinds or reference.entities[other][0] in kinds:
                partners[other].append(event)
    expected = sorted(
        (
            (other, len(events), min(e.start for e in events), max(e.end for e in events))
            for other, events in partners.items()
        ),
        key=lambda row: (-row[1], row[0]),
    )
    assert [
        (p["entity"]["id"], p["count"], _day(p["first_date"]), _day(p["last_date"]))
        for p in answer["partners"]
    ] == expected, (entity, args)


@SETTINGS_ONE_REQUEST
@given(data=st.data())
def test_entity_event_counts_match_the_reference(store, data):
    client, reference = store
    entity = data.draw(st.sampled_from(sorted(reference.entities)), label="entity")
    answer = _get(client, f"/v1/entities/{entity}", [])
    events = [e for e in reference.events.values() if entity in e.participants]
    assert answer["event_count"] == len(events)
    if events:
        assert _day(answer["first_event_date"]) == min(e.start for e in events)
        assert _day(answer["last_event_date"]) == max(e.end for e in events)


@SETTINGS_ONE_REQUEST
@given(data=st.data())
def test_entity_and_place_lists_match_the_reference(store, data):
    # `q` is a prefix of any stored name key: one owner may hold several keys that match,
    # and must still come once (the subquery shape of the repeated filters' bug).
    client, reference = store
    owner = data.draw(st.sampled_from(["entity", "place"]), label="owner")
    keys = reference.name_keys[owner]
    key = data.draw(st.sampled_from(sorted({k for ks in keys.values() for k in ks})), label="key")
    prefix = key[: data.draw(st.integers(1, 4), label="prefix length")]
    low = names.normalize(prefix)
    args: list[tuple[str, str]] = [("q", prefix)]
    if owner == "entity":
        kind = data.draw(st.sampled_from([None, "person", "organization", "country"]))
        if kind:
            args.append(("kind", kind))
        expected = [
            i
            for i in sorted(keys)
            if any(k.startswith(low) for k in keys[i])
            and (kind is None or reference.entities[i][0] == kind)
        ]
    else:
        country = data.draw(
            st.sampled_from([None, *sorted(set(reference.place_countries.values()) - {None})])
        )
        if country:
            args.append(("country", country))
        expected = [
            i
            for i in sorted(keys)
            if any(k.startswith(low) for k in keys[i])
            and (country is None or reference.place_countries.get(i) == country)
        ]
    limit = max(data.draw(st.sampled_from([1, 7, 50])), len(expected) // 25 + 1)
    got = _page_ids(client, f"/v1/{'entities' if owner == 'entity' else 'places'}", args, limit)
    assert got == expected, (owner, args)

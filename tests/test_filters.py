"""Every event-list filter alone and combined (AND between filters, OR within one)."""

from __future__ import annotations

import pytest


@pytest.fixture
def world(client):
    """Four events with distinct participants, places, topics, types, dates and articles."""

    def entity(name, kind, country):
        return {"name": name, "kind": kind, "country": country}

    kz = entity("Kazakhstan", "country", "KZ")
    uz = entity("Uzbekistan", "country", "UZ")
    person = entity("Ермек Кошербаев", "person", "KZ")
    osce = entity("OSCE", "organization", "AT")
    vienna = {"name": "Vienna", "country": "AT"}
    astana = {"name": "Astana", "country": "KZ"}
    articles = [
        client.post(
            "/v1/articles",
            json={"title": t, "body": b, "published_at": "2025-06-01", "url": f"https://x.kz/{i}"},
        ).json["id"]
        for i, (t, b) in enumerate(
            [
                ("Energy talks", "Ministers discussed hydropower and pipelines."),
                ("Water forum", "Transboundary rivers and irrigation were on the agenda."),
            ]
        )
    ]
    specs = [
        dict(
            key="a",
            title="Vienna energy talks",
            type="bilateral-meeting",
            start_date="2025-01-10",
            venue=vienna,
            topics=["energy", "diplomacy"],
            participants=[{"entity": person}, {"entity": osce}],
            articles=[articles[0]],
        ),
        dict(
            key="b",
            title="Astana water forum",
            type="conference",
            start_date="2025-03-01",
            end_date="2025-03-03",
            venue=astana,
            topics=["water"],
            participants=[{"entity": uz}],
            articles=[articles[1]],
        ),
        dict(
            key="c",
            title="Phone call on trade",
            type="phone-call",
            start_date="2025-03-02",
            topics=["trade", "energy"],
            participants=[{"entity": kz}, {"entity": uz}],
        ),
        dict(
            key="d",
            title="Astana security meeting",
            type="bilateral-meeting",
            start_date="2024-11-20",
            venue=astana,
            topics=["security"],
            participants=[{"entity": person}],
        ),
    ]
    made = {}
    for spec in specs:
        key = spec.pop("key")
        response = client.post("/v1/events", json=spec)
        assert response.status_code == 201, response.json
        made[key] = response.json
    # One auto event (as the annotator makes) under "b".
    from api.store.models import Event

    Event.update(status="auto", parent=made["b"]["id"]).where(Event.id == made["c"]["id"]).execute()
    made["entities"] = {
        p["entity"]["name"]: p["entity"]["id"] for e in made.values() for p in e["participants"]
    }
    made["places"] = {
        e["venue"]["name"]: e["venue"]["id"]
        for e in specs and made.values()
        if isinstance(e, dict) and e.get("venue")
    }
    made["articles"] = articles
    return made


def keys(client, world, query):
    response = client.get(f"/v1/events?{query}")
    assert response.status_code == 200, response.json
    by_id = {v["id"]: k for k, v in world.items() if k in "abcde"}
    return [by_id[e["id"]] for e in response.json["data"]]


def test_no_filter_newest_first(client, world):
    assert keys(client, world, "") == ["c", "b", "a", "d"]
    assert keys(client, world, "sort=start_date") == ["d", "a", "b", "c"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("from=2025-03-02", ["c", "b"]),  # b runs 1-3 March: overlaps
        ("to=2025-01-10", ["a", "d"]),
        ("from=2025-03-03&to=2025-03-03", ["b"]),
        ("topic=energy", ["c", "a"]),
        ("topic=energy&topic=water", ["c", "b", "a"]),
        # Events holding several of the values come once (SQLite 3.51.1 once per value).
        ("topic=energy&topic=diplomacy", ["c", "a"]),
        ("topic=energy&topic=energy", ["c", "a"]),
        ("country=KZ&country=UZ", ["c", "b", "a", "d"]),
        ("country=KZ&country=AT&topic=energy&topic=diplomacy", ["c", "a"]),
        ("type=bilateral-meeting", ["a", "d"]),
        ("type=phone-call&type=conference", ["c", "b"]),
        ("country=UZ", ["c", "b"]),
        ("country=KZ", ["c", "a", "d"]),
        ("country=at", ["a"]),
        ("venue_country=KZ", ["b", "d"]),
        ("status=auto", ["c"]),
        ("status=reviewed", ["b", "a", "d"]),
        ("q=Astana", ["b", "d"]),
        ("q=hydropower", ["a"]),
        ("q=astana+security", ["d"]),
        ("q=%22NEAR%22+AND+*", []),
        ("topic=energy&country=KZ", ["c", "a"]),
        ("topic=energy&country=KZ&to=2025-02-01", ["a"]),
        ("venue_country=KZ&from=2025-01-01&type=conference", ["b"]),
    ],
)
def test_filters(client, world, query, expected):
    assert keys(client, world, query) == expected


@pytest.mark.parametrize("plan", ["sort the few matches", "walk the dates"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=Astana", ["b", "d"]),
        ("q=astana+security", ["d"]),
        ("q=hydropower", ["a"]),
        ("q=Astana&topic=water", ["b"]),
        ("q=Astana&sort=start_date", ["d", "b"]),
        ("q=nothing-like-it", []),
        # The words may be spread over the title and the articles.
        ("q=astana+irrigation", ["b"]),
        ("q=vienna+hydropower", ["a"]),
        ("q=Astana&from=2025-01-01", ["b"]),
        ("q=Astana&to=2025-01-01", ["d"]),
        ("q=Astana&from=2024-11-20&to=2024-11-20", ["d"]),
    ],
)
def test_both_search_plans_agree(client, world, monkeypatch, plan, query, expected):
    # Which plan runs depends on how many events match (search.FEW_MATCHES); both must
    # give the same page.
    from api.store import search

    monkeypatch.setattr(search, "FEW_MATCHES", 1 if plan == "walk the dates" else 10_000)
    assert keys(client, world, query) == expected


@pytest.mark.parametrize("plan", ["sort the few matches", "walk the dates"])
def test_from_the_first_days_there_are(client, world, monkeypatch, plan):
    # `from` bounds the start dates a page reads to a longest event before it; within
    # that of 0001-01-01 the bound is 0001-01-01 (subtracting overflowed: a 500).
    from api.store import search

    monkeypatch.setattr(search, "FEW_MATCHES", 1 if plan == "walk the dates" else 10_000)
    early = {"title": "Astana energy talks", "type": "bilateral-meeting", "topics": ["energy"]}
    early.update(start_date="0001-06-01", end_date="0002-01-02", articles=[world["articles"][0]])
    response = client.post("/v1/events", json=early)
    assert response.status_code == 201, response.json
    world["e"] = response.json
    cases = {
        "from=0001-01-01": ["c", "b", "a", "d", "e"],
        "from=0002-01-01": ["c", "b", "a", "d", "e"],  # e runs to 2 January of year 2
        "from=0002-01-03": ["c", "b", "a", "d"],
        "from=0001-01-01&to=0001-12-31": ["e"],
        "from=0001-01-01&sort=start_date": ["e", "d", "a", "b", "c"],
        "from=0001-01-01&topic=energy": ["c", "a", "e"],  # a posting table leads
        "from=0002-01-01&type=bilateral-meeting": ["a", "d", "e"],  # a column's index leads
        "from=0001-01-01&q=Astana": ["b", "d", "e"],
        "from=0001-01-01&q=Astana&to=2000-01-01": ["e"],
    }
    for query, expected in cases.items():
        assert keys(client, world, query) == expected, query
    by_id = {world[k]["id"]: k for k in "abcde"}
    for day in ("0001-01-01", "0002-01-01"):
        response = client.get(f"/v1/articles/{world['articles'][0]}/events?from={day}")
        assert response.status_code == 200, response.json
        assert [by_id[e["id"]] for e in response.json["data"]] == ["a", "e"]


@pytest.mark.parametrize("plan", ["sort the few matches", "walk the dates"])
def test_search_pages_by_cursor_under_either_plan(client, world, monkeypatch, plan):
    from api.store import search

    monkeypatch.setattr(search, "FEW_MATCHES", 1 if plan == "walk the dates" else 10_000)
    by_id = {v["id"]: k for k, v in world.items() if k in "abcd"}
    # "on" is in c's title and in the article reporting b.
    for sort, expected in (("-start_date", ["c", "b"]), ("start_date", ["b", "c"])):
        seen, url = [], f"/v1/events?q=on&limit=1&sort={sort}"
        while url:
            page = client.get(url.replace("http://localhost", ""))
            assert page.status_code == 200, page.json
            seen += [by_id[e["id"]] for e in page.json["data"]]
            url = page.json["links"]["next"]
        assert seen == expected


def test_a_cursor_holds_when_the_search_plan_changes(client, world, monkeypatch):
    from api.store import search

    by_id = {v["id"]: k for k, v in world.items() if k in "abcd"}
    monkeypatch.setattr(search, "FEW_MATCHES", 10_000)
    first = client.get("/v1/events?q=on&limit=1").json
    monkeypatch.setattr(search, "FEW_MATCHES", 1)  # the word became common meanwhile
    second = client.get(first["links"]["next"].replace("http://localhost", ""))
    assert second.status_code == 200, second.json
    assert [by_id[e["id"]] for e in first["data"] + second.json["data"]] == ["c", "b"]


@pytest.mark.parametrize("plan", ["sort the few matches", "walk the dates"])
def test_search_follows_edits_of_events_and_articles(client, world, monkeypatch, plan):
    from api.store import search

    monkeypatch.setattr(search, "FEW_MATCHES", 1 if plan == "walk the dates" else 10_000)
    by_id = {v["id"]: k for k, v in world.items() if k in "abcd"}

    def found(q):
        return [by_id[e["id"]] for e in client.get(f"/v1/events?q={q}").json["data"]]

    # An article's new title is searched in the events it reports.
    article = world["articles"][1]
    assert (
        client.patch(f"/v1/articles/{article}", json={"title": "Glacier forum"}).status_code == 200
    )
    assert found("glacier") == ["b"]
    assert found("irrigation") == ["b"]
    # An event's new title and date: found under the new, no longer under the old.
    event = client.get(f"/v1/events/{world['d']['id']}")
    changed = client.patch(
        f"/v1/events/{world['d']['id']}",
        json={
            "title": "Almaty security meeting",
            "start_date": "2025-05-01",
            "end_date": "2025-05-01",
        },
        headers={"If-Match": event.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.json
    assert found("almaty") == ["d"]
    assert found("astana") == ["b"]
    assert found("security") == ["d"]
    # Its articles: linking one brings its words, unlinking takes them away.
    event = client.get(f"/v1/events/{world['d']['id']}")
    linked = client.patch(
        f"/v1/events/{world['d']['id']}",
        json={"articles": [world["articles"][0]]},
        headers={"If-Match": event.headers["ETag"]},
    )
    assert linked.status_code == 200, linked.json
    assert found("pipelines") == ["d", "a"]
    event = client.get(f"/v1/events/{world['d']['id']}")
    client.patch(
        f"/v1/events/{world['d']['id']}",
        json={"articles": []},
        headers={"If-Match": event.headers["ETag"]},
    )
    assert found("pipelines") == ["a"]
    # A deleted event is found no more.
    event = client.get(f"/v1/events/{world['d']['id']}")
    deleted = client.delete(
        f"/v1/events/{world['d']['id']}", headers={"If-Match": event.headers["ETag"]}
    )
    assert deleted.status_code == 204
    assert found("almaty") == []


def test_id_filters(client, world):
    person = world["entities"]["Ермек Кошербаев"]
    uz = world["entities"]["Uzbekistan"]
    assert keys(client, world, f"participant={person}") == ["a", "d"]
    assert keys(client, world, f"participant={person}&participant={uz}") == ["c", "b", "a", "d"]
    assert keys(client, world, f"participant={person}&topic=security") == ["d"]
    astana = world["b"]["venue"]["id"]
    assert keys(client, world, f"venue={astana}") == ["b", "d"]
    assert keys(client, world, f"venue={astana}&participant={uz}") == ["b"]
    assert keys(client, world, f"article={world['articles'][1]}") == ["b"]
    assert keys(client, world, f"parent={world['b']['id']}") == ["c"]


def test_unknown_values_match_nothing(client, world):
    assert client.get("/v1/events?topic=nothing-like-it").status_code == 422
    assert keys(client, world, "participant=999999") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("type=party", "type"),
        ("status=maybe", "status"),
        ("country=XX", "country"),
        ("participant=abc", "participant"),
        ("from=2025-13-01", "from"),
        ("from=2025-05-01&to=2025-04-01", "to"),
        ("sort=title", "sort"),
        ("limit=501", "limit"),
        ("bogus=1", "bogus"),
    ],
)
def test_bad_filter_values_are_422(client, query, field):
    response = client.get(f"/v1/events?{query}")
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_entities_filters(client, world):
    def names(query):
        response = client.get(f"/v1/entities?{query}")
        assert response.status_code == 200, response.json
        return sorted(e["name"] for e in response.json["data"])

    assert names("kind=country") == ["Kazakhstan", "Uzbekistan"]
    assert names("country=KZ") == ["Kazakhstan", "Ермек Кошербаев"]
    assert names("kind=person&country=KZ") == ["Ермек Кошербаев"]
    assert names("q=кошер") == ["Ермек Кошербаев"]
    assert names("q=ЕРМЕК") == ["Ермек Кошербаев"]
    assert names("q=uzb") == ["Uzbekistan"]
    assert names("q=zzz") == []


def test_places_filters(client, world):
    def names(query):
        return sorted(p["name"] for p in client.get(f"/v1/places?{query}").json["data"])

    assert names("") == ["Astana", "Vienna"]
    assert names("country=AT") == ["Vienna"]
    assert names("q=ast") == ["Astana"]

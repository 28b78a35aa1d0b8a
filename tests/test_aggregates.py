"""Aggregates: counts per bucket agree with the event list, timelines have no gaps."""

from __future__ import annotations

import pytest

KOSHERBAYEV = "Ермек Кошербаев"


def listed(client, **filters) -> int:
    response = client.get("/v1/events", query_string={**filters, "limit": 500})
    assert response.status_code == 200
    return len(response.json["data"])


def aggregate(client, **args) -> dict:
    response = client.get("/v1/events/aggregate", query_string=args)
    assert response.status_code == 200, response.json
    return response.json


def entity_id(client, name: str) -> int:
    return client.get("/v1/entities", query_string={"q": name}).json["data"][0]["id"]


@pytest.mark.parametrize(
    ("by", "filter_name"),
    [
        ("topic", "topic"),
        ("participant", "participant"),
        ("country", "country"),
        ("venue", "venue"),
        ("type", "type"),
    ],
)
def test_each_bucket_counts_what_its_filter_lists(seeded, client, by, filter_name):
    result = aggregate(client, by=by)
    assert result["by"] == by
    assert result["total"] == listed(client) == 6
    assert result["buckets"], result
    counts = [b["count"] for b in result["buckets"]]
    assert counts == sorted(counts, reverse=True)
    for bucket in result["buckets"]:
        assert bucket["count"] == listed(client, **{filter_name: bucket["key"]}), bucket
        assert bucket["label"]


def test_buckets_carry_labels_entities_and_places(seeded, client):
    topics = {b["key"]: b for b in aggregate(client, by="topic")["buckets"]}
    assert topics["diplomacy"] == {"key": "diplomacy", "label": "Diplomacy", "count": 6}
    people = aggregate(client, by="participant", kind="person")["buckets"]
    assert people[0]["label"] == KOSHERBAYEV and people[0]["count"] == 5
    assert people[0]["entity"]["kind"] == "person"
    assert {b["entity"]["kind"] for b in people} == {"person"}
    venue = aggregate(client, by="venue")["buckets"][0]
    assert venue["place"]["name"] == "Vienna" and venue["count"] == 6
    countries = {b["key"]: b for b in aggregate(client, by="country")["buckets"]}
    assert countries["KZ"]["label"] == "Kazakhstan" and countries["KZ"]["count"] == 5


def test_filters_and_top(seeded, client):
    result = aggregate(client, by="type", topic="media-freedom")
    assert result["total"] == 2
    assert result["buckets"] == [
        {"key": "bilateral-meeting", "label": "bilateral-meeting", "count": 2}
    ]
    top = aggregate(client, by="topic", top=2)
    assert len(top["buckets"]) == 2 and top["meta"] == {"top": 2, "truncated": True}
    nothing = aggregate(client, by="topic", **{"from": "2030-01-01"})
    assert nothing["total"] == 0 and nothing["buckets"] == []


def make_event(client, day: str, **fields):
    body = {"title": "Talks", "type": "visit", "start_date": day, **fields}
    response = client.post("/v1/events", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_month_and_day_timelines_fill_the_gaps(client):
    make_event(client, "2025-01-10")
    make_event(client, "2025-01-31")
    make_event(client, "2025-03-05")
    months = aggregate(client, by="month")
    assert months["buckets"] == [
        {"key": "2025-01", "label": "2025-01", "count": 2},
        {"key": "2025-02", "label": "2025-02", "count": 0},
        {"key": "2025-03", "label": "2025-03", "count": 1},
    ]
    assert months["meta"] == {"top": None, "truncated": False}
    days = aggregate(client, by="day", **{"from": "2025-01-09", "to": "2025-01-12"})
    assert [(b["key"], b["count"]) for b in days["buckets"]] == [
        ("2025-01-09", 0),
        ("2025-01-10", 1),
        ("2025-01-11", 0),
        ("2025-01-12", 0),
    ]
    wide = aggregate(client, by="month", **{"from": "2024-12-01", "to": "2025-04-30"})
    assert wide["buckets"][0]["key"] == "2024-12"
    assert wide["buckets"][-1]["key"] == "2025-04"
    assert sum(b["count"] for b in wide["buckets"]) == 3
    assert aggregate(client, by="day", type="phone-call")["buckets"] == []


def test_a_timeline_too_long_is_refused(client):
    response = client.get("/v1/events/aggregate?by=day&from=2000-01-01&to=2025-01-01")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "by" in response.json["errors"]
    assert client.get("/v1/events/aggregate?by=month&from=2000-01-01").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["", "by=week", "by=topic&top=0", "by=topic&top=501", "by=topic&limit=5", "by=topic&sort=x"],
)
def test_bad_arguments_are_422(client, query):
    response = client.get(f"/v1/events/aggregate?{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_network_lists_whom_an_entity_met(seeded, client):
    me = entity_id(client, "Кошербаев")
    response = client.get(f"/v1/entities/{me}/network")
    assert response.status_code == 200
    body = response.json
    assert body["entity"]["name"] == KOSHERBAYEV
    assert body["total"] == 5
    partners = {p["entity"]["name"]: p for p in body["partners"]}
    assert KOSHERBAYEV not in partners
    assert partners["Казахстан"]["count"] == 5
    assert partners["ОБСЕ"]["count"] == 3
    assert partners["Мария Телалиан"]["count"] == 1
    assert partners["ОБСЕ"]["first_date"] == partners["ОБСЕ"]["last_date"] == "2025-12-05"
    counts = [p["count"] for p in body["partners"]]
    assert counts == sorted(counts, reverse=True)
    people = client.get(f"/v1/entities/{me}/network?kind=person&top=2").json
    assert len(people["partners"]) == 2 and people["meta"]["truncated"] is True
    assert {p["entity"]["kind"] for p in people["partners"]} == {"person"}
    media = client.get(f"/v1/entities/{me}/network?topic=media-freedom").json
    assert media["total"] == 2
    assert {p["entity"]["name"] for p in media["partners"]} >= {"Ян Брату", "Мария Телалиан"}


def test_network_of_no_entity_is_404(client):
    response = client.get("/v1/entities/999999/network")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_an_event_on_the_last_day_there_is_is_counted(client):
    # The gap filling stepped past its last bucket: after 9999-12 there is no month.
    make_event(client, "9999-12-31")
    make_event(client, "9999-12-01", date_precision="month", end_date="9999-12-31")
    months = aggregate(client, by="month")
    assert months["total"] == 2
    assert months["buckets"] == [{"key": "9999-12", "label": "9999-12", "count": 2}]
    days = aggregate(client, by="day")["buckets"]
    assert len(days) == 31 and sum(b["count"] for b in days) == 2
    assert (days[0]["key"], days[0]["count"]) == ("9999-12-01", 1)
    assert (days[-1]["key"], days[-1]["count"]) == ("9999-12-31", 1)


def test_a_timeline_to_the_end_of_year_9999(client):
    make_event(client, "9999-03-15")
    make_event(client, "9999-12-30")
    months = aggregate(client, by="month", **{"from": "9999-01-01", "to": "9999-12-31"})
    assert [b["key"] for b in months["buckets"]] == [f"9999-{m:02d}" for m in range(1, 13)]
    assert [b["count"] for b in months["buckets"]] == [0, 0, 1] + [0] * 8 + [1]
    days = aggregate(client, by="day", **{"from": "9999-12-01", "to": "9999-12-31"})
    assert [b["key"] for b in days["buckets"]] == [f"9999-12-{d:02d}" for d in range(1, 32)]
    assert [b["count"] for b in days["buckets"]][-2:] == [1, 0]
    last = aggregate(client, by="day", **{"from": "9999-12-31", "to": "9999-12-31"})
    assert last["buckets"] == [{"key": "9999-12-31", "label": "9999-12-31", "count": 0}]


def test_from_the_first_days_there_are(seeded, client):
    # `from` within a longest event of 0001-01-01: the bound on the start date that
    # `from` implies stops at 0001-01-01 (it overflowed).
    make_event(client, "0001-02-03")
    for by in ("type", "topic", "participant", "country", "venue"):
        everything = aggregate(client, by=by)
        assert aggregate(client, by=by, **{"from": "0001-01-01"}) == everything
        later = aggregate(client, by=by, **{"from": "1000-01-01"})
        assert aggregate(client, by=by, **{"from": "0002-01-01"}) == later
    assert everything["total"] == 7 and later["total"] == 6
    early = aggregate(client, by="month", **{"from": "0001-01-01", "to": "0001-03-31"})
    assert [(b["key"], b["count"]) for b in early["buckets"]] == [
        ("0001-01", 0),
        ("0001-02", 1),
        ("0001-03", 0),
    ]
    me = entity_id(client, "Кошербаев")
    network = client.get(f"/v1/entities/{me}/network").json
    for day in ("0001-01-01", "0002-01-01"):
        response = client.get(f"/v1/entities/{me}/network?from={day}")
        assert response.status_code == 200, response.json
        assert response.json == network


def test_month_keys_have_four_digits_of_year(client):
    # strftime("%Y") writes the year 999 as "999"
    make_event(client, "0999-05-10")
    assert aggregate(client, by="month")["buckets"] == [
        {"key": "0999-05", "label": "0999-05", "count": 1}
    ]

"""Entities and places: create, correct, and what the events say about them."""

from __future__ import annotations

import random

import pytest

from api.store import names
from api.store.models import Entity, EntityName, PlaceName
from api.store.resolve import resolve_entity


def test_entity_detail_counts_events_and_dates(client):
    person = {"name": "Ермек Кошербаев", "kind": "person", "country": "KZ"}
    for day in ("2025-03-01", "2025-12-05", "2024-07-15"):
        client.post(
            "/v1/events",
            json={
                "title": "t",
                "type": "visit",
                "start_date": day,
                "participants": [{"entity": person}],
            },
        )
    entity_id = client.get("/v1/entities?q=ермек").json["data"][0]["id"]
    detail = client.get(f"/v1/entities/{entity_id}").json
    assert detail["event_count"] == 3
    assert detail["first_event_date"] == "2024-07-15"
    assert detail["last_event_date"] == "2025-12-05"


def test_create_entity_and_duplicate_is_409(client):
    body = {
        "name": "OSCE",
        "kind": "organization",
        "country": "AT",
        "aliases": ["ОБСЕ"],
        "wikidata_id": "Q81299",
    }
    created = client.post("/v1/entities", json=body)
    assert created.status_code == 201
    assert created.json["event_count"] == 0 and created.json["first_event_date"] is None
    again = client.post("/v1/entities", json={"name": "обсе", "kind": "organization"})
    assert again.status_code == 409
    assert again.json["existing"] == f"/v1/entities/{created.json['id']}"


def test_patch_entity_reindexes_names(client):
    created = client.post("/v1/entities", json={"name": "Jan Braathu", "kind": "person"}).json
    patched = client.patch(
        f"/v1/entities/{created['id']}", json={"aliases": ["Ян Брату"], "country": "NO"}
    )
    assert patched.status_code == 200
    assert patched.json["aliases"] == ["Ян Брату"] and patched.json["country"] == "NO"
    found = client.get("/v1/entities?q=брату").json["data"]
    assert [e["id"] for e in found] == [created["id"]]


def test_patch_entity_to_a_taken_name_is_409(client):
    client.post("/v1/entities", json={"name": "OSCE", "kind": "organization"})
    other = client.post("/v1/entities", json={"name": "ODIHR", "kind": "organization"}).json
    response = client.patch(f"/v1/entities/{other['id']}", json={"name": "osce"})
    assert response.status_code == 409


def test_duplicate_wikidata_id_is_409(client):
    client.post("/v1/entities", json={"name": "A", "kind": "person", "wikidata_id": "Q1"})
    response = client.post(
        "/v1/entities", json={"name": "B", "kind": "person", "wikidata_id": "Q1"}
    )
    assert response.status_code == 409


def test_entity_validation(client):
    response = client.post(
        "/v1/entities", json={"name": "", "kind": "planet", "country": "ZZ", "wikidata_id": "x"}
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "kind", "country", "wikidata_id"}


def test_place_create_detail_patch(client):
    created = client.post(
        "/v1/places", json={"name": "Astana", "country": "KZ", "aliases": ["Астана"]}
    )
    assert created.status_code == 201
    place_id = created.json["id"]
    client.post(
        "/v1/events",
        json={"title": "t", "type": "visit", "start_date": "2025-05-05", "venue": place_id},
    )
    detail = client.get(f"/v1/places/{place_id}").json
    assert detail["event_count"] == 1 and detail["last_event_date"] == "2025-05-05"
    patched = client.patch(f"/v1/places/{place_id}", json={"lat": 51.17, "lon": 71.43})
    assert (patched.json["lat"], patched.json["lon"]) == (51.17, 71.43)
    assert client.post("/v1/places", json={"name": "астана"}).status_code == 409
    bad = client.patch(f"/v1/places/{place_id}", json={"lat": 91})
    assert bad.status_code == 422 and "lat" in bad.json["errors"]


def test_topics(client):
    topics = client.get("/v1/topics").json["data"]
    assert len(topics) == 19
    diplomacy = client.get("/v1/topics/diplomacy").json
    assert diplomacy["iptc"] == "medtop:20000639"
    assert diplomacy["label_ru"] == "Дипломатия"
    assert client.get("/v1/topics/gardening").status_code == 404


# Names whose keys outgrow the 300 characters of their column: «Щ» is romanised `shch`;
# NFKC makes «ﷺ» 18 characters (four words) and «ﬃ» three.
LONG_NAMES = {"shch": "Щ" * 300, "salawat": "\ufdfa" * 300, "ffi": "\ufb03" * 300}


@pytest.mark.parametrize("name", LONG_NAMES.values(), ids=LONG_NAMES.keys())
def test_a_name_whose_keys_outgrow_their_column_is_stored_and_resolves(client, db, name):
    entity = client.post("/v1/entities", json={"name": name, "kind": "person"})
    assert entity.status_code == 201, entity.get_data(as_text=True)
    place = client.post("/v1/places", json={"name": name})
    assert place.status_code == 201, place.get_data(as_text=True)
    event = {
        "title": "t",
        "type": "visit",
        "start_date": "2025-01-01",
        "participants": [
            {"entity": {"name": name, "kind": "person"}},
            {"entity": {"name": name[:-1] + "Ж", "kind": "person"}},
        ],
        "venue": {"name": name},
    }
    created = client.post("/v1/events", json=event)
    assert created.status_code == 201, created.get_data(as_text=True)
    # The same name resolves to what it named before; one alike in all but its last
    # letter is another: their keys agree in their first 283 characters, then differ.
    first, second = (p["entity"]["id"] for p in created.json["participants"])
    assert first == entity.json["id"] and second != first
    assert created.json["venue"]["id"] == place.json["id"]
    assert client.post("/v1/entities", json={"name": name, "kind": "person"}).status_code == 409
    for model in (EntityName, PlaceName):
        assert max(len(k) for (k,) in model.select(model.key).tuples()) <= 300
    # Still found by the start of its name, and of its romanisation.
    for q in [name[:10], *(["shch" * 50] if "Щ" in name else [])]:
        found = client.get("/v1/entities", query_string={"q": q}).json["data"]
        assert entity.json["id"] in [e["id"] for e in found], q


def word_heavy(seed: int, count: int, words: int, letters: int = 1) -> list[str]:
    """``count`` aliases of ``words`` Cyrillic words of ``letters`` letters each."""
    rng = random.Random(seed)
    abc = "абвгдежзиклмнопрстуфхцчшэюя"

    def word() -> str:
        return "".join(rng.choice(abc) for _ in range(letters))

    return [" ".join(word() for _ in range(words)) for _ in range(count)]


def test_what_one_write_may_store_of_names_is_bounded(client, db):
    # 100 aliases of 150 words each (45 KB) made 30,000 keys, in one INSERT of 90,000
    # parameters: past PostgreSQL's 65,535, a 500. Now past 5,000 characters in all.
    heavy = word_heavy(14, 100, 150)
    for url, body in (
        ("/v1/entities", {"name": "Heavy", "kind": "person", "aliases": heavy}),
        ("/v1/places", {"name": "Heavy", "aliases": heavy}),
    ):
        response = client.post(url, json=body)
        assert response.status_code == 422, response.get_data(as_text=True)[:300]
        assert list(response.json["errors"]) == ["aliases"]
    # Within the bounds, a name stores keys from each of its first ten words on, not all.
    within = word_heavy(15, 100, 25)
    assert sum(map(len, within)) <= 5_000
    body = {"name": "Heavy", "kind": "person", "aliases": within}
    stored = client.post("/v1/entities", json=body)
    assert stored.status_code == 201, stored.get_data(as_text=True)
    keys = EntityName.select().where(EntityName.entity == stored.json["id"]).count()
    assert keys <= 101 * (3 + 2 * (names.SEARCH_WORDS - 1))
    words = within[0].split()
    for start, ids in ((9, [stored.json["id"]]), (10, [])):
        found = client.get("/v1/entities", query_string={"q": " ".join(words[start:])})
        assert [e["id"] for e in found.json["data"]] == ids, start
    # One event write: the entities it names inline carry at most 100 aliases in all.
    participants = [
        {"entity": {"name": f"P{i}", "kind": "person", "aliases": word_heavy(i, 60, 2, 3)}}
        for i in range(2)
    ]
    event = {"title": "t", "type": "visit", "start_date": "2025-01-01"}
    response = client.post("/v1/events", json={**event, "participants": participants})
    assert response.status_code == 422 and list(response.json["errors"]) == ["participants"]


def test_an_entity_grown_past_the_schema_bounds_is_indexed_in_batches(db):
    # The annotator resolves names past the schema (each new spelling found becomes an
    # alias): 2,000 aliases of ten words are 42,000 keys, 126,000 bound values.
    aliases = word_heavy(13, 2_000, 10, 3)
    with db.atomic():
        entity, created = resolve_entity({"name": "Grown", "kind": "person", "aliases": aliases})
    assert created and len(Entity.get_by_id(entity.id).aliases) == 2_000
    assert EntityName.select().where(EntityName.entity == entity.id).count() > 40_000

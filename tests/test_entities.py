"""Entities and places: create, correct, and what the events say about them."""

from __future__ import annotations


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

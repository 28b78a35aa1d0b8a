"""Writing and reading events through the API: one request, one transaction."""

from __future__ import annotations

from api.store.models import Entity, Event, Place

KOSHERBAYEV = {"name": "Ермек Кошербаев", "kind": "person", "country": "KZ"}


def current(client, event_id) -> dict:
    """``If-Match`` naming the event as it is now (edits of events require it)."""
    return {"If-Match": client.get(f"/v1/events/{event_id}").headers["ETag"]}


def make_event(client, **fields):
    body = {"title": "Talks", "type": "bilateral-meeting", "start_date": "2025-12-05", **fields}
    response = client.post("/v1/events", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_create_event_inline_everything(client):
    event = make_event(
        client,
        title="Встреча министров",
        type="multilateral-meeting",
        start_date="2025-12-04",
        end_date="2025-12-05",
        venue={"name": "Vienna", "country": "AT", "lat": 48.2, "lon": 16.37, "aliases": ["Вена"]},
        participants=[
            {"entity": KOSHERBAYEV, "role": "guest", "position": "министр иностранных дел"},
            {"entity": {"name": "Kyrgyzstan", "kind": "country", "country": "KG"}},
        ],
        topics=["diplomacy", "economy"],
    )
    assert event["type"] == "multilateral-meeting"
    assert event["cameo"] == "044"
    assert (event["start_date"], event["end_date"]) == ("2025-12-04", "2025-12-05")
    assert event["venue"]["name"] == "Vienna" and event["venue"]["country"] == "AT"
    assert event["status"] == "reviewed"
    people = {p["entity"]["name"]: p for p in event["participants"]}
    assert people["Ермек Кошербаев"]["role"] == "guest"
    assert people["Ермек Кошербаев"]["position"] == "министр иностранных дел"
    assert people["Kyrgyzstan"]["role"] == "participant"
    assert [t["slug"] for t in event["topics"]] == ["diplomacy", "economy"]
    assert event["created_at"].endswith("+00:00")
    fetched = client.get(f"/v1/events/{event['id']}").json
    assert fetched == event


def test_second_write_reuses_entity_and_place(client, db):
    first = make_event(client, participants=[{"entity": KOSHERBAYEV}], venue={"name": "Вена"})
    # Another case, ё/е and spacing, and the alias of the venue: still the same rows.
    second = make_event(
        client,
        participants=[{"entity": {"name": "  ермек  КОШЕРБАЕВ ", "kind": "person"}}],
        venue={"name": "вена"},
    )
    assert first["participants"][0]["entity"]["id"] == second["participants"][0]["entity"]["id"]
    assert first["venue"]["id"] == second["venue"]["id"]
    assert Entity.select().count() == 1
    assert Place.select().count() == 1


def test_inline_entity_matches_by_alias_and_records_new_alias(client, db):
    created = client.post(
        "/v1/entities",
        json={"name": "Ермек Кошербаев", "kind": "person", "aliases": ["Yermek Kosherbayev"]},
    ).json
    event = make_event(
        client,
        participants=[
            {
                "entity": {
                    "name": "Yermek Kosherbayev",
                    "kind": "person",
                    "aliases": ["Кошербаев Е."],
                }
            }
        ],
    )
    entity = event["participants"][0]["entity"]
    assert entity["id"] == created["id"]
    assert "Кошербаев Е." in entity["aliases"]


def test_same_name_other_kind_is_another_entity(client, db):
    make_event(client, participants=[{"entity": {"name": "Georgia", "kind": "country"}}])
    make_event(client, participants=[{"entity": {"name": "Georgia", "kind": "person"}}])
    assert Entity.select().where(Entity.name == "Georgia").count() == 2


def test_participants_by_id_venue_by_id_and_parent(client):
    parent = make_event(client, title="OSCE Ministerial Council", type="conference")
    entity = client.post("/v1/entities", json={"name": "OSCE", "kind": "organization"}).json
    place = client.post("/v1/places", json={"name": "Vienna", "country": "AT"}).json
    child = make_event(
        client,
        parent_id=parent["id"],
        venue=place["id"],
        participants=[{"entity": entity["id"], "role": "organizer"}],
    )
    assert child["parent_id"] == parent["id"]
    assert child["venue"]["id"] == place["id"]
    assert child["participants"][0]["entity"]["id"] == entity["id"]
    assert child["participants"][0]["role"] == "organizer"


def test_unknown_references_are_422_naming_each_field(client):
    response = client.post(
        "/v1/events",
        json={
            "title": "x",
            "type": "visit",
            "start_date": "2025-01-01",
            "venue": 999,
            "parent_id": 999,
            "participants": [{"entity": 999}],
            "articles": [999],
        },
    )
    assert response.status_code == 422
    errors = response.json["errors"]
    assert set(errors) == {"venue", "parent_id", "participants.0.entity", "articles"}


def test_unknown_topic_is_422_naming_the_valid_ones(client):
    response = client.post(
        "/v1/events",
        json={
            "title": "x",
            "type": "visit",
            "start_date": "2025-01-01",
            "topics": ["diplomacy", "gardening"],
        },
    )
    assert response.status_code == 422
    (message,) = response.json["errors"]["topics.1"]
    assert "gardening" in message and "diplomacy" in message and "water" in message


def test_failed_write_leaves_nothing_behind(client, db):
    # The inline entity and place would be created before the duplicate participant is seen.
    response = client.post(
        "/v1/events",
        json={
            "title": "x",
            "type": "visit",
            "start_date": "2025-01-01",
            "venue": {"name": "Nowhere", "country": "KZ"},
            "participants": [
                {"entity": {"name": "New Person", "kind": "person"}},
                {"entity": {"name": "new person", "kind": "person"}},
            ],
        },
    )
    assert response.status_code == 422
    assert "participants.1.entity" in response.json["errors"]
    assert Event.select().count() == 0
    assert Entity.select().count() == 0
    assert Place.select().count() == 0


def test_patch_changes_only_given_fields_and_marks_reviewed(client, db):
    event = make_event(client, topics=["diplomacy"], participants=[{"entity": KOSHERBAYEV}])
    Event.update(status="auto").where(Event.id == event["id"]).execute()
    patched = client.patch(
        f"/v1/events/{event['id']}",
        json={"topics": ["energy", "water"]},
        headers=current(client, event["id"]),
    )
    assert patched.status_code == 200
    body = patched.json
    assert [t["slug"] for t in body["topics"]] == ["energy", "water"]
    assert body["participants"] == event["participants"]
    assert body["title"] == event["title"]
    assert body["status"] == "reviewed"


def test_patch_can_reject(client):
    event = make_event(client)
    body = client.patch(
        f"/v1/events/{event['id']}",
        json={"status": "rejected"},
        headers=current(client, event["id"]),
    ).json
    assert body["status"] == "rejected"
    assert client.get(f"/v1/events/{event['id']}").json["status"] == "rejected"


def test_patch_end_before_stored_start_is_422(client):
    event = make_event(client, start_date="2025-05-10")
    response = client.patch(
        f"/v1/events/{event['id']}",
        json={"end_date": "2025-05-01"},
        headers=current(client, event["id"]),
    )
    assert response.status_code == 422
    assert "end_date" in response.json["errors"]


def test_put_replaces_whole_event(client):
    event = make_event(client, topics=["diplomacy"], participants=[{"entity": KOSHERBAYEV}])
    replaced = client.put(
        f"/v1/events/{event['id']}",
        json={"title": "Phone call", "type": "phone-call", "start_date": "2025-03-01"},
        headers=current(client, event["id"]),
    )
    assert replaced.status_code == 200
    body = replaced.json
    assert body["participants"] == [] and body["topics"] == []
    assert body["type"] == "phone-call" and body["cameo"] == "041"
    assert body["end_date"] == "2025-03-01"


def test_put_requires_required_fields(client):
    event = make_event(client)
    response = client.put(
        f"/v1/events/{event['id']}",
        json={"title": "only a title"},
        headers=current(client, event["id"]),
    )
    assert response.status_code == 422
    assert {"type", "start_date"} <= set(response.json["errors"])


def test_parent_cannot_make_a_loop(client):
    top = make_event(client)
    child = make_event(client, parent_id=top["id"])
    response = client.patch(
        f"/v1/events/{top['id']}",
        json={"parent_id": child["id"]},
        headers=current(client, top["id"]),
    )
    assert response.status_code == 422
    assert "parent_id" in response.json["errors"]
    response = client.patch(
        f"/v1/events/{top['id']}", json={"parent_id": top["id"]}, headers=current(client, top["id"])
    )
    assert response.status_code == 422


def test_delete_event_orphans_children(client):
    top = make_event(client)
    child = make_event(client, parent_id=top["id"])
    assert (
        client.delete(f"/v1/events/{top['id']}", headers=current(client, top["id"])).status_code
        == 204
    )
    assert client.get(f"/v1/events/{top['id']}").status_code == 404
    assert client.get(f"/v1/events/{child['id']}").json["parent_id"] is None


def test_event_links_articles(client):
    article = client.post(
        "/v1/articles",
        json={"title": "A", "body": "Text about talks.", "published_at": "2025-12-05"},
    ).json
    event = make_event(client, articles=[article["id"]])
    assert event["articles"] == [{"id": article["id"], "title": "A", "published_at": "2025-12-05"}]
    listed = client.get(f"/v1/articles/{article['id']}/events").json["data"]
    assert [e["id"] for e in listed] == [event["id"]]


def test_event_types_carry_cameo_codes(client):
    codes = {}
    for event_type in ("visit", "phone-call", "signing", "statement", "other"):
        codes[event_type] = make_event(client, type=event_type)["cameo"]
    assert codes == {
        "visit": "042",
        "phone-call": "041",
        "signing": "057",
        "statement": "010",
        "other": None,
    }


def test_parent_chains_are_bounded_on_every_write_and_never_misread_as_loops(client):
    from annotator.vocabulary import MAX_PARENT_DEPTH

    base = {"title": "Session", "type": "visit", "start_date": "2025-01-01"}
    chain = [client.post("/v1/events", json=base).json["id"]]
    for _ in range(MAX_PARENT_DEPTH):  # the last has MAX_PARENT_DEPTH events above it
        created = client.post("/v1/events", json={**base, "parent_id": chain[-1]})
        assert created.status_code == 201, created.json
        chain.append(created.json["id"])

    def edit(event_id, patch):
        tag = client.get(f"/v1/events/{event_id}").headers["ETag"]
        return client.patch(f"/v1/events/{event_id}", json=patch, headers={"If-Match": tag})

    too_deep = client.post("/v1/events", json={**base, "parent_id": chain[-1]})
    assert too_deep.status_code == 422
    assert "at most" in too_deep.json["errors"]["parent_id"][0]
    # An event elsewhere, or one with an event below it, moved under a deep one: too deep,
    # not "its own ancestor".
    other = client.post("/v1/events", json=base).json["id"]
    below = client.post("/v1/events", json={**base, "parent_id": other}).json["id"]
    for event_id, parent in ((below, chain[-1]), (other, chain[-2])):
        moved = edit(event_id, {"parent_id": parent})
        assert moved.status_code == 422
        assert "at most" in moved.json["errors"]["parent_id"][0], moved.json
    assert edit(other, {"parent_id": chain[-3]}).status_code == 200  # 99 + 1 below: fits
    # A real loop is one, however far down.
    loop = edit(chain[0], {"parent_id": chain[-1]})
    assert loop.status_code == 422
    assert loop.json["errors"]["parent_id"] == ["An event cannot be its own parent or ancestor."]

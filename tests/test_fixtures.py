"""fixtures/: the seed article and its six events, loaded idempotently, and the CLI around it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from api.store.models import Article, Entity, Event, Mention, Participant

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


def test_seed_article_is_the_reference_byte_for_byte():
    shipped = resources.files("fixtures").joinpath("seed-article.txt").read_bytes()
    reference = REFERENCE / "seed-article.txt"
    if reference.exists():  # beside a checkout of the project, as in CI
        assert shipped == reference.read_bytes()
    assert shipped.decode().startswith(" date 2025-12-05 В Вене прошла встреча")


def test_load_fixtures_twice_changes_nothing(runner, db):
    first = runner.invoke(args=["load-fixtures"])
    assert first.exit_code == 0, first.output
    assert "events made: 6" in first.output
    counts = [m.select().count() for m in (Article, Event, Entity, Participant, Mention)]
    second = runner.invoke(args=["load-fixtures"])
    assert second.exit_code == 0
    assert "events made: 0" in second.output
    assert [m.select().count() for m in (Article, Event, Entity, Participant, Mention)] == counts


def test_first_get_shows_the_vienna_meeting_and_its_sub_events(seeded, client):
    events = client.get("/v1/events").json["data"]
    assert len(events) == 6
    roots = [e for e in events if e["parent_id"] is None]
    assert [r["title"] for r in roots] == ["32-е заседание Совета министров иностранных дел ОБСЕ"]
    children = [e for e in events if e["parent_id"] == roots[0]["id"]]
    assert len(children) == 5
    assert {e["type"] for e in children} == {"multilateral-meeting", "bilateral-meeting"}
    for event in events:
        assert event["venue"]["name"] == "Vienna"
        assert event["venue"]["country"] == "AT"
        assert abs(event["venue"]["lat"] - 48.21) < 0.01
        assert event["start_date"] == "2025-12-05"
    ministers = next(e for e in events if e["type"] == "multilateral-meeting" and e["parent_id"])
    countries = {
        p["entity"]["country"]
        for p in ministers["participants"]
        if p["entity"]["kind"] == "country"
    }
    assert countries == {"KZ", "KG", "TJ", "UZ", "DK", "IS", "NO", "FI", "SE"}
    people = {
        p["entity"]["name"]: p["position"]
        for e in events
        for p in e["participants"]
        if p["entity"]["kind"] == "person"
    }
    assert people == {
        "Ермек Кошербаев": "министр иностранных дел Казахстана",
        "Феридун Синирлиоглу": "генеральный секретарь ОБСЕ",
        "Мария Телалиан": "директор БДИПЧ ОБСЕ",
        "Ян Брату": "представитель ОБСЕ по вопросам свободы СМИ",
        "Кристоф Камп": "верховный комиссар ОБСЕ по делам национальных меньшинств",
    }


def test_seed_evidence_points_at_the_text(seeded, client):
    article = client.get("/v1/articles").json["data"][0]
    body = client.get(f"/v1/articles/{article['id']}").json
    for event in client.get("/v1/events").json["data"]:
        assert event["evidence"], event["title"]
        for span in event["evidence"]:
            text = body[span["part"]]
            assert text[span["start"] : span["end"]] == span["exact"]


def test_seed_people_resolve_to_one_entity_each(seeded, client):
    found = client.get("/v1/entities?q=Кошербаев").json["data"]
    assert [e["name"] for e in found] == ["Ермек Кошербаев"]
    detail = client.get(f"/v1/entities/{found[0]['id']}").json
    assert detail["event_count"] == 5


def test_init_db_and_db_upgrade(runner):
    result = runner.invoke(args=["init-db"])
    from api.store.migrations import LATEST

    assert result.exit_code == 0 and f"schema version {LATEST}" in result.output
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "applied: none" in result.output


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"

"""The annotator through the API: articles in, auto events out, reviewed events never touched."""

from __future__ import annotations

from importlib import resources

import pytest

from annotator.feed import parse_feed_text

SEED = parse_feed_text(
    resources.files("fixtures").joinpath("seed-article.txt").read_text(encoding="utf-8")
)
SEED_ARTICLE = {
    "title": SEED["title"],
    "body": SEED["body"],
    "published_at": SEED["published_at"].isoformat(),
    "source": SEED["source"],
    "language": "ru",
}


@pytest.fixture
def annotated(client):
    response = client.post(
        "/v1/articles?annotate=true", json=SEED_ARTICLE, headers={"Prefer": "wait=10"}
    )
    assert response.status_code == 201, response.json
    return response.json


def test_posting_the_seed_with_annotate_makes_its_events(annotated):
    events = annotated["events"]
    assert all(e["status"] == "auto" for e in events)
    roots = [e for e in events if e["parent_id"] is None]
    assert len(roots) == 1
    assert all(e["parent_id"] == roots[0]["id"] for e in events if e is not roots[0])
    assert len(events) == 6
    people = {
        p["entity"]["name"]
        for e in events
        for p in e["participants"]
        if p["entity"]["kind"] == "person"
    }
    assert people == {
        "Ермек Кошербаев",
        "Феридун Синирлиоглу",
        "Мария Телалиан",
        "Ян Брату",
        "Кристоф Камп",
    }
    countries = {
        p["entity"]["country"]
        for e in events
        for p in e["participants"]
        if p["entity"]["kind"] == "country"
    }
    assert {"KZ", "KG", "TJ", "UZ", "DK", "IS", "NO", "FI", "SE"} <= countries
    for event in events:
        assert event["start_date"] == "2025-12-05"
        assert event["venue"]["country"] == "AT"
        assert 0 <= event["confidence"] <= 1


def test_evidence_offsets_point_into_the_stored_text(client, annotated):
    article = client.get(f"/v1/articles/{annotated['id']}").json
    spans = [span for event in annotated["events"] for span in event["evidence"]]
    # The seed names Vienna only in its headline, and gives no date of its own.
    assert {"venue", "participant", "topic"} <= {s["field"] for s in spans}
    for span in spans:
        assert article[span["part"]][span["start"] : span["end"]] == span["exact"]


def test_reannotation_replaces_auto_events_and_keeps_reviewed_ones(client, annotated):
    events = annotated["events"]
    reviewed = next(e for e in events if e["type"] == "bilateral-meeting")
    changed = client.patch(
        f"/v1/events/{reviewed['id']}",
        json={"title": "Checked by a person", "topics": ["diplomacy"]},
        headers={"If-Match": client.get(f"/v1/events/{reviewed['id']}").headers["ETag"]},
    )
    assert changed.status_code == 200
    again = client.post(f"/v1/articles/{annotated['id']}/annotate", headers={"Prefer": "wait=10"})
    assert again.status_code == 200
    kept = client.get(f"/v1/events/{reviewed['id']}").json
    assert kept["title"] == "Checked by a person"
    assert kept["status"] == "reviewed"
    assert [t["slug"] for t in kept["topics"]] == ["diplomacy"]
    listed = client.get(f"/v1/articles/{annotated['id']}/events?limit=500").json["data"]
    assert sum(1 for e in listed if e["status"] == "reviewed") == 1
    # The auto events were replaced, not duplicated.
    assert len(listed) <= len(events) + 1
    old_auto = {e["id"] for e in events} - {reviewed["id"]}
    assert not old_auto & {e["id"] for e in listed}


def test_entities_resolve_across_articles_and_scripts(client, annotated):
    english = {
        "title": "Kazakh FM meets OSCE chief",
        "body": "ASTANA – Kazakh Foreign Minister Yermek Kosherbayev met OSCE Secretary "
        "General Feridun Sinirlioglu in Astana on Monday to discuss regional security.",
        "published_at": "2026-01-14",
        "language": "en",
    }
    response = client.post(
        "/v1/articles?annotate=true", json=english, headers={"Prefer": "wait=10"}
    )
    assert response.status_code == 201
    found = client.get("/v1/entities?q=Kosherbayev&kind=person").json["data"]
    assert len(found) == 1
    assert found[0]["name"] == "Ермек Кошербаев"
    detail = client.get(f"/v1/entities/{found[0]['id']}").json
    assert detail["last_event_date"] == "2026-01-12"


def test_article_without_events_yields_none(client):
    response = client.post(
        "/v1/articles?annotate=true",
        json={
            "title": "Инфляция в Казахстане замедлилась до 12,4%",
            "body": "Бюро национальной статистики (KZ) - Годовая инфляция в Казахстане в "
            "октябре замедлилась до 12,4% против 12,6% в сентябре, сообщает бюро. "
            "Продовольственные товары подорожали на 11,2%.",
            "published_at": "2025-11-03",
        },
        headers={"Prefer": "wait=10"},
    )
    assert response.status_code == 201
    assert response.json["events"] == []


_TALKS_RU = (
    "президент Казахстана Касым-Жомарт Токаев провёл переговоры с президентом Узбекистана "
    "Шавкатом Мирзиёевым в Астане."
)
_TALKS_EN = (
    "President Kassym-Jomart Tokayev of Kazakhstan held talks with President Shavkat "
    "Mirziyoyev of Uzbekistan in Astana"
)
_NEXT_DAY_RU = (
    "\n\nНа следующий день глава МИД Таджикистана Сироджиддин Мухриддин встретился с "
    "Председателем Сената Италии Иньяцио Ла Руссой."
)
_NEXT_DAY_EN = (
    "\n\nThe next day, Tajik Foreign Minister Sirojiddin Muhriddin met Italian Senate "
    "President Ignazio La Russa."
)


@pytest.mark.parametrize(
    ("published_at", "language", "body"),
    [
        ("0001-01-01", "ru", "Вчера " + _TALKS_RU),
        ("9999-12-31", "ru", "Завтра " + _TALKS_RU),
        ("9999-12-31", "ru", "31 декабря " + _TALKS_RU + _NEXT_DAY_RU),
        ("0001-01-01", "en", "Yesterday, " + _TALKS_EN + "."),
        ("9999-12-31", "en", "Tomorrow, " + _TALKS_EN + "."),
        ("9999-12-31", "en", _TALKS_EN + " on December 31." + _NEXT_DAY_EN),
    ],
)
def test_a_relative_day_outside_the_calendar_dates_by_publication(
    client, published_at, language, body
):
    # "Yesterday" of 0001-01-01, "tomorrow" or "the next day" of 9999-12-31 is no date
    # (it overflowed: a 500, the article stored unannotated); the events fall back to the
    # publication day, as when the text gives no date.
    article = {"title": body[:40], "body": body, "published_at": published_at}
    response = client.post(
        "/v1/articles?annotate=true",
        json={**article, "language": language},
        headers={"Prefer": "wait=10"},
    )
    assert response.status_code == 201, response.json
    events = response.json["events"]
    assert events
    assert {(e["start_date"], e["end_date"]) for e in events} == {(published_at, published_at)}
    stored = client.get(f"/v1/articles/{response.json['id']}/events").json["data"]
    assert sorted(e["id"] for e in stored) == sorted(e["id"] for e in events)


def test_annotate_unknown_article_is_404(client):
    assert client.post("/v1/articles/999/annotate").status_code == 404


def test_evaluate_on_the_gold_set_meets_the_thresholds(runner):
    result = runner.invoke(args=["evaluate", "fixtures/gold"])
    assert "heldout" in result.output
    assert result.exit_code == 0, result.output


def test_a_process_that_never_annotates_never_loads_the_models(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from api import create_app\n"
        f"app = create_app({{'DATABASE_URL': 'sqlite:///{tmp_path}/lazy.db'}})\n"
        "from api.store.db import database\n"
        "from api.store.migrations import upgrade\n"
        "with database.connection_context():\n"
        "    upgrade()\n"
        "client = app.test_client()\n"
        "assert client.get('/v1/events').status_code == 200\n"
        "assert client.get('/openapi.json').status_code == 200\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('natasha', 'slovnet', 'navec', 'pymorphy3', 'annotator.pipeline'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

"""seed-synthetic: deterministic data of the real shape, and the event list over it."""

from __future__ import annotations

import pycountry
import pytest

from api import create_app
from api.ops.synthetic import COMMON_WORD
from api.store.db import database
from api.store.models import Article, Entity, EntityName, Event, EventTopic, Mention, Participant

ARGS = ["seed-synthetic", "--events", "300", "--entities", "1000", "--places", "100"]


def seed(runner, *extra: str):
    result = runner.invoke(args=[*ARGS, *extra])
    assert result.exit_code == 0, result.output
    return result


def fingerprint(client) -> dict:
    """What must come out the same from the same seed: counts and whole events."""
    with database.connection_context():
        counts = {
            model.__name__: model.select().count()
            for model in (Event, Article, Entity, EntityName, Participant, EventTopic, Mention)
        }
    oldest = client.get("/v1/events?sort=start_date&limit=1").json["data"][0]
    newest = client.get("/v1/events?limit=3").json["data"]
    return {"counts": counts, "oldest": oldest, "newest": newest}


def test_same_seed_same_data(app, client, runner, database_url, tmp_path):
    seed(runner)
    first = fingerprint(client)
    assert first["counts"]["Event"] == 300

    # A second, empty database (the same PostgreSQL one, emptied) loaded with the same seed.
    if database_url.startswith("postgres"):
        import psycopg

        database.close()
        database.obj.close_all()
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
        other_url = database_url
    else:
        other_url = f"sqlite:///{tmp_path / 'other.db'}"
    other = create_app({"DATABASE_URL": other_url, "TESTING": True})
    seed(other.test_cli_runner(), "--batch", "7", "--workers", "0")
    reader = other.test_client()
    reader.environ_base.pop("HTTP_AUTHORIZATION", None)  # no keys there; reads are public
    assert fingerprint(reader) == first


def test_another_seed_other_data(app, client, runner):
    seed(runner, "--seed", "7")
    assert fingerprint(client)["counts"]["Event"] == 300
    assert client.get("/v1/events/1").json["title"]


def test_refuses_a_database_with_data(app, runner):
    seed(runner)
    result = runner.invoke(args=ARGS)
    assert result.exit_code != 0
    assert "only fills an empty database" in result.output


def counts_per(table: str, column: str) -> set[int]:
    """The distinct numbers of rows of ``table`` per value of ``column``."""
    sql = f"SELECT COUNT(*) FROM {table} GROUP BY {column}"
    return {n for (n,) in database.execute_sql(sql).fetchall()}


def test_shape(app, runner, db):
    assert "done in" in seed(runner).output
    assert Event.select().count() == 300
    assert counts_per("participant", "event_id") <= set(range(3, 9))
    assert counts_per("event_topic", "event_id") <= {2, 3, 4}
    # Every event is reported by one article; an article reports 1 to 3 events.
    assert counts_per("event_article", "event_id") == {1}
    assert counts_per("event_article", "article_id") <= {1, 2, 3}
    assert Participant.select(Participant.event).distinct().count() == 300
    # Every country of ISO 3166-1, named in Russian, with its English name as an alias.
    kz = Entity.get(Entity.kind == "country", Entity.country == "KZ")
    assert kz.name == "Казахстан" and "Kazakhstan" in kz.aliases
    assert Entity.select().where(Entity.kind == "country").count() == len(pycountry.countries)
    kinds = {k for (k,) in Entity.select(Entity.kind).distinct().tuples()}
    assert kinds == {"person", "organization", "country"}
    # Every entity can be found by its name.
    unnamed = Entity.select().where(Entity.id.not_in(EntityName.select(EntityName.entity)))
    assert unnamed.count() == 0
    # Evidence points at the exact text in the article body.
    mentions = list(Mention.select(Mention, Article).join(Article))
    assert mentions
    for m in mentions:
        assert m.article.body[m.start : m.end] == m.exact


def test_event_list_over_synthetic_data(app, client, runner):
    seed(runner)
    events = client.get("/v1/events?limit=500").json["data"]
    assert len(events) == 300
    assert all(3 <= len(e["participants"]) <= 8 for e in events)
    assert all(2 <= len(e["topics"]) <= 4 for e in events)
    assert all(e["articles"] for e in events)
    dates = [e["start_date"] for e in events]
    assert dates == sorted(dates, reverse=True)

    topic = events[0]["topics"][0]["slug"]
    page = client.get(f"/v1/events?topic={topic}&limit=500").json["data"]
    assert page and all(topic in {t["slug"] for t in e["topics"]} for e in page)
    assert len(page) == sum(topic in {t["slug"] for t in e["topics"]} for e in events)

    person = next(
        p["entity"] for e in events for p in e["participants"] if p["entity"]["kind"] == "person"
    )
    page = client.get(f"/v1/events?participant={person['id']}&limit=500").json["data"]
    assert page and all(
        person["id"] in {p["entity"]["id"] for p in e["participants"]} for e in page
    )

    page = client.get("/v1/events?country=KZ&limit=500").json["data"]
    assert all("KZ" in {p["entity"]["country"] for p in e["participants"]} for e in page)

    month = events[150]["start_date"][:7]
    page = client.get(f"/v1/events?from={month}-01&to={month}-28&limit=500").json["data"]
    assert page and all(e["start_date"] <= f"{month}-28" for e in page)

    venue = next(e["venue"]["id"] for e in events if e["venue"])
    page = client.get(f"/v1/events?venue={venue}&limit=500").json["data"]
    assert page and all(e["venue"]["id"] == venue for e in page)

    assert client.get(f"/v1/events?q={COMMON_WORD}").json["data"]
    surname = person["name"].split()[-1]
    found = client.get(f"/v1/entities?q={surname[:4]}&limit=500").json["data"]
    assert person["id"] in {e["id"] for e in found}

    # Paging by cursor walks every event once.
    seen, url = [], "/v1/events?limit=70"
    while url:
        body = client.get(url).json
        seen += [e["id"] for e in body["data"]]
        url = body["links"]["next"]
    assert sorted(seen) == sorted(e["id"] for e in events)


def test_search_index_kept_after_the_load(app, client, runner):
    """The full-text triggers are back: a later change is searchable at once."""
    seed(runner)
    with database.connection_context():
        Event.update(title="Совещание по вопросам мерзлоты").where(Event.id == 5).execute()
    ids = [e["id"] for e in client.get("/v1/events?q=мерзлоты").json["data"]]
    assert ids == [5]


@pytest.mark.parametrize("word", [COMMON_WORD])
def test_common_word_is_common(app, client, runner, word):
    seed(runner)
    assert len(client.get(f"/v1/events?q={word}&limit=500").json["data"]) > 30


def test_date_ordered_copies_are_what_the_writes_would_make(app, runner, db):
    """The load fills api.store.postings' copies itself; they equal a recomputation from scratch."""
    from api.store import postings

    seed(runner)

    def copies():
        return [
            sorted(db.execute_sql(sql).fetchall())
            for sql in (
                "SELECT event_id, country, start_date FROM event_country",
                "SELECT event_id, entity_id, start_date FROM participant",
                "SELECT event_id, topic_id, start_date FROM event_topic",
                "SELECT id, venue_country FROM event",
            )
        ]

    loaded = copies()
    assert all(loaded)
    with db.atomic():
        postings.refresh_all()
    assert copies() == loaded


def test_full_text_indexes_after_the_load(app, client, runner, db):
    """The load fills both full-text indexes in large batches, then gives FTS5 back its
    default batch for the small writes that follow (SQLite; PostgreSQL has no such knob)."""
    from api.store.dialect import POSTGRES, dialect

    seed(runner)
    assert client.get(f"/v1/articles?q={COMMON_WORD}").json["data"]
    assert client.get(f"/v1/events?q={COMMON_WORD}").json["data"]
    if dialect() is not POSTGRES:
        for table in ("article_fts", "event_search"):
            size = db.execute_sql(f"SELECT v FROM {table}_config WHERE k = 'hashsize'").fetchone()
            assert size == (1024 * 1024,)

"""Versioned migrations: from an empty database, and from the version before the newest."""

from __future__ import annotations

from api.store.migrations import LATEST, MIGRATIONS, SchemaVersion, applied_versions, upgrade

VERSION_6_INDEXES = (
    "participant_entity_id_start_date_event_id",
    "event_topic_topic_id_start_date_event_id",
    "event_venue_country_start_date_id",
)


def test_an_empty_database_gets_every_version(db):
    assert applied_versions() == {version for version, _, _ in MIGRATIONS}
    assert max(applied_versions()) == LATEST
    assert upgrade() == []  # a second run has nothing to do


def _back_to_version_5(db) -> None:
    """The schema as version 5 left it: no date-ordered copies."""
    for index in VERSION_6_INDEXES:
        db.execute_sql(f"DROP INDEX IF EXISTS {index}")
    db.execute_sql("DROP TABLE event_country")
    for table, column in (
        ("participant", "start_date"),
        ("event_topic", "start_date"),
        ("event", "venue_country"),
    ):
        db.execute_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    SchemaVersion.delete().where(SchemaVersion.version == 6).execute()


def test_version_5_with_data_upgrades_and_keeps_it(seeded, client, db):
    before = client.get("/v1/events?limit=500").json["data"]
    _back_to_version_5(db)
    assert 6 not in applied_versions()

    assert upgrade() == [6]

    # The copies are back and filled from the data: the filters read them.
    assert client.get("/v1/events?limit=500").json["data"] == before
    vienna = client.get("/v1/events?venue_country=AT").json["data"]
    assert len(vienna) == len(before) == 6
    assert len(client.get("/v1/events?country=NO").json["data"]) == 2
    assert len(client.get("/v1/events?topic=media-freedom").json["data"]) == 2
    person = client.get("/v1/entities?q=Кошербаев").json["data"][0]["id"]
    assert len(client.get(f"/v1/events?participant={person}").json["data"]) == 5
    rows = db.execute_sql(
        "SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id"
        " WHERE p.start_date = e.start_date"
    ).fetchone()[0]
    assert rows == db.execute_sql("SELECT count(*) FROM participant").fetchone()[0]


def _back_to_version_6(db) -> None:
    """The search as version 6 left it: event titles and articles indexed apart."""
    from api.store.dialect import POSTGRES, dialect

    if dialect() is POSTGRES:
        for trigger, table in (
            ("event_search_event", "event"),
            ("event_search_link", "event_article"),
            ("event_search_article", "article"),
        ):
            db.execute_sql(f"DROP TRIGGER {trigger} ON {table}")
            db.execute_sql(f"DROP FUNCTION {trigger}()")
        db.execute_sql("DROP FUNCTION event_search_refresh(integer[])")
        db.execute_sql("DROP TABLE event_search")
        db.execute_sql(
            "ALTER TABLE event ADD COLUMN search tsvector GENERATED ALWAYS AS"
            " (to_tsvector('simple'::regconfig, coalesce(title, ''))) STORED"
        )
        db.execute_sql("CREATE INDEX event_search_gin ON event USING gin (search)")
    else:
        for suffix in ("ai", "au", "ad", "link_ai", "link_ad", "article_au"):
            db.execute_sql(f"DROP TRIGGER event_search_{suffix}")
        db.execute_sql("DROP TABLE event_search")
        db.execute_sql("CREATE VIRTUAL TABLE event_fts USING fts5(title, content='event')")
        db.execute_sql(
            "CREATE TRIGGER event_fts_ai AFTER INSERT ON event BEGIN"
            " INSERT INTO event_fts(rowid, title) VALUES (new.id, new.title); END"
        )
        db.execute_sql("INSERT INTO event_fts(event_fts) VALUES('rebuild')")
    SchemaVersion.delete().where(SchemaVersion.version == 7).execute()


def test_version_6_with_data_upgrades_to_one_search_document_per_event(seeded, client, db):
    # Words of the seed article's text, of an event title, and of both.
    queries = ("q=Кошербаев", "q=ОБСЕ", "q=Вене", "q=Телалиан", "q=министров+Кошербаев")
    before = {q: client.get(f"/v1/events?{q}").json["data"] for q in queries}
    assert all(before.values())
    _back_to_version_6(db)

    assert upgrade() == [7]

    for q in queries:
        assert client.get(f"/v1/events?{q}").json["data"] == before[q], q
    # And the triggers keep the documents from now on.
    article = client.post(
        "/v1/articles",
        json={
            "title": "Xylophone diplomacy",
            "body": "A quiet word.",
            "published_at": "2025-12-06",
        },
    ).json["id"]
    event = client.post(
        "/v1/events",
        json={"title": "A concert", "type": "other", "start_date": "2025-12-06",
              "articles": [article]},
    ).json["id"]  # fmt: skip
    assert [e["id"] for e in client.get("/v1/events?q=xylophone").json["data"]] == [event]


def test_version_7_drops_the_indexes_wider_ones_cover(seeded, client, db):
    from api.store.migrations import REDUNDANT_INDEXES

    queries = ("topic=diplomacy", "participant=1", "country=NO", "limit=500")
    before = {q: client.get(f"/v1/events?{q}").json["data"] for q in queries}
    for index, table, column in REDUNDANT_INDEXES:  # as versions 1 to 7 made them
        db.execute_sql(f"CREATE INDEX {index} ON {table} ({column})")
    SchemaVersion.delete().where(SchemaVersion.version == 8).execute()

    assert upgrade() == [8]

    left = {i.name for _, table, _ in REDUNDANT_INDEXES for i in db.get_indexes(table)}
    assert not {index for index, _, _ in REDUNDANT_INDEXES} & left
    for q in queries:
        assert client.get(f"/v1/events?{q}").json["data"] == before[q], q


def test_no_index_is_a_prefix_of_another_on_the_same_table(db):
    """Every plain index serves a lookup no wider one does (the load builds each, writes keep
    each); a unique one may, since it also keeps its columns unique."""
    for table in db.get_tables():
        plain = [tuple(i.columns) for i in db.get_indexes(table) if not i.unique]
        wider = [tuple(i.columns) for i in db.get_indexes(table)]
        wider.append(tuple(db.get_primary_keys(table)))
        for a in plain:
            for b in wider:
                assert a == b or b[: len(a)] != a, (table, a, b)

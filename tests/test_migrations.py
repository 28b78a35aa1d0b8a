"""Versioned migrations: from an empty database, and from the version before the newest."""

from __future__ import annotations

from api.migrations import LATEST, MIGRATIONS, SchemaVersion, applied_versions, upgrade

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

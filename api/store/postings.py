"""Derived copies that let every event filter read one index in date order.

A page of events "with topic X, newest first" is a walk down an index on
(topic, start_date, event) that stops after one page, whatever the store
holds. For that, the event's start date is copied next to each of its topics
and participants, the countries of its participants get a table of their own
(``event_country``) and the venue's country a column (``event.venue_country``).
These copies are made only here: by set-based SQL that works on both stores,
in the transaction of the write that changed what they copy (the event
writer, ``api.store.events.write``), and, for the rows of a bulk load not yet
stored, by ``copies_of`` with the same rules (``api.store.bulk``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from api.store.db import database
from api.store.models import Entity, Place

_CHUNK = 500

_STATEMENTS = (
    "UPDATE participant SET start_date ="
    " (SELECT e.start_date FROM event e WHERE e.id = participant.event_id){where}",
    "UPDATE event_topic SET start_date ="
    " (SELECT e.start_date FROM event e WHERE e.id = event_topic.event_id){where}",
    "DELETE FROM event_country{where}",
    "INSERT INTO event_country (event_id, country, start_date)"
    " SELECT DISTINCT p.event_id, en.country, e.start_date"
    " FROM participant p JOIN entity en ON en.id = p.entity_id JOIN event e ON e.id = p.event_id"
    " WHERE en.country IS NOT NULL{and_where}",
    # Only rows whose venue country differs, so untouched events log no change.
    "UPDATE event SET venue_country = ({country})"
    " WHERE COALESCE(venue_country, '') <> COALESCE(({country}), ''){and_where_id}",
)


def _run(condition: str | None) -> None:
    for statement in _STATEMENTS:
        database.execute_sql(
            statement.format(
                where=f" WHERE event_id IN ({condition})" if condition else "",
                and_where=f" AND p.event_id IN ({condition})" if condition else "",
                and_where_id=f" AND id IN ({condition})" if condition else "",
                country="SELECT pl.country FROM place pl WHERE pl.id = event.venue_id",
            )
        )


def refresh_events(event_ids: Iterable[int]) -> None:
    """Bring the copies of these events up to date (call inside the write's transaction)."""
    ids = sorted({int(i) for i in event_ids})
    for start in range(0, len(ids), _CHUNK):
        _run(",".join(str(i) for i in ids[start : start + _CHUNK]))


def refresh_entity(entity_id: int) -> None:
    """After an entity's country changed: the country copies of its events."""
    refresh_events_where(f"SELECT event_id FROM participant WHERE entity_id = {int(entity_id)}")


def refresh_place(place_id: int) -> None:
    """After a place's country changed: the venue country of the events held there."""
    refresh_events_where(f"SELECT id FROM event WHERE venue_id = {int(place_id)}")


def refresh_events_where(subquery: str) -> None:
    ids = [row[0] for row in database.execute_sql(subquery).fetchall()]
    refresh_events(ids)


def refresh_all() -> None:
    """Rebuild every copy (a migration's backfill, a bulk load's last step)."""
    _run(None)


# --- The bulk path (api.store.bulk): the same copies, made for rows not yet stored -------


@dataclass
class Countries:
    """The country of every entity and place, read once for a load."""

    of_entity: dict[int, str | None]
    of_place: dict[int, str | None]

    @classmethod
    def read(cls) -> Countries:
        return cls(
            dict(Entity.select(Entity.id, Entity.country).tuples()),
            dict(Place.select(Place.id, Place.country).tuples()),
        )


@dataclass
class Copies:
    events: list[tuple]  # each event row with its venue's country last
    participants: list[tuple]  # with the event's start date last
    event_topics: list[tuple]  # likewise
    event_countries: list[tuple]  # (event, country, start date)


def copies_of(
    events, participants, event_topics, countries: Countries, *, start_at: int, venue_at: int
) -> Copies:
    """The rows of new events (id first, the start date at ``start_at``, the venue at
    ``venue_at``; participants and topics event first) with the copies the SQL above would
    make of them once stored."""
    start = {row[0]: row[start_at] for row in events}
    out_events = [(*row, countries.of_place.get(row[venue_at])) for row in events]
    out_participants = [(*row, start[row[0]]) for row in participants]
    out_topics = [(*row, start[row[0]]) for row in event_topics]
    per_event: dict[int, set[str]] = {}
    for event_id, entity_id, *_ in participants:
        country = countries.of_entity.get(entity_id)
        if country is not None:
            per_event.setdefault(event_id, set()).add(country)
    event_countries = [
        (event_id, country, start[event_id])
        for event_id, codes in per_event.items()
        for country in sorted(codes)
    ]
    return Copies(out_events, out_participants, out_topics, event_countries)

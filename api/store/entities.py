"""Entities and places as people write them (``/v1/entities``, ``/v1/places``): made or
corrected in one transaction, refused when another one already goes by the name.

Names are resolved and indexed by ``api.store.resolve``; a changed country
reaches the date-ordered copies of the events (``api.store.postings``).
"""

from __future__ import annotations

import peewee as pw

from api.store import names, postings
from api.store.errors import Conflict, NotFound
from api.store.models import Entity, EntityName, Place, PlaceName
from api.store.resolve import find_entity, find_place, index_entity, index_place
from api.store.transaction import writing


def name_starts_with(name_model, owner, text: str) -> pw.Expression:
    """Rows of ``owner`` with a name, alias, or a word of one, starting with ``text``."""
    bounds = names.prefix_bounds(text)
    if bounds is None:
        return pw.SQL("1 = 0")
    low, high = bounds
    return owner.id.in_(
        name_model.select(getattr(name_model, owner._meta.name)).where(
            (name_model.key >= low) & (name_model.key < high)
        )
    )


ENTITY_FILTERS = {
    "kind": lambda kinds: Entity.kind.in_(kinds),
    "country": lambda codes: Entity.country.in_(codes),
    "q": lambda text: name_starts_with(EntityName, Entity, text),
    "updated_since": lambda since: Entity.updated_at >= since,
}
PLACE_FILTERS = {
    "country": lambda codes: Place.country.in_(codes),
    "q": lambda text: name_starts_with(PlaceName, Place, text),
    "updated_since": lambda since: Place.updated_at >= since,
}


def get_entity(entity_id: int) -> Entity:
    entity = Entity.get_or_none(Entity.id == entity_id)
    if entity is None:
        raise NotFound(f"No entity with id {entity_id}.")
    return entity


def get_place(place_id: int) -> Place:
    place = Place.get_or_none(Place.id == place_id)
    if place is None:
        raise NotFound(f"No place with id {place_id}.")
    return place


def _refuse_duplicate_entity(data: dict, entity: Entity | None = None) -> None:
    """Refused when another entity of the kind already goes by one of these names."""
    other = find_entity(data["name"], data["kind"], data.get("aliases") or [])
    if other is not None and (entity is None or other.id != entity.id):
        raise Conflict(
            f"An entity named {other.name!r} ({other.kind}) already exists.",
            existing=f"/v1/entities/{other.id}",
        )


def _refuse_duplicate_place(data: dict, place: Place | None = None) -> None:
    other = find_place(data["name"], data.get("aliases") or [], data.get("country"))
    if other is not None and (place is None or other.id != place.id):
        raise Conflict(
            f"A place named {other.name!r} already exists.", existing=f"/v1/places/{other.id}"
        )


def create_entity(data: dict) -> Entity:
    with writing():
        _refuse_duplicate_entity(data)
        entity = Entity.create(**{**data, "aliases": data.get("aliases") or []})
        index_entity(entity)
    return entity


def update_entity(entity_id: int, data: dict) -> Entity:
    """Correct an entity; a name another entity of the kind goes by is refused."""
    with writing():
        entity = get_entity(entity_id)
        if {"name", "kind", "aliases"} & data.keys():
            _refuse_duplicate_entity({"name": entity.name, "kind": entity.kind, **data}, entity)
        if not _set(entity, data):
            return entity
        index_entity(entity)
        if "country" in data:
            postings.refresh_entity(entity.id)
    return entity


def create_place(data: dict) -> Place:
    with writing():
        _refuse_duplicate_place(data)
        place = Place.create(**{**data, "aliases": data.get("aliases") or []})
        index_place(place)
    return place


def update_place(place_id: int, data: dict) -> Place:
    """Correct a place; a name another place goes by is refused."""
    with writing():
        place = get_place(place_id)
        if {"name", "aliases"} & data.keys():
            _refuse_duplicate_place({"name": place.name, "country": place.country, **data}, place)
        if not _set(place, data):
            return place
        index_place(place)
        if "country" in data:
            postings.refresh_place(place.id)
    return place


def _set(row: Entity | Place, data: dict) -> bool:
    """Write ``data`` into the row, if it changes it; whether it did."""
    before = row.stored_values()
    for key, value in data.items():
        setattr(row, key, value if key != "aliases" else value or [])
    if row.stored_values() == before:
        return False
    row.touch()
    row.save()
    return True

"""Resolving names to stored entities and places, and keeping their name keys.

A write that names an entity or a place inline reuses the stored one whose
name or alias matches (case-insensitive, ё read as е) before making a new one.
"""

from __future__ import annotations

from api.store import names, postings
from api.store.dialect import dialect
from api.store.dialect.base import batches
from api.store.models import Entity, EntityName, Place, PlaceName

# Find-then-create must not race: two writers naming the same new person would each find
# nothing and each make one. SQLite runs one write transaction at a time (BEGIN IMMEDIATE,
# see api.store.db), so there it cannot happen. On PostgreSQL a writer about to create takes a
# transaction-scoped advisory lock and looks again, so a second writer finds what the first
# committed. It is the very lock the change log's triggers take (WRITERS_LOCK): with a second
# lock, two writers taking them in opposite orders would deadlock. A unique index could not
# express "the same entity": matching goes by any alias and across scripts.


def lock_names() -> bool:
    """Serialise name creation to the end of this transaction; True if a lock was taken."""
    return dialect().lock_writers()


def _merge_aliases(canonical: str, current: list[str], extra: list[str]) -> list[str]:
    """Aliases with ``extra`` added once each, never repeating the canonical name."""
    seen = {names.normalize(n) for n in (canonical, *current)}
    merged = list(current)
    for alias in extra:
        key = names.normalize(alias)
        if key and key not in seen:
            seen.add(key)
            merged.append(alias.strip())
    return merged


def index_entity(entity: Entity) -> None:
    """Rewrite the lookup keys of ``entity`` from its name and aliases."""
    all_names = [entity.name, *(entity.aliases or [])]
    EntityName.delete().where(EntityName.entity == entity).execute()
    rows = [{"entity": entity.id, "key": k, "full": True} for k in names.full_keys(all_names)]
    rows += [{"entity": entity.id, "key": k, "full": False} for k in names.search_keys(all_names)]
    insert_batched(EntityName, rows)


def index_place(place: Place) -> None:
    """Rewrite the lookup keys of ``place`` from its name and aliases."""
    all_names = [place.name, *(place.aliases or [])]
    PlaceName.delete().where(PlaceName.place == place).execute()
    rows = [{"place": place.id, "key": k, "full": True} for k in names.full_keys(all_names)]
    rows += [{"place": place.id, "key": k, "full": False} for k in names.search_keys(all_names)]
    insert_batched(PlaceName, rows)


def insert_batched(model, rows: list[dict]) -> None:
    """Insert ``rows`` in statements each under the store's limit of bound parameters (an
    entity of 100 long aliases has thousands of keys, three values each; a long article
    thousands of mentions, eight each)."""
    if rows:
        for chunk in batches(rows, dialect().max_parameters // len(rows[0])):
            model.insert_many(chunk).execute()


def _matching(name_model, owner, names_: list[str], extra=None) -> list:
    """Rows of ``owner`` known by one of ``names_``: by an exact key, else (only then) by
    the skeleton of a name in the other script. Oldest first."""
    owner_field = getattr(name_model, owner._meta.name)
    for probes in (names.exact_keys(names_), names.cross_script(names.skeleton_keys(names_))):
        keys = names.stored(probes)
        if not keys:
            continue
        query = (
            owner.select()
            .where(
                owner.id.in_(
                    name_model.select(owner_field).where(name_model.key.in_(keys) & name_model.full)
                )
            )
            .order_by(owner.id)
        )
        if extra is not None:
            query = query.where(extra)
        found = list(query)
        if found:
            return found
    return []


def find_entity(name: str, kind: str, aliases: list[str] = (), country: str | None = None):
    """The stored entity of ``kind`` known by ``name`` or one of ``aliases``, or None.

    Among several matches the one of the same country wins, then the oldest.
    """
    candidates = _matching(EntityName, Entity, [name, *aliases], Entity.kind == kind)
    if not candidates:
        return None
    same_country = [e for e in candidates if country and e.country == country]
    return (same_country or candidates)[0]


def resolve_entity(spec: dict) -> tuple[Entity, bool]:
    """The entity described inline by ``spec`` (name, kind, country?, aliases?), stored.

    Returns ``(entity, created)``; a found entity learns the new spellings as aliases.
    """
    name = spec["name"].strip()
    aliases = [a for a in spec.get("aliases") or [] if a.strip()]
    entity = find_entity(name, spec["kind"], aliases, spec.get("country"))
    if entity is None and lock_names():
        entity = find_entity(name, spec["kind"], aliases, spec.get("country"))
    if entity is None:
        entity = Entity.create(
            kind=spec["kind"],
            name=name,
            aliases=_merge_aliases(name, [], aliases),
            country=spec.get("country"),
        )
        index_entity(entity)
        return entity, True
    merged = _merge_aliases(entity.name, entity.aliases or [], [name, *aliases])
    changed = merged != (entity.aliases or [])
    country_learnt = entity.country is None and bool(spec.get("country"))
    if country_learnt:
        entity.country = spec["country"]
    if changed or country_learnt:
        entity.aliases = merged
        entity.touch()
        entity.save()
        index_entity(entity)
    if country_learnt:
        postings.refresh_entity(entity.id)
    return entity, False


def find_place(name: str, aliases: list[str] = (), country: str | None = None):
    """The stored place known by ``name`` or one of ``aliases`` (same country first), or None."""
    candidates = _matching(PlaceName, Place, [name, *aliases])
    if country:
        candidates = [p for p in candidates if p.country in (country, None)]
    return candidates[0] if candidates else None


def resolve_place(spec: dict) -> tuple[Place, bool]:
    """The place described inline by ``spec`` (name, country, lat?, lon?, aliases?), stored."""
    name = spec["name"].strip()
    aliases = [a for a in spec.get("aliases") or [] if a.strip()]
    place = find_place(name, aliases, spec.get("country"))
    if place is None and lock_names():
        place = find_place(name, aliases, spec.get("country"))
    if place is None:
        place = Place.create(
            name=name,
            aliases=_merge_aliases(name, [], aliases),
            country=spec.get("country"),
            lat=spec.get("lat"),
            lon=spec.get("lon"),
            geonames_id=spec.get("geonames_id"),
        )
        index_place(place)
        return place, True
    merged = _merge_aliases(place.name, place.aliases or [], [name, *aliases])
    changed = merged != (place.aliases or [])
    country_learnt = place.country is None and spec.get("country") is not None
    for attr in ("country", "lat", "lon"):
        if getattr(place, attr) is None and spec.get(attr) is not None:
            setattr(place, attr, spec[attr])
            changed = True
    if changed:
        place.aliases = merged
        place.touch()
        place.save()
        index_place(place)
    if country_learnt:
        postings.refresh_place(place.id)
    return place, False

"""/v1/entities: people, organisations and countries."""

from __future__ import annotations

import peewee as pw
from flask.views import MethodView

from api.http.blueprint import Blueprint
from api.http.errors import Problem, conflict_with
from api.http.pagination import page
from api.store import names, postings
from api.store.db import database
from api.store.events.read import entity_brief, event_stats
from api.store.filters import apply
from api.store.models import Entity, EntityName, Event, Participant, utcnow
from api.store.order import Order
from api.store.resolve import find_entity, index_entity
from schemas.common import aware
from schemas.entities import (
    EntityDetailSchema,
    EntityListArgs,
    EntityPageSchema,
    EntityWriteSchema,
)

blp = Blueprint(
    "entities",
    __name__,
    url_prefix="/v1/entities",
    description="People, organisations and countries, resolved across articles and languages.",
)

ORDER = Order("id", (Entity.id,))


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


def entity_dict(entity: Entity) -> dict:
    return {
        **entity_brief(entity),
        "wikidata_id": entity.wikidata_id,
        "description": entity.description,
        "created_at": aware(entity.created_at),
        "updated_at": aware(entity.updated_at),
    }


def entity_detail(entity: Entity) -> dict:
    took_part = Event.select().join(Participant).where(Participant.entity == entity)
    return {**entity_dict(entity), **event_stats(took_part)}


def get_entity(entity_id: int) -> Entity:
    entity = Entity.get_or_none(Entity.id == entity_id)
    if entity is None:
        raise Problem(404, f"No entity with id {entity_id}.")
    return entity


def _refuse_duplicate(data: dict, entity: Entity | None = None) -> None:
    """409 when another entity of the kind already goes by one of these names."""
    other = find_entity(data["name"], data["kind"], data.get("aliases") or [])
    if other is not None and (entity is None or other.id != entity.id):
        raise conflict_with(
            f"/v1/entities/{other.id}",
            f"An entity named {other.name!r} ({other.kind}) already exists.",
        )


_DUPLICATE = {
    "detail": "An entity named 'Ермек Кошербаев' (person) already exists.",
    "existing": "/v1/entities/2",
}


@blp.route("")
class Entities(MethodView):
    @blp.arguments(EntityListArgs, location="query")
    @blp.response(200, EntityPageSchema)
    def get(self, args):
        """List entities.

        People, organisations and countries, filtered by `kind`, `country`
        and `q` (the start of a name or alias, or of one of its words; case
        and ё/е do not matter).
        """
        query = apply(Entity.select(), args, ENTITY_FILTERS)
        return page(query, ORDER, args, lambda rows: [entity_dict(e) for e in rows])

    @blp.arguments(
        EntityWriteSchema,
        example={
            "name": "Ермек Кошербаев",
            "kind": "person",
            "country": "KZ",
            "aliases": ["Yermek Kosherbayev"],
        },
    )
    @blp.response(201, EntityDetailSchema)
    @blp.problem(409, "An entity of that kind goes by that name already", **_DUPLICATE)
    def post(self, data):
        """Create an entity.

        If an entity of the same kind already goes by that name or one of the
        aliases, the answer is 409 with its location instead.
        """
        with database.atomic():
            _refuse_duplicate(data)
            entity = Entity.create(**{**data, "aliases": data.get("aliases") or []})
            index_entity(entity)
        return entity_detail(entity), 201, {"Location": f"/v1/entities/{entity.id}"}


@blp.route("/<int:entity_id>")
class EntityItem(MethodView):
    @blp.response(200, EntityDetailSchema)
    @blp.problem(404, "No such entity")
    def get(self, entity_id):
        """Get one entity.

        With the number of events it took part in and the dates of its first
        and last one.
        """
        return entity_detail(get_entity(entity_id))

    @blp.arguments(EntityWriteSchema(partial=True), example={"aliases": ["Yermek Kosherbayev"]})
    @blp.response(200, EntityDetailSchema)
    @blp.problem(404, "No such entity")
    @blp.problem(409, "Another entity goes by that name", **_DUPLICATE)
    def patch(self, data, entity_id):
        """Correct an entity.

        Name, aliases, country, Wikidata id or description; a name another
        entity of the kind goes by is a 409.
        """
        with database.atomic():
            entity = get_entity(entity_id)
            merged = {"name": entity.name, "kind": entity.kind, **data}
            if {"name", "kind", "aliases"} & data.keys():
                _refuse_duplicate(merged, entity)
            for key, value in data.items():
                setattr(entity, key, value if key != "aliases" else value or [])
            entity.updated_at = utcnow()
            entity.save()
            index_entity(entity)
            if "country" in data:
                postings.refresh_entity(entity.id)
        return entity_detail(entity)

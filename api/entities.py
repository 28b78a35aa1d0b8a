"""/v1/entities: people, organisations and countries."""

from __future__ import annotations

from flask.views import MethodView

from api.http.blueprint import Blueprint
from api.http.pagination import page
from api.store.entities import ENTITY_FILTERS, create_entity, get_entity, update_entity
from api.store.events.read import entity_brief, event_stats
from api.store.filters import apply
from api.store.models import Entity, Event, Participant
from api.store.order import Order
from schemas.common import aware, patch_of
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
        entity = create_entity(data)
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

    @blp.arguments(patch_of(EntityWriteSchema), example={"aliases": ["Yermek Kosherbayev"]})
    @blp.response(200, EntityDetailSchema)
    @blp.problem(404, "No such entity")
    @blp.problem(409, "Another entity goes by that name", **_DUPLICATE)
    def patch(self, data, entity_id):
        """Correct an entity.

        Name, aliases, country, Wikidata id or description; a name another
        entity of the kind goes by is a 409.
        """
        return entity_detail(update_entity(entity_id, data))

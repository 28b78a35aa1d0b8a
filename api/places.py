"""/v1/places: geocoded venues."""

from __future__ import annotations

from flask.views import MethodView

from api.http.blueprint import Blueprint
from api.http.pagination import page
from api.store.entities import PLACE_FILTERS, create_place, get_place, update_place
from api.store.events.read import event_stats, place_brief
from api.store.filters import apply
from api.store.models import Event, Place
from api.store.order import Order
from schemas.common import aware, patch_of
from schemas.entities import (
    PlaceDetailSchema,
    PlaceInlineSchema,
    PlaceListArgs,
    PlacePageSchema,
)

blp = Blueprint("places", __name__, url_prefix="/v1/places", description="Venues, geocoded.")

ORDER = Order("id", (Place.id,))


def place_dict(place: Place) -> dict:
    return {
        **place_brief(place),
        "geonames_id": place.geonames_id,
        "created_at": aware(place.created_at),
        "updated_at": aware(place.updated_at),
    }


def place_detail(place: Place) -> dict:
    return {**place_dict(place), **event_stats(Event.select().where(Event.venue == place))}


_DUPLICATE = {"detail": "A place named 'Vienna' already exists.", "existing": "/v1/places/1"}


@blp.route("")
class Places(MethodView):
    @blp.arguments(PlaceListArgs, location="query")
    @blp.response(200, PlacePageSchema)
    def get(self, args):
        """List places.

        Venues, filtered by `country` and `q` (the start of a name or alias,
        or of one of its words).
        """
        query = apply(Place.select(), args, PLACE_FILTERS)
        return page(query, ORDER, args, lambda rows: [place_dict(p) for p in rows])

    @blp.arguments(
        PlaceInlineSchema,
        example={
            "name": "Vienna",
            "country": "AT",
            "lat": 48.2085,
            "lon": 16.3721,
            "aliases": ["Вена", "Wien"],
        },
    )
    @blp.response(201, PlaceDetailSchema)
    @blp.problem(409, "A place goes by that name already", **_DUPLICATE)
    def post(self, data):
        """Create a place.

        If a place in that country already goes by that name or one of the
        aliases, the answer is 409 with its location instead.
        """
        place = create_place(data)
        return place_detail(place), 201, {"Location": f"/v1/places/{place.id}"}


@blp.route("/<int:place_id>")
class PlaceItem(MethodView):
    @blp.response(200, PlaceDetailSchema)
    @blp.problem(404, "No such place")
    def get(self, place_id):
        """Get one place.

        With the number of events held there and the dates of the first and
        last one.
        """
        return place_detail(get_place(place_id))

    @blp.arguments(patch_of(PlaceInlineSchema), example={"lat": 48.2085, "lon": 16.3721})
    @blp.response(200, PlaceDetailSchema)
    @blp.problem(404, "No such place")
    @blp.problem(409, "Another place goes by that name", **_DUPLICATE)
    def patch(self, data, place_id):
        """Correct a place.

        Name, aliases, country, coordinates or GeoNames id.
        """
        return place_detail(update_place(place_id, data))

"""/v1/places: geocoded venues."""

from __future__ import annotations

from flask.views import MethodView

from api.entities import name_starts_with
from api.http.blueprint import Blueprint
from api.http.errors import Problem, conflict_with
from api.http.pagination import page
from api.store import postings
from api.store.db import database
from api.store.events.read import event_stats, place_brief
from api.store.filters import apply
from api.store.models import Event, Place, PlaceName, utcnow
from api.store.order import Order
from api.store.resolve import find_place, index_place
from schemas.common import aware
from schemas.entities import (
    PlaceDetailSchema,
    PlaceInlineSchema,
    PlaceListArgs,
    PlacePageSchema,
)

blp = Blueprint("places", __name__, url_prefix="/v1/places", description="Venues, geocoded.")

ORDER = Order("id", (Place.id,))

PLACE_FILTERS = {
    "country": lambda codes: Place.country.in_(codes),
    "q": lambda text: name_starts_with(PlaceName, Place, text),
    "updated_since": lambda since: Place.updated_at >= since,
}


def place_dict(place: Place) -> dict:
    return {
        **place_brief(place),
        "geonames_id": place.geonames_id,
        "created_at": aware(place.created_at),
        "updated_at": aware(place.updated_at),
    }


def place_detail(place: Place) -> dict:
    return {**place_dict(place), **event_stats(Event.select().where(Event.venue == place))}


def get_place(place_id: int) -> Place:
    place = Place.get_or_none(Place.id == place_id)
    if place is None:
        raise Problem(404, f"No place with id {place_id}.")
    return place


def _refuse_duplicate(data: dict, place: Place | None = None) -> None:
    other = find_place(data["name"], data.get("aliases") or [], data.get("country"))
    if other is not None and (place is None or other.id != place.id):
        raise conflict_with(
            f"/v1/places/{other.id}", f"A place named {other.name!r} already exists."
        )


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
        with database.atomic():
            _refuse_duplicate(data)
            place = Place.create(**{**data, "aliases": data.get("aliases") or []})
            index_place(place)
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

    @blp.arguments(PlaceInlineSchema(partial=True), example={"lat": 48.2085, "lon": 16.3721})
    @blp.response(200, PlaceDetailSchema)
    @blp.problem(404, "No such place")
    @blp.problem(409, "Another place goes by that name", **_DUPLICATE)
    def patch(self, data, place_id):
        """Correct a place.

        Name, aliases, country, coordinates or GeoNames id.
        """
        with database.atomic():
            place = get_place(place_id)
            if {"name", "aliases"} & data.keys():
                _refuse_duplicate({"name": place.name, "country": place.country, **data}, place)
            for key, value in data.items():
                setattr(place, key, value if key != "aliases" else value or [])
            place.updated_at = utcnow()
            place.save()
            index_place(place)
            if "country" in data:
                postings.refresh_place(place.id)
        return place_detail(place)

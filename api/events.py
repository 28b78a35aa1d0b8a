"""/v1/events: the event list with its filters, and single events."""

from __future__ import annotations

from flask.views import MethodView

from api import search
from api.blueprint import Blueprint
from api.db import database
from api.errors import Problem
from api.event_read import load_event, load_events
from api.event_write import write_event
from api.filters import apply
from api.models import Entity, Event, EventArticle, EventTopic, Participant, Place
from api.pagination import Order, page
from schemas.events import (
    EXAMPLE_EVENT,
    EXAMPLE_EVENT_WRITE,
    EventListArgs,
    EventPageSchema,
    EventSchema,
    EventWriteSchema,
)

blp = Blueprint(
    "events",
    __name__,
    url_prefix="/v1/events",
    description="Events: meetings, visits, calls and signings, with who, where, when and what.",
)

ORDERS = {
    "-start_date": Order("-start_date", (Event.start_date, Event.id), descending=True),
    "start_date": Order("start_date", (Event.start_date, Event.id)),
}


def _events_of(through, column, values):
    return Event.id.in_(through.select(through.event).where(column.in_(values)))


EVENT_FILTERS = {
    "from_": lambda day: Event.end_date >= day,
    "to": lambda day: Event.start_date <= day,
    "participant": lambda ids: _events_of(Participant, Participant.entity, ids),
    "country": lambda codes: Event.id.in_(
        Participant.select(Participant.event).join(Entity).where(Entity.country.in_(codes))
    ),
    "venue": lambda ids: Event.venue.in_(ids),
    "venue_country": lambda codes: Event.venue.in_(
        Place.select(Place.id).where(Place.country.in_(codes))
    ),
    "topic": lambda slugs: _events_of(EventTopic, EventTopic.topic, slugs),
    "type": lambda types: Event.type.in_(types),
    "article": lambda ids: _events_of(EventArticle, EventArticle.article, ids),
    "parent": lambda ids: Event.parent.in_(ids),
    "status": lambda statuses: Event.status.in_(statuses),
    "q": lambda text: Event.id.in_(search.events_matching(text)),
}


def event_page(args: dict, base=None):
    """A page of events matching ``args`` (the one event-list machinery)."""
    query = apply(base if base is not None else Event.select(), args, EVENT_FILTERS)
    return page(query, ORDERS[args["sort"]], args, load_events)


def get_event(event_id: int) -> Event:
    event = Event.get_or_none(Event.id == event_id)
    if event is None:
        raise Problem(404, f"No event with id {event_id}.")
    return event


@blp.route("")
class Events(MethodView):
    @blp.arguments(EventListArgs, location="query")
    @blp.response(200, EventPageSchema)
    def get(self, args):
        """List events, newest first, filtered.

        Every filter is optional and they combine: AND between different
        filters, OR within a repeated one (`?topic=energy&topic=water`).
        Paging is by the opaque `cursor` of `links.next`.
        """
        return event_page(args)

    @blp.arguments(EventWriteSchema, example=EXAMPLE_EVENT_WRITE)
    @blp.response(201, EventSchema, example=EXAMPLE_EVENT)
    @blp.problem(409, "A unique value was taken by a concurrent write")
    def post(self, data):
        """Create an event.

        Participants and the venue are given by id or inline; inline ones
        are resolved against stored entities and places by name or alias
        (case-insensitive, ё read as е) before anything new is made. Topics
        are slugs; articles are ids. All of it in one transaction. The event
        is `reviewed` (a person wrote it).
        """
        event = write_event(data)
        return load_event(event), 201, {"Location": f"/v1/events/{event.id}"}


@blp.route("/<int:event_id>")
class EventItem(MethodView):
    @blp.response(200, EventSchema, example=EXAMPLE_EVENT)
    @blp.problem(404, "No such event")
    def get(self, event_id):
        """Get one event.

        With its participants (entity, role, position), venue, topics, the
        articles reporting it and the evidence: the exact spans of those
        articles each fact came from.
        """
        return load_event(get_event(event_id))

    @blp.arguments(EventWriteSchema, example=EXAMPLE_EVENT_WRITE)
    @blp.response(200, EventSchema, example=EXAMPLE_EVENT)
    @blp.problem(404, "No such event")
    def put(self, data, event_id):
        """Replace an event.

        Fields left out take their defaults (no venue, no participants...).
        The event becomes `reviewed` unless `status` is `rejected`.
        """
        return load_event(write_event(data, get_event(event_id), replace=True))

    @blp.arguments(EventWriteSchema(partial=True), example={"topics": ["diplomacy", "energy"]})
    @blp.response(200, EventSchema, example=EXAMPLE_EVENT)
    @blp.problem(404, "No such event")
    def patch(self, data, event_id):
        """Change some fields of an event.

        A list given (participants, topics, articles) replaces the stored one.
        The event becomes `reviewed` unless `status` is `rejected`.
        """
        return load_event(write_event(data, get_event(event_id), replace=False))

    @blp.response(204)
    @blp.problem(404, "No such event")
    def delete(self, event_id):
        """Delete an event.

        Its participants, topic links and evidence go with it; its sub-events
        stay and lose their parent.
        """
        with database.atomic():
            get_event(event_id).delete_instance()
        return None

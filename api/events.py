"""/v1/events: the event list with its filters, and single events."""

from __future__ import annotations

from flask.views import MethodView

from api import formats, revisions, search
from api.auth import current_author
from api.blueprint import Blueprint
from api.conditional import check_if_match, tag_of
from api.db import database, is_postgres
from api.errors import Problem
from api.event_read import load_event, load_events
from api.event_write import write_event
from api.filters import apply
from api.models import Entity, Event, EventArticle, EventTopic, Participant, Place
from api.pagination import Order, page
from schemas.events import (
    EXAMPLE_EVENT,
    EXAMPLE_EVENT_WRITE,
    EventListFormatArgs,
    EventPageSchema,
    EventSchema,
    EventWriteSchema,
    FormatArgs,
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
    "updated_since": lambda since: Event.updated_at >= since,
}


def event_page(args: dict, base=None):
    """A page of events matching ``args`` (the one event-list machinery)."""
    query = apply(base if base is not None else Event.select(), args, EVENT_FILTERS)
    return page(query, ORDERS[args["sort"]], args, load_events)


def get_event(event_id: int, *, for_update: bool = False) -> Event:
    """The event, or 404; ``for_update`` locks its row to the end of the transaction.

    (SQLite needs no row lock: its write transactions begin IMMEDIATE, one at a time.)
    """
    query = Event.select().where(Event.id == event_id)
    if for_update and is_postgres():
        query = query.for_update()
    event = query.first()
    if event is None:
        raise Problem(404, f"No event with id {event_id}.")
    return event


def with_etag(data: dict, status: int = 200, headers: dict | None = None):
    """An event answer with its ``ETag``: the tag ``If-Match`` is checked against."""
    tag = tag_of(revisions.snapshot_of(data))
    return data, status, {**(headers or {}), "ETag": f'"{tag}"'}


def edit_event(event_id: int, data: dict, *, replace: bool):
    """PUT and PATCH: the change, made only on the version ``If-Match`` names."""
    with database.atomic():
        event = get_event(event_id, for_update=True)
        before = revisions.snapshot(event)
        event = write_event(data, event, replace=replace, before=before)
        # Checked last, so invalid input is told first; a refusal rolls everything back.
        check_if_match(tag_of(before), "event")
    return with_etag(load_event(event))


@blp.route("")
class Events(MethodView):
    @blp.arguments(EventListFormatArgs, location="query")
    @blp.response(200, EventPageSchema)
    @formats.negotiated(blp, many=True)
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
        return with_etag(load_event(event), 201, {"Location": f"/v1/events/{event.id}"})


@blp.route("/<int:event_id>")
class EventItem(MethodView):
    @blp.arguments(FormatArgs, location="query")
    @blp.response(200, EventSchema, example=EXAMPLE_EVENT)
    @blp.problem(404, "No such event")
    @formats.negotiated(blp, many=False)
    def get(self, event_id):
        """Get one event.

        With its participants (entity, role, position), venue, topics, the
        articles reporting it and the evidence: the exact spans of those
        articles each fact came from.
        """
        return with_etag(load_event(get_event(event_id)))

    @blp.if_match
    @blp.arguments(EventWriteSchema, example=EXAMPLE_EVENT_WRITE)
    @blp.response(200, EventSchema, example=EXAMPLE_EVENT)
    @blp.problem(404, "No such event")
    def put(self, data, event_id):
        """Replace an event.

        Fields left out take their defaults (no venue, no participants...).
        The event becomes `reviewed` unless `status` is `rejected`.
        """
        return edit_event(event_id, data, replace=True)

    @blp.if_match
    @blp.arguments(EventWriteSchema(partial=True), example={"topics": ["diplomacy", "energy"]})
    @blp.response(200, EventSchema, example=EXAMPLE_EVENT)
    @blp.problem(404, "No such event")
    def patch(self, data, event_id):
        """Change some fields of an event.

        A list given (participants, topics, articles) replaces the stored one.
        The event becomes `reviewed` unless `status` is `rejected`.
        """
        return edit_event(event_id, data, replace=False)

    @blp.if_match
    @blp.response(204)
    @blp.problem(404, "No such event")
    def delete(self, event_id):
        """Delete an event.

        Its participants, topic links and evidence go with it; its sub-events
        stay and lose their parent.
        """
        with database.atomic():
            event = get_event(event_id, for_update=True)
            before = revisions.snapshot(event)
            check_if_match(tag_of(before), "event")
            revisions.record(event.id, "deleted", current_author(), before, None)
            event.delete_instance()
        return None

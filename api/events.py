"""/v1/events: the event list with its filters, and single events."""

from __future__ import annotations

from types import SimpleNamespace

from flask.views import MethodView

from api.http import formats
from api.http.auth import current_author
from api.http.blueprint import Blueprint
from api.http.conditional import check_if_match, tag_of
from api.http.errors import Problem
from api.http.pagination import envelope
from api.store import revisions
from api.store.dialect import dialect
from api.store.events.query import event_query
from api.store.events.read import event_fragments, load_event, load_events
from api.store.events.write import delete_event, write_event
from api.store.models import Event
from api.store.transaction import writing
from schemas.common import patch_of
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

_event_schema = EventSchema()


def event_page(args: dict, within=None):
    """A page of events matching ``args`` (and ``within``): the one event-list machinery.

    In JSON (``args["format"]``, set by ``formats.negotiated``) the store's documents go
    into the answer as they are; other formats read them as values.
    """
    query, order = event_query(args)
    if within is not None:
        query = query.where(within)
    documents = event_fragments if args.get("format") == "json" else load_events
    return envelope(
        query.objects(SimpleNamespace), order, args, lambda rows: documents([r.id for r in rows])
    )


def get_event(event_id: int, *, for_update: bool = False) -> Event:
    """The event, or 404; ``for_update`` locks its row to the end of the transaction.

    (SQLite needs no row lock: its write transactions begin IMMEDIATE, one at a time.)
    """
    query = Event.select().where(Event.id == event_id)
    if for_update:
        query = dialect().for_update(query)
    event = query.first()
    if event is None:
        raise Problem(404, f"No event with id {event_id}.")
    return event


def with_etag(data: dict, status: int = 200, headers: dict | None = None):
    """An event answer with its ``ETag``: the tag ``If-Match`` is checked against."""
    tag = tag_of(_event_schema.dump(data))  # the store's snapshot of it (api.store.revisions)
    return data, status, {**(headers or {}), "ETag": f'"{tag}"'}


def edit_event(event_id: int, data: dict, *, replace: bool):
    """PUT and PATCH: the change, made only on the version ``If-Match`` names."""
    with writing():
        event = get_event(event_id, for_update=True)
        before = revisions.snapshot(event)
        event = write_event(data, event, author=current_author(), replace=replace, before=before)
        # Checked last, so invalid input is told first; a refusal rolls everything back.
        check_if_match(tag_of(before), "event")
    return with_etag(load_event(event.id))


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
    @blp.problem(
        409,
        "A unique value was taken by a concurrent write",
        detail="The change conflicts with stored data: a unique value is taken or still in use.",
    )
    def post(self, data):
        """Create an event.

        Participants and the venue are given by id or inline; inline ones
        are resolved against stored entities and places by name or alias
        (case-insensitive, ё read as е) before anything new is made. Topics
        are slugs; articles are ids. All of it in one transaction. The event
        is `reviewed` (a person wrote it).
        """
        event = write_event(data, author=current_author())
        return with_etag(load_event(event.id), 201, {"Location": f"/v1/events/{event.id}"})


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
        return with_etag(load_event(event_id))

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
    @blp.arguments(patch_of(EventWriteSchema), example={"topics": ["diplomacy", "energy"]})
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
        with writing():
            event = get_event(event_id, for_update=True)
            check_if_match(tag_of(revisions.snapshot(event)), "event")
            delete_event(event, current_author())
        return None

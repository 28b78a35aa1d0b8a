"""The revisions of an event over HTTP (``GET /v1/events/{id}/revisions``); what a revision
holds and when one is written is the store's (``api.store.revisions``)."""

from __future__ import annotations

from flask.views import MethodView

from api.http.blueprint import Blueprint
from api.http.errors import Problem
from api.http.pagination import page
from api.store.models import Event, EventRevision
from api.store.order import Order
from schemas.common import aware
from schemas.revisions import RevisionListArgs, RevisionPageSchema

blp = Blueprint(
    "revisions",
    __name__,
    url_prefix="/v1/events",
    description="Every change to an event: who, when, what changed, and the event as it then was.",
)

ORDER = Order("number", (EventRevision.number,))


def revision_dict(revision: EventRevision) -> dict:
    return {
        "number": revision.number,
        "event_id": revision.event_id,
        "action": revision.action,
        "author": revision.author,
        "created_at": aware(revision.created_at),
        "changed": revision.changed or [],
        "event": revision.snapshot,
    }


@blp.route("/<int:event_id>/revisions")
class EventRevisions(MethodView):
    @blp.arguments(RevisionListArgs, location="query")
    @blp.response(200, RevisionPageSchema)
    @blp.problem(404, "No such event, and none ever had revisions")
    def get(self, args, event_id):
        """List the revisions of an event, oldest first.

        Each says who made the change (the API key's name, or `annotator`),
        when, which fields it changed, and holds the event as it then was.
        A deleted event keeps its revisions; the last one holds its final state.
        """
        query = EventRevision.select().where(EventRevision.event_id == event_id)
        if (
            not args.get("cursor")
            and not query.exists()
            and Event.get_or_none(Event.id == event_id) is None
        ):
            raise Problem(404, f"No event with id {event_id}.")
        return page(query, ORDER, args, lambda rows: [revision_dict(r) for r in rows])

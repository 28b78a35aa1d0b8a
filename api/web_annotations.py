"""/v1/events/{id}/annotations: an event's evidence as W3C Web Annotations.

(Not ``api/annotations.py``: ``from api import annotations`` would find the
``__future__`` feature of that name in the package first.)

Each evidence span becomes an ``Annotation`` whose target is a ``SpecificResource``
of the article as this API serves it (positions count code points of its stored
text) with a ``TextQuoteSelector`` and a ``TextPositionSelector``. A span of the body is
selected directly; a span of the title through a ``FragmentSelector`` (JSON
Pointer ``/title``) refined by the two. The article's original URL, when
known, is the target's ``scope``.
"""

from __future__ import annotations

import json

from flask import Response, request
from flask.views import MethodView

from api.events import get_event
from api.http.blueprint import Blueprint
from api.store.models import Article, Mention
from schemas.annotations import AnnotationCollectionSchema

blp = Blueprint(
    "annotations",
    __name__,
    url_prefix="/v1/events",
    description="The evidence of events as W3C Web Annotations.",
)

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
CONTEXT_CHARS = 32
MOTIVATIONS = {"participant": "identifying", "venue": "identifying", "topic": "classifying"}


def selectors(text: str, start: int, end: int, part: str) -> list[dict]:
    """The quote and position selectors of ``text[start:end]`` (``part`` of the article)."""
    quote = {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }
    position = {"type": "TextPositionSelector", "start": start, "end": end}
    if part == "body":
        return [quote, position]
    return [
        {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc6901",
            "value": f"/{part}",
            "refinedBy": [quote, position],
        }
    ]


def annotation(mention: Mention, article: Article, base: str) -> dict:
    """One evidence span as a Web Annotation."""
    event_url = f"{base}/v1/events/{mention.event_id}"
    text = article.title if mention.part == "title" else article.body
    # A purpose is the body's role in this annotation, not a fact of the event or entity:
    # each is the `source` of a SpecificResource of its own, which carries the purpose.
    body: list[dict] = [
        {"type": "TextualBody", "purpose": "tagging", "value": mention.field},
        {"type": "SpecificResource", "source": event_url, "purpose": "linking"},
    ]
    if mention.entity_id:
        entity_url = f"{base}/v1/entities/{mention.entity_id}"
        body.append({"type": "SpecificResource", "source": entity_url, "purpose": "identifying"})
    target = {
        "type": "SpecificResource",
        "source": f"{base}/v1/articles/{article.id}",
        "selector": selectors(text, mention.start, mention.end, mention.part),
    }
    if article.url:
        target["scope"] = article.url
    return {
        "id": f"{event_url}/annotations#{mention.id}",
        "type": "Annotation",
        "motivation": MOTIVATIONS.get(mention.field, "describing"),
        "body": body,
        "target": target,
    }


def evidence_collection(event_id: int, base: str) -> dict:
    """The event's evidence as an ``AnnotationCollection`` with its one page embedded."""
    mentions = list(
        Mention.select(Mention, Article)
        .join(Article)
        .where(Mention.event == event_id)
        .order_by(Mention.article, Mention.part, Mention.start, Mention.id)
    )
    url = f"{base}/v1/events/{event_id}/annotations"
    items = [annotation(m, m.article, base) for m in mentions]
    return {
        "@context": ANNO_CONTEXT,
        "id": url,
        "type": "AnnotationCollection",
        "label": f"Evidence of event {event_id}",
        "total": len(items),
        "first": {"id": f"{url}#page", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


@blp.route("/<int:event_id>/annotations")
class EventAnnotations(MethodView):
    @blp.response(200, AnnotationCollectionSchema, content_type=MEDIA_TYPE)
    @blp.problem(404, "No such event")
    def get(self, event_id):
        """Get an event's evidence as Web Annotations.

        Every span of an article that a fact of the event (title, type, date,
        venue, participant, topic) was read from, as a W3C Web Annotation
        with text quote and text position selectors.
        """
        get_event(event_id)
        doc = evidence_collection(event_id, request.host_url.rstrip("/"))
        return Response(json.dumps(doc, ensure_ascii=False), content_type=MEDIA_TYPE)

"""/v1/topics and /v1/sources: the vocabularies."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from api.http.blueprint import Blueprint
from api.http.errors import Problem
from api.http.pagination import page
from api.store.changelog import changed_since
from api.store.filters import apply
from api.store.models import Source, Topic
from api.store.order import Order
from schemas.topics import (
    SourceListArgs,
    SourcePageSchema,
    SourceSchema,
    TopicListArgs,
    TopicPageSchema,
    TopicSchema,
)

blp = Blueprint(
    "topics",
    __name__,
    url_prefix="/v1/topics",
    description="The fixed topic vocabulary, with IPTC Media Topics codes.",
)
sources_blp = Blueprint("sources", __name__, url_prefix="/v1/sources", description="News outlets.")

# The vocabularies change rarely: caches may keep them a few minutes.
CACHE_CONTROL = {"Cache-Control": "public, max-age=300"}
TOPIC_FILTERS = {"updated_since": lambda since: changed_since("topic", Topic.slug, since)}
SOURCE_FILTERS = {"updated_since": lambda since: changed_since("source", Source.id, since)}


def cached(response: Response) -> Response:
    response.headers.update(CACHE_CONTROL)
    return response


def source_dict(source: Source) -> dict:
    return {
        "id": source.id,
        "name": source.name,
        "country": source.country,
        "language": source.language,
        "url": source.url,
    }


def topic_dict(topic: Topic) -> dict:
    return {
        "slug": topic.slug,
        "label": topic.label_en,
        "label_en": topic.label_en,
        "label_ru": topic.label_ru,
        "iptc": topic.iptc,
        "scope": topic.scope,
    }


@blp.route("")
class Topics(MethodView):
    @blp.arguments(TopicListArgs, location="query")
    @blp.response(200, TopicPageSchema)
    def get(self, args):
        """List the topics.

        The fixed vocabulary events are tagged with: slug, English and
        Russian labels, IPTC Media Topics code and scope note.
        """
        order = Order("slug", (Topic.slug,))
        query = apply(Topic.select(), args, TOPIC_FILTERS)
        return cached(page(query, order, args, lambda rows: [topic_dict(t) for t in rows]))


@blp.route("/<slug>")
class TopicItem(MethodView):
    @blp.response(200, TopicSchema)
    @blp.problem(404, "No such topic", detail="No topic 'peace'.")
    def get(self, slug):
        """Get one topic.

        By its slug, the stable identifier used by filters and writes.
        """
        topic = Topic.get_or_none(Topic.slug == slug)
        if topic is None:
            raise Problem(404, f"No topic {slug!r}.")
        return topic_dict(topic), 200, CACHE_CONTROL


@sources_blp.route("")
class Sources(MethodView):
    @sources_blp.arguments(SourceListArgs, location="query")
    @sources_blp.response(200, SourcePageSchema)
    def get(self, args):
        """List the sources.

        The news outlets articles came from; a new source name on an article
        creates one.
        """
        order = Order("id", (Source.id,))
        query = apply(Source.select(), args, SOURCE_FILTERS)
        return cached(page(query, order, args, lambda rows: [source_dict(s) for s in rows]))


@sources_blp.route("/<int:source_id>")
class SourceItem(MethodView):
    @sources_blp.response(200, SourceSchema)
    @sources_blp.problem(404, "No such source")
    def get(self, source_id):
        """Get one source.

        A news outlet by its id, as listed by `GET /v1/sources`.
        """
        source = Source.get_or_none(Source.id == source_id)
        if source is None:
            raise Problem(404, f"No source with id {source_id}.")
        return source_dict(source), 200, CACHE_CONTROL

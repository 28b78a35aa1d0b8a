"""/v1/topics and /v1/sources: the vocabularies."""

from __future__ import annotations

from flask.views import MethodView

from api.blueprint import Blueprint
from api.errors import Problem
from api.models import Source, Topic
from api.pagination import Order, page
from schemas.topics import (
    SourceListArgs,
    SourcePageSchema,
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
        return page(Topic.select(), order, args, lambda rows: [topic_dict(t) for t in rows])


@blp.route("/<slug>")
class TopicItem(MethodView):
    @blp.response(200, TopicSchema)
    @blp.problem(404, "No such topic")
    def get(self, slug):
        """Get one topic.

        By its slug, the stable identifier used by filters and writes.
        """
        topic = Topic.get_or_none(Topic.slug == slug)
        if topic is None:
            raise Problem(404, f"No topic {slug!r}.")
        return topic_dict(topic)


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
        return page(
            Source.select(),
            order,
            args,
            lambda rows: [
                {
                    "id": s.id,
                    "name": s.name,
                    "country": s.country,
                    "language": s.language,
                    "url": s.url,
                }
                for s in rows
            ],
        )

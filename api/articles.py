"""/v1/articles: articles in, and their events out."""

from __future__ import annotations

import peewee as pw
from flask.views import MethodView

from api.events import event_page
from api.http.auth import current_author
from api.http.blueprint import Blueprint
from api.http.errors import Problem
from api.http.pagination import page
from api.store import search
from api.store.annotation import annotate_article
from api.store.articles import create_article, delete_article, update_article
from api.store.events.query import EVENT_FILTERS
from api.store.events.read import load_events
from api.store.filters import apply
from api.store.models import Article, Event, Source
from api.store.order import Order
from schemas.articles import (
    AnnotateArgs,
    ArticleCreatedSchema,
    ArticleListArgs,
    ArticlePageSchema,
    ArticlePatchSchema,
    ArticleSchema,
    ArticleWriteSchema,
)
from schemas.common import aware
from schemas.events import EventListArgs, EventPageSchema

blp = Blueprint(
    "articles",
    __name__,
    url_prefix="/v1/articles",
    description="News articles, stored exactly as they came, and the events they report.",
)

ORDER = Order("-published_at", (Article.published_at, Article.id), descending=True)

ARTICLE_FILTERS = {
    "source": lambda ids: Article.source.in_(ids),
    "language": lambda codes: Article.language.in_(codes),
    "from_": lambda day: Article.published_at >= day,
    "to": lambda day: Article.published_at <= day,
    "q": lambda text: Article.id.in_(search.articles_matching(text)),
    "updated_since": lambda since: Article.updated_at >= since,
}

EXAMPLE_ARTICLE = {
    "title": "В Вене прошла встреча министров иностранных дел стран Центральной Азии "
    "и Северной Европы",
    "body": "CentralAsia (KZ) - Министр иностранных дел Казахстана Ермек Кошербаев принял "
    "участие во встрече глав внешнеполитических ведомств ...",
    "published_at": "2025-12-05",
    "language": "ru",
    "source": "CentralAsia (KZ)",
}


def get_article(article_id: int) -> Article:
    article = (
        Article.select(Article, Source)
        .join(Source, pw.JOIN.LEFT_OUTER)
        .where(Article.id == article_id)
        .first()
    )
    if article is None:
        raise Problem(404, f"No article with id {article_id}.")
    return article


def _with_events(article: Article, events: list[Event]) -> dict:
    return {**article_dict(article), "events": load_events([e.id for e in events])}


def article_dict(article: Article, *, body: bool = True) -> dict:
    out = {
        "id": article.id,
        "title": article.title,
        "language": article.language,
        "published_at": article.published_at,
        "url": article.url,
        "source": article.source.name if article.source_id else None,
        "source_id": article.source_id,
        "content_hash": article.content_hash,
        "created_at": aware(article.created_at),
        "updated_at": aware(article.updated_at),
    }
    if body:
        out["body"] = article.body
    return out


@blp.route("")
class Articles(MethodView):
    @blp.arguments(ArticleListArgs, location="query")
    @blp.response(200, ArticlePageSchema)
    def get(self, args):
        """List articles.

        Newest publication first, without their bodies (get one article for
        its body). Filters: `source`, `language`, `from`/`to` on the
        publication date, `q` words in title or body.
        """
        query = apply(
            Article.select(Article, Source).join(Source, pw.JOIN.LEFT_OUTER), args, ARTICLE_FILTERS
        )
        return page(query, ORDER, args, lambda rows: [article_dict(a, body=False) for a in rows])

    @blp.arguments(AnnotateArgs, location="query")
    @blp.arguments(ArticleWriteSchema, example=EXAMPLE_ARTICLE)
    @blp.response(201, ArticleCreatedSchema)
    @blp.problem(409, "Stored already; `existing` and `Location` name it")
    def post(self, query, data):
        """Store an article, and with annotate=true find its events.

        The same article posted twice (same `url`, or same source, title and
        body) is not stored twice: the answer is 409 with the stored one's
        location. A new `source` name creates the source.
        """
        article = create_article(data)
        events = annotate_article(article) if query["annotate"] else []
        return (
            _with_events(get_article(article.id), events),
            201,
            {"Location": f"/v1/articles/{article.id}"},
        )


@blp.route("/<int:article_id>")
class ArticleItem(MethodView):
    @blp.response(200, ArticleSchema)
    @blp.problem(404, "No such article")
    def get(self, article_id):
        """Get one article.

        The body is exactly as received: evidence offsets of events point
        into it (code points).
        """
        return article_dict(get_article(article_id))

    @blp.arguments(ArticlePatchSchema, example={"url": "https://example.org/news/1"})
    @blp.response(200, ArticleSchema)
    @blp.problem(404, "No such article")
    @blp.problem(409, "The change would duplicate another article")
    def patch(self, data, article_id):
        """Correct an article's metadata.

        Title, publication date, language, source and URL may change; the
        body stays as it came, since evidence points into it.
        """
        update_article(get_article(article_id), data)
        return article_dict(get_article(article_id))

    @blp.response(204)
    @blp.problem(404, "No such article")
    @blp.problem(
        409,
        "Reviewed events rely on the article; `events` lists them",
        detail="Events reviewed by people rely on this article: 1, 2, 3, 4, 5, 6.",
        events=[f"/v1/events/{i}" for i in range(1, 7)],
    )
    def delete(self, article_id):
        """Delete an article.

        The events only it reported go with it, unless a person reviewed or
        rejected one of them: then the answer is 409 and `events` lists them.
        """
        delete_article(get_article(article_id), current_author())
        return None


@blp.route("/<int:article_id>/events")
class ArticleEvents(MethodView):
    @blp.arguments(EventListArgs, location="query")
    @blp.response(200, EventPageSchema)
    @blp.problem(404, "No such article")
    def get(self, args, article_id):
        """List the events an article reports.

        Takes every filter of the event list, and pages the same way.
        """
        get_article(article_id)
        return event_page(args, within=EVENT_FILTERS["article"]([article_id]))


@blp.route("/<int:article_id>/annotate")
class ArticleAnnotation(MethodView):
    @blp.response(200, ArticleCreatedSchema)
    @blp.problem(404, "No such article")
    def post(self, article_id):
        """Run the annotator again on a stored article.

        Replaces the article's `auto` events; events a person reviewed or
        rejected are never touched.
        """
        article = get_article(article_id)
        return _with_events(article, annotate_article(article))

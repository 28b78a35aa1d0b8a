"""/v1/articles: articles in, and their events out."""

from __future__ import annotations

import peewee as pw
from flask.views import MethodView

from api.events import event_page
from api.http.auth import current_author
from api.http.blueprint import Blueprint
from api.http.errors import Problem
from api.http.pagination import page
from api.http.responses import json_response
from api.jobs import (
    ACCEPTED,
    accepted,
    annotation_job,
    check_annotatable,
    preferred_wait,
    wait_for,
)
from api.store import search
from api.store.articles import create_article, delete_article, update_article
from api.store.events.query import EVENT_FILTERS
from api.store.events.read import load_events
from api.store.filters import apply
from api.store.jobs import queue_annotation
from api.store.models import Article, Source
from api.store.order import Order
from api.store.transaction import writing
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


def _with_events(article: Article, event_ids: list[int]) -> dict:
    return {**article_dict(article), "events": load_events(event_ids)}


def _annotated(article_id: int, status: int):
    """The answer to a request that queued the article's annotation: the article with its
    events if the job is done within the client's preferred wait, else the job (202)."""
    article = get_article(article_id)
    job = annotation_job(article)
    wait = preferred_wait(article)
    if wait is None:
        return accepted(job)
    job = wait_for(job, wait)
    if job.state != "done":
        return accepted(job)
    body = ArticleCreatedSchema().dump(_with_events(article, job.events))
    headers = {"Location": f"/v1/articles/{article_id}", "Vary": "Prefer"}
    return json_response(body, status, {**headers, "Content-Location": f"/v1/jobs/{job.id}"})


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
    @blp.alt_response(202, **ACCEPTED)
    @blp.waits
    @blp.problem(409, "Stored already; `existing` and `Location` name it")
    @blp.problem(503, "The annotation queue cannot be reached; the job waits (`job`)")
    def post(self, query, data):
        """Store an article, and with annotate=true queue its annotation.

        The same article posted twice (same `url`, or same source, title and
        body) is not stored twice: the answer is 409 with the stored one's
        location. A new `source` name creates the source.

        With `annotate=true` the article is stored and its annotation queued in
        one transaction; the answer is 202 with the job (`Location: /v1/jobs/{id}`),
        or, with `Prefer: wait=N` and the job done within N seconds, 201 with the
        article and its events. An article longer than the annotator takes is a 422.
        """
        if query["annotate"]:
            check_annotatable(data["title"], data["body"])
        with writing():
            article = create_article(data)
            if query["annotate"]:
                queue_annotation(article)
        if query["annotate"]:
            return _annotated(article.id, 201)
        return (
            _with_events(get_article(article.id), []),
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
    @blp.alt_response(202, **ACCEPTED)
    @blp.waits
    @blp.problem(404, "No such article")
    @blp.problem(503, "The annotation queue cannot be reached; the job waits (`job`)")
    def post(self, article_id):
        """Run the annotator again on a stored article.

        Queues the job (202, `Location: /v1/jobs/{id}`); while one is queued or
        running for the article, that job is the answer. With `Prefer: wait=N`
        and the job done within N seconds, 200 with the article and its events.
        The job replaces the article's `auto` events; events a person reviewed or
        rejected are never touched. An article longer than the annotator takes is a 422.
        """
        article = get_article(article_id)
        check_annotatable(article.title, article.body)
        return _annotated(article.id, 200)

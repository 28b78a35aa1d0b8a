"""Storing articles as they came: sources, duplicates, and what deleting one means."""

from __future__ import annotations

import hashlib
import re

import pycountry

from api.store.errors import Conflict
from api.store.events.write import EventWriter
from api.store.models import Article, Event, EventArticle, Source, utcnow
from api.store.resolve import lock_names
from api.store.transaction import writing

_SOURCE_COUNTRY = re.compile(r"\(([A-Z]{2})\)\s*$")


def content_hash(source: str | None, title: str, body: str) -> str:
    """SHA-256 over source name, title and body: the same article posted twice."""
    digest = hashlib.sha256()
    for part in (source or "", title, body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def source_named(name: str | None, language: str | None = None) -> Source | None:
    """The source called ``name``, made on first sight (country read from a ``(KZ)`` suffix)."""
    if not name:
        return None
    source = Source.get_or_none(Source.name == name)
    if source is None and lock_names():  # a concurrent writer may be making it (api.store.resolve)
        source = Source.get_or_none(Source.name == name)
    if source is None:
        match = _SOURCE_COUNTRY.search(name)
        country = match.group(1) if match else None
        if country and pycountry.countries.get(alpha_2=country) is None:
            country = None
        source = Source.create(name=name, country=country, language=language)
    return source


def find_duplicate(data: dict, other_than: int | None = None) -> Article | None:
    """A stored article (but ``other_than``) with the same URL, or source, title and body."""
    digest = content_hash(data.get("source"), data["title"], data["body"])
    condition = Article.content_hash == digest
    if data.get("url"):
        condition |= Article.url == data["url"]
    if other_than is not None:
        condition = condition & (Article.id != other_than)
    return Article.select().where(condition).first()


def duplicate_of(article: Article) -> Conflict:
    return Conflict(
        f"This article is stored already as article {article.id}.",
        existing=f"/v1/articles/{article.id}",
    )


def create_article(data: dict) -> Article:
    """Store a new article exactly as given; 409 naming the stored copy if it is one."""
    with writing():
        existing = find_duplicate(data)
        if existing is not None:
            raise duplicate_of(existing)
        source = source_named(data.get("source"), data.get("language"))
        return Article.create(
            source=source,
            title=data["title"],
            body=data["body"],
            language=data.get("language"),
            published_at=data["published_at"],
            url=data.get("url"),
            content_hash=content_hash(data.get("source"), data["title"], data["body"]),
        )


def update_article(article: Article, data: dict) -> Article:
    """Correct an article's metadata (never its body); a correction to what is stored
    already writes nothing."""
    with writing():
        before = article.stored_values()
        if "source" in data:
            article.source = source_named(data.pop("source"), article.language)
        for key, value in data.items():
            setattr(article, key, value)
        if article.stored_values() == before:
            return article
        source_name = article.source.name if article.source_id else None
        article.content_hash = content_hash(source_name, article.title, article.body)
        other = find_duplicate(
            {
                "source": source_name,
                "title": article.title,
                "body": article.body,
                "url": article.url,
            },
            other_than=article.id,
        )
        if other is not None:
            raise duplicate_of(other)
        article.touch()
        article.save()
    return article


def delete_article(article: Article, author: str) -> None:
    """Delete an article and the unreviewed events only it reported.

    Refused (409, naming them) while events a person reviewed or rejected rely
    on it: a person's work is never lost to a delete. The events deleted and
    those that lose the article are kept as revisions by ``author``.
    """
    with EventWriter(author) as writer:
        linked = (
            Event.select(Event.id, Event.status)
            .join(EventArticle)
            .where(EventArticle.article == article)
        )
        reviewed = sorted(e.id for e in linked if e.status != "auto")
        if reviewed:
            raise Conflict(
                f"Events reviewed by people rely on this article: {', '.join(map(str, reviewed))}.",
                related={"events": [f"/v1/events/{i}" for i in reviewed]},
            )
        orphans = [
            e.id
            for e in linked
            if not EventArticle.select()
            .where((EventArticle.event == e.id) & (EventArticle.article != article))
            .exists()
        ]
        writer.delete(e for e in linked if e.id in orphans)
        kept = [e.id for e in linked if e.id not in orphans]
        if kept:
            writer.changing(e for e in linked if e.id in kept)
            # They lose this article: touched, so `updated_since` and the change feed see it.
            Event.update(updated_at=utcnow()).where(Event.id.in_(kept)).execute()
        article.delete_instance()

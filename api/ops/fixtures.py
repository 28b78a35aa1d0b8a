"""Loading ``fixtures/``: the topic vocabulary and the seed article with its events."""

from __future__ import annotations

import json
from importlib import resources

from annotator.feed import parse_feed_text
from annotator.vocabulary import ENTITY_KINDS
from api.store import revisions
from api.store.articles import create_article, find_duplicate
from api.store.events.write import write_event
from api.store.models import Article, Mention, Topic
from api.store.resolve import find_entity
from api.store.transaction import writing


def fixture_text(name: str) -> str:
    return resources.files("fixtures").joinpath(name).read_text(encoding="utf-8")


def load_topics() -> int:
    """Create or refresh the topic vocabulary; returns how many topics changed."""
    changed = 0
    with writing():
        for item in json.loads(fixture_text("topics.json")):
            row = {
                "label_en": item["label_en"],
                "label_ru": item["label_ru"],
                "iptc": item["iptc"],
                "scope": item.get("scope", ""),
            }
            topic = Topic.get_or_none(Topic.slug == item["slug"])
            if topic is None:
                Topic.create(slug=item["slug"], **row)
                changed += 1
            elif any(getattr(topic, k) != v for k, v in row.items()):
                Topic.update(**row).where(Topic.slug == item["slug"]).execute()
                changed += 1
    return changed


def _span(article: Article, exact: str, occurrence: int = 1) -> tuple[str, int]:
    """Where the ``occurrence``-th ``exact`` stands: in the body, else in the title."""
    for part, text in (("body", article.body), ("title", article.title)):
        start = -1
        for _ in range(occurrence):
            start = text.find(exact, start + 1)
            if start < 0:
                break
        if start >= 0:
            return part, start
    raise ValueError(f"fixture evidence {exact!r} is not in article {article.id}")


def _load_article(spec: dict) -> int:
    """Store one fixture article and its events unless stored; returns events made."""
    feed = parse_feed_text(fixture_text(spec["file"]))
    data = {
        "title": feed["title"],
        "body": feed["body"],
        "published_at": feed["published_at"],
        "language": spec.get("language"),
        "source": feed["source"],
        "url": spec.get("url"),
    }
    if find_duplicate(data) is not None:
        return 0
    with writing():
        article = create_article(data)
        keyed = {}
        for item in spec["events"]:
            fields = {k: v for k, v in item.items() if k not in ("key", "parent", "evidence")}
            parent = keyed[item["parent"]].id if item.get("parent") else None
            event = write_event(
                {**fields, "parent_id": parent, "articles": [article.id]}, author=revisions.SYSTEM
            )
            keyed[item["key"]] = event
            for evidence in item.get("evidence", []):
                part, start = _span(article, evidence["exact"], evidence.get("occurrence", 1))
                entity = None
                if evidence.get("entity"):
                    entity = next(
                        e for e in (find_entity(evidence["entity"], k) for k in ENTITY_KINDS) if e
                    )
                Mention.create(
                    article=article,
                    event=event,
                    entity=entity,
                    field=evidence["field"],
                    part=part,
                    start=start,
                    end=start + len(evidence["exact"]),
                    exact=evidence["exact"],
                )
    return len(keyed)


def load_fixtures() -> dict[str, int]:
    """Load the vocabulary and the seed; a second run changes nothing."""
    topics = load_topics()
    spec = json.loads(fixture_text("seed-events.json"))
    events = sum(_load_article(article) for article in spec["articles"])
    return {"topics": topics, "events": events}

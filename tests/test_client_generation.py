"""A Python client generated from openapi.yaml works against a running server.

openapi-python-client generates the client from the server's `/openapi.yaml`
(the committed openapi.yaml is that document: test_openapi.py pins it) and
formats it with ruff, found on PATH; the client is imported from a temporary
directory and used against gunicorn: post an article to be annotated, then
find its events by participant and topic.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from served import BIN, live_server

ARTICLE = {
    "title": "Токаев встретился с Мирзиёевым",
    "body": "Астана, 12 марта. Президент Казахстана Касым-Жомарт Токаев провёл переговоры "
    "с Президентом Узбекистана Шавкатом Мирзиёевым в Акорде. Стороны обсудили вопросы "
    "торгово-экономического сотрудничества и энергетики.",
    "published_at": "2026-03-12",
    "language": "ru",
    "source": "Kazinform (KZ)",
}


@pytest.fixture
def server(database_url, tmp_path):
    with live_server(database_url, tmp_path / "gunicorn.log") as (base, key):
        yield base, key


@pytest.fixture
def generated_client(tmp_path, server):
    """The client package generated from the server's openapi.yaml, importable."""
    # The generator formats its output with ruff: the venv's, on PATH.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--url",
            f"{server[0]}/openapi.yaml",
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "annals_client"),
        ],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("annals_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.split(".")[0] == "annals_client"]:
            del sys.modules[name]


def test_generated_client_posts_an_article_and_queries_its_events(generated_client, server):
    from annals_client.api.articles import post_article_annotation, post_articles
    from annals_client.api.events import get_event_item, get_events
    from annals_client.models import ArticleWrite, EventPage, GetEventsTopicItem, Job

    base, key = server
    with (
        generated_client.AuthenticatedClient(base_url=base, token=key) as client,
        generated_client.Client(base_url=base) as anonymous,
    ):
        seed = get_events.sync(client=client)
        assert isinstance(seed, EventPage) and len(seed.data) == 6

        created = post_articles.sync_detailed(
            client=client, body=ArticleWrite.from_dict(ARTICLE), annotate=True, prefer="wait=10"
        )
        assert created.status_code == 201, created.content
        article = created.parsed
        assert article.events, "the annotator found no event"
        event = article.events[0]
        people = {p.entity.name: p.entity.id for p in event.participants}
        assert "Касым-Жомарт Токаев" in people
        topics = [t.slug for t in event.topics]
        assert topics

        found = get_events.sync(
            client=client,
            participant=[people["Касым-Жомарт Токаев"]],
            topic=[GetEventsTopicItem(topics[0])],
        )
        assert [e.id for e in found.data] == [event.id]
        assert found.data[0].venue.name == event.venue.name
        none = get_events.sync(
            client=client,
            participant=[people["Касым-Жомарт Токаев"]],
            topic=[GetEventsTopicItem("security")],
        )
        assert none.data == [] or "security" in topics

        again = get_event_item.sync(client=client, event_id=event.id)
        assert again.title == event.title

        refused = post_articles.sync_detailed(
            client=anonymous, body=ArticleWrite.from_dict({**ARTICLE, "title": "x"})
        )
        assert refused.status_code == 401

        job = post_article_annotation.sync_detailed(client=client, article_id=article.id)
        assert job.status_code == 202, job.content  # the job, without Prefer
        assert isinstance(job.parsed, Job) and job.parsed.article_id == article.id

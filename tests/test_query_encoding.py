"""A URL with raw UTF-8 in its query is a 400 problem document on every server, never an
empty success; the percent-encoded form a person is told to use works.

Sent by curl exactly as a reader pastes ``curl 'http://.../v1/events?q=Телалиан'``, to the
development server of ``make run`` and to gunicorn of ``make serve``.
"""

from __future__ import annotations

import json
import os
import subprocess
from contextlib import contextmanager

import pytest
from served import BIN, ROOT, free_port, gunicorn, kill_group, prepare_database, wait_healthy


@contextmanager
def development_server(url: str, log):
    """``flask run`` (as ``make run`` serves) on a free port."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "RATELIMIT_ENABLED": "false"}
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [str(BIN / "flask"), "--app", "api", "run", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_healthy(port, process)
        yield port
    finally:
        kill_group(process)


@pytest.fixture(params=["make run", "make serve"])
def server(request, database_url, tmp_path):
    prepare_database(database_url, fixtures=True)
    if request.param == "make run":
        with development_server(database_url, tmp_path / "flask.log") as port:
            yield port
    else:
        with gunicorn(database_url, tmp_path / "gunicorn.log", workers=1) as (port, _):
            yield port


def curl(*args: str) -> tuple[int, str, object]:
    """curl's status, content type and parsed JSON body for ``args``."""
    out = subprocess.run(
        ["curl", "-s", "-w", "\n%{http_code} %{content_type}", *args],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    body, _, status_line = out.rpartition("\n")
    status, _, content_type = status_line.partition(" ")
    return int(status), content_type, json.loads(body) if body else None


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/v1/events?q=Телалиан", "q"),
        ("/v1/entities?q=кошер", "q"),
        ("/v1/events?limit=5&q=Вена", "q"),
    ],
)
def test_raw_utf8_in_a_query_is_a_problem_naming_the_parameter(server, path, field):
    status, content_type, body = curl(f"http://127.0.0.1:{server}{path}")
    assert status == 400
    assert content_type == "application/problem+json"
    assert list(body["errors"]) == [field]
    assert "--data-urlencode" in body["errors"][field][0]


def test_the_encoded_form_finds_what_the_raw_one_meant(server):
    base = f"http://127.0.0.1:{server}"
    status, _, events = curl("-G", "--data-urlencode", "q=Телалиан", f"{base}/v1/events")
    assert status == 200
    # Every event of the seed article, which names her; hers among them.
    names = [[p["entity"]["name"] for p in e["participants"]] for e in events["data"]]
    assert len(names) == 6 and ["Мария Телалиан" in n for n in names].count(True) == 1
    status, _, entities = curl("-G", "--data-urlencode", "q=кошер", f"{base}/v1/entities")
    assert status == 200
    assert [e["name"] for e in entities["data"]] == ["Ермек Кошербаев"]


@pytest.mark.parametrize("query", ["q=%FF", "q=%D0", "topic=energy&q=%C3%28"])
def test_percent_encoded_bytes_that_are_not_utf8_are_a_problem(client, query):
    response = client.get(f"/v1/events?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == ["q"]

"""Conditional requests: ETag and 304 on reads; If-Match required to change an event."""

from __future__ import annotations

import pytest

EVENT = {"title": "Talks", "type": "visit", "start_date": "2025-12-05"}


@pytest.fixture
def event(client):
    response = client.post("/v1/events", json=EVENT)
    assert response.status_code == 201
    return response


def test_get_has_a_strong_etag_and_304_while_it_holds(client, event):
    url = event.headers["Location"]
    first = client.get(url)
    tag = first.headers["ETag"]
    assert tag.startswith('"') and not tag.startswith("W/")
    assert tag == event.headers["ETag"]
    unchanged = client.get(url, headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize("url", ["/v1/events", "/v1/topics", "/v1/topics/economy", "/v1/sources"])
def test_lists_and_other_reads_are_tagged_too(client, event, url):
    tag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304


def test_a_list_tag_changes_with_its_content(client, event):
    tag = client.get("/v1/events").headers["ETag"]
    client.post("/v1/events", json={**EVENT, "title": "More talks"})
    assert client.get("/v1/events", headers={"If-None-Match": tag}).status_code == 200


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_edits_without_if_match_are_428(client, event, method):
    url = event.headers["Location"]
    response = client.open(url, method=method, json=None if method == "DELETE" else EVENT)
    assert response.status_code == 428
    assert response.mimetype == "application/problem+json"
    assert "If-Match" in response.json["detail"]
    assert client.get(url).json["title"] == "Talks"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_edits_on_a_stale_tag_are_412_and_change_nothing(client, event, method):
    url = event.headers["Location"]
    stale = event.headers["ETag"]
    fresh = client.patch(url, json={"title": "First reviewer"}, headers={"If-Match": stale})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != stale
    body = None if method == "DELETE" else {**EVENT, "title": "Second reviewer"}
    response = client.open(url, method=method, json=body, headers={"If-Match": stale})
    assert response.status_code == 412
    assert response.mimetype == "application/problem+json"
    assert response.headers["ETag"] == fresh.headers["ETag"]
    assert client.get(url).json["title"] == "First reviewer"
    assert len(client.get(f"{url}/revisions").json["data"]) == 2


def test_two_reviewers_cannot_overwrite_each_other(client, event):
    url = event.headers["Location"]
    tag = client.get(url).headers["ETag"]
    one = client.patch(url, json={"topics": ["energy"]}, headers={"If-Match": tag})
    other = client.patch(url, json={"topics": ["water"]}, headers={"If-Match": tag})
    assert (one.status_code, other.status_code) == (200, 412)
    again = client.patch(url, json={"topics": ["water"]}, headers={"If-Match": one.headers["ETag"]})
    assert again.status_code == 200
    assert [t["slug"] for t in again.json["topics"]] == ["water"]


def test_invalid_input_is_told_before_the_missing_tag(client, event):
    url = event.headers["Location"]
    response = client.patch(url, json={"end_date": "2000-01-01"})
    assert response.status_code == 422


def test_if_match_star_and_a_list_of_tags(client, event):
    url = event.headers["Location"]
    tag = event.headers["ETag"]
    listed = client.patch(url, json={"title": "A"}, headers={"If-Match": f'"nope", {tag}'})
    assert listed.status_code == 200
    assert client.patch(url, json={"title": "B"}, headers={"If-Match": "*"}).status_code == 200
    weak = client.patch(
        url, json={"title": "C"}, headers={"If-Match": "W/" + listed.headers["ETag"]}
    )
    assert weak.status_code == 412


@pytest.mark.parametrize("url", ["/v1/events/1", "/v1/events", "/openapi.yaml"])
def test_a_read_if_match_names_no_version_is_a_412_problem_not_the_resource(client, event, url):
    response = client.get(url, headers={"If-Match": '"garbage"', "Accept-Encoding": "gzip"})
    assert response.status_code == 412
    assert response.mimetype == "application/problem+json"
    assert "Content-Encoding" not in response.headers
    assert response.json["status"] == 412 and "If-Match" in response.json["detail"]
    plain = client.get(url)
    assert response.headers["ETag"][:-1].removesuffix("-gzip") == plain.headers["ETag"][:-1]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The current tag (of either coding), or *, is the resource itself.
    tag = plain.headers["ETag"]
    for if_match in (tag, tag[:-1] + '-gzip"', "*"):
        same = client.get(url, headers={"If-Match": if_match})
        assert same.status_code == 200 and same.data == plain.data, if_match


def test_the_document_declares_the_conditions(client):
    spec = client.get("/openapi.json").json
    item = spec["paths"]["/v1/events/{event_id}"]
    for method in ("put", "patch", "delete"):
        names = {p["name"]: p for p in item[method]["parameters"]}
        assert names["If-Match"]["required"] is True
        assert {"412", "428"} <= set(item[method]["responses"])
    assert "304" in item["get"]["responses"]
    assert "ETag" in item["get"]["responses"]["200"]["headers"]

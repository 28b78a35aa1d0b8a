"""HTTP conventions: gzip for large answers, Link headers, Cache-Control on vocabularies."""

from __future__ import annotations

import gzip


def test_large_answers_are_gzipped_when_asked(seeded, client):
    plain = client.get("/v1/events")
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    zipped = client.get("/v1/events", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data)
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'  # its own
    refused = client.get("/v1/events", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
    csv = client.get("/v1/events?format=csv", headers={"Accept-Encoding": "gzip"})
    assert csv.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(csv.data).startswith(b"id,title")


def test_the_docs_page_is_gzipped_after_its_headers_are_made(client):
    page = client.get("/docs/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"swagger-ui" in gzip.decompress(page.data)


def test_small_answers_and_errors_stay_plain(client):
    small = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers
    missing = client.get("/v1/events/999", headers={"Accept-Encoding": "gzip"})
    assert missing.status_code == 404 and "Content-Encoding" not in missing.headers


def test_lists_carry_a_link_header(seeded, client):
    for url in ("/v1/events?limit=2", "/v1/topics?limit=2", "/v1/changes?limit=2"):
        response = client.get(url)
        link = response.headers["Link"]
        assert link == f'<{response.json["links"]["next"]}>; rel="next"'


def test_vocabularies_may_be_cached(seeded, client):
    for url in ("/v1/topics", "/v1/topics/diplomacy", "/v1/sources", "/v1/sources/1"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Cache-Control" not in client.get("/v1/events").headers
    assert client.get("/v1/sources/999").status_code == 404


def test_the_openapi_yaml_is_written_once_per_app_and_tagged(app, client, monkeypatch):
    spec = app.extensions["annals"]["api"].spec
    built = []
    to_dict = spec.to_dict

    def counted():
        built.append(1)
        return to_dict()

    monkeypatch.setattr(spec, "to_dict", counted)
    first = client.get("/openapi.yaml")
    second = client.get("/openapi.yaml")
    assert first.status_code == second.status_code == 200
    assert len(built) == 1  # the second answer is the first's text, not written again
    assert second.data == first.data
    assert first.headers["ETag"] and second.headers["ETag"] == first.headers["ETag"]
    again = client.get("/openapi.yaml", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    zipped = client.get("/openapi.yaml", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(zipped.data) == first.data
    assert zipped.headers["ETag"] == first.headers["ETag"][:-1] + '-gzip"'

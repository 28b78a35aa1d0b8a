"""Headers every answer carries: no sniffing, no referrer, no framing, a CSP; CORS on demand."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest


@pytest.mark.parametrize("url", ["/v1/events", "/v1/events/999", "/health", "/openapi.json"])
def test_security_headers_on_every_answer(client, url):
    headers = client.get(url).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_docs_csp_allows_its_own_scripts_only(client):
    response = client.get("/docs/")
    csp = response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline' ;" not in csp
    assert "'unsafe-eval'" not in csp and "frame-ancestors 'none'" in csp


@pytest.fixture
def cors_app(app_with):
    return app_with(CORS_ORIGINS="https://desk.example.org, https://other.example.org")


def test_cors_for_configured_origins_only(cors_app):
    client = cors_app.test_client()
    allowed = client.get("/v1/events", headers={"Origin": "https://desk.example.org"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://desk.example.org"
    assert "ETag" in allowed.headers["Access-Control-Expose-Headers"]
    refused = client.get("/v1/events", headers={"Origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in refused.headers
    preflight = client.options(
        "/v1/events/1",
        headers={
            "Origin": "https://other.example.org",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "Authorization, If-Match, Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://other.example.org"
    assert "if-match" in preflight.headers["Access-Control-Allow-Headers"].lower()


def test_no_cors_headers_without_configured_origins(client):
    response = client.get("/v1/events", headers={"Origin": "https://desk.example.org"})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.fixture
def hosted_app(app_with):
    return app_with(TRUSTED_HOSTS="annals.example.org, .annals.test")


def test_only_trusted_hosts_are_answered_and_written_into_links(hosted_app):
    client = hosted_app.test_client()
    for host in ("annals.example.org", "annals.example.org:8443", "eu.annals.test"):
        answer = client.get("/v1/topics?limit=1", headers={"Host": host})
        assert answer.status_code == 200, host
        assert answer.json["links"]["next"].startswith(f"http://{host}/"), host
    for host in ("evil.example", "annals.example.org.evil.example", "localhost"):
        refused = client.get("/v1/topics?limit=1", headers={"Host": host})
        assert refused.status_code == 400, host
        assert refused.mimetype == "application/problem+json"
        assert list(refused.json["errors"]) == ["Host"]
        assert host not in refused.get_data(as_text=True)


def test_any_host_is_answered_without_the_setting(client):
    assert client.get("/v1/topics", headers={"Host": "anything.example"}).status_code == 200

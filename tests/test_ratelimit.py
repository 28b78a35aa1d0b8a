"""Rate limits: per key, per address without one; draft-standard headers; 429 as a problem.

Each test builds its own app with tiny limits, so no count depends on timing.
"""

from __future__ import annotations

import uuid

import pytest
import redis

from api import create_app
from api.store.db import database

EVENT = {"title": "Talks", "type": "visit", "start_date": "2025-12-05"}


@pytest.fixture
def limited(app, database_url):
    """A factory of apps on the test's store with the given limit settings."""
    default = database.obj
    stores = []

    def make(**settings):
        made = create_app({"DATABASE_URL": database_url, "TESTING": True, **settings})
        stores.append(database.obj)
        return made

    yield make
    for store in stores:
        store.close()
        if hasattr(store, "close_all"):  # a PostgreSQL pool
            store.close_all()
    database.initialize(default)


def assert_429(response):
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 429
    assert int(response.headers["Retry-After"]) >= 1


def test_limit_headers_and_429_with_retry_after(limited):
    client = limited(RATELIMIT_APPLICATION="3 per minute").test_client()
    answers = [client.get("/v1/topics") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    first = answers[0].headers
    assert first["RateLimit-Limit"] == "3"
    assert first["RateLimit-Remaining"] == "2"
    assert 0 <= int(first["RateLimit-Reset"]) <= 60
    assert first["RateLimit-Policy"] == "3;w=60"
    assert "Retry-After" not in first
    assert_429(answers[3])
    assert answers[3].headers["RateLimit-Remaining"] == "0"


def test_each_key_and_each_address_counts_alone(limited):
    app = limited(RATELIMIT_APPLICATION="2 per minute")
    editor = app.test_client()
    anonymous = app.test_client()
    anonymous.environ_base.pop("HTTP_AUTHORIZATION")
    elsewhere = app.test_client()
    elsewhere.environ_base.pop("HTTP_AUTHORIZATION")
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    for client in (editor, anonymous, elsewhere):
        assert [client.get("/v1/topics").status_code for _ in range(3)] == [200, 200, 429]


def test_behind_a_proxy_each_forwarded_client_counts_alone(limited):
    def clients(app):
        for forwarded in ("198.51.100.1", "198.51.100.2"):
            client = app.test_client()
            client.environ_base.pop("HTTP_AUTHORIZATION")
            client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the load balancer
            # A client's own X-Forwarded-For is kept before what the proxy appends.
            client.environ_base["HTTP_X_FORWARDED_FOR"] = f"203.0.113.9, {forwarded}"
            yield client

    def statuses(client):
        return [client.get("/v1/topics").status_code for _ in range(3)]

    behind = limited(RATELIMIT_APPLICATION="2 per minute", PROXY_HOPS=1)
    assert [statuses(c) for c in clients(behind)] == [[200, 200, 429]] * 2
    # Without the setting every client behind the proxy is the proxy: one count.
    direct = limited(RATELIMIT_APPLICATION="2 per minute")
    assert [statuses(c) for c in clients(direct)] == [[200, 200, 429], [429] * 3]


def test_writes_have_their_own_lower_limit(limited):
    client = limited(RATELIMIT_APPLICATION="50 per minute", RATELIMIT_WRITE="2 per minute")
    client = client.test_client()
    assert [client.post("/v1/events", json=EVENT).status_code for _ in range(2)] == [201, 201]
    assert_429(client.post("/v1/events", json=EVENT))
    assert client.get("/v1/events").status_code == 200


def test_service_routes_and_docs_are_not_limited(limited):
    client = limited(RATELIMIT_APPLICATION="1 per minute").test_client()
    assert all(client.get("/health").status_code == 200 for _ in range(3))
    assert all(client.get("/openapi.json").status_code == 200 for _ in range(3))


def test_disabled_limits_send_no_headers(limited):
    client = limited(RATELIMIT_APPLICATION="1 per minute", RATELIMIT_ENABLED=False).test_client()
    answers = [client.get("/v1/topics") for _ in range(3)]
    assert {a.status_code for a in answers} == {200}
    assert "RateLimit-Limit" not in answers[0].headers


def test_headers_can_be_switched_off(limited):
    client = limited(RATELIMIT_APPLICATION="1 per minute", RATELIMIT_HEADERS_ENABLED=False)
    client = client.test_client()
    assert "RateLimit-Limit" not in client.get("/v1/topics").headers
    assert_429(client.get("/v1/topics"))


def test_redis_storage_is_shared_between_apps(limited):
    prefix = f"annals-test-{uuid.uuid4().hex}"
    settings = {
        "RATELIMIT_APPLICATION": "3 per minute",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    first, second = limited(**settings).test_client(), limited(**settings).test_client()
    try:
        # Two apps (as two workers would be) count against one budget in Redis.
        assert [first.get("/v1/topics").status_code for _ in range(2)] == [200, 200]
        assert second.get("/v1/topics").status_code == 200
        assert_429(second.get("/v1/topics"))
        assert_429(first.get("/v1/topics"))
    finally:
        server = redis.Redis.from_url("redis://127.0.0.1:6379")
        for name in server.scan_iter(f"*{prefix}*"):
            server.delete(name)
        server.close()

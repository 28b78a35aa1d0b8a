"""API keys: who may read, write and manage keys; 401 and 403 as problem documents."""

from __future__ import annotations

import pytest

from api.http.auth import find_key, hash_token
from api.store.models import ApiKey

EVENT = {"title": "Talks", "type": "visit", "start_date": "2025-12-05"}
REALM = 'Bearer realm="annals"'


def assert_401(response):
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == REALM
    assert response.json["status"] == 401


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def new_key(admin_client, role: str, name: str | None = None) -> dict:
    response = admin_client.post(
        "/v1/keys", json={"role": role, **({"name": name} if name else {})}
    )
    assert response.status_code == 201, response.json
    return response.json


def test_reads_are_public_and_writes_need_a_key(anon_client):
    assert anon_client.get("/v1/events").status_code == 200
    assert_401(anon_client.post("/v1/events", json=EVENT))
    assert_401(anon_client.post("/v1/articles/1/annotate"))
    assert_401(anon_client.delete("/v1/articles/1"))
    assert_401(anon_client.patch("/v1/entities/1", json={"description": "x"}))
    assert_401(anon_client.get("/v1/keys"))


def test_a_wrong_malformed_or_revoked_key_is_401_even_on_reads(anon_client, admin_client):
    for header in ("Bearer ann_not-a-key", "Bearer nothing", "Basic dXNlcjpwYXNz", "Bearer "):
        assert_401(anon_client.get("/v1/events", headers={"Authorization": header}))
    key = new_key(admin_client, "editor")
    assert anon_client.post("/v1/events", json=EVENT, headers=bearer(key["key"])).status_code == 201
    assert admin_client.delete(f"/v1/keys/{key['id']}").status_code == 204
    assert_401(anon_client.post("/v1/events", json=EVENT, headers=bearer(key["key"])))
    assert_401(anon_client.get("/v1/events", headers=bearer(key["key"])))


def test_roles_reader_editor_admin(anon_client, admin_client):
    reader = new_key(admin_client, "reader")["key"]
    editor = new_key(admin_client, "editor")["key"]
    assert anon_client.get("/v1/events", headers=bearer(reader)).status_code == 200
    refused = anon_client.post("/v1/events", json=EVENT, headers=bearer(reader))
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert "editor" in refused.json["detail"]
    assert anon_client.post("/v1/events", json=EVENT, headers=bearer(editor)).status_code == 201
    assert anon_client.get("/v1/keys", headers=bearer(editor)).status_code == 403
    assert admin_client.post("/v1/events", json=EVENT).status_code == 201


@pytest.fixture
def private(app_with):
    return app_with(PUBLIC_READS=False)


def test_private_reads_need_a_reader_key(private):
    client = private.test_client()
    token = client.environ_base.pop("HTTP_AUTHORIZATION")
    assert_401(client.get("/v1/events"))
    assert_401(client.get("/v1/topics"))
    assert client.get("/health").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/v1/events", headers={"Authorization": token}).status_code == 200
    spec = client.get("/openapi.json").json
    assert spec["paths"]["/v1/events"]["get"]["security"] == [{"bearerAuth": []}]


def test_keys_are_stored_hashed_listed_by_prefix_and_shown_once(admin_client, db):
    created = new_key(admin_client, "editor", "review desk")
    token = created["key"]
    assert token.startswith("ann_") and len(token) > 40
    stored = ApiKey.get_by_id(created["id"])
    assert stored.key_hash == hash_token(token) and token not in stored.key_hash
    assert token.startswith(stored.prefix) and len(stored.prefix) < 16
    listed = admin_client.get("/v1/keys").json["data"]
    mine = next(k for k in listed if k["id"] == created["id"])
    assert mine == {k: v for k, v in created.items() if k != "key"}
    assert all("key" not in k for k in listed)
    assert admin_client.get(f"/v1/keys/{created['id']}").json["name"] == "review desk"
    assert find_key(token).id == created["id"]
    assert find_key(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_key_validation_and_unknown_key(admin_client):
    response = admin_client.post("/v1/keys", json={"role": "root"})
    assert response.status_code == 422 and "role" in response.json["errors"]
    assert admin_client.delete("/v1/keys/999999").status_code == 404


def test_cli_create_list_revoke(runner, anon_client, db):
    created = runner.invoke(args=["create-key", "--role", "editor", "--name", "cli desk"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("ann_")
    assert anon_client.post("/v1/events", json=EVENT, headers=bearer(token)).status_code == 201
    listed = runner.invoke(args=["list-keys"])
    line = next(row for row in listed.output.splitlines() if "cli desk" in row)
    assert token not in listed.output and "live" in line
    key_id = line.split("\t")[0]
    assert runner.invoke(args=["revoke-key", key_id]).exit_code == 0
    assert "revoked" in runner.invoke(args=["list-keys"]).output
    assert_401(anon_client.post("/v1/events", json=EVENT, headers=bearer(token)))
    assert runner.invoke(args=["revoke-key", "999999"]).exit_code != 0
    assert runner.invoke(args=["create-key", "--role", "root"]).exit_code != 0


def test_writes_record_the_key_name_as_author(client, db):
    event = client.post("/v1/events", json=EVENT).json
    revisions = client.get(f"/v1/events/{event['id']}/revisions").json["data"]
    assert revisions[0]["author"] == "test editor"


@pytest.mark.parametrize(
    ("path", "method", "role"),
    [
        ("/v1/events", "get", None),
        ("/v1/events", "post", "editor"),
        ("/v1/events/{event_id}", "delete", "editor"),
        ("/v1/articles/{article_id}/annotate", "post", "editor"),
        ("/v1/jobs/{job_id}", "get", None),
        ("/v1/keys", "get", "admin"),
        ("/v1/keys", "post", "admin"),
    ],
)
def test_the_document_declares_who_may_call_each_operation(client, path, method, role):
    spec = client.get("/openapi.json").json
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    operation = spec["paths"][path][method]
    if role is None:
        assert operation["security"] == []  # anyone: no lock in Swagger UI
        assert "403" not in operation["responses"]
    else:
        assert operation["security"] == [{"bearerAuth": []}]
        assert f"`{role}`" in operation["description"]
        assert {"401", "403"} <= set(operation["responses"])


def test_every_operation_declares_security(client):
    spec = client.get("/openapi.json").json
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert "security" in operation, f"{method.upper()} {path}"
            assert "401" in operation["responses"] and "429" in operation["responses"]


def test_no_key_needed_for_a_preflight(anon_client):
    assert anon_client.options("/v1/events").status_code == 200

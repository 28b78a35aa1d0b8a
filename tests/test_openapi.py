"""The OpenAPI document: committed = live, valid 3.1, complete, and true of real responses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from openapi_schema_validator import OAS31Validator
from openapi_schema_validator import validate as validate_instance
from openapi_spec_validator import validate as validate_spec

COMMITTED = Path(__file__).resolve().parent.parent / "openapi.yaml"
PROBLEM = "application/problem+json"
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def resolve(spec: dict, node):
    """``node`` with every local ``$ref`` replaced by what it points at."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = spec
            assert node["$ref"].startswith("#/"), node["$ref"]
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return resolve(spec, target)
        return {key: resolve(spec, value) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(spec, value) for value in node]
    return node


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_committed_document_is_the_live_one(client, spec):
    assert COMMITTED.exists(), "run `make openapi` and commit openapi.yaml"
    committed = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert committed == spec, "openapi.yaml is stale: run `make openapi`"
    served = client.get("/openapi.yaml")
    assert served.status_code == 200
    assert "yaml" in served.mimetype
    assert yaml.safe_load(served.get_data(as_text=True)) == spec


def test_cli_writes_the_live_document(runner, spec, tmp_path):
    target = tmp_path / "x.yaml"
    result = runner.invoke(args=["openapi", "write", str(target)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == spec
    as_json = tmp_path / "x.json"
    assert runner.invoke(args=["openapi", "write", str(as_json)]).exit_code == 0
    assert yaml.safe_load(as_json.read_text(encoding="utf-8")) == spec


def test_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    validate_spec(spec)
    validate_spec(yaml.safe_load(COMMITTED.read_text(encoding="utf-8")))


def test_every_contract_operation_is_documented(spec):
    documented = {(path, method) for path, method, _ in operations(spec)}
    expected = {
        ("/v1/articles", "get"),
        ("/v1/articles", "post"),
        ("/v1/articles/{article_id}", "get"),
        ("/v1/articles/{article_id}", "patch"),
        ("/v1/articles/{article_id}", "delete"),
        ("/v1/articles/{article_id}/events", "get"),
        ("/v1/articles/{article_id}/annotate", "post"),
        ("/v1/jobs/{job_id}", "get"),
        ("/v1/events", "get"),
        ("/v1/events", "post"),
        ("/v1/events/{event_id}", "get"),
        ("/v1/events/{event_id}", "patch"),
        ("/v1/events/{event_id}", "put"),
        ("/v1/events/{event_id}", "delete"),
        ("/v1/entities", "get"),
        ("/v1/entities", "post"),
        ("/v1/entities/{entity_id}", "get"),
        ("/v1/entities/{entity_id}", "patch"),
        ("/v1/places", "get"),
        ("/v1/places", "post"),
        ("/v1/places/{place_id}", "get"),
        ("/v1/places/{place_id}", "patch"),
        ("/v1/topics", "get"),
        ("/v1/topics/{slug}", "get"),
        ("/v1/sources", "get"),
    }
    assert expected <= documented, expected - documented


def test_every_operation_has_summary_description_success_and_problem_errors(spec):
    missing = []
    for path, method, operation in operations(spec):
        missing += operation_gaps(spec, f"{method.upper()} {path}", operation)
    assert missing == []


def operation_gaps(spec: dict, where: str, operation: dict) -> list[str]:
    """What ``operation`` (``where``) lacks: a summary, a description, a 2xx and a 4xx
    response, problem documents for its errors, and the errors of a body if it takes one."""
    missing = []
    if not operation.get("summary"):
        missing.append(f"{where}: no summary")
    if not operation.get("description"):
        missing.append(f"{where}: no description")
    responses = resolve(spec, operation["responses"])
    if not any(re.fullmatch(r"2\d\d", code) for code in responses):
        missing.append(f"{where}: no 2xx response")
    errors = {
        code: response
        for code, response in responses.items()
        if code == "default" or code.startswith(("4", "5"))
    }
    if not any(code.startswith("4") for code in errors):
        missing.append(f"{where}: no 4xx response")
    for code, response in errors.items():
        missing += problem_gaps(spec, f"{where} {code}", response)
    if "requestBody" in operation:
        missing += body_gaps(where, responses)
    return missing


def body_gaps(where: str, responses: dict) -> list[str]:
    """The refusals of a body an operation taking one must document."""
    return [
        f"{where}: takes a body but documents no {status}"
        for status in ("400", "413", "415", "422")
        if status not in responses
    ]


def problem_gaps(spec: dict, where: str, response: dict) -> list[str]:
    """An error ``response`` that is not a problem document of the Problem schema."""
    content = response.get("content")
    if not content or set(content) != {PROBLEM}:
        return [f"{where}: content {sorted(content or {})}"]
    if content[PROBLEM]["schema"] != resolve(spec, spec["components"]["schemas"]["Problem"]):
        return [f"{where}: not the Problem schema"]
    return []


def test_the_event_example_is_the_seeds_vienna_meeting(seeded, spec):
    client = seeded.test_client()
    real = client.get("/v1/events/2").get_json()
    assert "Вене" in real["articles"][0]["title"] or real["venue"]["name"] == "Vienna"
    example = spec["paths"]["/v1/events/{event_id}"]["get"]["responses"]["200"]
    example = resolve(spec, example)["content"]["application/json"]["example"]
    assert example["venue"]["name"] == "Vienna"
    # The example may abridge the lists, but what it shows must be what the seed holds.
    for key, value in example.items():
        if key in ("created_at", "updated_at"):
            continue
        if isinstance(value, list):
            for item in value:
                assert item in real[key], f"{key}: {item} is not in the seed's {real[key]}"
        else:
            assert value == real[key], f"{key}: example {value!r}, seed {real[key]!r}"
    schema = resolve(spec, spec["components"]["schemas"]["Event"])
    validate_instance(example, schema, cls=OAS31Validator)


def test_docs_page_is_swagger_ui_from_local_assets(client):
    response = client.get("/docs/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "swagger-ui" in html and "/openapi.json" in html
    for url in re.findall(r"https?://[^\s\"'<>]+", html):
        assert url.startswith("http://localhost/"), f"external reference {url}"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/"), asset
        with client.get(asset) as served:  # files are streamed: close them
            assert served.status_code == 200, asset
            assert len(served.data) > 0, asset
            if asset.endswith("swagger-ui-bundle.js"):
                assert "javascript" in served.mimetype
                assert len(served.data) > 100_000
    assert client.get("/docs").status_code in (200, 301, 308)


def response_schema(spec: dict, path: str, method: str, status: int, media: str) -> dict:
    operation = spec["paths"][path][method]
    responses = resolve(spec, operation["responses"])
    response = responses.get(str(status)) or responses.get("default")
    assert response is not None, f"{method.upper()} {path} documents no {status}"
    content = response.get("content") or {}
    assert media in content, f"{method.upper()} {path} {status}: {media} not in {list(content)}"
    return content[media]["schema"]


def conforms(spec: dict, response, path: str, method: str) -> None:
    if response.status_code == 204:
        assert str(response.status_code) in spec["paths"][path][method]["responses"]
        return
    schema = response_schema(spec, path, method, response.status_code, response.mimetype)
    validate_instance(response.get_json(), schema, cls=OAS31Validator)


READS = [
    ("/v1/events", "/v1/events"),
    ("/v1/events?topic=economy&sort=start_date&limit=2", "/v1/events"),
    ("/v1/events/2", "/v1/events/{event_id}"),
    ("/v1/articles", "/v1/articles"),
    ("/v1/articles/1", "/v1/articles/{article_id}"),
    ("/v1/articles/1/events", "/v1/articles/{article_id}/events"),
    ("/v1/entities?limit=3", "/v1/entities"),
    ("/v1/entities/2", "/v1/entities/{entity_id}"),
    ("/v1/places", "/v1/places"),
    ("/v1/places/1", "/v1/places/{place_id}"),
    ("/v1/topics", "/v1/topics"),
    ("/v1/topics/economy", "/v1/topics/{slug}"),
    ("/v1/sources", "/v1/sources"),
]


@pytest.mark.parametrize(("url", "path"), READS, ids=[url for url, _ in READS])
def test_read_responses_conform_to_the_document(seeded, url, path):
    client = seeded.test_client()
    spec = client.get("/openapi.json").get_json()
    response = client.get(url)
    assert response.status_code == 200
    conforms(spec, response, path, "get")


def test_write_responses_conform_to_the_document(seeded):
    client = seeded.test_client()
    spec = client.get("/openapi.json").get_json()
    event = {
        "title": "Встреча в Астане",
        "type": "bilateral-meeting",
        "start_date": "2025-12-06",
        "venue": {"name": "Astana", "country": "KZ", "lat": 51.17, "lon": 71.45},
        "participants": [
            {"entity": 2, "role": "host", "position": "министр"},
            {"entity": {"name": "Annalena Baerbock", "kind": "person", "country": "DE"}},
        ],
        "topics": ["diplomacy"],
        "articles": [1],
        "parent_id": 1,
    }
    created = client.post("/v1/events", json=event)
    assert created.status_code == 201
    conforms(spec, created, "/v1/events", "post")
    event_id = created.get_json()["id"]
    patched = client.patch(
        f"/v1/events/{event_id}",
        json={"topics": ["economy"]},
        headers={"If-Match": created.headers["ETag"]},
    )
    conforms(spec, patched, "/v1/events/{event_id}", "patch")
    replaced = client.put(
        f"/v1/events/{event_id}",
        json={**event, "status": "rejected"},
        headers={"If-Match": patched.headers["ETag"]},
    )
    conforms(spec, replaced, "/v1/events/{event_id}", "put")

    article = {"title": "T", "body": "B", "published_at": "2025-12-06", "source": "Kabar (KG)"}
    stored = client.post("/v1/articles", json=article)
    assert stored.status_code == 201
    conforms(spec, stored, "/v1/articles", "post")
    article_id = stored.get_json()["id"]
    conforms(
        spec,
        client.patch(f"/v1/articles/{article_id}", json={"language": "ru"}),
        "/v1/articles/{article_id}",
        "patch",
    )
    entity = client.post("/v1/entities", json={"name": "UNRCCA", "kind": "organization"})
    conforms(spec, entity, "/v1/entities", "post")
    place = client.post("/v1/places", json={"name": "Bishkek", "country": "KG"})
    conforms(spec, place, "/v1/places", "post")
    deleted = client.delete(
        f"/v1/events/{event_id}", headers={"If-Match": replaced.headers["ETag"]}
    )
    assert deleted.status_code == 204
    conforms(spec, deleted, "/v1/events/{event_id}", "delete")


def _request_schemas(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _request_schemas(sub)


def test_every_body_field_the_server_takes_null_for_admits_null(spec):
    """A field a write may set to `null` (``allow_none``: an event's venue, a participant's
    position) says so in the document, so a client keeping to it knows it may."""
    from api.http.errors import schema_name
    from schemas.common import Strict

    components = spec["components"]["schemas"]
    refused = []
    for cls in _request_schemas(Strict):
        component = components.get(schema_name(cls))
        for name, field in cls().load_fields.items():
            if component is None or not field.allow_none:
                continue
            node = resolve(spec, component["properties"][field.data_key or name])
            if not OAS31Validator(node).is_valid(None):
                refused.append(f"{schema_name(cls)}.{name}")
    assert refused == []


ERRORS = [
    ("GET", "/v1/events/999", "/v1/events/{event_id}", None, 404),
    ("GET", "/v1/events?limit=0", "/v1/events", None, 422),
    ("POST", "/v1/events", "/v1/events", {"title": "x"}, 422),
    ("GET", "/v1/topics/nope", "/v1/topics/{slug}", None, 404),
    ("POST", "/v1/entities", "/v1/entities", {"name": "Казахстан", "kind": "country"}, 409),
    ("DELETE", "/v1/articles/1", "/v1/articles/{article_id}", None, 409),
    (
        "POST",
        "/v1/articles",
        "/v1/articles",
        {"title": "T", "body": "B", "published_at": "2025-01-01", "url": "https://ex.org/a"},
        409,
    ),
]


@pytest.mark.parametrize(
    ("method", "url", "path", "body", "status"),
    ERRORS,
    ids=[f"{status}-{method}-{url}" for method, url, _, _, status in ERRORS],
)
def test_error_responses_conform_to_the_document(seeded, method, url, path, body, status):
    client = seeded.test_client()
    spec = client.get("/openapi.json").get_json()
    if status == 409 and path == "/v1/articles":
        assert client.post(url, json=body).status_code == 201
    response = client.open(url, method=method, json=body)
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    conforms(spec, response, path, method.lower())


# --- The documentation a person explores at /docs ------------------------------------------

MADE_UP = "<made up by Swagger UI>"


def shown_example(spec: dict, schema: dict, depth: int = 0):
    """The example Swagger UI shows for ``schema``: its own, else one built of its parts,
    with ``MADE_UP`` where Swagger UI would invent a value (``"string"``, ``0``...)."""
    assert depth < 30, "the schema nests too deeply to sample"
    if "$ref" in schema and "example" not in schema:
        schema = resolve(spec, schema)
    stated = stated_example(schema)
    if stated is not NOT_STATED:
        return stated
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return shown_example(spec, options[0], depth + 1)
    kind = schema_type(schema)
    if kind == "object" or "properties" in schema:
        return shown_object(spec, schema, depth)
    if kind == "array":
        return [shown_example(spec, schema.get("items", {}), depth + 1)]
    return MADE_UP


NOT_STATED = object()  # a schema without an example of its own (None may be one)


def stated_example(schema: dict):
    """The value ``schema`` gives itself, in the order Swagger UI takes them; else
    ``NOT_STATED``."""
    for key in ("example", "const", "default"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    return NOT_STATED


def schema_type(schema: dict):
    """The ``type`` of ``schema``, the first that is not ``null`` when it lists several."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    return kind


def shown_object(spec: dict, schema: dict, depth: int) -> dict:
    """An object's example: each property's, and one ``additionalProp1`` when it allows
    others (as Swagger UI shows them)."""
    example = {
        name: shown_example(spec, prop, depth + 1)
        for name, prop in (schema.get("properties") or {}).items()
    }
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        example["additionalProp1"] = shown_example(spec, extra, depth + 1)
    return example


def placeholders(example, where: str = "") -> list[str]:
    """Where ``example`` holds a value no one would write: a generated placeholder."""
    found = []
    if isinstance(example, dict):
        for key, value in example.items():
            if key == "additionalProp1":
                found.append(f"{where}.{key}")
            if (key == "id" or key.endswith("_id")) and value == 0:
                found.append(f"{where}.{key} = 0")
            found += placeholders(value, f"{where}.{key}")
    elif isinstance(example, list):
        for i, value in enumerate(example):
            found += placeholders(value, f"{where}[{i}]")
    elif example in (MADE_UP, "string"):
        found.append(f"{where} = {example!r}")
    return found


def media_examples(spec: dict):
    """Every request and response body the document shows, with the example shown for it."""
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        bodies = [("request", operation.get("requestBody") or {})]
        bodies += list(resolve(spec, operation["responses"]).items())
        for code, body in bodies:
            for media_type, media in (body.get("content") or {}).items():
                if "example" in media:
                    example = media["example"]
                elif media.get("examples"):
                    example = next(iter(media["examples"].values()))["value"]
                else:
                    example = shown_example(spec, media["schema"])
                yield f"{where} {code} {media_type}", media["schema"], example


def test_every_body_shows_a_real_example_valid_against_its_schema(spec):
    wrong = []
    for where, schema, example in media_examples(spec):
        wrong += [f"{where}: {p}" for p in placeholders(example)]
        errors = OAS31Validator(resolve(spec, schema)).iter_errors(example)
        wrong += [f"{where}: {e.json_path}: {e.message}" for e in errors]
    assert wrong == []


def test_problem_examples_show_only_their_own_members(spec):
    for where, _, example in media_examples(spec):
        if PROBLEM not in where:
            continue
        code = where.split()[2]
        if code.isdigit():
            assert example["status"] == int(code), where
        if " 409 " not in where:
            assert not {"existing", "events"} & set(example), f"{where}: {example}"


def schema_nodes(node, where: str, described: str = ""):
    """Every schema in ``node`` (not following ``$ref``), with the nearest description."""
    if not isinstance(node, dict):
        return
    described = node.get("description") or described
    yield where, node, described
    for name, prop in (node.get("properties") or {}).items():
        yield from schema_nodes(prop, f"{where}.{name}")
    if isinstance(node.get("items"), dict):
        yield from schema_nodes(node["items"], f"{where}[]", described)
    if isinstance(node.get("additionalProperties"), dict):
        yield from schema_nodes(node["additionalProperties"], f"{where}{{}}", described)
    for key in ("oneOf", "anyOf", "allOf"):
        for i, option in enumerate(node.get(key) or []):
            yield from schema_nodes(option, f"{where}|{i}", described)


def all_schema_nodes(spec: dict):
    for name, schema in spec["components"]["schemas"].items():
        yield from schema_nodes(schema, name)
    for path, method, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            parameter = resolve(spec, parameter)
            where = f"{method.upper()} {path} ?{parameter['name']}"
            yield from schema_nodes(parameter["schema"], where, parameter.get("description", ""))
        for media in ((operation.get("requestBody") or {}).get("content") or {}).values():
            yield from schema_nodes(media["schema"], f"{method.upper()} {path} body")


def test_every_field_and_parameter_has_a_description(spec):
    missing = []
    for name, schema in spec["components"]["schemas"].items():
        for where, node, _ in schema_nodes(schema, name):
            for prop, value in (node.get("properties") or {}).items():
                if not value.get("description"):
                    missing.append(f"{where}.{prop}")
    for path, method, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            parameter = resolve(spec, parameter)
            if not parameter.get("description"):
                missing.append(f"{method.upper()} {path} ?{parameter['name']}")
    assert missing == []


def test_every_enum_value_is_explained(spec):
    """Each value's meaning is in ``x-enumDescriptions`` (for tools) and, for a short enum,
    in the description Swagger UI shows; country codes are ISO 3166-1's own."""
    unexplained = []
    for where, node, described in all_schema_nodes(spec):
        if "enum" not in node or "ISO 3166-1" in described:
            continue
        meanings = node.get("x-enumDescriptions") or {}
        if list(meanings) != node["enum"] or not all(meanings.values()):
            unexplained.append(f"{where}: x-enumDescriptions {list(meanings)} for {node['enum']}")
        if len(node["enum"]) <= 12:
            unexplained += [
                f"{where}: `{value}` not in {described!r}"
                for value in node["enum"]
                if f"`{value}`" not in described
            ]
    assert unexplained == []


def test_field_examples_are_valid_and_real(spec):
    wrong = []
    for where, node, _ in all_schema_nodes(spec):
        if "example" not in node:
            continue
        schema = {key: value for key, value in node.items() if key != "example"}
        errors = OAS31Validator(resolve(spec, schema)).iter_errors(node["example"])
        wrong += [f"{where}: {e.message}" for e in errors]
        wrong += [f"{where}: {p}" for p in placeholders(node["example"])]
    assert wrong == []


def test_summaries_are_plain_text_and_public_reads_need_no_key(spec):
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        assert "`" not in operation["summary"], f"{where}: {operation['summary']}"
        if method == "get" and not path.startswith("/v1/keys"):
            security = operation["security"]
            assert security == [] or {} in security, f"{where}: {security}"


def test_the_authorize_dialog_says_how_to_get_a_key(spec):
    text = spec["components"]["securitySchemes"]["bearerAuth"]["description"]
    assert "/v1/keys" in text
    # The operator's command is the aside, not the way a user is sent to get a key.
    assert text.index("/v1/keys") < text.index("create-key")

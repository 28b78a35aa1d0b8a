"""schemathesis against the live OpenAPI document, with an editor key: every check, stateless
(each operation) and stateful (following the document's links). Bounded and derandomised, so
it runs in a few minutes and a failure repeats.

schemathesis' own pytest loader does not run under this pytest, so the tests drive its
strategies and state machine with hypothesis directly.
"""

from __future__ import annotations

import pytest
import schemathesis
from conftest import KEYS
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.config import SchemathesisConfig

from api import create_app
from api.models import Article, Entity, Place

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
# Stateful runs learn values from earlier responses, so a replay may draw differently:
# generate only (no shrinking replays), and report the first failure as found.
STATEFUL = settings(
    FUZZ, max_examples=15, stateful_step_count=6, phases=[Phase.explicit, Phase.generate]
)


def _operations() -> list[str]:
    """The operations of the document, as ``METHOD path`` (read from an app with no store)."""
    spec = create_app({"DATABASE_URL": "sqlite:///:memory:"}).extensions["annals"]["api"].spec
    paths = spec.to_dict()["paths"]
    return [
        f"{method.upper()} {path}"
        for path, item in paths.items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def editor() -> dict:
    # The WSGI transport does not inflate gzip, so ask for none.
    return {"Accept-Encoding": "identity"}


# Preconditions depend on state the fuzzer cannot know: a made-up `If-Match` is rightly a
# 412, and a missing one a 428 (RFC 6585), like the 404 and 409 the checks expect already.
CHECKS = {
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "428"]
        },
        "missing_required_header": {
            "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]
        },
    }
}
OPAQUE = {"cursor", "since"}  # tokens the server hands out; forged ones: test_hostile_input


def _before(earlier, later) -> bool:
    return isinstance(earlier, str) and isinstance(later, str) and later < earlier


def load(app):
    # The editor key as the document's own `bearerAuth`, so the auth checks know to vary it.
    auth = {"openapi": {"bearerAuth": {"bearer": KEYS["editor"]}}}
    config = SchemathesisConfig.from_dict({**CHECKS, "auth": auth})
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=config)

    # Rules between two fields that JSON Schema cannot state are taught to the generator
    # with schemathesis' filter hooks (test_hostile_input checks the server refuses them):
    # `to` not before `from`, `end_date` not before `start_date`, an entity listed once.
    @schema.hook
    def filter_query(ctx, query):
        if not query:
            return True
        return not (OPAQUE & set(query) or _before(query.get("from"), query.get("to")))

    @schema.hook
    def filter_body(ctx, body):
        if not isinstance(body, dict):
            return True
        if _before(body.get("start_date"), body.get("end_date")):
            return False
        refs = [
            repr(p.get("entity")) for p in body.get("participants") or [] if isinstance(p, dict)
        ]
        return len(refs) == len(set(refs))

    # Ids in a body name stored rows (a made-up one is rightly a 422 naming the field): draw
    # them from what the seeded store holds. A parent is left out: any could close a loop.
    with app.app_context():
        stored = {
            "entity": [e.id for e in Entity.select(Entity.id)],
            "place": [p.id for p in Place.select(Place.id)],
            "article": [a.id for a in Article.select(Article.id)],
        }

    def pick(kind, value):
        ids = stored[kind]
        if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            return ids[int(value) % len(ids)] if ids else value
        return value

    @schema.hook
    def map_body(ctx, body):
        if not isinstance(body, dict):
            return body
        if "parent_id" in body:
            body["parent_id"] = None
        if "venue" in body:
            body["venue"] = pick("place", body["venue"])
        if isinstance(body.get("articles"), list):
            body["articles"] = sorted({pick("article", a) for a in body["articles"]})
        participants = body.get("participants")
        if isinstance(participants, list):
            seen, kept = set(), []
            for participant in participants:
                if isinstance(participant, dict):
                    participant["entity"] = pick("entity", participant.get("entity"))
                    key = repr(participant["entity"])
                    if key in seen:
                        continue
                    seen.add(key)
                kept.append(participant)
            body["participants"] = kept
        return body

    return schema


def _cases():
    for operation in _operations():
        yield pytest.param(operation, id=operation)


@pytest.mark.parametrize("operation", list(_cases()))
def test_every_operation_holds_to_the_document(seeded, operation):
    method, path = operation.split(" ", 1)
    found = load(seeded)[path][method]

    @given(case=found.as_strategy())
    @FUZZ
    def check(case):
        case.call_and_validate(headers=editor())

    check()


def test_linked_operations_hold_to_the_document(seeded):
    machine = load(seeded).as_state_machine()

    class Workflow(machine):
        def get_call_kwargs(self, case):
            return {"headers": editor()}

    run_state_machine_as_test(Workflow, settings=STATEFUL)

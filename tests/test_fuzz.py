"""schemathesis against the live OpenAPI document, with an editor key: every check, stateless
(each operation) and stateful (following the document's links). Bounded and derandomised, so
it runs in a few minutes and a failure repeats.

schemathesis' own pytest loader does not run under this pytest, so the stateless test drives
its strategies with hypothesis directly, and the stateful one runs its engine (what
`schemathesis run` does) on the stateful phase alone.
"""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager

import pytest
import schemathesis
from conftest import KEYS
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from werkzeug.serving import make_server

from annotator.vocabulary import MAX_EVENT_DAYS
from api import create_app
from api.store import names
from api.store.models import Article, Entity, EntityName, Place
from schemas.entities import MAX_ALIAS_CHARACTERS
from schemas.events import MAX_INLINE_ALIASES

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
# The stateful phase alone, as schemathesis' engine runs it: bounded, derandomised, no
# shrinking replays (the store has moved on since) and no example database.
LINKED = {
    "generation": {
        "max-examples": 25,
        "deterministic": True,
        "no-shrink": True,
        "database": "none",
    },
    "phases": {
        "examples": {"enabled": False},
        "coverage": {"enabled": False},
        "fuzzing": {"enabled": False},
        "stateful": {"enabled": True, "max-steps": 6},
    },
}


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


def _too_long(start, end) -> bool:
    try:
        return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days > MAX_EVENT_DAYS
    except (TypeError, ValueError):
        return False


def load(app, base_url=None, **extra):
    """The document, over the WSGI transport (or over HTTP at ``base_url``), with the hooks."""
    schema = _document(app, base_url, extra)

    # Rules between two fields that JSON Schema cannot state are taught to the generator
    # with schemathesis' filter hooks (test_hostile_input checks the server refuses them).
    # Registered by name, one closure per schema, as hooks of this schema alone.
    @schema.hook
    def filter_query(ctx, query):
        return _keeps_query(query)

    @schema.hook
    def filter_body(ctx, body):
        return _keeps_body(ctx, body)

    stored = _stored_ids(app)

    @schema.hook
    def map_body(ctx, body):
        return _with_stored_ids(body, stored)

    return schema


def _document(app, base_url, extra: dict):
    """The document read with the checks' settings and ``extra``."""
    # The editor key as the document's own `bearerAuth`, so the auth checks know to vary it.
    auth = {"openapi": {"bearerAuth": {"bearer": KEYS["editor"]}}}
    config = SchemathesisConfig.from_dict({**CHECKS, "auth": auth, **extra})
    if base_url is None:
        return schemathesis.openapi.from_wsgi("/openapi.json", app, config=config)
    return schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)


def _keeps_query(query) -> bool:
    """`to` not before `from`; no opaque token (a made-up one is rightly refused)."""
    if not query:
        return True
    return not (OPAQUE & set(query) or _before(query.get("from"), query.get("to")))


def _keeps_body(ctx, body) -> bool:
    """`end_date` not before `start_date` nor more than MAX_EVENT_DAYS after it, an entity
    listed once. A PATCH moves both dates or neither: one alone is checked against the
    stored other, which the fuzzer cannot know (test_events:
    test_patch_end_before_stored_start_is_422)."""
    if not isinstance(body, dict):
        return True
    start, end = body.get("start_date"), body.get("end_date")
    if _before(start, end) or _too_long(start, end):
        return False
    if _patches_one_date(ctx, body):
        return False
    refs = [repr(p.get("entity")) for p in body.get("participants") or [] if isinstance(p, dict)]
    return len(refs) == len(set(refs)) and _aliases_within_bounds(body)


def _aliases_within_bounds(body: dict) -> bool:
    """At most 5,000 characters of aliases to an entity or place, and at most 100 aliases
    to the entities an event names inline: sums JSON Schema cannot state."""
    inline = [p.get("entity") for p in body.get("participants") or [] if isinstance(p, dict)]
    if sum(len(_aliases(entity)) for entity in inline) > MAX_INLINE_ALIASES:
        return False
    return all(
        sum(len(a) for a in _aliases(thing) if isinstance(a, str)) <= MAX_ALIAS_CHARACTERS
        for thing in (body, body.get("venue"), *inline)
    )


def _aliases(thing) -> list:
    aliases = thing.get("aliases") if isinstance(thing, dict) else None
    return aliases if isinstance(aliases, list) else []


def _patches_one_date(ctx, body: dict) -> bool:
    patch = ctx.operation is not None and ctx.operation.method.lower() == "patch"
    return patch and ("start_date" in body) != ("end_date" in body)


def _stored_ids(app) -> dict[str, list[int]]:
    """The ids of the rows a body may name, by kind: what the seeded store holds."""
    with app.app_context():
        return {
            "entity": [e.id for e in Entity.select(Entity.id)],
            "entity_keys": _entity_keys(),
            "place": [p.id for p in Place.select(Place.id)],
            "article": [a.id for a in Article.select(Article.id)],
        }


def _with_stored_ids(body, stored: dict[str, list[int]]):
    """``body`` with its ids of rows drawn from ``stored`` (a made-up one is rightly a 422
    naming the field). A parent is left out: any could close a loop."""
    if not isinstance(body, dict):
        return body
    if "parent_id" in body:
        body["parent_id"] = None
    if "venue" in body:
        body["venue"] = _pick(stored["place"], body["venue"])
    if isinstance(body.get("articles"), list):
        body["articles"] = sorted({_pick(stored["article"], a) for a in body["articles"]})
    participants = body.get("participants")
    if isinstance(participants, list):
        body["participants"] = _participants_once(
            participants, stored["entity"], stored["entity_keys"]
        )
    return body


def _pick(ids: list[int], value):
    """A whole number as one of ``ids`` (by its remainder); anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        return ids[int(value) % len(ids)] if ids else value
    return value


def _entity_keys() -> list[tuple[int, str, set[str]]]:
    """(id, kind, full name keys) of every stored entity, as the resolver matches them."""
    keys: dict[int, set[str]] = {}
    rows = EntityName.select(EntityName.entity, EntityName.key).where(EntityName.full).tuples()
    for entity_id, key in rows:
        keys.setdefault(entity_id, set()).add(key)
    kinds = dict(Entity.select(Entity.id, Entity.kind).tuples())
    return [(repr(i), kinds[i], k) for i, k in sorted(keys.items())]


def _resolves_to(entity, known: list[tuple[object, str, set[str]]]) -> set:
    """Which of ``known`` (key, kind, full keys) the inline ``entity`` would resolve to, by
    the rule of api.store.resolve: a whole-name key, or a skeleton of the other script."""
    if not isinstance(entity, dict) or not isinstance(entity.get("name"), str):
        return set()
    given = [entity["name"].strip()]
    given += [a for a in entity.get("aliases") or [] if isinstance(a, str) and a.strip()]
    probes = names.stored(names.exact_keys(given) | names.cross_script(names.skeleton_keys(given)))
    return {key for key, kind, full in known if kind == entity.get("kind") and probes & full}


def _participants_once(participants: list, entity_ids: list[int], stored_keys: list) -> list:
    """The participants with stored entities, each entity once (the first kept).

    An inline entity is the same as another when the store would resolve it to
    that one: a stored entity (named by id elsewhere in the body) or an inline
    one given before it (which the write stores first).
    """
    seen: set = set()
    inline: list[tuple[object, str, set[str]]] = []
    kept = []
    for participant in participants:
        if isinstance(participant, dict):
            participant["entity"] = _pick(entity_ids, participant.get("entity"))
            entity = participant["entity"]
            same = {repr(entity)} | _resolves_to(entity, [*stored_keys, *inline])
            if same & seen:
                continue
            seen |= same
            if isinstance(entity, dict) and isinstance(entity.get("name"), str):
                given = [entity["name"].strip(), *(entity.get("aliases") or [])]
                full = names.full_keys([g for g in given if isinstance(g, str) and g.strip()])
                inline.append((repr(entity), entity.get("kind"), full))
        kept.append(participant)
    return kept


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


@contextmanager
def served(app):
    """The app on a local HTTP port, served from a thread of this process."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def parents_left_out(schema):
    """A link may carry a parent in from an earlier answer, merged after `map_body`: left out
    there too, as any could close a loop (a 422, test_events). Only from a valid body (in an
    invalid one it may be what is wrong). schemathesis has `before_call` only as a global
    hook, so it is this schema's and this test's alone."""

    @schemathesis.hook
    def before_call(ctx, case, kwargs):
        body = case.body
        positive = case.meta is None or case.meta.generation.mode.is_positive
        ours = case.operation.schema is schema
        if ours and positive and isinstance(body, dict) and body.get("parent_id") is not None:
            case.body = {**body, "parent_id": None}

    try:
        yield schema
    finally:
        schemathesis.hooks.unregister(before_call)


def test_linked_operations_hold_to_the_document(seeded):
    # Run as `schemathesis run --phases stateful` would: its engine drives the state machine,
    # gives the checks the transport settings the key came with (so `ignored_auth` replays
    # without it), and, the store changing under it, takes a replay that draws differently
    # for the end of a suite rather than an error. Over HTTP: its WSGI transport cannot send
    # the auth checks' replays (schemathesis 4.32 hands them `max_redirects`).
    failures, errors, requests, ran = {}, {}, 0, None
    with served(seeded) as base_url, parents_left_out(load(seeded, base_url, **LINKED)) as schema:
        for event in schemathesis.engine.from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                requests += len(event.recorder.interactions)
                for checks in event.recorder.checks.values():
                    for check in checks:
                        if check.failure_info is not None:
                            failure = check.failure_info.failure
                            report = f"{check.name}: {failure.title}\n{failure.message}"
                            failures[report] = check.failure_info.code_sample
            elif isinstance(event, events.NonFatalError):
                errors[f"{event.label}: {event.info.title}"] = event.info.format()
            elif isinstance(event, events.PhaseFinished) and event.phase.name == "stateful":
                ran = event.status
            elif isinstance(event, events.EngineFinished):
                for failure in event.failures:
                    failures[f"{failure.title}\n{failure.message}"] = ""
    assert not errors, "\n\n".join(f"{title}\n{detail}" for title, detail in errors.items())
    assert not failures, "\n\n".join(f"{what}\n{curl}" for what, curl in failures.items())
    assert ran == Status.SUCCESS and requests > 50, (ran, requests)

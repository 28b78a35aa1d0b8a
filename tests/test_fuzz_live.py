"""schemathesis, unblinded, against the server as deployed: gunicorn with two workers over a
store of its own (a SQLite file, or a PostgreSQL database) holding fixtures/, with an editor
key, over HTTP.

Unlike tests/test_fuzz.py, nothing is taught to the generator: no hooks, no filters; every
check and every phase (examples, coverage, fuzzing, then the stateful one following the
document's links), NUL in strings and any date the document allows (years 1 to 9999). A
run passes with no server error (ST101) and no answer the document does not list. What a
fuzzer cannot help sending wrong (a made-up cursor or `If-Match`, an id that is no row, an
end before a start) is refused with a documented 4xx, which the checks take as an answer.

The figures (operations, requests by phase, answers by status, failures by check) are
printed (``pytest -s``), written to ``fuzz-live.json`` in the test's tmp dir, and are the
failure's message.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import StopReason, events
from served import gunicorn, prepare_database, request
from test_concurrency import server_database  # noqa: F401 (a fixture)

# Bounded so that a run takes about two minutes a store on a loaded 2-core machine; the
# coverage phase (some 8,800 requests) does not depend on it.
LIVE = {
    "workers": 1,  # one request at a time: the same requests, in the same order, every run
    "generation": {
        "max-examples": 50,
        "deterministic": True,
        "no-shrink": True,  # the store has moved on: a shrunk replay would meet another one
        "database": "none",
        "allow-x00": True,
    },
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": True, "max-steps": 6},
    },
    "checks": {
        # A valid request may still be refused, documented: 404 (no such row), 409 (stored
        # already), 412 and 428 (`If-Match` names a version it cannot know, or is missing),
        # 422 (a rule between fields, a cursor that is no position, an id that is no row).
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "428"]
        },
        # A wrong one may also be too long to read: 413 (body) and 414 (URL).
        "negative_data_rejection": {
            "expected-statuses": [
                *("400", "401", "403", "404", "405", "406", "409", "413", "414", "415"),
                *("422", "428", "429", "5xx"),
            ]
        },
        "missing_required_header": {
            "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]
        },
    },
}


VERBS = ("get", "put", "post", "patch", "delete")


@dataclass
class Figures:
    """What a run did, and each distinct failure with the request that repeats it."""

    store: str
    operations: set[str] = field(default_factory=set)
    requests: Counter = field(default_factory=Counter)  # by phase
    answers: Counter = field(default_factory=Counter)  # by status
    failures_by_check: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    stop_reason: str = ""
    by_operation: Counter = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "store": self.store,
            "operations": len(self.operations),
            "requests": sum(self.requests.values()),
            "by_phase": dict(self.requests),
            "answers": dict(sorted(self.answers.items())),
            "failures_by_check": dict(self.failures_by_check),
            "errors": len(self.errors),
            "seconds": self.seconds,
            "stop_reason": self.stop_reason,
        }

    def report(self) -> dict:
        """The summary, the answers of each operation, and each failure and error whole."""
        by_operation = dict(sorted(self.by_operation.items()))
        extra = {"by_operation": by_operation, "failures": self.failures, "errors": self.errors}
        return {**self.summary(), **extra}

    def scenario(self, event: events.ScenarioFinished) -> None:
        recorder = event.recorder
        self.requests[event.phase.name.lower()] += len(recorder.interactions)
        for case_id, interaction in recorder.interactions.items():
            operation = recorder.cases[case_id].value.operation.label
            response = interaction.response
            status = response.status_code if response is not None else "no answer"
            self.operations.add(operation)
            self.answers[str(status)] += 1
            self.by_operation[f"{operation} -> {status}"] += 1
            for check in recorder.checks.get(case_id, []):
                if check.failure_info is not None:
                    self.failure(operation, status, check, response)

    def failure(self, operation: str, status, check, response) -> None:
        """Count a failed check by its name and code; keep the first of each (operation,
        answer, check) with what was asked and answered."""
        failure = check.failure_info.failure
        name = f"{check.name} ({failure.code})"
        self.failures_by_check[name] += 1
        key = f"{operation} -> {status}: {name} {failure.title}"
        if key not in self.failures:
            body = response.text[:500] if response is not None else ""
            self.failures[key] = f"{failure.message}\n{check.failure_info.code_sample}\n{body}"


def fuzz(base_url: str, key: str, store: str) -> Figures:
    """One run of schemathesis' engine (what `schemathesis run` does) against ``base_url``."""
    # The key as the document's own `bearerAuth`, so the auth checks know to vary it.
    auth = {"openapi": {"bearerAuth": {"bearer": key}}}
    config = SchemathesisConfig.from_dict({**LIVE, "auth": auth})
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)
    figures = Figures(store)
    started = time.monotonic()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            figures.scenario(event)
        elif isinstance(event, events.NonFatalError):
            figures.errors[f"{event.label}: {event.info.title}"] = event.info.format()
        elif isinstance(event, events.FatalError):
            figures.errors["fatal"] = repr(event.exception)
        elif isinstance(event, events.EngineFinished):
            figures.stop_reason = str(event.stop_reason)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def test_the_live_server_answers_only_what_its_document_lists(server_database, tmp_path):  # noqa: F811
    key = prepare_database(server_database, fixtures=True)
    with gunicorn(server_database, tmp_path / "gunicorn.log", workers=2) as (port, _):
        paths = request(port, "GET", "/openapi.json")[1]["paths"]
        figures = fuzz(f"http://127.0.0.1:{port}", key, server_database.split(":", 1)[0])
    documented = {f"{m.upper()} {path}" for path, item in paths.items() for m in item if m in VERBS}
    report = tmp_path / "fuzz-live.json"
    report.write_text(json.dumps(figures.report(), indent=2))
    summary = f"live fuzz: {json.dumps(figures.summary())}\n(all of it: {report})"
    print(summary)
    # At most 2,000 characters each here (a fuzzed URL can have 8,000): whole in the report.
    problems = [f"{what}\n{detail[:2000]}" for what, detail in figures.failures.items()]
    problems += [f"{title}\n{detail[:2000]}" for title, detail in figures.errors.items()]
    assert not problems, summary + "\n\n" + "\n\n".join(problems)
    assert figures.stop_reason == StopReason.COMPLETED, summary
    assert figures.operations == documented, summary
    assert figures.requests["stateful_testing"] > 50, summary

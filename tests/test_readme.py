"""README.md is a test: every command block runs, as a reader would paste it, and answers.

The instance is what `make run` leaves: the Makefile's `flask --app api db upgrade` and
`flask --app api load-fixtures` on a new store of the suite's kind (a SQLite file, or the
PostgreSQL database of DATABASE_URL), served by gunicorn (tests/served.py, one worker).

Then every fenced block of README.md runs, top to bottom, as written, with one substitution:
the examples' host:port `127.0.0.1:8000` becomes the test server's (parallel runs cannot all
take port 8000). Nothing else in the text changes.

- `sh` blocks run with `bash -eu -o pipefail`: a command that fails, or a variable the block
  uses without setting it, fails the test.
- `python` blocks run with the venv's Python, twice: the second run posts its article again
  (a 409) and must print the same events.
- `js` blocks are saved as `annals.mjs` and run with `node annals.mjs`, twice: the second run
  meets its article as stored and resumes its mirror from the saved cursor.

Shell state. Each block runs in a shell of its own, as a block pasted into a new terminal, and
sets every variable it uses, with one exception: `ANNALS_KEY`, which the README has a reader
export once and then use in every write. The value a block leaves exported is handed to the
blocks after it (and to the Python and JS programs, which read it from the environment).
All blocks share one working directory, standing for the reader's checkout (`.venv` and
`fixtures` link to this one's), so what one block writes (`annals_client/`, `annals.jsonl`)
serves the later ones. The venv's `bin` comes first on PATH, as in an activated venv.

Checking answers. `curl` on PATH is a small wrapper that runs the real curl with the same
arguments plus `-D` (a copy of the answer's headers) and passes its output on unchanged,
keeping a copy: every call's status and body are then checked by an entry of `ANSWERS`, and
a call no entry describes fails the test, so a new example comes with its check. Commands
of `flask --app api` are checked by their output (`FLASK_OUTPUT`), the Python client and the
JS program by the lines they print.

Exceptions (`EXCEPTED`, matched on a block's whole text, each with its reason) are not run;
a block of another language, or one neither run nor excepted, fails the test, and so does an
exception whose block is no longer in the README.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from served import BIN, ROOT, gunicorn, kill_group, start_worker

README = ROOT / "README.md"
PORT_IN_EXAMPLES = "127.0.0.1:8000"
RUN = {"sh", "python", "js"}

EXCEPTED = {
    "make run    # creates .venv, installs, creates instance/events.db, loads fixtures/, serves "
    "http://127.0.0.1:8000 (docs at /docs) with an annotation worker\n"
    "make test   # creates .venv with the dev extras and runs the whole test suite": (
        "`make run` serves on port 8000 until stopped: this test does its steps itself "
        "(db upgrade, load-fixtures, a worker, serve); `make test` runs this very suite"
    ),
    ".venv/bin/flask --app api worker --concurrency 2   # or: make worker WORKERS=2": (
        "runs until stopped: this test starts a worker itself, as `make run` does"
    ),
    "pip install openapi-python-client ruff": (
        "installs from the network; the venv has both already (the dev extras)"
    ),
    "DATABASE_URL=sqlite:///instance/events.db flask --app api export annals.jsonl": (
        "a step of moving a SQLite store to a PostgreSQL server: the move is tested end to "
        "end by tests/test_transfer.py, and export runs here in the Command line block"
    ),
    "createdb annals\n"
    "export DATABASE_URL=postgresql://annals@db.internal:5432/annals\n"
    "flask --app api db upgrade": (
        "creates a database named `annals` on the reader's PostgreSQL server (db.internal): "
        "on a CI or developer machine it would take a fixed name on a shared server"
    ),
    "flask --app api import annals.jsonl": (
        "the import into that new PostgreSQL database (the step before makes it); import "
        "into an empty store runs here in the Command line block"
    ),
}
# Fenced blocks that are not commands (no language): the architecture sketch.
NOT_COMMANDS = ("load balancer (TLS; health check: GET /health)",)


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language, text) of each fenced block, in order; indented fences (in lists) too."""
    blocks = []
    pattern = re.compile(r"^( *)```(\S*)\n(.*?)^\1```$", re.M | re.S)
    for match in pattern.finditer(text):
        indent = len(match.group(1))
        lines = [line[indent:] for line in match.group(3).splitlines()]
        blocks.append((match.group(2), "\n".join(lines).strip("\n")))
    return blocks


def classify(blocks) -> tuple[list[tuple[str, str]], list[str]]:
    """Blocks to run, and what is wrong with the others (a new block, a stale exception)."""
    run, problems = [], []
    for language, text in blocks:
        if text in EXCEPTED:
            continue
        if not language and any(marker in text for marker in NOT_COMMANDS):
            continue
        if language in RUN:
            run.append((language, text))
        else:
            problems.append(f"a ```{language} block is neither run nor excepted: {text[:80]!r}")
    texts = {text for _, text in blocks}
    problems += [f"excepted block is gone: {text[:60]!r}" for text in EXCEPTED if text not in texts]
    return run, problems


def test_every_block_is_run_or_excepted():
    run, problems = classify(fenced_blocks(README.read_text(encoding="utf-8")))
    assert not problems, problems
    assert {language for language, _ in run} == RUN


# The curl wrapper: the real curl, plus a copy of the headers (-D) and of what it prints.
CURL_WRAPPER = """#!/bin/sh
call="$CURL_LOG/$(date +%s%N)-$$"
printf '%s\\0' "$@" > "$call.args"
"$REAL_CURL" -D "$call.headers" "$@" > "$call.body"
status=$?
cat "$call.body"
exit $status
"""
# Hands the ANNALS_KEY a block leaves exported to the blocks after it.
BASH_ENV = """trap 'printf %s "${ANNALS_KEY-}" > "$KEY_FILE"' EXIT
"""


@dataclass
class Call:
    args: list[str]
    status: int
    headers: dict[str, str]
    body: bytes
    workdir: Path  # where the blocks ran (files written with -o or >)

    @property
    def command(self) -> str:
        return " ".join(self.args)

    def json(self):
        assert self.headers.get("content-type", "").split(";")[0].endswith("json"), self.headers
        return json.loads(self.body)


def read_calls(log: Path, workdir: Path) -> list[Call]:
    calls = []
    for args_file in sorted(log.glob("*.args")):
        stem = args_file.with_suffix("")
        args = args_file.read_bytes().decode().split("\0")[:-1]
        # The last answer's headers (a 100 Continue may come first).
        raw = stem.with_suffix(".headers").read_bytes().decode("latin-1")
        answer = re.split(r"\r\n\r\n(?=HTTP/)", raw.strip())[-1].split("\r\n")
        headers = {}
        for line in answer[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        status = int(answer[0].split()[1])
        calls.append(Call(args, status, headers, stem.with_suffix(".body").read_bytes(), workdir))
    return calls


# What each answer must hold: (pattern on the call's arguments, status, check).
def _events(call: Call) -> list[dict]:
    data = call.json()["data"]
    assert data, call.command
    return data


def _slugs(event: dict) -> set[str]:
    return {t["slug"] for t in event["topics"]}


def _people(event: dict) -> set[str]:
    return {p["entity"]["name"] for p in event["participants"]}


def check_five(call):
    assert len(_events(call)) == 5


def check_filters(call):
    for event in _events(call):
        assert "KZ" in {p["entity"]["country"] for p in event["participants"]}
        assert _slugs(event) & {"human-rights", "media-freedom"}
        assert "2025-12-01" <= event["start_date"] <= "2025-12-31"


def check_search(call):
    assert any("Мария Телалиан" in _people(e) for e in _events(call))


def check_participant(call):
    events = _events(call)
    assert len(events) >= 4
    for event in events:
        assert event["type"] == "bilateral-meeting"
        assert 2 in {p["entity"]["id"] for p in event["participants"]}


def check_event_2(call):
    event = call.json()
    assert event["id"] == 2 and event["participants"] and event["evidence"]
    assert event["venue"]["name"] == "Vienna" and event["articles"]


def check_entity_search(call):
    assert "Ермек Кошербаев" in {e["name"] for e in _events(call)}


def check_entity_2(call):
    entity = call.json()
    assert entity["name"] == "Ермек Кошербаев" and entity["event_count"] >= 5
    assert entity["first_event_date"] == "2025-12-05"


def check_places(call):
    assert "Vienna" in {p["name"] for p in _events(call)}


def check_topics(call):
    assert "diplomacy" in {t["slug"] for t in _events(call)}


def check_event_written(call):
    event = call.json()
    assert event["title"] == "Kosherbayev meets Wang Yi"
    ids = {p["entity"]["name"]: p["entity"]["id"] for p in event["participants"]}
    assert ids["Ермек Кошербаев"] == 2, ids  # resolved to the stored entity
    assert event["venue"]["name"] == "Beijing"


def check_etag(call):
    assert call.headers.get("etag"), call.headers


def check_patched(call):
    event = call.json()
    assert _slugs(event) == {"diplomacy", "trade", "transport"}
    assert event["status"] == "reviewed"


def check_article_stored(call):
    article = call.json()
    assert article["title"] == "Кошербаев провёл переговоры с Ван И" and article["body"]


def annotated(*people):
    def check(call):
        events = call.json()["events"]
        assert events, call.command
        assert set(people) <= set().union(*map(_people, events)), events

    return check


def check_austria_human_rights(call):
    for event in _events(call):
        assert event["venue"]["country"] == "AT" and "human-rights" in _slugs(event)


def check_csv(call):
    assert call.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(call.body.decode("utf-8-sig"))))
    assert len(rows) >= 4, rows
    assert any(row.get("title", "").startswith("Встреча Е. Кошербаева") for row in rows), rows


def check_ics(call):
    from icalendar import Calendar

    assert call.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical((call.workdir / "events.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) >= 5, len(events)
    assert all(str(e["UID"]).startswith("http://127.0.0.1:") for e in events)


def check_jsonld(call):
    document = call.json()
    assert document["@type"] == "Event" and document["@context"] == "https://schema.org"
    assert document["name"].startswith("Встреча министров")


def check_geojson(call):
    document = json.loads((call.workdir / "events.geojson").read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection" and document["features"]
    vienna = [f for f in document["features"] if f["geometry"]]
    assert vienna, document["features"]


def check_by_topic(call):
    buckets = {b["key"]: b["count"] for b in call.json()["buckets"]}
    assert buckets["diplomacy"] >= 5 and len(buckets) <= 10


def check_by_month(call):
    buckets = call.json()["buckets"]
    assert [b["key"] for b in buckets] == [f"2025-{m:02}" for m in range(1, 13)]
    assert buckets[-1]["count"] >= 6


def check_network(call):
    answer = call.json()
    assert answer["entity"]["name"] == "Ермек Кошербаев"
    partners = {p["entity"]["name"] for p in answer["partners"]}
    assert {"Мария Телалиан", "Ян Брату", "Кристоф Камп"} <= partners
    assert {p["entity"]["kind"] for p in answer["partners"]} == {"person"}


def check_annotations(call):
    answer = call.json()
    assert answer["type"] == "AnnotationCollection" and answer["total"] > 0
    assert answer["first"]["items"]


FEED: dict[str, int] = {}  # the last seq of the feed's first page


def check_first_changes(call):
    answer = call.json()
    assert len(answer["data"]) == 20 and answer["meta"]["cursor"]
    FEED["last"] = answer["data"][-1]["seq"]


def check_changes_since(call):
    data = _events(call)  # the page after the first (calls are checked in order)
    assert data[0]["seq"] > FEED["last"], (data[0], FEED)


def check_updated_since(call):
    assert _events(call)


def check_compressed(call):
    assert call.headers.get("content-encoding") == "gzip", call.headers
    assert len(_events(call)) >= 6


ANSWERS = [
    (r"/v1/events\?limit=5$", 200, check_five),
    (r"country=KZ&topic=human-rights&topic=media-freedom", 200, check_filters),
    (r"--data-urlencode q=Телалиан .*/v1/events$", 200, check_search),
    (r"participant=2&type=bilateral-meeting", 200, check_participant),
    (r"-s http://[^ ]+/v1/events/2$", 200, check_event_2),
    (r"--data-urlencode q=кошер .*/v1/entities$", 200, check_entity_search),
    (r"/v1/entities/2$", 200, check_entity_2),
    (r"/v1/places\?country=AT", 200, check_places),
    (r"/v1/topics$", 200, check_topics),
    (r"-X POST http://[^ ]+/v1/events ", 201, check_event_written),
    (r"^-sI http://[^ ]+/v1/events/\d+$", 200, check_etag),
    (r"-X PATCH http://[^ ]+/v1/events/\d+ ", 200, check_patched),
    (r"-X POST http://[^ ]+/v1/articles -H", 201, check_article_stored),
    (r"Japarov receives Kosherbayev", 201, annotated("Sadyr Japarov", "Ермек Кошербаев")),
    (r"/v1/articles/\d+/annotate ", 200, annotated("Sadyr Japarov")),
    (r"venue_country=AT&topic=human-rights&limit=20", 200, check_austria_human_rights),
    (r"Accept: text/csv", 200, check_csv),
    (r"-o events.ics ", 200, check_ics),
    (r"/v1/events/2\?format=jsonld", 200, check_jsonld),
    (r"format=geojson", 200, check_geojson),
    (r"aggregate\?by=topic&country=KZ&top=10", 200, check_by_topic),
    (r"aggregate\?by=month&from=2025-01-01", 200, check_by_month),
    (r"/v1/entities/2/network\?kind=person", 200, check_network),
    (r"/v1/events/2/annotations", 200, check_annotations),
    (r"Kosherbayev and Braathu", 201, annotated("Ян Брату", "Ермек Кошербаев")),
    (r"/v1/changes\?limit=20$", 200, check_first_changes),
    (r"/v1/changes\?since=\S+&limit=20$", 200, check_changes_since),
    (r"updated_since=2025-12-05T00:00:00Z", 200, check_updated_since),
    (r"--compressed", 200, check_compressed),
]

# What `flask --app api COMMAND` shows (in what the block it runs in prints, stderr too).
FLASK_OUTPUT = {
    "create-key": re.compile(r"^ann_\S+$", re.M),
    "list-keys": re.compile(r"^\d+\teditor\tann_\S+…\tlive\tnewsroom$", re.M),
    "revoke-key": re.compile(r"^revoked key \d+ \('newsroom'\)$", re.M),
    "ingest": re.compile(
        r"^stored \d+, skipped \d+ \(already stored\), failed 0, events made \d+$", re.M
    ),
    "evaluate": re.compile(r"^all +121 ", re.M),
    "worker": re.compile(r"Take annotation jobs from the queue", re.M),
    "init-db": re.compile(r"^database ready \(schema version \d+\)$", re.M),
    "db upgrade": re.compile(r"^schema at version \d+", re.M),
    "load-fixtures": re.compile(r"^topics changed: 0, events made: 0$", re.M),
    "export": re.compile(r"^exported: .*event \d+", re.M),
    "import": re.compile(r"^imported: .*event \d+", re.M),
    "seed-synthetic": re.compile(r"^  event +1,000$", re.M),
    "openapi write": re.compile(r"^wrote openapi.yaml$", re.M),
}


def check_flask_output(block: str, output: str) -> None:
    # What runs inside $(...) prints into a variable, not to the reader.
    shown = re.sub(r"\$\([^()]*\)", "", block)
    for command in re.findall(r"flask --app api ([a-z-]+(?: (?:upgrade|write))?)", shown):
        assert command in FLASK_OUTPUT, f"no check for `flask --app api {command}`"
        assert FLASK_OUTPUT[command].search(output), (command, output)


@pytest.fixture
def workdir(tmp_path):
    """The reader's checkout: its venv and fixtures, and room for what the blocks write."""
    work = tmp_path / "checkout"
    work.mkdir()
    (work / ".venv").symlink_to(BIN.parent)
    (work / "fixtures").symlink_to(ROOT / "fixtures")
    return work


def run(argv, work: Path, env: dict, what: str, *, merge: bool = False) -> str:
    """Run to the end and return what it printed (with ``merge``, stderr too)."""
    done = subprocess.run(
        argv,
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge else subprocess.PIPE,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{what} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_readme_examples_run_on_a_fresh_instance(database_url, workdir, tmp_path):
    blocks, problems = classify(fenced_blocks(README.read_text(encoding="utf-8")))
    assert not problems, problems

    harness = tmp_path / "harness"
    (harness / "bin").mkdir(parents=True)
    (harness / "calls").mkdir()
    wrapper = harness / "bin" / "curl"
    wrapper.write_text(CURL_WRAPPER)
    wrapper.chmod(0o755)
    (harness / "bash_env").write_text(BASH_ENV)
    key_file = harness / "annals_key"
    env = {k: v for k, v in os.environ.items() if k != "ANNALS_KEY"}
    env.update(
        DATABASE_URL=database_url,
        PATH=os.pathsep.join([str(harness / "bin"), str(BIN), env.get("PATH", "")]),
        REAL_CURL=shutil.which("curl"),
        CURL_LOG=str(harness / "calls"),
        BASH_ENV=str(harness / "bash_env"),
        KEY_FILE=str(key_file),
    )

    # What `make run` does before it serves.
    flask = [str(BIN / "flask"), "--app", "api"]
    run([*flask, "db", "upgrade"], workdir, env, "db upgrade")
    assert "events made: 6" in run([*flask, "load-fixtures"], workdir, env, "load-fixtures")

    # ... and beside the server, an annotation worker on the embedded queue.
    queue = {"JOB_BROKER_URL": "filesystem://", "JOB_QUEUE_DIR": str(tmp_path / "queue")}
    env.update(queue)
    worker = start_worker(env, tmp_path / "worker.log", cwd=workdir)
    try:
        _run_blocks(blocks, database_url, workdir, env, key_file, tmp_path, queue)
    finally:
        kill_group(worker)
    _check_calls(harness)


def _run_blocks(blocks, database_url, workdir, env, key_file, tmp_path, queue) -> None:
    server = gunicorn(database_url, tmp_path / "gunicorn.log", workers=1, env=queue)
    with server as (port, _process):
        for number, (language, text) in enumerate(blocks, 1):
            text = text.replace(PORT_IN_EXAMPLES, f"127.0.0.1:{port}")
            what = f"README block {number} ({language}): {text.splitlines()[0]!r}"
            if key_file.exists():
                env["ANNALS_KEY"] = key_file.read_text()
            if language == "sh":
                script = workdir / f"block-{number}.sh"
                script.write_text(text + "\n", encoding="utf-8")
                argv = ["bash", "-eu", "-o", "pipefail", script.name]
                output = run(argv, workdir, env, what, merge=True)
                check_flask_output(text, output)
                if "openapi-python-client generate" in text:
                    assert (workdir / "annals_client" / "__init__.py").exists()
            elif language == "python":
                (workdir / "annals_example.py").write_text(text + "\n", encoding="utf-8")
                argv = [str(BIN / "python"), "annals_example.py"]
                first = run(argv, workdir, env, what)
                assert re.search(r"^2026-03-12 \S", first, re.M), first
                assert run(argv, workdir, env, what + ", again") == first
            else:
                (workdir / "annals.mjs").write_text(text + "\n", encoding="utf-8")
                first = run(["node", "annals.mjs"], workdir, env, what)
                check_js_output(first)
                check_js_output(run(["node", "annals.mjs"], workdir, env, what + ", again"))


def _check_calls(harness: Path) -> None:
    workdir = harness.parent / "checkout"
    calls = read_calls(harness / "calls", workdir)
    assert calls
    for call in calls:
        matching = [a for a in ANSWERS if re.search(a[0], call.command)]
        assert len(matching) == 1, f"{len(matching)} entries of ANSWERS for: {call.command}"
        _pattern, status, check = matching[0]
        assert call.status == status, (call.command, call.status, call.body[:500])
        if call.status != 204 and not call.args[0].startswith("-sI"):
            assert call.body or "-o" in call.args, call.command
        check(call)
    unused = [a[0] for a in ANSWERS if not any(re.search(a[0], c.command) for c in calls)]
    assert not unused, f"ANSWERS entries no call met: {unused}"


def check_js_output(output: str) -> None:
    lines = output.splitlines()
    dated = [line for line in lines if re.match(r"\d{4}-\d\d-\d\d ", line)]
    assert len(dated) >= 4 and any("БДИПЧ" in line for line in dated), output
    found = [line for line in lines if line.startswith("[")]
    assert found and "Мирзиёев" in found[0] and "Кошербаев" in found[0], output
    mirror = re.search(r"^mirror: (\d+) items, up to (\S+)$", output, re.M)
    assert mirror and int(mirror.group(1)) > 40, output

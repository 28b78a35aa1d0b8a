"""The read-path benchmark: ``make bench`` or ``.venv/bin/python bench/run.py [options]``.

For each store and scale: make (or reuse) a database filled by
``flask --app api seed-synthetic``, start the app under gunicorn (2 workers)
on 127.0.0.1, pick concrete ids and slugs from the data, measure a worker's
memory after 5k and 10k requests, then load every scenario from this second
process (wrk if installed, else a Python driver of keep-alive connections) and
print requests/s, p50 and p99 and the ratio of requests/s to ``/health``
measured in the same run. A markdown table goes to stdout; the raw figures are
appended to ``bench/out/results.jsonl``.

SQLite databases are cached by name (``bench/out/sqlite-100000.db``);
PostgreSQL ones are databases ``annals_bench_<scale>`` next to
``--postgres-url``, marked complete with a comment and reused.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "wrk_report.lua"
DEFAULT_PG = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


# --- Databases ----------------------------------------------------------------


def seed(url: str, scale: int, seed_value: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "RATELIMIT_ENABLED": "false"}
    cmd = [str(BIN / "flask"), "--app", "api", "seed-synthetic", "--events", str(scale)]
    cmd += ["--seed", str(seed_value)]
    print(f"$ DATABASE_URL={url} {' '.join(cmd)}", flush=True)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)
    print(f"loaded {scale:,} events in {time.perf_counter() - started:.1f}s", flush=True)


def sqlite_database(scale: int, seed_value: int) -> str:
    """The URL of the cached SQLite database of ``scale`` events, made if missing."""
    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "" if seed_value == 42 else f"-s{seed_value}"
    path = OUT / f"sqlite-{scale}{suffix}.db"
    if path.exists() and sqlite_schema(path) < latest_schema():
        print(f"{path.relative_to(ROOT)} has an older schema: loading it again", flush=True)
        for old in OUT.glob(path.name + "*"):
            old.unlink()
    if not path.exists():
        # Made under another name and renamed, so an interrupted load is never reused.
        partial = path.with_suffix(".partial.db")
        for leftover in OUT.glob(partial.name + "*"):
            leftover.unlink()
        seed(f"sqlite:///{partial}", scale, seed_value)
        for extra in ("-wal", "-shm"):
            if Path(f"{partial}{extra}").exists():
                Path(f"{partial}{extra}").rename(f"{path}{extra}")
        partial.rename(path)
    else:
        print(f"reusing {path.relative_to(ROOT)}", flush=True)
    return f"sqlite:///{path}"


def latest_schema() -> int:
    from api.store.migrations import LATEST

    return LATEST


def sqlite_schema(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def postgres_database(base_url: str, scale: int, seed_value: int) -> str:
    """The URL of database ``annals_bench_<scale>`` on the server of ``base_url``, loaded."""
    import psycopg

    name = f"annals_bench_{scale}" + ("" if seed_value == 42 else f"_s{seed_value}")
    parts = urlsplit(base_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    mark = f"annals seed-synthetic events={scale} seed={seed_value} schema={latest_schema()}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row is not None and row[0] == mark:
            print(f"reusing PostgreSQL database {name}", flush=True)
            return url
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    seed(url, scale, seed_value)
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'")
    return url


# --- The app under gunicorn ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen
    log: Path

    def workers(self) -> list[int]:
        """The pids of gunicorn's workers (children of the master)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(database_url: str, label: str, workers: int) -> Server:
    port = free_port()
    log = OUT / f"gunicorn-{label}.log"
    env = {**os.environ, "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "false"}
    # gunicorn reads the project's gunicorn.conf.py from ROOT (gthread workers,
    # keep-alive); the access log is dropped so it costs the same for every scenario.
    cmd = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    cmd += ["--access-logfile", "/dev/null", "api.wsgi:app"]
    print(f"$ DATABASE_URL={database_url} RATELIMIT_ENABLED=false {' '.join(cmd)}", flush=True)
    handle = log.open("w")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", port, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log}")
        try:
            status, _ = get(port, "/health")
            if status == 200 and len(server.workers()) >= workers:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"/health did not answer within 60s; see {log}")


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def get_json(port: int, path: str) -> dict:
    status, body = get(port, path)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
    return json.loads(body)


# --- Scenarios ------------------------------------------------------------------


def pick_targets(database_url: str) -> dict:
    """Concrete, deterministic ids, slugs and dates to query, read from the data."""
    from api.ops.synthetic import COMMON_WORD
    from api.store.db import bind, database

    bind(database_url, pool_size=1)
    try:
        with database.connection_context():

            def one(sql, params=()):
                return database.execute_sql(sql, params).fetchone()

            p = database.param
            total = one("SELECT COUNT(*) FROM event")[0]
            topic = one(
                "SELECT topic_id FROM event_topic GROUP BY topic_id ORDER BY COUNT(*) DESC, "
                "topic_id LIMIT 1"
            )[0]
            counts = database.execute_sql(
                "SELECT e.kind, e.id, e.country, e.name, COUNT(*) AS n FROM participant pa "
                "JOIN entity e ON e.id = pa.entity_id GROUP BY e.kind, e.id, e.country, e.name "
                "ORDER BY n DESC, e.id"
            ).fetchall()
            person = next(r for r in counts if r[0] == "person")
            country = next(r for r in counts if r[0] == "country")
            venue = one(
                "SELECT venue_id FROM event WHERE venue_id IS NOT NULL GROUP BY venue_id "
                "ORDER BY COUNT(*) DESC, venue_id LIMIT 1"
            )[0]
            middle_id, middle_day = one(
                f"SELECT id, start_date FROM event ORDER BY start_date, id "
                f"LIMIT 1 OFFSET {total // 2}"
            )
            person_topic = one(
                f"SELECT topic_id FROM event_topic WHERE event_id IN "
                f"(SELECT event_id FROM participant WHERE entity_id = {p}) "
                f"GROUP BY topic_id ORDER BY COUNT(*) DESC, topic_id LIMIT 1",
                [person[1]],
            )[0]
    finally:
        database.close()
        close_all = getattr(database.obj, "close_all", None)
        if close_all:
            close_all()
    day = middle_day if isinstance(middle_day, dt.date) else dt.date.fromisoformat(middle_day)
    month_start = day.replace(day=1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    surname = person[3].split()[-1].lower()
    return {
        "events": total,
        "topic": topic,
        "person": {"id": person[1], "name": person[3], "events": person[4]},
        "country": {"code": country[2], "name": country[3], "events": country[4]},
        "venue": venue,
        "event_id": middle_id,
        "month": (month_start.isoformat(), month_end.isoformat()),
        "year": (f"{day.year}-01-01", f"{day.year}-12-31"),
        "person_topic": person_topic,
        "word": COMMON_WORD,
        "entity_prefix": surname[:4],
    }


def scenarios(t: dict) -> list[tuple[str, str]]:
    """``(name, path)`` of every scenario, ``/health`` first."""

    def events(**params):
        pairs = [(k.rstrip("_"), v) for k, v in params.items()]
        return "/v1/events" + (f"?{urlencode(pairs)}" if pairs else "")

    month_from, month_to = t["month"]
    year_from, year_to = t["year"]
    return [
        ("health", "/health"),
        ("events newest 50", events()),
        ("topic", events(topic=t["topic"])),
        ("participant", events(participant=t["person"]["id"])),
        ("country", events(country=t["country"]["code"])),
        ("venue", events(venue=t["venue"])),
        ("from/to one month", events(from_=month_from, to=month_to)),
        ("q one word", events(q=t["word"])),
        ("topic + one year", events(topic=t["topic"], from_=year_from, to=year_to)),
        ("participant + topic", events(participant=t["person"]["id"], topic=t["person_topic"])),
        ("common topic + one month", events(topic=t["topic"], from_=month_from, to=month_to)),
        ("page 200 by cursor", "PAGE200"),
        ("event by id", f"/v1/events/{t['event_id']}"),
        ("entities q", "/v1/entities?" + urlencode({"q": t["entity_prefix"]})),
    ]


def page_200(fetch: Callable[[str], dict]) -> tuple[str, int]:
    """The path of the 200th page of ``/v1/events`` (following ``links.next``; ``fetch``
    reads a path's JSON), and its number (fewer when the list is shorter)."""
    path, number = "/v1/events", 1
    while number < 200:
        nxt = fetch(path)["links"]["next"]
        if not nxt:
            break
        parts = urlsplit(nxt)
        path, number = f"{parts.path}?{parts.query}", number + 1
    return path, number


# --- Load drivers ----------------------------------------------------------------


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    extra: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(port: int, path: str, duration: float, connections: int) -> Result:
    threads = max(1, min(2, connections))
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s"]
    cmd += ["--timeout", "10s", "-s", str(LUA), f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=sum(data["errors"].values()),
        extra={"p90_ms": data["p90_us"] / 1000, "max_ms": data["max_us"] / 1000},
    )


def run_python(
    port: int,
    paths: list[str],
    connections: int,
    duration: float | None = None,
    count: int | None = None,
) -> Result:
    """Load from ``connections`` threads, each one keep-alive connection, for ``duration``
    seconds or until ``count`` requests in all; ``paths`` are taken in turn."""
    budget = _Budget(count)
    deadline = time.perf_counter() + (duration or 1e9)
    lanes = [_Lane(port, paths, first=n) for n in range(connections)]
    started = time.perf_counter()
    threads = [threading.Thread(target=lane.run, args=(deadline, budget)) for lane in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    merged = sorted(x for lane in lanes for x in lane.latencies)
    errors = sum(lane.errors for lane in lanes)
    p50, p90, p99 = (_percentile_ms(merged, q) for q in (0.50, 0.9, 0.99))
    return Result(len(merged), seconds, p50, p99, errors, {"p90_ms": p90})


class _Budget:
    """The requests left to send in all, shared by the threads: no limit when ``count`` is
    ``None``."""

    def __init__(self, count: int | None):
        self._issued = iter(range(count)) if count is not None else None
        self._lock = threading.Lock()

    def take(self) -> bool:
        """One request more, if any is left."""
        if self._issued is None:
            return True
        with self._lock:
            return next(self._issued, None) is not None


@dataclass
class _Lane:
    """One thread's keep-alive connection and what it measured. Lanes start at different
    paths (``first``), so that together they load every path from the start."""

    port: int
    paths: list[str]
    first: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def run(self, deadline: float, budget: _Budget) -> None:
        conn = _connect(self.port)
        i = self.first
        while time.perf_counter() < deadline and budget.take():
            path = self.paths[i % len(self.paths)]
            i += 1
            started = time.perf_counter()
            try:
                failed = _get(conn, path)
            except (OSError, http.client.HTTPException):
                # A broken connection: counted, not timed, and replaced.
                self.errors += 1
                conn.close()
                conn = _connect(self.port)
                continue
            if failed:
                self.errors += 1
            self.latencies.append(time.perf_counter() - started)
        conn.close()


def _connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def _get(conn: http.client.HTTPConnection, path: str) -> bool:
    """GET ``path`` on ``conn`` and read the answer; true when it is an error status. A
    connection the server closes is closed here too (``http.client`` opens it again)."""
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    failed = response.status >= 400
    if response.getheader("Connection", "").lower() == "close":
        conn.close()
    return failed


def _percentile_ms(ordered: list[float], q: float) -> float:
    """The ``q`` quantile of ``ordered`` seconds, in milliseconds (0 when there are none)."""
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


# --- Memory ------------------------------------------------------------------------


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory_check(server: Server, paths: list[str], connections: int, step: int) -> dict:
    """Every worker's RSS after ``step`` and after twice ``step`` requests (all scenarios in
    turn; 5k and 10k by default)."""
    report = {"workers": server.workers(), "requests": [step, 2 * step]}
    for label in ("after_5k", "after_10k"):
        started = time.perf_counter()
        run_python(server.port, paths, connections, count=step)
        report[label] = {pid: rss_kb(pid) for pid in report["workers"]}
        print(f"  {label}: {report[label]} ({time.perf_counter() - started:.0f}s)", flush=True)
    return report


# --- Running -----------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    mem_kb = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def bench_one(store: str, scale: int, args, driver: str) -> dict:
    label = f"{store}-{scale}"
    print(f"\n## {label}\n", flush=True)
    if args.database_url:
        url = args.database_url
    elif store == "sqlite":
        url = sqlite_database(scale, args.seed)
    else:
        url = postgres_database(args.postgres_url, scale, args.seed)
    targets = pick_targets(url)
    print(f"targets: {json.dumps(targets, ensure_ascii=False)}", flush=True)
    server = start_server(url, label, args.workers)
    try:
        plan = scenarios(targets)
        cursor_path, page_number = page_200(lambda path: get_json(server.port, path))
        plan = [(n, cursor_path if p == "PAGE200" else p) for n, p in plan]
        targets["page_200"] = {"path": cursor_path, "page": page_number}
        for name, path in plan:  # every scenario answers 200 before it is timed
            status, body = get(server.port, path)
            if status != 200:
                raise RuntimeError(f"{name}: GET {path} answered {status}: {body[:300]!r}")
        memory = None
        if not args.skip_memory:
            print(f"memory check: {2 * args.memory_requests} requests ...", flush=True)
            memory = memory_check(
                server, [p for _, p in plan], args.connections, args.memory_requests
            )
            print(f"memory (VmRSS kB per worker): {memory}", flush=True)
        rows = []
        for name, path in [*plan, ("health (again)", "/health")]:
            if args.warmup > 0:
                measure(driver, server.port, path, args.warmup, args.connections)
            result = measure(driver, server.port, path, args.duration, args.connections)
            rows.append({"scenario": name, "path": path, **result_dict(result)})
            print(
                f"  {name:<26} {result.rps:>8.1f} req/s  p50 {result.p50_ms:7.2f} ms"
                f"  p99 {result.p99_ms:7.2f} ms  errors {result.errors}",
                flush=True,
            )
    finally:
        server.stop()
    health = (rows[0]["rps"] + rows[-1]["rps"]) / 2
    for row in rows:
        row["ratio"] = row["rps"] / health if health else 0.0
    return {
        "store": store,
        "scale": scale,
        "events": targets["events"],
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "driver": driver,
        "duration_s": args.duration,
        "connections": args.connections,
        "gunicorn_workers": args.workers,
        "machine": machine(),
        "targets": targets,
        "memory": memory,
        "scenarios": rows,
    }


def measure(driver: str, port: int, path: str, duration: float, connections: int) -> Result:
    if driver == "wrk":
        return run_wrk(port, path, duration, connections)
    return run_python(port, [path], connections, duration=duration)


def result_dict(result: Result) -> dict:
    return {
        "rps": round(result.rps, 1),
        "p50_ms": round(result.p50_ms, 2),
        "p99_ms": round(result.p99_ms, 2),
        "requests": result.requests,
        "errors": result.errors,
        **{k: round(v, 2) for k, v in result.extra.items()},
    }


def markdown(run: dict) -> str:
    lines = [
        f"### {run['store']}, {run['events']:,} events "
        f"({run['driver']}, {run['connections']} connections, {run['duration_s']}s per scenario,"
        f" gunicorn {run['gunicorn_workers']} workers)",
        "",
        "| scenario | req/s | p50 ms | p99 ms | ratio to /health | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in run["scenarios"]:
        lines.append(
            f"| {row['scenario']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f}"
            f" | {row['ratio']:.2f} | {row['errors']} |"
        )
    memory = run.get("memory")
    if memory:
        mb = {
            k: {pid: kb / 1024 for pid, kb in memory[k].items()} for k in ("after_5k", "after_10k")
        }
        per = [
            f"{pid}: {mb['after_5k'][pid]:.0f} → {mb['after_10k'][pid]:.0f} MB"
            for pid in memory["workers"]
        ]
        lines += ["", f"Worker RSS after 5k → 10k requests: {'; '.join(per)}"]
    lines += ["", "Paths:", ""]
    lines += [f"- {row['scenario']}: `{row['path']}`" for row in run["scenarios"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10000", help="comma-separated event counts")
    parser.add_argument("--stores", default="sqlite", help="sqlite,postgres")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--driver", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--postgres-url", default=DEFAULT_PG, help="server for postgres stores")
    parser.add_argument(
        "--database-url", help="benchmark this already loaded database instead (one store)"
    )
    parser.add_argument("--skip-memory", action="store_true", help="skip the RSS check")
    parser.add_argument(
        "--memory-requests", type=int, default=5000, help="RSS is read after this many and twice"
    )
    args = parser.parse_args(argv)
    driver = args.driver
    if driver == "auto":
        driver = "wrk" if shutil.which("wrk") else "python"
    if driver == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install -y wrk), or use --driver python")
    scales = [int(s.replace("_", "")) for s in args.scales.split(",") if s.strip()]
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    for store in stores:
        if store not in ("sqlite", "postgres"):
            parser.error(f"unknown store {store!r}")
    OUT.mkdir(parents=True, exist_ok=True)
    tables = []
    for store in stores:
        for scale in scales:
            run = bench_one(store, scale, args, driver)
            with (OUT / "results.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(run, ensure_ascii=False, default=str) + "\n")
            tables.append(markdown(run))
            print("\n" + tables[-1], flush=True)
    print("\n# Results\n\n" + "\n\n".join(tables))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())

"""A real server for the tests that need one: gunicorn on a free port, fixtures loaded.

Used by the generated-client and browser tests; its database is the test's own
(``database_url``: a fresh SQLite file, or the test's PostgreSQL database).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "false",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        **extra,
    }


def flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "api", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout


@contextmanager
def live_server(database_url: str):
    """Yield ``(base_url, editor_key)`` of a gunicorn serving the app with fixtures loaded."""
    port = free_port()
    env = server_env(database_url, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", THREADS="4")
    flask(env, "load-fixtures")
    key = flask(env, "create-key", "--role", "editor", "--name", "live test").strip()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "api.wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the server did not start: {process.stderr.read().decode()[-2000:]}"
                    ) from None
                time.sleep(0.2)
        yield base, key
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()

"""Limits at the front door, through gunicorn as ``make serve`` runs it: what gunicorn
hands the app (a chunked body, de-chunked, without ``Content-Length``; a long URL) is
answered by the app in its one error shape."""

from __future__ import annotations

import json
import socket

import pytest
from served import gunicorn, prepare_database

from api.config import DEFAULTS

LIMIT = DEFAULTS["MAX_CONTENT_LENGTH"]


@pytest.fixture
def server(database_url, tmp_path):
    """(port, editor key) of one gunicorn worker."""
    key = prepare_database(database_url)
    with gunicorn(database_url, tmp_path / "gunicorn.log", workers=1) as (port, _):
        yield port, key


def exchange(port: int, head: bytes, body: bytes = b"") -> tuple[int, dict, bytes]:
    """Send ``head`` and ``body`` as they are and read the answer to its end."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head + body)
        sock.shutdown(socket.SHUT_WR)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head_text, _, answer = raw.partition(b"\r\n\r\n")
    status_line, *lines = head_text.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, answer


def chunks(data: bytes, size: int = 65536) -> bytes:
    out = b"".join(
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size])
        for i in range(0, len(data), size)
    )
    return out + b"0\r\n\r\n"


def test_a_chunked_body_past_the_limit_is_a_413_problem(server):
    port, key = server
    article = {"title": "T", "body": "x" * 900_000, "published_at": "2025-01-01"}
    text = json.dumps(article).encode()
    body = text + b" " * (LIMIT - len(text)) + b" " * 1000
    head = (
        b"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n"
        b"Authorization: Bearer %s\r\n\r\n" % key.encode()
    )
    status, headers, answer = exchange(port, head, chunks(body))
    assert status == 413, answer[:300]
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(answer)["status"] == 413


@pytest.mark.parametrize("length", [8_100, 9_000, 20_000])
def test_a_url_too_long_is_a_414_problem_with_the_security_headers(server, length):
    port, _ = server
    target = "/v1/events?q=" + "a" * (length - len("/v1/events?q="))
    status, headers, answer = exchange(
        port, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    )
    assert status == 414, answer[:300]
    assert headers["content-type"] == "application/problem+json"
    assert headers["x-content-type-options"] == "nosniff"
    assert json.loads(answer)["status"] == 414

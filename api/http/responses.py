"""JSON answers written by orjson, straight from dicts already in the documented shape.

Lists (``pagination.page``) and event answers (``formats.negotiated``) build their
dicts in the documented shape (``tests/test_openapi.py`` holds each answer to
``openapi.yaml``), so they skip a second pass through the schema's dump: the schema
documents them, orjson writes them. A view returning this ``Response`` passes through
flask-smorest unchanged.
"""

from __future__ import annotations

import orjson
from flask import Response


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(orjson.dumps(body), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response

"""gzip for large responses, when the client takes it.

Registered before every other ``after_request`` hook so that it runs after
them all (Flask runs them last-registered first): the ``ETag`` is computed on,
304s decided by, and the docs page's script hashes read from the plain body.
The tag is kept as is for the gzip variant: ``Vary: Accept-Encoding`` keeps
caches apart, no range requests are served, and a client's ``If-Match`` must
work with whatever tag it was given.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

MIN_SIZE = 1024
_TEXTUAL = ("application/json", "application/yaml", "application/javascript")


def _compressible(mimetype: str) -> bool:
    return mimetype.startswith("text/") or mimetype.endswith("+json") or mimetype in _TEXTUAL


def compress(response: Response) -> Response:
    """``after_request``: gzip a textual body over ``MIN_SIZE`` bytes when the client takes it."""
    if (
        response.direct_passthrough
        or response.status_code < 200
        or response.status_code in (204, 206, 304)
        or "Content-Encoding" in response.headers
        or not _compressible(response.mimetype or "")
    ):
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0 or request.method == "HEAD":
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(data, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)

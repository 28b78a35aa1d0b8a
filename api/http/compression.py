"""gzip for large responses, when the client takes it.

Registered before the other ``after_request`` hooks but one so that it runs after
them (Flask runs them last-registered first): the ``ETag`` is computed on, and the
docs page's script hashes read from, the plain body. The gzip variant is a
representation of its own, so its tag gets ``-gzip`` inside the quotes; the 304 is
decided after this (``api.http.conditional.not_modified``), on the variant's own tag, and
``If-Match`` takes either tag (``api.http.conditional.check_if_match``).
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

from api.http.conditional import GZIP_SUFFIX

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
    # mtime=0: the same plain body, the same gzip bytes, as a strong tag promises.
    response.set_data(gzip.compress(data, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    tag, weak = response.get_etag()
    if tag:
        response.set_etag(tag + GZIP_SUFFIX, weak)
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)

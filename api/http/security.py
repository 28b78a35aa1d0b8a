"""What every response carries and every client is held to: rate limits, CORS, security headers.

- Rate limits (flask-limiter) count per API key, per address for requests without
  one: ``RATELIMIT_APPLICATION`` for all of a client's requests under ``/v1``,
  ``RATELIMIT_WRITE`` for its writes. Counters live in memory, or in Redis when
  ``RATELIMIT_STORAGE_URI`` names one (shared by every worker). Answers carry the
  IETF draft's ``RateLimit-Limit``/``-Remaining``/``-Reset`` (seconds to go) and
  ``RateLimit-Policy``; a 429 is a problem document with ``Retry-After``.
- CORS only for the origins of ``CORS_ORIGINS`` (comma-separated; empty: none). When set,
  every answer of a CORS path carries ``Vary: Origin``: flask-cors's ``vary_header`` adds
  it only when several origins could be echoed, yet the answer to one allowed origin
  differs from that to any other too (no CORS headers at all).
- ``nosniff``, no referrer, no framing, and a Content Security Policy: nothing at
  all for API answers; for the docs page, its own scripts (the inline one by hash).
- Only the hosts of ``TRUSTED_HOSTS`` are answered for (when set): the Host header is
  written into links, ``Link``, JSON-LD ``@id`` and iCalendar URLs.
- Behind ``PROXY_HOPS`` proxies, the client's address and scheme are those the proxies
  add (``X-Forwarded-For``, ``-Proto``), so each client has its own rate limit. Their
  ``X-Forwarded-Host`` is not taken: the proxy passes the Host header on, and a header
  a proxy may only append to could name any host.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import time

from flask import Flask, Response, request
from flask_cors import CORS
from flask_limiter import Limiter
from werkzeug.datastructures import HeaderSet
from werkzeug.exceptions import SecurityError
from werkzeug.http import parse_set_header
from werkzeug.middleware.proxy_fix import ProxyFix

from api.http import auth
from api.http.blueprint import Blueprint
from api.http.errors import Problem

_EXPOSED = [
    "ETag",
    "Location",
    "Link",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
]
_CORS_PATHS = (r"/v1/*", r"/openapi.*")  # flask-cors resources: patterns matched at the start
_API_CSP = "default-src 'none'; frame-ancestors 'none'"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _limit_key() -> str:
    """Who a request counts against: its key, else its address."""
    try:
        key = auth.current_key()
    except Problem:  # a wrong key is answered 401 by `authorize`; count it by address
        key = None
    return f"key:{key.id}" if key is not None else f"addr:{request.remote_addr}"


def _outside_api() -> bool:
    return not request.path.startswith("/v1/")


def _init_limiter(app: Flask) -> Limiter:
    limiter = Limiter(
        key_func=_limit_key,
        headers_enabled=False,  # ours below: the draft standard's names and a delta reset
        application_limits_exempt_when=_outside_api,
    )
    limiter.init_app(app)
    writes = app.config["RATELIMIT_WRITE"]
    for blueprint in app.blueprints.values():
        if isinstance(blueprint, Blueprint):
            limiter.shared_limit(writes, scope="writes", methods=sorted(auth.WRITE_METHODS))(
                blueprint
            )
    return limiter


def _rate_limit_headers(limiter: Limiter, response: Response, headers: bool) -> Response:
    current = limiter.current_limit if limiter.enabled else None
    if current is None:
        return response
    window = current.limit.get_expiry()
    reset = min(window, max(0, math.ceil(current.reset_at - time.time())))
    if response.status_code == 429:
        response.headers["Retry-After"] = str(max(1, reset))
    if headers:
        response.headers["RateLimit-Limit"] = str(current.limit.amount)
        response.headers["RateLimit-Remaining"] = str(current.remaining)
        response.headers["RateLimit-Reset"] = str(reset)
        response.headers["RateLimit-Policy"] = f"{current.limit.amount};w={window}"
    return response


def _csp_for(response: Response) -> str:
    if response.mimetype != "text/html":
        return _API_CSP
    body = response.get_data(as_text=True)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(body)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if not response.direct_passthrough:
        response.headers.setdefault("Content-Security-Policy", _csp_for(response))
    else:  # a streamed static file: no inline script to allow
        response.headers.setdefault("Content-Security-Policy", _API_CSP)
    return response


def _vary_on_origin(response: Response) -> Response:
    """``after_request`` (after flask-cors's): ``Vary: Origin`` on every CORS path's answer,
    the ``Vary`` lines (flask-cors adds one of its own) merged into one."""
    if not any(re.match(pattern, request.path) for pattern in _CORS_PATHS):
        return response
    vary = HeaderSet()
    for line in response.headers.getlist("Vary"):
        vary.update(parse_set_header(line))
    vary.add("Origin")
    response.headers["Vary"] = vary.to_header()
    return response


def _listed(setting: object) -> list[str]:
    """A comma-separated setting (or a list given in code) as its items."""
    items = setting if isinstance(setting, list | tuple) else str(setting or "").split(",")
    return [item.strip() for item in items if item.strip()]


def _refuse_untrusted_host() -> None:
    """``before_request``: 400 for a Host header not in ``TRUSTED_HOSTS`` (Werkzeug checks
    it when the host is first read)."""
    try:
        request.host  # noqa: B018  (read to be checked)
    except SecurityError:
        raise Problem(
            400,
            "This server does not answer for that host.",
            errors={"Host": ["Not a host this server answers for."]},
        ) from None


def init_app(app: Flask) -> None:
    """Install limits, CORS and headers; call after every blueprint is registered."""
    hosts = _listed(app.config["TRUSTED_HOSTS"])
    if hosts:
        app.config["TRUSTED_HOSTS"] = hosts  # Flask's own setting: a list
        app.before_request(_refuse_untrusted_host)
    else:
        app.config["TRUSTED_HOSTS"] = None
    hops = int(app.config["PROXY_HOPS"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    limiter = _init_limiter(app)
    app.extensions["annals"]["limiter"] = limiter
    headers_enabled = bool(app.config["RATELIMIT_HEADERS_ENABLED"])

    def add_rate_limit_headers(response: Response) -> Response:
        return _rate_limit_headers(limiter, response, headers_enabled)

    app.after_request(add_rate_limit_headers)
    app.after_request(_security_headers)
    origins = _listed(app.config["CORS_ORIGINS"])
    if origins:
        app.after_request(_vary_on_origin)
        CORS(
            app,
            resources={pattern: {} for pattern in _CORS_PATHS},
            origins=origins,
            expose_headers=_EXPOSED,
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
            max_age=600,
        )

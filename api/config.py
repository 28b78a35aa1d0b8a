"""Settings: defaults, overridden by environment variables of the same name, then by a dict."""

from __future__ import annotations

import os

DEFAULTS: dict[str, object] = {
    "DATABASE_URL": "sqlite:///instance/events.db",
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "PUBLIC_READS": True,
    "CORS_ORIGINS": "",
    # Comma-separated host names answered for (``.example.org``: its subdomains too); any
    # other Host header is a 400. Empty: any (every host name is reflected into links).
    "TRUSTED_HOSTS": "",
    # Proxies in front that add X-Forwarded-For and -Proto: the client's address (rate
    # limits) and scheme (links) are read from them. 0: none; the peer is the client.
    "PROXY_HOPS": 0,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    # Per key (per address without one) across the whole API; writes also against the second.
    "RATELIMIT_APPLICATION": "600 per minute",
    "RATELIMIT_WRITE": "120 per minute",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_KEY_PREFIX": "annals",
    "DB_POOL_SIZE": 8,
    "SQLITE_BUSY_TIMEOUT_MS": 10_000,
    # How long a PostgreSQL statement waits for a lock (the writers' lock, a row) before the
    # request is answered 503 with Retry-After; 0 waits without end.
    "POSTGRES_LOCK_TIMEOUT_MS": 10_000,
    "PAGE_LIMIT_DEFAULT": 50,
    "PAGE_LIMIT_MAX": 500,
    "TESTING": False,
    # Annotation jobs (api.ops.queue): the broker workers take them from. The default, a
    # folder shared on one machine, needs no server; redis://... or amqp://... for
    # production; "inline" runs each job inside its request (tests and scripts only).
    "JOB_BROKER_URL": "filesystem://",
    "JOB_QUEUE": "annals.annotate",  # the queue's name on the broker
    "JOB_QUEUE_DIR": "instance/queue",  # the file-system transport's folder
    "JOB_TIME_LIMIT_S": 60,  # a job running longer is stopped and failed
    "JOB_MEMORY_LIMIT_MB": 1024,  # memory one article's annotation may take
    "JOB_WAIT_MAX_S": 10,  # the longest `Prefer: wait=N` honoured
    "JOB_WAIT_MAX_CHARS": 20_000,  # ... and for articles no longer than this
    "ANNOTATION_MAX_CHARS": 100_000,  # title and body; a longer article is stored, not annotated
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(default: object, raw: str) -> object:
    """Read an environment string as the type of its default."""
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"expected a boolean, got {raw!r}")
    if isinstance(default, int):
        return int(raw)
    return raw


def load(overrides: dict | None = None) -> dict[str, object]:
    """Return the settings: DEFAULTS < environment < ``overrides``."""
    settings = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        raw = os.environ.get(name)
        if raw is not None:
            try:
                settings[name] = _coerce(default, raw)
            except ValueError as exc:
                raise RuntimeError(f"setting {name}: {exc}") from None
    settings.update(overrides or {})
    return settings

"""Annals: news articles in, structured events out, through a documented JSON API."""

from __future__ import annotations

import logging

from apispec import BasePlugin
from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from api import config as settings
from api.http import query_string
from api.http.errors import AnnalsApi, Problem

API_VERSION = "0.1.0"

_JSON_TYPES = ("application/json",)


def _openapi_settings(app: Flask) -> None:
    app.config.update(
        API_TITLE="Annals",
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "Annals turns news articles into structured events (who met whom, "
                    "where, when, about what) and serves them. Lists page with an opaque "
                    "cursor; errors are RFC 9457 problem details."
                ),
                "license": {"name": "MIT", "identifier": "MIT"},
                "contact": {"name": "Annals maintainers"},
            },
            "servers": [{"url": "/", "description": "This server"}],
        },
    )


class OperationIds(BasePlugin):
    """Give every operation an ``operationId``: its method and view, ``getEventItem``.

    Generated clients name their functions after it (``get_event_item``).
    """

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        view = rule.endpoint.rsplit(".", 1)[-1]
        for method, operation in operations.items():
            operation.setdefault("operationId", f"{method}{view}")


def _require_json_bodies() -> None:
    """415 for a request body that is not JSON (an empty body is left to validation)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
    if has_body and request.mimetype not in _JSON_TYPES and not request.mimetype.endswith("+json"):
        got = request.mimetype or "no content type"
        raise Problem(415, f"Send the body as application/json, not {got}.")


def _refuse_streams_past_the_limit() -> None:
    """413 for a body sent without ``Content-Length`` (chunked) that runs past
    ``MAX_CONTENT_LENGTH``, as for one whose ``Content-Length`` says so.

    Werkzeug stops reading such a stream at the limit without a word: a body whose first
    2 MiB were JSON was stored cut. So it is read here, once (views read the cached copy),
    and one byte more is asked of the server's stream.
    """
    limit = request.max_content_length
    if request.content_length is not None or limit is None:
        return
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()


MAX_ID = 2**63 - 1


class StoreId(IntegerConverter):
    """``<int:...>`` in a URL: ASCII digits only, and only what a 64-bit column holds matches;
    a bigger one is a 404."""

    # Werkzeug's ``\d+`` takes every script's digits: /v1/events/%D9%A1 (Arabic-Indic one)
    # answered event 1.
    regex = r"[0-9]+"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    """Build the WSGI app; ``config`` overrides settings (``DATABASE_URL``, ``TESTING``...)."""
    from flask_swagger_ui import get_swaggerui_blueprint

    from api import (
        aggregates,
        articles,
        changes,
        cli,
        entities,
        events,
        jobs,
        keys,
        meta,
        places,
        revisions,
        topics,
        web_annotations,
    )
    from api.http import auth, compression, conditional, security
    from api.store import db
    from schemas.common import RefOrInline, ref_or_inline_properties

    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = StoreId
    app.config.update(settings.load(config))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    _openapi_settings(app)

    db.bind(
        app.config["DATABASE_URL"],
        pool_size=app.config["DB_POOL_SIZE"],
        busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
        lock_timeout_ms=app.config["POSTGRES_LOCK_TIMEOUT_MS"],
    )

    from api.ops import queue

    queue.configure(app.config)

    api = AnnalsApi(app, spec_kwargs={"extra_plugins": [OperationIds()]})
    # flask-smorest's own pagination header schema: unused here (lists page by cursor).
    api.spec.components.schemas.pop("PaginationMetadata", None)
    api.ma_plugin.converter.add_attribute_function(ref_or_inline_properties)
    api.register_field(RefOrInline, None, None)
    api.register_converter(StoreId, lambda _: {"type": "integer", "minimum": 0, "maximum": MAX_ID})
    api.spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key, sent as `Authorization: Bearer <key>`: paste the key "
            "alone here. Reads need none unless this server says so. To write, ask the people "
            "who run this server for a key: an admin makes one with `POST /v1/keys` and "
            "hands it over once (it is never shown again). Roles: `reader` < `editor` "
            "(writes) < `admin` (keys). (Operators make the first admin key on the server "
            "with `flask --app api create-key --role admin`.)",
        },
    )
    for blueprint in (
        events.blp,
        articles.blp,
        entities.blp,
        places.blp,
        topics.blp,
        topics.sources_blp,
        aggregates.blp,
        web_annotations.blp,
        changes.blp,
        jobs.blp,
        revisions.blp,
        keys.blp,
    ):
        api.register_blueprint(blueprint)
    app.extensions["annals"] = {"api": api}

    app.register_blueprint(meta.blp)
    app.register_blueprint(
        get_swaggerui_blueprint(
            "/docs", "/openapi.json", config={"app_name": "Annals API", "tryItOutEnabled": True}
        )
    )
    app.before_request(query_string.require_encoded_query)
    app.before_request(_connect)
    # after_request hooks run last-registered first: gzip is registered next to first, so
    # it runs once the ETag, the security headers and the docs page's script hashes are
    # done; the 304, decided on the tag of the variant gzip chose, comes after it.
    app.after_request(conditional.not_modified)
    compression.init_app(app)
    security.init_app(app)  # the rate limit is checked first, then who is asking
    app.before_request(auth.authorize)
    app.before_request(_require_json_bodies)
    app.before_request(_refuse_streams_past_the_limit)
    app.after_request(conditional.tag_read)
    app.teardown_request(_disconnect)
    cli.register(app)
    logging.getLogger("annals").setLevel(logging.INFO)
    return app


def _connect() -> None:
    from api.store.db import database

    database.connect(reuse_if_open=True)


def _disconnect(exc: BaseException | None = None) -> None:
    from api.store.db import database

    if not database.is_closed():
        database.close()

"""One error shape everywhere: RFC 9457 problem details.

Every error, whether raised by a view, by argument parsing or by Flask itself,
leaves through ``problem_response`` as ``application/problem+json``.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import peewee as pw
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Response, json
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

from api.store.dialect import dialect
from api.store.errors import Conflict, Invalid, NotFound, StoreError
from schemas.common import ProblemSchema

PROBLEM_TYPE = "application/problem+json"
# When a client told the store is busy should ask again: by then the writer ahead has
# usually committed (a write takes milliseconds; the wait that ran out took seconds).
BUSY_RETRY_AFTER_SECONDS = 2
log = logging.getLogger("annals")


class Problem(Exception):
    """An error to answer with a problem document.

    ``errors`` maps each bad field (dotted path, e.g. ``participants.0.role``) to its
    messages; ``extra`` adds members such as ``existing`` or ``events``.
    """

    def __init__(self, status: int, detail: str, *, errors=None, headers=None, **extra):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


def conflict_with(path: str, detail: str) -> Problem:
    """409: the resource at ``path`` is already what the request would create."""
    return Problem(409, detail, headers={"Location": path}, existing=path)


class FieldErrors(Problem):
    """422: the request is well-formed but these fields are wrong."""

    def __init__(self, errors: dict[str, list[str]], detail: str | None = None):
        fields = ", ".join(sorted(errors))
        super().__init__(422, detail or f"Invalid fields: {fields}.", errors=errors)


# The request locations webargs names at the top of its messages (see ``flatten``).
PARAMETER_LOCATIONS = ("query", "path", "headers")
BODY_LOCATIONS = ("json", "form")


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """Flatten marshmallow/webargs nested messages into ``{"a.0.b": [...]}``.

    The request location (``json``, ``query``, ``path``) is dropped: a field's
    name says where it is.
    """
    if isinstance(messages, dict):
        return _flatten_fields(messages, prefix)
    if isinstance(messages, list | tuple):
        return _flatten_list(messages, prefix)
    return {prefix or "body": [str(messages)]}


def _flatten_fields(messages: dict, prefix: str) -> dict[str, list[str]]:
    """A dict of messages: each key a field below ``prefix`` (or, at the top, a location).

    A later path replaces an earlier same one (``update``); a parameter's messages are
    added to those before them.
    """
    out: dict[str, list[str]] = {}
    for key, value in messages.items():
        key = str(key)
        if not prefix and key in PARAMETER_LOCATIONS:
            _extend(out, _parameter_messages(value))
        elif not prefix and key in BODY_LOCATIONS:
            out.update(flatten(value, ""))
        else:
            out.update(flatten(value, _field_path(prefix, key)))
    return out


def _parameter_messages(messages) -> dict[str, list[str]]:
    """A location's parameters, each named as it is written: without list positions."""
    out: dict[str, list[str]] = {}
    for path, texts in flatten(messages, "").items():
        out.setdefault(path.split(".")[0], []).extend(texts)
    return out


def _field_path(prefix: str, key: str) -> str:
    """The dotted path of ``key`` below ``prefix``; ``_schema`` (the object's own messages)
    is the object itself, the body at the top."""
    if key == "_schema":
        return prefix or "body"
    return f"{prefix}.{key}" if prefix else key


def _flatten_list(messages: list | tuple, prefix: str) -> dict[str, list[str]]:
    """Texts are the messages of ``prefix``; anything else is flattened item by item, at
    the same path, the messages of a path added in order."""
    if all(isinstance(m, str) for m in messages):
        return {prefix or "body": list(messages)}
    out: dict[str, list[str]] = {}
    for item in messages:
        _extend(out, flatten(item, prefix))
    return out


def _extend(out: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    """Add the messages of ``more`` to those of the same paths in ``out``."""
    for path, texts in more.items():
        out.setdefault(path, []).extend(texts)


def problem_response(status: int, detail: str, *, errors=None, headers=None, **extra):
    """Build the ``application/problem+json`` response."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(
        _problem_text(body), status=status, mimetype=PROBLEM_TYPE, headers=headers or {}
    )


def _problem_text(body: dict) -> str:
    """The document as JSON text. It echoes what the request held (field names, a value in
    a message): half a surrogate pair there cannot be written as UTF-8, so then every
    character beyond ASCII is written as a ``\\u`` escape instead."""
    text = json.dumps(body)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(body, ensure_ascii=True)
    return text


_DETAILS = {
    400: "The request could not be understood (is the JSON well-formed?).",
    404: "No such resource.",
    405: "This method is not allowed here.",
    413: "The request body is larger than the configured limit.",
    415: "Send the body as application/json.",
}


# The document's examples of problems: what the server answers, in its own words.
_EXAMPLES = {
    400: {"detail": _DETAILS[400]},
    401: {"detail": "The API key is not valid, or it has been revoked."},
    403: {"detail": "This needs the role `editor` or higher; the key's role is `reader`."},
    404: {"detail": "No event with id 9."},
    406: {"detail": "None of the accepted types is offered here; offered: application/json, …"},
    409: {
        "detail": "This article is stored already as article 1.",
        "existing": "/v1/articles/1",
    },
    412: {
        "detail": "The event has changed since that `ETag`: get it again and redo the change "
        "on what it is now."
    },
    413: {"detail": _DETAILS[413]},
    415: {"detail": "Send the body as application/json, not text/plain."},
    422: {
        "detail": "Invalid fields: start_date.",
        "errors": {"start_date": ["Not a valid date: '5 декабря' (expected YYYY-MM-DD)."]},
    },
    428: {"detail": "Send `If-Match` with the `ETag` of the event (from a GET) to change it."},
    429: {"detail": "600 per 1 minute"},
    500: {"detail": "The server failed to answer; the error has been logged."},
    503: {"detail": "The store is busy with other writes: send the request again shortly."},
}


def problem_example(status: int, **members) -> dict:
    """An example problem document of ``status`` for the OpenAPI document; ``members``
    (``detail``, ``existing``, ``events``...) replace the usual ones."""
    status = HTTPStatus(status)
    extra = members or _EXAMPLES.get(status) or {"detail": status.description}
    return {"type": "about:blank", "title": status.phrase, "status": int(status), **extra}


def schema_name(schema) -> str:
    """OpenAPI component name: the class name less ``Schema``; ``...Patch`` when partial."""
    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and schema.partial:
        name += "Patch"
    return name


class AnnalsApi(Api):
    """flask-smorest's Api with problem details as its only error shape."""

    def __init__(self, app=None, **kwargs):
        plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
        kwargs.setdefault("spec_kwargs", {})["marshmallow_plugin"] = plugin
        super().__init__(app, **kwargs)

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def _register_responses(self):
        # Every error response is a problem document, registered only where used.
        for status in HTTPStatus:
            if status >= 400:
                content = {"schema": self.ERROR_SCHEMA, "example": problem_example(status)}
                self.spec.components.response(
                    status.name,
                    {"description": status.phrase, "content": {PROBLEM_TYPE: content}},
                    lazy=True,
                )
        content = {"schema": self.ERROR_SCHEMA, "example": problem_example(500)}
        self.spec.components.response(
            "DEFAULT_ERROR",
            {"description": "An error, as a problem document.", "content": {PROBLEM_TYPE: content}},
            lazy=True,
        )

    def _register_error_handlers(self):
        self._app.register_error_handler(HTTPException, self.handle_http_exception)
        self._app.register_error_handler(Problem, handle_problem)
        self._app.register_error_handler(StoreError, handle_store_error)
        self._app.register_error_handler(pw.IntegrityError, handle_integrity_error)
        self._app.register_error_handler(Exception, handle_unexpected)

    def handle_http_exception(self, error: HTTPException):
        status = error.code or 500
        if status >= 500:
            return handle_unexpected(error)
        data = getattr(error, "data", None) or {}
        errors = None
        if "errors" in data:
            errors = data["errors"]
        elif "messages" in data:
            errors = flatten(data["messages"])
        headers = dict(data.get("headers") or {})
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                headers[name] = value
        if status == 422 and errors:
            detail = "Invalid fields: " + ", ".join(sorted(errors)) + "."
        else:
            detail = data.get("message") or _DETAILS.get(status) or error.description
        return problem_response(status, detail, errors=errors, headers=headers)


def handle_problem(problem: Problem):
    return problem_response(
        problem.status,
        problem.detail,
        errors=problem.errors,
        headers=problem.headers,
        **problem.extra,
    )


def problem_of(error: StoreError) -> Problem:
    """The problem document answering what the store refused."""
    if isinstance(error, Invalid):
        return FieldErrors(error.errors, error.detail)
    if isinstance(error, Conflict):
        if error.existing is not None:
            return conflict_with(error.existing, error.detail)
        return Problem(409, error.detail, **error.related)
    if isinstance(error, NotFound):
        return Problem(404, error.detail)
    return Problem(400, error.detail)


def handle_store_error(error: StoreError):
    return handle_problem(problem_of(error))


def handle_integrity_error(error: pw.IntegrityError):
    # The store refused a write that validation let through (a unique value taken by a
    # concurrent writer, a row still referenced): a conflict, told without the SQL.
    log.info("integrity error answered as 409: %s", error)
    return problem_response(
        409, "The change conflicts with stored data: a unique value is taken or still in use."
    )


def handle_unexpected(error: Exception):
    original = getattr(error, "original_exception", None) or error
    if dialect().is_busy(original):
        # A lock not had within the wait, or no connection free: nothing was written.
        log.warning("store busy, answered 503: %s", original)
        return problem_response(
            503,
            _EXAMPLES[503]["detail"],
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )
    if not isinstance(original, InternalServerError) or original is not error:
        log.error("unhandled error", exc_info=original)
    return problem_response(500, "The server failed to answer; the error has been logged.")

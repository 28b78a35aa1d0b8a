"""The Blueprint every resource uses: flask-smorest's, with these house rules.

- An unknown query parameter is refused: a misspelt filter (``?topics=energy``)
  is a 422 naming it, not a silently unfiltered list.
- Error responses are documented as problem details, and every operation that
  takes a JSON body documents the 400, 413 and 415 it may answer.
- Every operation documents who may call it (from ``api.http.auth.required_role``,
  the rule the server applies), the 429 of rate limiting, and its conditional
  requests: ``ETag`` and ``If-None-Match`` on reads, ``If-Match`` where required.
"""

from __future__ import annotations

import flask_smorest
from marshmallow import missing
from webargs.flaskparser import FlaskParser, is_json_request

from api.http import auth
from api.http.errors import PROBLEM_TYPE, Problem, problem_example
from api.http.query_string import not_encoded_problem
from schemas.common import ProblemSchema
from schemas.jobs import PREFER_DESCRIPTION
from schemas.json_text import load_json

_BODY_ERRORS = (
    (400, "The body is missing or not well-formed JSON."),
    (413, "The body is larger than the configured limit."),
    (415, "The body is not `application/json`."),
)


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None}

    def load_json(self, req, schema):
        """The body of an operation that takes one. None, or an empty one, is a 400: webargs
        reads either as ``{}``, which a PATCH took for a change of nothing (a 200)."""
        data = super().load_json(req, schema)
        if data is missing:
            raise Problem(400, "The request has no body: send the JSON object it takes.")
        return data

    def _raw_load_json(self, req):
        """JSON as RFC 8259 has it (``load_json``, which ingest reads lines with too): no
        ``NaN``/``Infinity``; nesting too deep, an integer too long to read or a name that is
        no text is a 400, not a 500."""
        if not is_json_request(req):
            return missing
        return load_json(req.get_data(cache=True))


_RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "minimum": 0},
}
_ETAG = {
    "description": "Tag of this representation, for `If-None-Match` (and `If-Match`).",
    "schema": {"type": "string"},
}


_NOT_ENCODED = {
    key: value
    for key, value in not_encoded_problem("q=Телалиан").items()
    if key in ("detail", "errors")
}


def _problem_doc(status: int, description: str, headers=None, **example) -> dict:
    """A problem response's documentation, with an example of it (``problem_example``)."""
    if not example and description.startswith("No such "):  # 404: "No such article"
        thing = description.removeprefix("No such ").split()[0].rstrip(",")
        example = {"detail": f"No {thing} with id 9."}
    doc = {
        "schema": ProblemSchema(),
        "description": description,
        "content_type": PROBLEM_TYPE,
        "example": problem_example(status, **example),
    }
    if headers:
        doc["headers"] = headers
    return doc


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Access errors join the others before flask-smorest documents responses.
        self._prepare_doc_cbks.insert(0, self._prepare_access_doc)
        self._prepare_doc_cbks.append(self._prepare_conditional_doc)

    def if_match(self, func):
        """Document that the operation requires ``If-Match`` (412 stale, 428 missing)."""
        func._apidoc = {**getattr(func, "_apidoc", {}), "if_match": True}
        return func

    def waits(self, func):
        """Document that the operation honours ``Prefer: wait=N`` (``api.jobs``)."""
        func._apidoc = {**getattr(func, "_apidoc", {}), "prefer_wait": True}
        return func

    def _prepare_access_doc(self, doc, doc_info, *, app, method, **kwargs):
        role = auth.required_role(method, self.name, app.config["PUBLIC_READS"])
        responses = doc_info.setdefault("response", {}).setdefault("responses", {})
        if role is None:
            # Anyone may call it: no security requirement, so Swagger UI shows no lock (it
            # draws `[{}, {bearerAuth: []}]` as a closed one, as if a key were needed).
            doc["security"] = []
            responses.setdefault(401, []).append(
                _problem_doc(401, "The key sent is wrong or revoked")
            )
        else:
            doc["security"] = [{"bearerAuth": []}]
            needs = f"This needs an API key with the role `{role}` or higher."
            responses.setdefault(401, []).append(
                _problem_doc(401, "No key, or a wrong or revoked one", detail=needs)
            )
            if role != "reader":
                low = "reader" if role == "editor" else "editor"
                detail = f"This needs the role `{role}` or higher; the key's role is `{low}`."
                responses.setdefault(403, []).append(
                    _problem_doc(403, "The key's role is too low", detail=detail)
                )
        responses.setdefault(429, []).append(
            _problem_doc(
                429, "Too many requests for this key or address", {"Retry-After": _RETRY_AFTER}
            )
        )
        # Any URL (api.http.query_string): raw non-ASCII, or escapes that are not UTF-8.
        responses.setdefault(400, []).append(
            _problem_doc(400, "The URL is not percent-encoded UTF-8", **_NOT_ENCODED)
        )
        if doc_info.get("if_match"):
            responses.setdefault(412, []).append(_problem_doc(412, "Changed since the tag sent"))
            responses.setdefault(428, []).append(_problem_doc(428, "`If-Match` is missing"))
        docstring = doc_info.setdefault("docstring", {})
        text = docstring.get("description")
        sentence = auth.role_sentence(role)
        docstring["description"] = f"{text}\n\n{sentence}" if text else sentence
        return doc

    def _prepare_conditional_doc(self, doc, doc_info, *, method, **kwargs):
        responses = doc.setdefault("responses", {})
        if method.upper() == "GET":
            doc.setdefault("parameters", []).append(
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "description": "An `ETag` already held: 304 while it still holds.",
                    "schema": {"type": "string"},
                }
            )
            responses[304] = {"description": "Not modified: the tag sent still holds."}
            for status, response in responses.items():
                if str(status) == "200" and isinstance(response, dict):
                    response.setdefault("headers", {})["ETag"] = _ETAG
        if doc_info.get("prefer_wait"):
            doc.setdefault("parameters", []).append(
                {
                    "name": "Prefer",
                    "in": "header",
                    "required": False,
                    "description": PREFER_DESCRIPTION,
                    "schema": {"type": "string", "examples": ["wait=10"]},
                }
            )
        if doc_info.get("if_match"):
            for status, response in responses.items():
                if str(status) == "200" and isinstance(response, dict):
                    response.setdefault("headers", {})["ETag"] = _ETAG
            doc.setdefault("parameters", []).append(
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": True,
                    "description": "The `ETag` of the version being changed (from a GET).",
                    "schema": {"type": "string", "minLength": 1},
                }
            )
        return doc

    def problem(self, status: int, description: str, **example):
        """Document an error this operation may answer, as a problem document.

        ``example`` gives members of its example (``detail=...``) other than the usual.
        """
        doc = _problem_doc(status, description, **example)
        return self.alt_response(
            status,
            schema=ProblemSchema,
            content_type=PROBLEM_TYPE,
            description=description,
            example=doc["example"],
        )

    def arguments(self, schema, *, location="json", **kwargs):
        # A schema class is made once here: webargs would make it anew on every request.
        if isinstance(schema, type):
            schema = schema()
        decorator = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return decorator

        def document_body_errors(func):
            func = decorator(func)
            for status, description in _BODY_ERRORS:
                func = self.problem(status, description)(func)
            return func

        return document_body_errors

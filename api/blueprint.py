"""The Blueprint every resource uses: flask-smorest's, with two house rules.

- An unknown query parameter is refused: a misspelt filter (``?topics=energy``)
  is a 422 naming it, not a silently unfiltered list.
- Error responses are documented as problem details, and every operation that
  takes a JSON body documents the 400, 413 and 415 it may answer.
"""

from __future__ import annotations

import flask_smorest
from webargs.flaskparser import FlaskParser

from api.errors import PROBLEM_TYPE
from schemas.common import ProblemSchema

_BODY_ERRORS = (
    (400, "The body is not well-formed JSON."),
    (413, "The body is larger than the configured limit."),
    (415, "The body is not `application/json`."),
)


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()

    def problem(self, status: int, description: str):
        """Document an error this operation may answer, as a problem document."""
        return self.alt_response(
            status, schema=ProblemSchema, content_type=PROBLEM_TYPE, description=description
        )

    def arguments(self, schema, *, location="json", **kwargs):
        decorator = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return decorator

        def document_body_errors(func):
            func = decorator(func)
            for status, description in _BODY_ERRORS:
                func = self.problem(status, description)(func)
            return func

        return document_body_errors

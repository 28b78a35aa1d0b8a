"""The Blueprint every resource uses: flask-smorest's, with unknown query parameters refused.

A misspelt filter (``?topics=energy``) is a 422 naming it, not a silently unfiltered list.
"""

from __future__ import annotations

import flask_smorest
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()

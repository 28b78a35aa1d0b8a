"""Service routes outside /v1: health, the OpenAPI document as YAML, the docs page."""

from __future__ import annotations

import yaml
from flask import Blueprint, Response, current_app, redirect

from api.http.errors import Problem
from api.store.db import database
from api.store.dialect import dialect

blp = Blueprint("meta", __name__)


def openapi_yaml(spec: dict) -> str:
    """The OpenAPI document as YAML, in the one form ``openapi.yaml`` is written in."""
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=100)


@blp.get("/health")
def health():
    try:
        database.execute_sql("SELECT 1").fetchone()
    except Exception:  # any store failure means "not healthy", never a 500
        raise Problem(503, "The database does not answer.") from None
    return {"status": "ok", "database": dialect().name}


@blp.get("/openapi.yaml")
def openapi_document_yaml():
    spec = current_app.extensions["annals"]["api"].spec.to_dict()
    return Response(openapi_yaml(spec), mimetype="application/yaml")


@blp.get("/")
def index():
    return redirect("/docs/")

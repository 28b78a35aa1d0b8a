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
    # Made once per app: the document cannot change while it runs, and writing it as YAML
    # takes a fifth of a second of CPU.
    annals = current_app.extensions["annals"]
    if "openapi_yaml" not in annals:
        annals["openapi_yaml"] = openapi_yaml(annals["api"].spec.to_dict())
    return Response(annals["openapi_yaml"], mimetype="application/yaml")


@blp.get("/")
def index():
    return redirect("/docs/")

"""What the store refuses, in the store's own terms.

The store knows nothing of HTTP: it raises these, and the HTTP layer
(``api.http.errors``) answers each as a problem document (404, 422, 409).
Operations (ingest, import) catch them as they are.
"""

from __future__ import annotations


class StoreError(Exception):
    """A refused read or write; ``detail`` says why, in a sentence for people."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NotFound(StoreError):
    """The resource asked for is not there (any more)."""


class Invalid(StoreError):
    """The values given cannot be stored: ``errors`` maps each field (a dotted path such as
    ``participants.0.role``) to its messages."""

    def __init__(self, errors: dict[str, list[str]], detail: str | None = None):
        super().__init__(detail or f"Invalid fields: {', '.join(sorted(errors))}.")
        self.errors = errors


class Conflict(StoreError):
    """The write would clash with what is stored: ``existing`` is the path of the stored
    copy the write would duplicate; ``related`` names the resources that forbid it."""

    def __init__(self, detail: str, *, existing: str | None = None, related: dict | None = None):
        super().__init__(detail)
        self.existing = existing
        self.related = related or {}

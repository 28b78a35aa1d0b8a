"""Who may do what: API keys, and the one rule deciding which role an operation needs.

Keys are random tokens shown once; only their SHA-256 is stored, next to a short
prefix (not secret) that names the key in lists. A request names its key as
``Authorization: Bearer <key>``. The rule (``required_role``) is applied to every
request under ``/v1`` by ``authorize`` and documents every operation (see
``api.http.blueprint``), so enforcement and the OpenAPI document cannot drift apart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, g, has_request_context, request

from api.http.errors import Problem
from api.store import revisions
from api.store.models import ApiKey, utcnow
from schemas.keys import API_ROLES

TOKEN_PREFIX = "ann_"
PREFIX_LENGTH = 12  # "ann_" and 8 characters: enough to tell keys apart in a list
REALM = 'Bearer realm="annals"'
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ADMIN_BLUEPRINTS = frozenset({"keys"})
LEVELS = {role: level for level, role in enumerate(API_ROLES, start=1)}


def required_role(method: str, blueprint: str | None, public_reads: bool) -> str | None:
    """The least role an operation needs, or None when anyone may call it."""
    if blueprint in ADMIN_BLUEPRINTS:
        return "admin"
    if method.upper() in WRITE_METHODS:
        return "editor"
    return None if public_reads else "reader"


def role_sentence(role: str | None) -> str:
    if role is None:
        return "Open to anyone; a key, if sent, must be valid."
    allowed = [r for r in API_ROLES if LEVELS[r] >= LEVELS[role]]
    names = " or ".join(f"`{r}`" for r in allowed)
    return f"Needs an API key with the role {names} (`Authorization: Bearer <key>`)."


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_key(role: str, name: str | None = None) -> tuple[ApiKey, str]:
    """Store a new key of ``role``; returns the row and the token, which is never stored."""
    if role not in LEVELS:
        raise ValueError(f"role must be one of {', '.join(API_ROLES)}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 bits of randomness
    prefix = token[:PREFIX_LENGTH]
    key = ApiKey.create(
        name=(name or "").strip() or f"{role} {prefix}",
        role=role,
        prefix=prefix,
        key_hash=hash_token(token),
    )
    return key, token


def find_key(token: str) -> ApiKey | None:
    """The live (not revoked) key ``token`` is, compared in constant time; or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hash_token(token)
    found = None
    candidates = ApiKey.select().where(
        (ApiKey.prefix == token[:PREFIX_LENGTH]) & ApiKey.revoked_at.is_null()
    )
    for key in candidates:
        if hmac.compare_digest(key.key_hash, digest):
            found = key
    return found


def revoke_key(key_id: int) -> ApiKey | None:
    """Revoke key ``key_id`` (idempotent); returns it, or None when there is no such key."""
    key = ApiKey.get_or_none(ApiKey.id == key_id)
    if key is not None and key.revoked_at is None:
        key.revoked_at = utcnow()
        key.save()
    return key


def _unauthorized(detail: str) -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": REALM})


def current_key() -> ApiKey | None:
    """The key this request was made with (None without one); 401 for a wrong one."""
    if "api_key" in g:
        return g.api_key
    header = request.headers.get("Authorization", "")
    key = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("Send the key as `Authorization: Bearer <key>`.")
        key = find_key(token.strip())
        if key is None:
            raise _unauthorized("The API key is not valid, or it has been revoked.")
    g.api_key = key
    return key


def current_author() -> str:
    """Who is making the change, as revisions record it: the key's name, else ``system``."""
    if has_request_context() and g.get("api_key") is not None:
        return g.api_key.name
    return revisions.SYSTEM


def authorize() -> None:
    """``before_request``: 401 or 403 unless this request's key may call the operation."""
    if not request.path.startswith("/v1/") or request.method == "OPTIONS":
        return
    if request.url_rule is None:  # 404 or 405: routing answers that
        return
    key = current_key()
    role = required_role(request.method, request.blueprint, current_app.config["PUBLIC_READS"])
    if role is None:
        return
    if key is None:
        raise _unauthorized(f"This needs an API key with the role `{role}` or higher.")
    if LEVELS[key.role] < LEVELS[role]:
        raise Problem(
            403, f"This needs the role `{role}` or higher; the key's role is `{key.role}`."
        )

"""/v1/keys: API keys, managed by admins (the CLI does the same with ``create-key``)."""

from __future__ import annotations

import click
from flask.views import MethodView

from api.http import auth
from api.http.blueprint import Blueprint
from api.http.errors import Problem
from api.http.pagination import page
from api.store.db import database
from api.store.models import ApiKey
from api.store.order import Order
from api.store.transaction import writing
from schemas.common import aware
from schemas.keys import (
    API_ROLES,
    KeyCreatedSchema,
    KeyListArgs,
    KeyPageSchema,
    KeySchema,
    KeyWriteSchema,
)

blp = Blueprint(
    "keys",
    __name__,
    url_prefix="/v1/keys",
    description="API keys: who may read, write and manage keys. Admins only.",
)

ORDER = Order("id", (ApiKey.id,))


def key_dict(key: ApiKey) -> dict:
    return {
        "id": key.id,
        "name": key.name,
        "role": key.role,
        "prefix": key.prefix,
        "created_at": aware(key.created_at),
        "revoked_at": aware(key.revoked_at),
    }


def get_key(key_id: int) -> ApiKey:
    key = ApiKey.get_or_none(ApiKey.id == key_id)
    if key is None:
        raise Problem(404, f"No key with id {key_id}.")
    return key


@blp.route("")
class Keys(MethodView):
    @blp.arguments(KeyListArgs, location="query")
    @blp.response(200, KeyPageSchema)
    def get(self, args):
        """List API keys.

        Revoked ones too; the secret itself is never shown again, only its prefix.
        """
        return page(ApiKey.select(), ORDER, args, lambda rows: [key_dict(k) for k in rows])

    @blp.arguments(KeyWriteSchema, example={"role": "editor", "name": "review desk"})
    @blp.response(201, KeyCreatedSchema)
    def post(self, data):
        """Create an API key.

        The answer holds the key itself (`key`), shown this once: store it.
        """
        with writing():
            key, token = auth.create_key(data["role"], data.get("name"))
        return {**key_dict(key), "key": token}, 201, {"Location": f"/v1/keys/{key.id}"}


@blp.route("/<int:key_id>")
class KeyItem(MethodView):
    @blp.response(200, KeySchema)
    @blp.problem(404, "No such key")
    def get(self, key_id):
        """Get one API key.

        Its name, role, prefix and whether it is revoked.
        """
        return key_dict(get_key(key_id))

    @blp.response(204)
    @blp.problem(404, "No such key")
    def delete(self, key_id):
        """Revoke an API key.

        From now on it is refused (401). The key stays listed, with `revoked_at`.
        """
        get_key(key_id)
        auth.revoke_key(key_id)
        return None


@click.command("create-key")
@click.option("--role", required=True, type=click.Choice(API_ROLES))
@click.option("--name", default=None, help="Who or what uses the key (recorded on revisions).")
def create_key_command(role: str, name: str | None) -> None:
    """Create an API key and print it (this once: only its hash is kept)."""
    from api.store.migrations import upgrade

    with database.connection_context():
        upgrade()
        with writing():
            key, token = auth.create_key(role, name)
    click.echo(
        f"created key {key.id} ({key.role}, {key.name!r}); store it, it is not shown again:",
        err=True,
    )
    click.echo(token)


@click.command("list-keys")
def list_keys_command() -> None:
    """List API keys: id, role, prefix, name, and when revoked."""
    with database.connection_context():
        for key in ApiKey.select().order_by(ApiKey.id):
            revoked = f"revoked {aware(key.revoked_at).isoformat()}" if key.revoked_at else "live"
            click.echo(f"{key.id}\t{key.role}\t{key.prefix}…\t{revoked}\t{key.name}")


@click.command("revoke-key")
@click.argument("key_id", type=int)
def revoke_key_command(key_id: int) -> None:
    """Revoke an API key by id (see list-keys)."""
    with database.connection_context():
        key = auth.revoke_key(key_id)
    if key is None:
        raise click.ClickException(f"no key with id {key_id}")
    click.echo(f"revoked key {key.id} ({key.name!r})")


COMMANDS = (create_key_command, list_keys_command, revoke_key_command)

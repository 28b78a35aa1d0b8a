"""API keys: what an admin sends to make one, and what is shown of one."""

from marshmallow import Schema, fields, validate

from api.models import API_ROLES
from schemas.common import PageArgs, Strict, Text, envelope


class KeyWriteSchema(Strict):
    role = fields.String(required=True, validate=validate.OneOf(API_ROLES))
    name = Text(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Who or what uses the key; revisions record it as the author."},
    )


class KeySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String(metadata={"enum": list(API_ROLES)})
    prefix = fields.String(metadata={"description": "The key's first characters (not secret)."})
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class KeyCreatedSchema(KeySchema):
    key = fields.String(metadata={"description": "The key itself: shown this once, never again."})


class KeyListArgs(PageArgs):
    pass


KeyPageSchema = envelope(KeySchema, "KeyPage")

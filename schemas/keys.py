"""API keys: what an admin sends to make one, and what is shown of one."""

from marshmallow import Schema, fields, validate

from schemas.common import PageArgs, Strict, Text, enum_doc, envelope

# The roles of API keys, each allowed what the one before it is and more.
API_ROLES = ("reader", "editor", "admin")
ROLE_MEANINGS = {
    "reader": "may read (needed only where reads are not public)",
    "editor": "may also write articles, events, entities and places",
    "admin": "may also make, list and revoke keys",
}
_role = enum_doc("What the key may do:", ROLE_MEANINGS, API_ROLES)
_name = {
    "description": "Who or what uses the key; revisions record it as the author.",
    "example": "review desk",
}
_AT = "2025-12-05T12:00:00+00:00"


class KeyWriteSchema(Strict):
    role = fields.String(
        required=True, validate=validate.OneOf(API_ROLES), metadata={**_role, "example": "editor"}
    )
    name = Text(validate=validate.Length(min=1, max=200), metadata=_name)


class KeySchema(Schema):
    id = fields.Integer(metadata={"description": "Key id.", "example": 3})
    name = fields.String(metadata=_name)
    role = fields.String(metadata={**_role, "enum": list(API_ROLES), "example": "editor"})
    prefix = fields.String(
        metadata={
            "description": "The key's first characters (not secret).",
            "example": "ann_k3Vq9xZa",
        }
    )
    created_at = fields.DateTime(metadata={"description": "When it was made.", "example": _AT})
    revoked_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "When it was revoked, if it was.", "example": None},
    )


class KeyCreatedSchema(KeySchema):
    key = fields.String(
        metadata={
            "description": "The key itself: shown this once, never again.",
            "example": "ann_k3Vq9xZaR7mWc2Lp0sTnYb8dEfGhJ4kMuQvX6iOz1aB",
        }
    )


class KeyListArgs(PageArgs):
    pass


KeyPageSchema = envelope(KeySchema, "KeyPage")

"""Schemas shared by every resource: errors, paging, list envelopes, field types."""

from __future__ import annotations

import datetime as dt

import pycountry
from marshmallow import Schema, ValidationError, fields, validate


class Strict(Schema):
    """A request schema: unknown fields are an error, naming the field (marshmallow's default)."""


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(metadata={"description": "A URI identifying the problem type."})
    title = fields.String(metadata={"description": "The HTTP status phrase."})
    status = fields.Integer(metadata={"description": "The HTTP status code."})
    detail = fields.String(metadata={"description": "What went wrong, for a person."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Each bad field (dotted path) mapped to its messages."},
    )


def _country_code(value: str) -> None:
    if pycountry.countries.get(alpha_2=value) is None and value != "XK":
        raise ValidationError(f"Not an ISO 3166-1 alpha-2 country code: {value!r}.")


class CountryCode(fields.String):
    """An ISO 3166-1 alpha-2 code, upper case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", [validate.Length(equal=2), _country_code])
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("description", "ISO 3166-1 alpha-2 country code.")
        metadata.setdefault("pattern", "^[A-Z]{2}$")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.upper()


class Day(fields.Date):
    """An ISO 8601 calendar date (``2025-12-05``) within years 1–9999."""

    def _deserialize(self, value, attr, data, **kwargs):
        message = f"Not a valid date: {value!r} (expected YYYY-MM-DD)."
        if not isinstance(value, str) or len(value) != 10:
            raise ValidationError(message)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(message) from None


class Text(fields.String):
    """A string without NUL or other control characters (tabs and newlines allowed)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any((ord(c) < 32 and c not in "\t\n\r") or c == "\x7f" for c in text):
            raise ValidationError("Control characters are not allowed.")
        return text


class PageArgs(Strict):
    """Paging of every list: an opaque cursor and a page size."""

    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=500),
        metadata={"description": "Items per page (1–500)."},
    )
    cursor = fields.String(
        validate=validate.Length(max=500),
        metadata={"description": "Opaque position from `links.next` of the previous page."},
    )


class LinksSchema(Schema):
    next = fields.String(
        allow_none=True,
        metadata={"description": "Absolute URL of the next page, or null on the last page."},
    )


class MetaSchema(Schema):
    limit = fields.Integer()
    sort = fields.String()


def envelope(item_schema: type[Schema], name: str) -> type[Schema]:
    """The list envelope ``{"data": [...], "links": {...}, "meta": {...}}`` of ``item_schema``."""
    return Schema.from_dict(
        {
            "data": fields.List(fields.Nested(item_schema), required=True),
            "links": fields.Nested(LinksSchema, required=True),
            "meta": fields.Nested(MetaSchema, required=True),
        },
        name=name,
    )


class RefOrInline(fields.Field):
    """A reference by id, or an inline object resolved (or created) by the server."""

    def __init__(self, nested: type[Schema], what: str, **kwargs):
        self.nested = nested
        self.what = what
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 1:
                raise ValidationError(f"Not a valid {self.what} id.")
            return value
        if isinstance(value, dict):
            return self.nested().load(value)
        raise ValidationError(f"Expected a {self.what} id or an object.")


def ref_or_inline_properties(self, field, **kwargs) -> dict:
    """apispec: document ``RefOrInline`` as ``oneOf`` an integer id or the inline schema."""
    if not isinstance(field, RefOrInline):
        return {}
    ref = self.resolve_nested_schema(field.nested)
    return {"oneOf": [{"type": "integer", "minimum": 1}, ref]}


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC timestamp as an aware one, so it serialises with its offset."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value

"""Schemas shared by every resource: errors, paging, list envelopes, field types."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources

import pycountry
from marshmallow import Schema, ValidationError, fields, validate

# Ids are 64-bit: a larger one can name nothing, and is refused before it reaches SQL.
ID_RANGE = validate.Range(min=1, max=2**63 - 1)


class Strict(Schema):
    """A request schema: unknown fields are an error, naming the field (marshmallow's default)."""


def patch_of(schema: type[Schema]) -> Schema:
    """``schema`` for a PATCH: any of its fields may be left out, and each one given is
    whole. (``partial=True`` would reach into nested objects too, and let a participant
    through with no entity.)"""
    return schema(partial=tuple(schema().fields))


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(
        metadata={"description": "A URI identifying the problem type.", "example": "about:blank"}
    )
    title = fields.String(
        metadata={"description": "The HTTP status phrase.", "example": "Not Found"}
    )
    status = fields.Integer(metadata={"description": "The HTTP status code.", "example": 404})
    detail = fields.String(
        metadata={"description": "What went wrong, for a person.", "example": "No event with id 9."}
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={
            "description": "Each bad field (dotted path) mapped to its messages.",
            "example": {"start_date": ["Not a valid date: '5 декабря' (expected YYYY-MM-DD)."]},
        },
    )
    existing = fields.String(
        metadata={
            "description": "On a 409 for a duplicate: the path of the stored one.",
            "example": "/v1/articles/1",
        }
    )
    events = fields.List(
        fields.String(),
        metadata={
            "description": "On a 409 for a delete: the paths of the events relying on it.",
            "example": ["/v1/events/1", "/v1/events/2"],
        },
    )


def enum_text(intro: str, meanings: dict[str, str]) -> str:
    """A one-line description naming what each value of an enum means (Swagger UI shows it)."""
    listed = "; ".join(f"`{value}` — {meaning}" for value, meaning in meanings.items())
    return f"{intro} {listed}."


def enum_doc(intro: str, meanings: dict[str, str], values=None, *, enum: bool = False) -> dict:
    """Field metadata documenting an enum: each value's meaning, in the description and as
    ``x-enumDescriptions`` (read by Redoc and generators); ``values`` must be those meant.

    ``enum=True`` also declares the values (for answered fields, which have no validator).
    """
    if values is not None and list(values) != list(meanings):
        raise ValueError(f"documented {list(meanings)}, but the values are {list(values)}")
    metadata = {"description": enum_text(intro, meanings), "x-enumDescriptions": dict(meanings)}
    if enum:
        metadata["enum"] = list(meanings)
    return metadata


COUNTRY_CODES = sorted({c.alpha_2 for c in pycountry.countries} | {"XK"})
# JSON Schema's `enum` is every value allowed: `null` too, where the field takes it.
_CODES_OR_NULL = [*COUNTRY_CODES, None]


def _country_code(value: str) -> None:
    if pycountry.countries.get(alpha_2=value) is None and value != "XK":
        raise ValidationError(f"Not an ISO 3166-1 alpha-2 country code: {value!r}.")


class CountryCode(fields.String):
    """An ISO 3166-1 alpha-2 code, upper case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", [validate.Length(equal=2), _country_code])
        metadata = kwargs.setdefault("metadata", {})
        text = metadata.get("description")
        if text and "ISO 3166-1" not in text:
            metadata["description"] = f"{text.removesuffix('.')} (ISO 3166-1 alpha-2)."
        metadata.setdefault("description", "ISO 3166-1 alpha-2 country code.")
        metadata.setdefault("pattern", "^[A-Z]{2}$")
        metadata.setdefault("enum", _CODES_OR_NULL if kwargs.get("allow_none") else COUNTRY_CODES)
        metadata.setdefault("example", "KZ")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.upper()


# Python reads other ISO 8601 forms as dates too: a week date (``2025-W01-1``) has ten
# characters as well.
_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Day(fields.Date):
    """An ISO 8601 calendar date (``2025-12-05``) within years 1–9999."""

    def _deserialize(self, value, attr, data, **kwargs):
        message = f"Not a valid date: {value!r} (expected YYYY-MM-DD)."
        if not isinstance(value, str) or not _CALENDAR_DATE.fullmatch(value):
            raise ValidationError(message)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(message) from None


class Text(fields.String):
    """A string without NUL or other control characters (tabs and newlines allowed)."""

    # The same rule, for the document (and the clients and fuzzers that read it).
    # (Unpaired surrogates are refused too, but a range of them in the pattern makes
    # regex engines, and so fuzzers, drop the whole pattern: valid JSON text has none.)
    PATTERN = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$"

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("pattern", self.PATTERN)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any((ord(c) < 32 and c not in "\t\n\r") or c == "\x7f" for c in text):
            raise ValidationError("Control characters are not allowed.")
        if any("\ud800" <= c <= "\udfff" for c in text):  # half a pair: not storable text
            raise ValidationError("Unpaired surrogates are not allowed.")
        return text


# RFC 3986's characters of a path (unreserved, sub-delimiters, ":", "@", "/") or a
# %-escape; a query and a fragment may hold "?" too, and "#" only begins the fragment.
_PATH_CHAR = r"([A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})"
_QUERY_CHAR = r"([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})"
URL_PATTERN = (
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?"
    rf"(/{_PATH_CHAR}*)?(\?{_QUERY_CHAR}*)?(#{_QUERY_CHAR}*)?$"
)


class WebUrl(fields.String):
    """An http(s) URL as RFC 3986 has it: what its documented ``pattern`` and ``format: uri``
    both allow."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update(pattern=URL_PATTERN, format="uri")
        kwargs["validate"] = [
            validate.Regexp(URL_PATTERN, error="Not a valid http(s) URL."),
            *(kwargs.get("validate") or []),
        ]
        super().__init__(**kwargs)


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
        metadata={
            "description": "Absolute URL of the next page, or null on the last page.",
            "example": "http://127.0.0.1:8000/v1/events?limit=3"
            "&cursor=WyJldmVudDotc3RhcnRfZGF0ZSIsIjIwMjUtMTItMDUiLDRd",
        },
    )


class MetaSchema(Schema):
    limit = fields.Integer(metadata={"description": "The page size used.", "example": 50})
    sort = fields.String(
        metadata={"description": "The order of the items.", "example": "-start_date"}
    )


def envelope(item_schema: type[Schema], name: str, sort: str = "id") -> type[Schema]:
    """The list envelope ``{"data": [...], "links": {...}, "meta": {...}}`` of ``item_schema``.

    Its example is the seed's first page: one page of 50 (no next), in the list's ``sort``.
    """
    return Schema.from_dict(
        {
            "data": fields.List(
                fields.Nested(item_schema), required=True, metadata={"description": "This page."}
            ),
            "links": fields.Nested(
                LinksSchema,
                required=True,
                metadata={"description": "Where to read on.", "example": {"next": None}},
            ),
            "meta": fields.Nested(
                MetaSchema,
                required=True,
                metadata={
                    "description": "How the page was made.",
                    "example": {"limit": 50, "sort": sort},
                },
            ),
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
        if isinstance(value, float) and value.is_integer():  # 7.0 is the integer 7 in JSON
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value < 2**63:
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
    choices = [{"type": "integer", "minimum": 1, "maximum": 2**63 - 1}, ref]
    if field.allow_none:  # apispec adds `null` to a `type`, and this has none
        choices.append({"type": "null"})
    return {"oneOf": choices}


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC timestamp as an aware one, so it serialises with its offset."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def parse_timestamp(text: str) -> dt.datetime | None:
    """An ISO 8601 timestamp with offset (``Z`` or ``±hh:mm``), aware; None if it is not one.

    A space before the offset is read as ``+``: an unescaped ``+`` in a query
    string arrives as a space.
    """
    if not isinstance(text, str) or len(text) > 40 or "T" not in text.upper():
        return None
    text = text.strip()
    if len(text) > 6 and text[-6] == " ":
        text = text[:-6] + "+" + text[-5:]
    try:
        value = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if value.tzinfo is None or value.year < 2 or value.year > 9998:
        return None
    return value


def naive_utc(value: dt.datetime) -> dt.datetime:
    """An aware timestamp as the naive UTC both stores keep."""
    return value.astimezone(dt.UTC).replace(tzinfo=None)


class Timestamp(fields.DateTime):
    """An ISO 8601 timestamp with an offset (``2025-12-05T12:00:00+00:00`` or ``...Z``).

    Loaded as naive UTC, the way both stores keep timestamps.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        moment = parse_timestamp(value)
        if moment is None:
            raise ValidationError(
                f"Not a timestamp with offset: {value!r} (e.g. 2025-12-05T12:00:00Z)."
            )
        return naive_utc(moment)


def updated_since_field() -> Timestamp:
    """The ``updated_since`` filter every list takes."""
    return Timestamp(
        metadata={
            "description": "Only items created or changed at or after this timestamp "
            "(ISO 8601 with offset; escape `+` as `%2B`)."
        }
    )


def _topics() -> dict[str, str]:
    text = resources.files("fixtures").joinpath("topics.json").read_text(encoding="utf-8")
    return {topic["slug"]: f"{topic['label_en']}: {topic['scope']}" for topic in json.loads(text)}


TOPIC_MEANINGS = _topics()
TOPIC_SLUGS = list(TOPIC_MEANINGS)


class TopicSlug(fields.String):
    """A slug of the fixed topic vocabulary (``fixtures/topics.json``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "validate",
            validate.OneOf(TOPIC_SLUGS, error="Unknown topic {input!r}. Valid topics: {choices}."),
        )
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("description", "Topic slug (`GET /v1/topics` lists them).")
        metadata.setdefault("x-enumDescriptions", TOPIC_MEANINGS)
        metadata.setdefault("example", "diplomacy")
        super().__init__(**kwargs)

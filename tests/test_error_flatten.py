"""``flatten``: marshmallow/webargs messages as the ``errors`` member of a problem document.

Each case pins one rule of the dotted paths, quirks included (a later message for the same
path replaces an earlier one inside a dict; an empty list still names its path), so that a
rewrite of ``flatten`` keeps them.
"""

from __future__ import annotations

import pytest

from api.http.errors import flatten

CASES = [
    # A bare message, or a list of them, belongs to the body.
    ("text", {}, "Bad.", {"body": ["Bad."]}),
    ("not text", {}, 42, {"body": ["42"]}),
    ("list", {}, ["Bad.", "Worse."], {"body": ["Bad.", "Worse."]}),
    ("tuple", {}, ("Bad.",), {"body": ["Bad."]}),
    ("empty list", {}, [], {"body": []}),
    ("empty dict", {}, {}, {}),
    ("prefix", {"prefix": "a"}, ["Bad."], {"a": ["Bad."]}),
    ("prefix of text", {"prefix": "a"}, 3, {"a": ["3"]}),
    # Nested fields are dotted; list positions (int keys) are text.
    ("field", {}, {"title": ["Missing."]}, {"title": ["Missing."]}),
    (
        "nested with positions",
        {},
        {"participants": {0: {"role": ["Bad role."]}, 2: {"entity": {"id": ["Not int."]}}}},
        {"participants.0.role": ["Bad role."], "participants.2.entity.id": ["Not int."]},
    ),
    ("nested under prefix", {"prefix": "x"}, {"y": ["Bad."]}, {"x.y": ["Bad."]}),
    # _schema is the object's own error: the body at the top, its path below.
    ("top _schema", {}, {"_schema": ["Bad body."]}, {"body": ["Bad body."]}),
    (
        "nested _schema",
        {},
        {"venue": {"_schema": ["Bad venue."]}},
        {"venue": ["Bad venue."]},
    ),
    ("_schema under prefix", {"prefix": "p"}, {"_schema": ["Bad."]}, {"p": ["Bad."]}),
    # The request location is dropped at the top; json and form keep the full paths...
    (
        "json",
        {},
        {"json": {"participants": {0: {"role": ["Bad."]}}, "_schema": ["Whole."]}},
        {"participants.0.role": ["Bad."], "body": ["Whole."]},
    ),
    ("form", {}, {"form": {"name": ["Bad."]}}, {"name": ["Bad."]}),
    # ...a parameter (query, path, headers) is named without positions, its messages merged.
    (
        "query",
        {},
        {"query": {"ids": {0: ["Not int."], 3: ["Too big."]}, "limit": ["Bad."]}},
        {"ids": ["Not int.", "Too big."], "limit": ["Bad."]},
    ),
    ("path", {}, {"path": {"event_id": ["Bad."]}}, {"event_id": ["Bad."]}),
    ("headers", {}, {"headers": {"If-Match": ["Bad."]}}, {"If-Match": ["Bad."]}),
    (
        "query and json",
        {},
        {"query": {"a": {"b": ["Q."]}}, "json": {"a": {"b": ["J."]}}},
        {"a": ["Q."], "a.b": ["J."]},
    ),
    # Below the top, a location's name is a field like any other.
    (
        "location names below the top",
        {"prefix": "f"},
        {"query": ["Q."], "json": ["J."]},
        {"f.query": ["Q."], "f.json": ["J."]},
    ),
    ("location names under a field", {}, {"f": {"path": ["P."]}}, {"f.path": ["P."]}),
    # Within a dict, a later message for the same path replaces the earlier one...
    (
        "later replaces",
        {},
        {"json": {"a": ["From json."]}, "a": ["Own."]},
        {"a": ["Own."]},
    ),
    ("json replaces", {}, {"a": ["Own."], "json": {"a": ["From json."]}}, {"a": ["From json."]}),
    (
        "_schema replaces body",
        {},
        {"json": {"_schema": ["J."]}, "_schema": ["S."]},
        {"body": ["S."]},
    ),
    # ...a parameter's messages are added to those before it.
    (
        "parameter adds",
        {},
        {"json": {"a": ["J."]}, "query": {"a": ["Q."]}},
        {"a": ["J.", "Q."]},
    ),
    # A list of non-texts: each item at the same path, messages added in order.
    (
        "list of dicts",
        {},
        [{"a": ["One."]}, {"a": ["Two."], "b": ["Three."]}],
        {"a": ["One.", "Two."], "b": ["Three."]},
    ),
    ("mixed list", {"prefix": "p"}, ["One.", 2, ["Three."]], {"p": ["One.", "2", "Three."]}),
    ("list in a field", {}, {"tags": [["A."], {"0": ["B."]}]}, {"tags": ["A."], "tags.0": ["B."]}),
]


@pytest.mark.parametrize(
    ("kwargs", "messages", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_flatten_paths(kwargs, messages, expected):
    result = flatten(messages, **kwargs)
    assert result == expected
    # Order too: the errors member lists fields as they were found.
    assert list(result) == list(expected)

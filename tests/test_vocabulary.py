"""One event-type vocabulary: the annotator types its events with exactly the types the
service stores and accepts."""

from __future__ import annotations

from marshmallow import validate

from annotator import EVENT_TYPES
from api.store import models
from schemas.events import EventListArgs, EventWriteSchema


def _choices(field) -> list[str]:
    (one_of,) = [v for v in field.validators if isinstance(v, validate.OneOf)]
    return list(one_of.choices)


def test_annotator_types_are_the_stored_types():
    assert list(EVENT_TYPES) == list(models.EVENT_TYPES)
    assert EVENT_TYPES == models.EVENT_TYPES  # the CAMEO codes too


def test_annotator_types_are_the_types_the_api_accepts():
    assert _choices(EventWriteSchema().fields["type"]) == list(EVENT_TYPES)
    assert _choices(EventListArgs().fields["type"].inner) == list(EVENT_TYPES)

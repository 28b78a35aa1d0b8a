"""One event-type vocabulary: the annotator types its events with exactly the types the
service stores and accepts."""

from __future__ import annotations

from pathlib import Path

from marshmallow import validate

from annotator import EVENT_TYPES, get_annotator, vocabulary
from annotator.evaluation import load_gold
from annotator.headlines import LEADS
from api.store.events.read import _EVENT
from schemas.entities import EntityWriteSchema
from schemas.events import EventListArgs, EventWriteSchema, ParticipantWriteSchema

GOLD = Path(__file__).resolve().parent.parent / "fixtures" / "gold"


def _choices(field) -> list[str]:
    (one_of,) = [v for v in field.validators if isinstance(v, validate.OneOf)]
    return list(one_of.choices)


def test_the_annotator_names_every_type_and_finds_only_known_ones():
    """Every type has a title in both languages, and every event the annotator finds on the
    gold articles has a type, kind, role and precision of the vocabulary."""
    assert all(list(labels) == list(EVENT_TYPES) for labels in LEADS.values())
    found = []
    for article in load_gold(GOLD):
        found += get_annotator().annotate(
            article.body,
            title=article.title,
            published_at=article.published_at,
            language=article.language,
        )
    assert len(found) > 20
    assert {e.type for e in found} <= set(EVENT_TYPES)
    assert {e.date_precision for e in found} <= set(vocabulary.DATE_PRECISIONS)
    assert {p.kind for e in found for p in e.participants} <= set(vocabulary.ENTITY_KINDS)
    assert {p.role for e in found for p in e.participants} <= set(vocabulary.ROLES)


def test_the_store_shows_the_cameo_code_of_every_type():
    (cameo,) = [value for name, value in _EVENT.fields if name == "cameo"]
    for kind, code in EVENT_TYPES.items():
        assert (f"WHEN '{kind}' THEN '{code}'" in cameo.expression) == (code is not None)


def test_annotator_types_are_the_types_the_api_accepts():
    assert _choices(EventWriteSchema().fields["type"]) == list(EVENT_TYPES)
    assert _choices(EventListArgs().fields["type"].inner) == list(EVENT_TYPES)


def test_the_schemas_accept_exactly_the_vocabulary():
    assert _choices(EntityWriteSchema().fields["kind"]) == list(vocabulary.ENTITY_KINDS)
    assert _choices(ParticipantWriteSchema().fields["role"]) == list(vocabulary.ROLES)
    assert _choices(EventWriteSchema().fields["date_precision"]) == list(vocabulary.DATE_PRECISIONS)

"""An event's confidence: the modelled chance that it is right, from what the text
supports of it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.events import Draft

# The weights of a logistic model of whether an event is right (matches a gold event),
# fitted on the tuning splits by bench/fit_confidence.py: named people and a cue say most,
# an umbrella named in passing least.
CONFIDENCE_WEIGHTS = {
    "persons": 0.90,
    "two_persons": 0.29,
    "written_date": 0.43,
    "venue_or_call": 0.34,
    "cue": 0.59,
    "parent": -0.20,
    "countries": 0.00,
    "umbrella": -0.63,
    "plural": 0.09,
    "many_persons": -0.20,
}
CONFIDENCE_BIAS = -0.34


def confidence_features(d: Draft, kind: str, source: str) -> dict[str, bool]:
    """What the text supports of an event, as the confidence model reads it."""
    return {
        "persons": bool(d.persons),
        "two_persons": len(d.persons) >= 2,
        "written_date": source in {"text", "relative"},
        "venue_or_call": d.venue is not None or kind == "phone-call",
        "cue": d.trigger is not None and d.umbrella_phrase is None,
        "parent": d.parent is not None,
        "countries": bool(d.countries),
        "umbrella": d.umbrella_phrase is not None,
        "plural": d.plural,
        "many_persons": len(d.persons) > 3,
    }


def confidence(d: Draft, kind: str, source: str) -> float:
    """The modelled chance that the event is right (see ``CONFIDENCE_WEIGHTS``)."""
    score = CONFIDENCE_BIAS + sum(
        CONFIDENCE_WEIGHTS[name] for name, on in confidence_features(d, kind, source).items() if on
    )
    return round(1 / (1 + math.exp(-score)), 2)

"""The event-type vocabulary: every type an event can have, with its CAMEO code.

The annotator types its events from these keys, and the service accepts exactly
these types, so both read this one table.
"""

from __future__ import annotations

# CAMEO codes: the 04x "consult" family where it applies.
EVENT_TYPES: dict[str, str | None] = {
    "multilateral-meeting": "044",
    "bilateral-meeting": "040",
    "visit": "042",
    "phone-call": "041",
    "summit": "044",
    "conference": "044",
    "negotiation": "046",
    "signing": "057",
    "statement": "010",
    "other": None,
}

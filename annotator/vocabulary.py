"""The vocabulary of events: every type an event can have (with its CAMEO code), the
review states, date precisions, kinds of entity, parts a participant plays, and the
fields evidence is for.

The annotator produces these values, the store keeps them and the API's schemas
accept exactly them, so all three read this one module (the annotator imports
nothing of the service, so the vocabulary lives on its side).
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

EVENT_STATUSES = ("auto", "reviewed", "rejected")
DATE_PRECISIONS = ("day", "month", "year")
ENTITY_KINDS = ("person", "organization", "country")
ROLES = ("host", "guest", "participant", "chair", "organizer")
# What a piece of evidence (a mention) is evidence of.
MENTION_FIELDS = ("title", "type", "date", "venue", "participant", "position", "topic")
# Longer "events" (a year-long campaign) are not events here; the bound also lets a
# `from` filter stop reading the date index a year before its date.
MAX_EVENT_DAYS = 366
# An event held within another within another...: at most this many events above it. A
# summit's sessions and their side meetings need three; the bound keeps the walk up a
# chain (each write that names a parent) short.
MAX_PARENT_DEPTH = 100

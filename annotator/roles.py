"""The roles of an event's people where the text says them: who received whom (host,
guest), a visitor and the host state's people, who chaired."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotator.analysis import Analysis

if TYPE_CHECKING:
    from annotator.events import Draft

# A cue of receiving: who is named before it hosts, who after it is the guest.
_RECEIVED = re.compile(r"^(?:принял\w*|received|welcomed|hosted)$", re.I)
# Who chairs: a person named right after these.
_CHAIRED = re.compile(
    r"(?:под председательством|председательствовал\w{0,3}(?: на (?:нем|нём|ней))?"
    r"|chaired by|under the chairmanship of)\s++(?:\S++\s++){0,8}?$",
    re.I,
)


def roles(a: Analysis, d: Draft) -> dict[int, str]:
    """Who hosted, who was the guest and who chaired, where the text says so: «X принял
    Y», "X received Y", a visitor and the host state's people, «под председательством X»."""
    found: dict[int, str] = {}
    cue = d.trigger
    first = a.sentences[min(d.sentences)] if d.sentences else None
    if cue is not None and first is not None and _RECEIVED.match(cue.text):
        for m in a.mentions:
            if m.cluster in d.persons and first.start <= m.start < first.end:
                found.setdefault(m.cluster, "host" if m.start < cue.start else "guest")
    elif d.type == "visit" and d.venue_country:
        for i in d.persons:
            found[i] = "host" if a.people[i].country == d.venue_country else "guest"
    for s in (a.sentences[i] for i in d.sentences):
        for m in a.mentions:
            if (
                m.cluster in d.persons
                and s.start <= m.start < s.end
                and _CHAIRED.search(a.body, max(s.start, m.start - 120), m.start)
            ):
                found[m.cluster] = "chair"
    return found

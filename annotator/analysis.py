"""What the pipeline finds in one article before events are assembled: the
:class:`Analysis` that :mod:`annotator.events` reads, and the body's dateline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from annotator.countries import CountryMention
from annotator.dates import DateMention
from annotator.orgs import OrgMention
from annotator.people import Person, PersonMention, Position
from annotator.places import Place, PlaceMention
from annotator.text import Sentence, Token


@dataclass
class Dateline:
    """Where the running text of the body begins: after the source («Kazinform (KZ) - ») and
    the city dateline («Бишкек, 10 ноября.», "BRUSSELS –") when there is one."""

    place: Place | None
    start: int
    end: int  # where the running text begins


@dataclass
class Analysis:
    """Everything found in one article before events are assembled."""

    body: str
    title: str
    published: dt.date
    lang: str
    tokens: list[Token]
    sentences: list[Sentence]
    countries: list[CountryMention]
    orgs: list[OrgMention]
    places: list[PlaceMention]
    dates: list[DateMention]
    mentions: list[PersonMention]
    people: list[Person]
    refs: list[Position]
    dateline: Dateline | None
    title_places: list[PlaceMention] = field(default_factory=list)

"""The event list's query: which index leads a page, and every filter as a condition.

A page is read by walking one index in date order and stopping after a page,
so its cost does not grow with the store. The index is chosen from the
filters: the most selective single-valued one that has a date-ordered index
of its own leads (a participant, a venue, a topic...), else the search
documents of a common word (``q``); every other filter is checked on the rows
it yields, by a primary-key lookup (``EXISTS``).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator

import peewee as pw

from annotator.vocabulary import MAX_EVENT_DAYS
from api.store import search
from api.store.filters import FilterSet, apply
from api.store.models import (
    Event,
    EventArticle,
    EventCountry,
    EventTopic,
    Participant,
)
from api.store.order import Order

# Filters kept in a table of (key, start_date, event) rows, indexed in that order.
POSTINGS = {
    "participant": (Participant, Participant.entity),
    "topic": (EventTopic, EventTopic.topic),
    "country": (EventCountry, EventCountry.country),
}
# Filters on a column of the event, each indexed with (start_date, id).
COLUMNS = {
    "venue": Event.venue,
    "parent": Event.parent,
    "venue_country": Event.venue_country,
    "type": Event.type,
    "status": Event.status,
}
# Which filter leads a page when several are given: the usually most selective first.
LEADS = ("participant", "venue", "parent", "topic", "country", "venue_country", "type", "status")

# What a page reads of each event: its sort keys (the store's own values, unconverted:
# they only go back into a cursor). The documents come after (api.store.events.read).
ROW = (Event.id, Event.start_date.coerce(False))


def _has(name: str, args: dict) -> bool:
    return args.get(name) not in (None, [])


def _exists(model, key: pw.Field, values) -> pw.Node:
    """Events with a row of ``model`` (a link table keyed by (event, key)) for any of ``values``.

    One primary-key probe per value, ORed: each finds at most one row, so no planner can
    multiply an event by rewriting the check into a join. (SQLite 3.51.1 rewrites
    ``EXISTS (... key IN (a, b))`` into one and answered an event once per matching value.)
    """
    probes = [
        pw.fn.EXISTS(model.select(pw.SQL("1")).where((model.event == Event.id) & (key == value)))
        for value in dict.fromkeys(values)
    ]
    return functools.reduce(operator.or_, probes)


def _earliest_start(day: dt.date) -> dt.date:
    # An event lasts at most MAX_EVENT_DAYS: an earlier start cannot reach `from`, and
    # saying so bounds the date index a page walks. Within MAX_EVENT_DAYS of 0001-01-01
    # the bound is the first date there is (subtracting would overflow).
    if (day - dt.date.min).days <= MAX_EVENT_DAYS:
        return dt.date.min
    return day - dt.timedelta(days=MAX_EVENT_DAYS)


def _from(day: dt.date, date_field: pw.Field = Event.start_date) -> pw.Node:
    return (Event.end_date >= day) & (date_field >= _earliest_start(day))


def _column(column: pw.Field):
    return lambda values: column.in_(values)


def _posting(name: str):
    model, key = POSTINGS[name]
    return lambda values: _exists(model, key, values)


# Every filter of the event list as a condition on Event (filters.apply): the one
# filter mechanism, shared with the aggregates.
EVENT_FILTERS: FilterSet = {
    **{name: _posting(name) for name in POSTINGS},
    **{name: _column(column) for name, column in COLUMNS.items()},
    "article": lambda ids: _exists(EventArticle, EventArticle.article, ids),
    "from_": _from,
    "to": lambda day: Event.start_date <= day,
    "q": search.event_condition,
    "updated_since": lambda since: Event.updated_at >= since,
}


def event_query(args: dict) -> tuple[pw.ModelSelect, Order]:
    """The query of the events ``args`` ask for, and the order it pages in."""
    sort = args.get("sort", "-start_date")
    descending = sort.startswith("-")
    # A repeated filter holding one value (`topic=a&topic=a`) leads as that value would.
    lead = next((n for n in LEADS if _has(n, args) and len(set(args[n])) == 1), None)
    query = Event.select(*ROW)
    if lead is None and args.get("q"):
        found = search.few_events(args["q"])
        if found is None:  # a common word: its search documents lead, in date order
            start_after = args.get("from_") and _earliest_start(args["from_"])
            query, order = search.walk(ROW, args["q"], sort, start_after, args.get("to"))
            return apply(query, {**args, "q": None}, EVENT_FILTERS), order
        query = query.where(Event.id.in_(found))  # a rare one: its few events, sorted
        args = {**args, "q": None}
    if lead not in POSTINGS:
        order = Order(sort, (Event.start_date, Event.id), descending)
        return apply(query, args, EVENT_FILTERS), order
    model, key = POSTINGS[lead]
    query = query.join(model, on=(model.event == Event.id)).where(key == args[lead][0])
    # The date bounds again on the leading table's copy of the date, to narrow its index.
    if args.get("to") is not None:
        query = query.where(model.start_date <= args["to"])
    if args.get("from_") is not None:
        query = query.where(_from(args["from_"], model.start_date))
    rest = {name: value for name, value in args.items() if name != lead}
    order = Order(sort, (model.start_date, model.event), descending, attrs=("start_date", "id"))
    return apply(query, rest, EVENT_FILTERS), order

"""Aggregates over the event list: counts per bucket, and who met whom.

Each aggregate is one GROUP BY over an index of the bucket's column, narrowed
by the same filters as the event list (``EVENT_FILTERS``); with no filter the
event table is not read at all for the link-table buckets.
"""

from __future__ import annotations

import datetime as dt

import peewee as pw
import pycountry
from flask.views import MethodView

from api.http.blueprint import Blueprint
from api.http.errors import FieldErrors
from api.store.dialect import dialect
from api.store.entities import get_entity
from api.store.events.query import EVENT_FILTERS
from api.store.events.read import entity_brief, place_brief
from api.store.filters import apply
from api.store.models import Entity, Event, EventTopic, Participant, Place, Topic
from schemas.aggregates import AggregateArgs, AggregateSchema, NetworkArgs, NetworkSchema

blp = Blueprint(
    "aggregates",
    __name__,
    url_prefix="/v1",
    description="Counts of events per topic, country, participant, venue, type, month or day, "
    "and the co-participation network of an entity.",
)

MAX_DAYS = 3660  # ten years of days
MAX_MONTHS = 1200  # a century of months


def _filtered(args: dict) -> bool:
    return any(args.get(name) not in (None, []) for name in EVENT_FILTERS)


def _narrow(query: pw.ModelSelect, event_column: pw.Field, args: dict) -> pw.ModelSelect:
    """``query`` over a link table, kept to the events matching ``args``."""
    if not _filtered(args):
        return query
    return query.where(event_column.in_(apply(Event.select(Event.id), args, EVENT_FILTERS)))


def _ranked(query: pw.ModelSelect, key: pw.Node, count: pw.Node, top: int) -> list[tuple]:
    rows = query.group_by(key).order_by(count.desc(), key).limit(top + 1).tuples()
    return list(rows)


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def by_topic(args: dict, top: int) -> list[dict]:
    count = pw.fn.COUNT(EventTopic.event)
    query = _narrow(EventTopic.select(EventTopic.topic, count), EventTopic.event, args)
    rows = _ranked(query, EventTopic.topic, count, top)
    labels = dict(
        Topic.select(Topic.slug, Topic.label_en)
        .where(Topic.slug.in_([r[0] for r in rows]))
        .tuples()
    )
    return [{"key": slug, "label": labels.get(slug, slug), "count": n} for slug, n in rows]


def by_participant(args: dict, top: int) -> list[dict]:
    count = pw.fn.COUNT(Participant.event)
    query = Participant.select(Participant.entity, count)
    if args.get("kind"):
        query = query.join(Entity).where(Entity.kind.in_(args["kind"]))
    rows = _ranked(_narrow(query, Participant.event, args), Participant.entity, count, top)
    entities = {e.id: e for e in Entity.select().where(Entity.id.in_([r[0] for r in rows]))}
    return [
        {"key": str(i), "label": entities[i].name, "count": n, "entity": entity_brief(entities[i])}
        for i, n in rows
    ]


def by_country(args: dict, top: int) -> list[dict]:
    # An event counts once per country, however many of its participants are from there.
    count = pw.fn.COUNT(Participant.event.distinct())
    query = (
        Participant.select(Entity.country, count).join(Entity).where(Entity.country.is_null(False))
    )
    rows = _ranked(_narrow(query, Participant.event, args), Entity.country, count, top)
    return [{"key": code, "label": _country_name(code), "count": n} for code, n in rows]


def by_venue(args: dict, top: int) -> list[dict]:
    count = pw.fn.COUNT(Event.id)
    query = apply(Event.select(Event.venue, count), args, EVENT_FILTERS)
    rows = _ranked(query.where(Event.venue.is_null(False)), Event.venue, count, top)
    places = {p.id: p for p in Place.select().where(Place.id.in_([r[0] for r in rows]))}
    return [
        {"key": str(i), "label": places[i].name, "count": n, "place": place_brief(places[i])}
        for i, n in rows
    ]


def by_type(args: dict, top: int) -> list[dict]:
    count = pw.fn.COUNT(Event.id)
    query = apply(Event.select(Event.type, count), args, EVENT_FILTERS)
    return [{"key": t, "label": t, "count": n} for t, n in _ranked(query, Event.type, count, top)]


def _month_of(column: pw.Field) -> pw.Node:
    return dialect().month_of(column)


def _months_after(first: dt.date, n: int) -> dt.date:
    months = first.month - 1 + n
    return dt.date(first.year + months // 12, months % 12 + 1, 1)


def _days_after(first: dt.date, n: int) -> dt.date:
    return first + dt.timedelta(days=n)


def _month_label(day: dt.date) -> str:
    return day.isoformat()[:7]  # not strftime("%Y"): it writes year 999 as "999", not "0999"


def timeline(args: dict, unit: str) -> list[dict]:
    """Counts per start month or day, with zeros filling every gap.

    The span runs from the first bucket with events to the last, widened to
    ``from``/``to`` when given. Longer than ``MAX_DAYS`` days or ``MAX_MONTHS``
    months is a 422: narrow it with ``from`` and ``to``.
    """
    key = Event.start_date if unit == "day" else _month_of(Event.start_date)
    count = pw.fn.COUNT(Event.id)
    query = apply(Event.select(key, count), args, EVENT_FILTERS).group_by(key).tuples()
    counts = {}
    for bucket, n in query:
        day = bucket if isinstance(bucket, dt.date) else dt.date.fromisoformat(f"{bucket}-01"[:10])
        counts[day if unit == "day" else day.replace(day=1)] = n
    bounds = list(counts) + [d for d in (args.get("from_"), args.get("to")) if d]
    if not bounds:
        return []
    first, last = min(bounds), max(bounds)
    if unit == "month":
        first, last = first.replace(day=1), last.replace(day=1)
        size = (last.year - first.year) * 12 + last.month - first.month + 1
        limit, nth, label = MAX_MONTHS, _months_after, _month_label
    else:
        size = (last - first).days + 1
        limit, nth, label = MAX_DAYS, _days_after, dt.date.isoformat
    if size > limit:
        raise FieldErrors(
            {
                "by": [
                    f"The timeline would have {size} {unit}s (at most {limit}): "
                    "narrow it with `from` and `to`."
                ]
            }
        )
    # Bucket n counted from the first, never a step past the last: after 9999-12-31
    # there is no date to step to.
    days = (nth(first, n) for n in range(size))
    return [{"key": label(d), "label": label(d), "count": counts.get(d, 0)} for d in days]


RANKED = {
    "topic": by_topic,
    "participant": by_participant,
    "country": by_country,
    "venue": by_venue,
    "type": by_type,
}


def aggregate(args: dict) -> dict:
    """Counts of the events matching ``args`` per ``args["by"]`` bucket."""
    by = args["by"]
    total = apply(Event.select(Event.id), args, EVENT_FILTERS).count()
    if by in RANKED:
        top = args["top"]
        buckets = RANKED[by](args, top)
        meta = {"top": top, "truncated": len(buckets) > top}
        buckets = buckets[:top]
    else:
        buckets = timeline(args, by)
        meta = {"top": None, "truncated": False}
    return {"by": by, "total": total, "buckets": buckets, "meta": meta}


def network(entity: Entity, args: dict) -> dict:
    """Whom ``entity`` took part in events with (matching ``args``), most often first."""
    top = args["top"]
    own = Participant.alias("own")
    other = Participant.alias("other")
    count = pw.fn.COUNT(Event.id)
    query = (
        other.select(other.entity, count, pw.fn.MIN(Event.start_date), pw.fn.MAX(Event.end_date))
        .join(own, on=(own.event == other.event))
        .join_from(other, Event, on=(Event.id == other.event))
        .where((own.entity == entity.id) & (other.entity != entity.id))
    )
    if args.get("kind"):
        query = query.join_from(other, Entity, on=(Entity.id == other.entity)).where(
            Entity.kind.in_(args["kind"])
        )
    query = apply(query, args, EVENT_FILTERS)
    rows = list(
        query.group_by(other.entity).order_by(count.desc(), other.entity).limit(top + 1).tuples()
    )
    entities = {e.id: e for e in Entity.select().where(Entity.id.in_([r[0] for r in rows]))}
    total = apply(
        Event.select(Event.id).join(Participant).where(Participant.entity == entity.id),
        args,
        EVENT_FILTERS,
    ).count()
    return {
        "entity": entity_brief(entity),
        "total": total,
        "partners": [
            {
                "entity": entity_brief(entities[i]),
                "count": n,
                "first_date": first,
                "last_date": last,
            }
            for i, n, first, last in rows[:top]
        ],
        "meta": {"top": top, "truncated": len(rows) > top},
    }


@blp.route("/events/aggregate")
class EventAggregate(MethodView):
    @blp.arguments(AggregateArgs, location="query")
    @blp.response(200, AggregateSchema)
    def get(self, args):
        """Count events per bucket.

        Takes every filter of the event list and counts the matching events
        per topic, participant country, participant, venue or type (largest
        first, `top` of them), or per start month or day as a timeline with
        zeros in the gaps. An event with several topics or participants
        counts once in each of their buckets.
        """
        return aggregate(args)


@blp.route("/entities/<int:entity_id>/network")
class EntityNetwork(MethodView):
    @blp.arguments(NetworkArgs, location="query")
    @blp.response(200, NetworkSchema)
    @blp.problem(404, "No such entity")
    def get(self, args, entity_id):
        """List whom an entity met.

        The entities that took part in the same events (matching every
        filter of the event list), how many times, and the dates of the
        first and last such event; most frequent first.
        """
        return network(get_entity(entity_id), args)

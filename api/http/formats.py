"""Events in other formats: CSV, JSON-LD (schema.org), iCalendar and GeoJSON.

The renderers are pure functions from the event dicts of ``load_events`` to
bytes. ``negotiated`` is the one place a view picks the format, from
``format=`` first, then the ``Accept`` header (JSON when neither says).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import functools
import io
import json
from collections.abc import Callable

import icalendar
from flask import Response, request

from annotator.vocabulary import EVENT_TYPES
from api.http.errors import Problem
from api.http.responses import json_response
from api.store.models import Entity, Event, Place

JSON = "application/json"
# Entity id -> Wikidata id, place id -> GeoNames id.
Links = tuple[dict[int, str], dict[int, int]]
MEDIA_TYPES = {
    "json": JSON,
    "csv": "text/csv",
    "jsonld": "application/ld+json",
    "ics": "text/calendar",
    "geojson": "application/geo+json",
}
CSV_COLUMNS = (
    "id",
    "title",
    "type",
    "start_date",
    "end_date",
    "date_precision",
    "status",
    "confidence",
    "venue_id",
    "venue",
    "venue_country",
    "lat",
    "lon",
    "parent_id",
    "participant_ids",
    "participants",
    "countries",
    "topics",
    "article_ids",
    "created_at",
    "updated_at",
    # Added after the first columns, so readers by position keep working. The participant_*
    # lists are aligned with participant_ids and participants: item i is participant i.
    "participant_kinds",
    "participant_countries",
    "participant_roles",
    "participant_positions",
    "cameo",
)
# Cells that are numbers (or lists of them) as written here: never a formula, and a negative
# coordinate must stay a number. Every other cell is text and is neutralised (`_cell`).
CSV_NUMERIC = frozenset(
    ("id", "confidence", "venue_id", "lat", "lon", "parent_id", "participant_ids", "article_ids")
)
# What a spreadsheet reads as the start of a formula (OWASP "CSV Injection"), and the quote
# itself, so that one leading quote is always ours and a reader can drop it.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
UTF8_BOM = "\ufeff".encode()
# A country taking part in an event is outside schema.org's range of `attendee` (Person or
# Organization): it takes part through its government, so the attendee is that
# GovernmentOrganization (its own id, a fragment of the entity's), whose `areaServed` is the
# Country itself (the entity's id and links). Readers keep every attendee a valid one, and
# the country stays a Country.
SCHEMA_TYPES = {"person": "Person", "organization": "Organization"}
ICAL_STATUS = {"auto": "TENTATIVE", "reviewed": "CONFIRMED", "rejected": "CANCELLED"}
JOIN = "; "
WIKIDATA = "https://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/{}/"


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _stamp(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --- CSV ----------------------------------------------------------------------


def _join(items) -> str:
    """Items in one cell, split back exactly: ``"; "`` between them, and within an item a
    backslash before each backslash and each semicolon (``a;b`` is ``a\\;b``), so the only
    bare ``;`` is a separator. A missing value (``None``) is an empty item."""
    return JOIN.join(_text(x).replace("\\", "\\\\").replace(";", "\\;") for x in items)


def _cell(column: str, value) -> str:
    """A cell's text; a text cell that a spreadsheet would take for a formula (or that
    starts with a quote) gets a ``'`` in front: drop one leading ``'`` to read it back."""
    text = _text(value)
    if column not in CSV_NUMERIC and text.startswith(CSV_FORMULA_STARTS):
        return "'" + text
    return text


def events_csv(events: list[dict], *, bom: bool = False, **_) -> bytes:
    """One row per event under a header; UTF-8 (with a byte order mark when ``bom``), CRLF.

    Lists are joined by ``_join``; text cells are neutralised by ``_cell``.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        venue = e.get("venue") or {}
        participants = e["participants"]
        entities = [p["entity"] for p in participants]
        countries = dict.fromkeys(x["country"] for x in entities if x.get("country"))
        row = {
            **{k: e.get(k) for k in CSV_COLUMNS},
            "venue_id": venue.get("id"),
            "venue": venue.get("name"),
            "venue_country": venue.get("country"),
            "lat": venue.get("lat"),
            "lon": venue.get("lon"),
            "participant_ids": _join(x["id"] for x in entities),
            "participants": _join(x["name"] for x in entities),
            "countries": _join(countries),
            "topics": _join(t["slug"] for t in e["topics"]),
            "article_ids": _join(a["id"] for a in e["articles"]),
            "participant_kinds": _join(x["kind"] for x in entities),
            "participant_countries": _join(x.get("country") for x in entities),
            "participant_roles": _join(p.get("role") for p in participants),
            "participant_positions": _join(p.get("position") for p in participants),
            "cameo": e.get("cameo", EVENT_TYPES.get(e.get("type"))),
        }
        writer.writerow([_cell(k, row[k]) for k in CSV_COLUMNS])
    return (UTF8_BOM if bom else b"") + out.getvalue().encode("utf-8")


# --- JSON-LD (schema.org) ---------------------------------------------------------


def event_jsonld(
    e: dict,
    base: str,
    children: dict[int, list[int]] | None = None,
    links: Links | None = None,
) -> dict:
    """One event as a schema.org ``Event`` (without ``@context``); ``links`` are the
    Wikidata ids of its entities and the GeoNames ids of its venue (``same_as``)."""
    wikidata, geonames = links or ({}, {})
    node: dict = {
        "@type": "Event",
        "@id": f"{base}/v1/events/{e['id']}",
        "identifier": e["id"],
        "name": e["title"],
        "startDate": _text(e["start_date"]),
        "endDate": _text(e["end_date"]),
    }
    venue = e.get("venue")
    if venue:
        node["location"] = _jsonld_place(venue, base, geonames)
    attendees = [_jsonld_attendee(p, base, wikidata) for p in e["participants"]]
    if attendees:
        node["attendee"] = attendees
    if e["topics"]:
        node["about"] = [_jsonld_topic(t, base) for t in e["topics"]]
    _add_jsonld_family(node, e, base, children)
    if e["articles"]:
        node["subjectOf"] = [_jsonld_article(a, base) for a in e["articles"]]
    return node


def _jsonld_place(venue: dict, base: str, geonames: dict[int, int]) -> dict:
    """The venue as a schema.org ``Place``."""
    place: dict = {
        "@type": "Place",
        "@id": f"{base}/v1/places/{venue['id']}",
        "name": venue["name"],
    }
    if venue.get("aliases"):
        place["alternateName"] = venue["aliases"]
    if geonames.get(venue["id"]):
        place["sameAs"] = GEONAMES.format(geonames[venue["id"]])
    if venue.get("country"):
        place["address"] = {"@type": "PostalAddress", "addressCountry": venue["country"]}
    if venue.get("lat") is not None and venue.get("lon") is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": venue["lat"],
            "longitude": venue["lon"],
        }
    return place


def _jsonld_attendee(p: dict, base: str, wikidata: dict[int, str]) -> dict:
    """A participant as an ``attendee``: a Person, an Organization, or a country's
    GovernmentOrganization (see ``SCHEMA_TYPES``)."""
    entity = p["entity"]
    url = f"{base}/v1/entities/{entity['id']}"
    if entity["kind"] == "country":
        who = _jsonld_government(entity, url)
    else:
        who = {"@type": SCHEMA_TYPES.get(entity["kind"], "Organization"), "@id": url}
    who["name"] = entity["name"]
    if entity.get("aliases"):
        who["alternateName"] = entity["aliases"]
    if wikidata.get(entity["id"]):
        # The Wikidata item is the country's (areaServed), or the person's or body's.
        who.get("areaServed", who)["sameAs"] = WIKIDATA + wikidata[entity["id"]]
    if entity["kind"] == "person":
        _add_jsonld_person(who, p, entity)
    return who


def _jsonld_government(entity: dict, url: str) -> dict:
    """A country's government (its own id, a fragment of the entity's), serving the
    Country itself."""
    country = {"@type": "Country", "@id": url, "name": entity["name"]}
    if entity.get("country"):
        country["identifier"] = entity["country"]
    return {"@type": "GovernmentOrganization", "@id": f"{url}#government", "areaServed": country}


def _add_jsonld_person(who: dict, p: dict, entity: dict) -> None:
    """A person's position in the event and nationality."""
    if p.get("position"):
        who["jobTitle"] = p["position"]
    if entity.get("country"):
        who["nationality"] = {"@type": "Country", "identifier": entity["country"]}


def _jsonld_topic(t: dict, base: str) -> dict:
    return {
        "@type": "DefinedTerm",
        "@id": f"{base}/v1/topics/{t['slug']}",
        "termCode": t["slug"],
        "name": t["label"],
        "inDefinedTermSet": f"{base}/v1/topics",
    }


def _jsonld_event_ref(base: str, event_id: int) -> dict:
    return {"@type": "Event", "@id": f"{base}/v1/events/{event_id}"}


def _add_jsonld_family(node: dict, e: dict, base: str, children) -> None:
    """The event's parent (``superEvent``) and children (``subEvent``)."""
    if e.get("parent_id"):
        node["superEvent"] = _jsonld_event_ref(base, e["parent_id"])
    subs = (children or {}).get(e["id"])
    if subs:
        node["subEvent"] = [_jsonld_event_ref(base, i) for i in subs]


def _jsonld_article(a: dict, base: str) -> dict:
    return {
        "@type": "NewsArticle",
        "@id": f"{base}/v1/articles/{a['id']}",
        "headline": a["title"],
        "datePublished": _text(a["published_at"]),
    }


def events_jsonld(
    events: list[dict], *, base: str, many: bool = True, children=None, links=None, **_
) -> bytes:
    """A ``@graph`` of schema.org ``Event``s (one ``Event`` when not ``many``)."""
    nodes = [event_jsonld(e, base, children, links) for e in events]
    body = {"@graph": nodes} if many else nodes[0]
    doc = {"@context": "https://schema.org", **body}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


# --- iCalendar (RFC 5545) -----------------------------------------------------------


def calendar_span(e: dict) -> tuple[dt.date, dt.date]:
    """The all-day span of an event: its first and last day (both included).

    RFC 5545 has no imprecise dates: a date known to the month (or year) only is shown
    as the whole month (or year) it lies in, from the 1st of its first to the last day
    of its last, and marked TRANSPARENT (not busy time: the event takes some day of it).
    """
    start, end = _day(e["start_date"]), _day(e["end_date"])
    precision = e.get("date_precision") or "day"
    if precision == "month":
        return start.replace(day=1), end.replace(day=calendar.monthrange(end.year, end.month)[1])
    if precision == "year":
        return dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)
    return start, end


def _add_span(item: icalendar.Event, first: dt.date, last: dt.date) -> None:
    """DTSTART and the exclusive DTEND, the day after ``last``; for a span ending on
    9999-12-31 there is no day after (an iCalendar DATE has four digits of year), so the
    span is said as DTSTART and a DURATION of whole days instead (RFC 5545 3.6.1, 3.8.2.5)."""
    item.add("dtstart", first)
    if last < dt.date.max:
        item.add("dtend", last + dt.timedelta(days=1))
    else:
        item.add("duration", dt.timedelta(days=(last - first).days + 1))


def events_ics(events: list[dict], *, base: str, **_) -> bytes:
    """A VCALENDAR with one all-day VEVENT per event (DTEND exclusive, stable UID)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Annals//Annals API//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Annals events")
    for e in events:
        url = f"{base}/v1/events/{e['id']}"
        item = icalendar.Event()
        item.add("uid", url)
        item.add("dtstamp", _stamp(e.get("updated_at") or dt.datetime.now(dt.UTC)))
        item.add("summary", e["title"])
        _add_span(item, *calendar_span(e))
        if e.get("date_precision") in ("month", "year"):
            item.add("transp", "TRANSPARENT")  # some day of it, not all of it
        item.add("status", ICAL_STATUS.get(e["status"], "TENTATIVE"))
        item.add("url", url)
        if e.get("created_at"):
            item.add("created", _stamp(e["created_at"]))
        if e.get("updated_at"):
            item.add("last-modified", _stamp(e["updated_at"]))
        venue = e.get("venue")
        if venue:
            where = venue["name"] + (f", {venue['country']}" if venue.get("country") else "")
            item.add("location", where)
            if venue.get("lat") is not None and venue.get("lon") is not None:
                item.add("geo", (venue["lat"], venue["lon"]))
        if e["topics"]:
            item.add("categories", [t["label"] for t in e["topics"]])
        imprecise = e.get("date_precision") in ("month", "year")
        lines = [f"Date known to the {e['date_precision']} only."] if imprecise else []
        lines += [
            p["entity"]["name"] + (f" ({p['position']})" if p.get("position") else "")
            for p in e["participants"]
        ]
        lines += [f"{base}/v1/articles/{a['id']}: {a['title']}" for a in e["articles"]]
        if lines:
            item.add("description", "\n".join(lines))
        if e.get("parent_id"):
            item.add("related-to", f"{base}/v1/events/{e['parent_id']}", {"RELTYPE": "PARENT"})
        cal.add_component(item)
    return cal.to_ical()


# --- GeoJSON (RFC 7946) -------------------------------------------------------------


def event_feature(e: dict, base: str) -> dict:
    """One event as a Feature at its venue; ``geometry`` is null without coordinates."""
    venue = e.get("venue") or {}
    geometry = None
    if venue.get("lat") is not None and venue.get("lon") is not None:
        geometry = {"type": "Point", "coordinates": [venue["lon"], venue["lat"]]}
    return {
        "type": "Feature",
        "id": e["id"],
        "geometry": geometry,
        "properties": {
            "title": e["title"],
            "type": e["type"],
            "start_date": _text(e["start_date"]),
            "end_date": _text(e["end_date"]),
            "status": e["status"],
            "venue_id": venue.get("id"),
            "venue": venue.get("name"),
            "venue_country": venue.get("country"),
            "participants": [p["entity"]["name"] for p in e["participants"]],
            "topics": [t["slug"] for t in e["topics"]],
            "url": f"{base}/v1/events/{e['id']}",
        },
    }


def events_geojson(events: list[dict], *, base: str, many: bool = True, **_) -> bytes:
    """A FeatureCollection (a Feature when not ``many``), one feature per event."""
    features = [event_feature(e, base) for e in events]
    doc = {"type": "FeatureCollection", "features": features} if many else features[0]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


RENDERERS: dict[str, Callable[..., bytes]] = {
    "csv": events_csv,
    "jsonld": events_jsonld,
    "ics": events_ics,
    "geojson": events_geojson,
}
CHARSET = {"csv": "; charset=utf-8", "ics": "; charset=utf-8"}
FILENAMES = {"csv": "events.csv", "ics": "events.ics"}


# --- Negotiation --------------------------------------------------------------------


def choose(format_arg: str | None) -> str:
    """The format: ``format=`` if given, else the best the ``Accept`` header takes; 406 if none."""
    if format_arg:
        return format_arg
    accept = request.accept_mimetypes
    if not accept:
        return "json"
    by_type = {media: name for name, media in MEDIA_TYPES.items()}
    best = accept.best_match(list(by_type), default=None)
    if best is None:
        offered = ", ".join(MEDIA_TYPES.values())
        raise Problem(406, f"None of the accepted types is offered here; offered: {offered}.")
    return by_type[best]


def children_of(ids: list[int]) -> dict[int, list[int]]:
    """The sub-events of each of ``ids``."""
    out: dict[int, list[int]] = {}
    query = (
        Event.select(Event.parent, Event.id)
        .where(Event.parent.in_(ids))
        .order_by(Event.parent, Event.id)
        .tuples()
    )
    for parent, child in query:
        out.setdefault(parent, []).append(child)
    return out


def same_as(events: list[dict]) -> Links:
    """The Wikidata ids of the events' entities and the GeoNames ids of their venues."""
    entity_ids = {p["entity"]["id"] for e in events for p in e["participants"]}
    place_ids = {e["venue"]["id"] for e in events if e.get("venue")}
    wikidata = dict(
        Entity.select(Entity.id, Entity.wikidata_id)
        .where(Entity.id.in_(sorted(entity_ids)), Entity.wikidata_id.is_null(False))
        .tuples()
    )
    geonames = dict(
        Place.select(Place.id, Place.geonames_id)
        .where(Place.id.in_(sorted(place_ids)), Place.geonames_id.is_null(False))
        .tuples()
    )
    return wikidata, geonames


def render(fmt: str, events: list[dict], *, many: bool, bom: bool = False) -> tuple[bytes, str]:
    """``events`` in ``fmt``: the bytes and the Content-Type (``bom``: CSV only)."""
    base = request.host_url.rstrip("/")
    children = links = None
    if fmt == "jsonld" and events:
        children = children_of([e["id"] for e in events])
        links = same_as(events)
    content = RENDERERS[fmt](events, base=base, many=many, children=children, links=links, bom=bom)
    return content, MEDIA_TYPES[fmt] + CHARSET.get(fmt, "")


def _unpack(result) -> tuple[object, int, dict]:
    if isinstance(result, tuple):
        body, status, *rest = (*result, 200) if len(result) == 1 else result
        return body, status, dict(rest[0]) if rest else {}
    return result, 200, {}


_OTHER_FORMATS_DOC = {
    "csv": (
        {"type": "string"},
        "One row per event with a header; lists joined by `; ` (`\\` and `;` within an item "
        "escaped by a `\\`); a text cell starting with `=`, `+`, `-`, `@`, a tab, a carriage "
        "return or `'` has a `'` put in front (`bom=true`: a UTF-8 byte order mark first).",
    ),
    "jsonld": ({"type": "object"}, "schema.org `Event`s as JSON-LD."),
    "ics": ({"type": "string"}, "iCalendar (RFC 5545): one all-day `VEVENT` per event."),
    "geojson": (
        {"type": "object"},
        "GeoJSON: one feature per event at its venue (null geometry without coordinates).",
    ),
}


# The seed's OSCE Ministerial Council (event 1) in each format, for the document's examples.
_SEED_TITLE = "32-е заседание Совета министров иностранных дел ОБСЕ"
_SEED_URL = "http://127.0.0.1:8000/v1/events/1"
_SEED_CSV = (
    "id,title,type,start_date,end_date,date_precision,status,confidence,venue_id,venue,"
    "venue_country,lat,lon,parent_id,participant_ids,participants,countries,topics,"
    "article_ids,created_at,updated_at,participant_kinds,participant_countries,"
    "participant_roles,participant_positions,cameo\r\n"
    f"1,{_SEED_TITLE},multilateral-meeting,2025-12-05,2025-12-05,day,reviewed,,1,Vienna,AT,"
    "48.20849,16.37208,,1,ОБСЕ,AT,diplomacy; security,1,2025-12-05T12:00:00+00:00,"
    "2025-12-05T12:00:00+00:00,organization,AT,organizer,,044\r\n"
)
_SEED_ICS = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Annals//Annals API//EN",
        "BEGIN:VEVENT",
        f"SUMMARY:{_SEED_TITLE}",
        "DTSTART;VALUE=DATE:20251205",
        "DTEND;VALUE=DATE:20251206",
        f"UID:{_SEED_URL}",
        "CATEGORIES:Diplomacy,Security",
        "GEO:48.20849;16.37208",
        "LOCATION:Vienna\\, AT",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)
_SEED_JSONLD = {
    "@type": "Event",
    "@id": _SEED_URL,
    "identifier": 1,
    "name": _SEED_TITLE,
    "startDate": "2025-12-05",
    "endDate": "2025-12-05",
    "location": {"@type": "Place", "name": "Vienna", "alternateName": ["Вена", "Wien"]},
    "attendee": [{"@type": "Organization", "name": "ОБСЕ", "alternateName": ["OSCE"]}],
}
_SEED_FEATURE = {
    "type": "Feature",
    "id": 1,
    "geometry": {"type": "Point", "coordinates": [16.37208, 48.20849]},
    "properties": {
        "title": _SEED_TITLE,
        "type": "multilateral-meeting",
        "start_date": "2025-12-05",
        "venue": "Vienna",
        "participants": ["ОБСЕ"],
        "url": _SEED_URL,
    },
}


def format_example(fmt: str, *, many: bool):
    """What the document shows as an answer in ``fmt`` (of one event, or a list of it)."""
    if fmt == "csv":
        return _SEED_CSV
    if fmt == "ics":
        return _SEED_ICS
    if fmt == "jsonld":
        context = {"@context": "https://schema.org"}
        return {**context, "@graph": [_SEED_JSONLD]} if many else {**context, **_SEED_JSONLD}
    return {"type": "FeatureCollection", "features": [_SEED_FEATURE]} if many else _SEED_FEATURE


def negotiated(blp, *, many: bool):
    """Serve a view's events (a list envelope when ``many``, else one event) in any format.

    The view gets the parsed query ``args`` (``format`` set to the one chosen) when
    ``many``, and nothing of it otherwise. Other formats keep the view's headers (``Link``).
    """

    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, args, *rest, **kwargs):
            fmt = choose(args.get("format"))
            args = {**args, "format": fmt}
            result = func(self, args, *rest, **kwargs) if many else func(self, *rest, **kwargs)
            body, status, headers = _unpack(result)
            if fmt == "json":
                # The hot path: the dicts are already the documented shape, so they go
                # straight to bytes (orjson), not through the schema's dump once more.
                response = json_response(body, status, headers)
                response.vary.add("Accept")
                return response
            events = body["data"] if many else [body]
            bom = fmt == "csv" and bool(args.get("bom"))
            content, media_type = render(fmt, events, many=many, bom=bom)
            response = Response(content, status=status, content_type=media_type)
            for name, value in headers.items():
                response.headers[name] = value
            etag = headers.get("ETag")
            if etag and etag.endswith('"'):
                # Each representation is its own entity: its tag must differ from JSON's.
                response.headers["ETag"] = f'{etag[:-1]}-{fmt}{"-bom" if bom else ""}"'
            if fmt in FILENAMES:
                response.headers["Content-Disposition"] = f'inline; filename="{FILENAMES[fmt]}"'
            response.vary.add("Accept")
            return response

        documented = wrapper
        for fmt, (schema, description) in _OTHER_FORMATS_DOC.items():
            documented = blp.alt_response(
                200,
                schema={**schema, "description": description},
                content_type=MEDIA_TYPES[fmt],
                success=True,
                example=format_example(fmt, many=many),
            )(documented)
        return blp.problem(406, "No offered format is acceptable (and no `format=` given)")(
            documented
        )

    return decorator

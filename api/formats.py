"""Events in other formats: CSV, JSON-LD (schema.org), iCalendar and GeoJSON.

The renderers are pure functions from the event dicts of ``load_events`` to
bytes. ``negotiated`` is the one place a view picks the format, from
``format=`` first, then the ``Accept`` header (JSON when neither says).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from collections.abc import Callable

import icalendar
from flask import Response, request

from api.errors import Problem
from api.models import Event
from api.responses import json_response

JSON = "application/json"
MEDIA_TYPES = {
    "json": JSON,
    "csv": "text/csv",
    "jsonld": "application/ld+json",
    "ics": "text/calendar",
    "geojson": "application/geo+json",
}
FORMATS = tuple(MEDIA_TYPES)
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
)
SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "country": "Country"}
ICAL_STATUS = {"auto": "TENTATIVE", "reviewed": "CONFIRMED", "rejected": "CANCELLED"}
JOIN = "; "


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


def events_csv(events: list[dict], **_) -> bytes:
    """One row per event under a header; lists joined with ``"; "``; UTF-8, CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        venue = e.get("venue") or {}
        entities = [p["entity"] for p in e["participants"]]
        countries = dict.fromkeys(x["country"] for x in entities if x.get("country"))
        row = {
            **{k: e.get(k) for k in CSV_COLUMNS},
            "venue_id": venue.get("id"),
            "venue": venue.get("name"),
            "venue_country": venue.get("country"),
            "lat": venue.get("lat"),
            "lon": venue.get("lon"),
            "participant_ids": JOIN.join(str(x["id"]) for x in entities),
            "participants": JOIN.join(x["name"] for x in entities),
            "countries": JOIN.join(countries),
            "topics": JOIN.join(t["slug"] for t in e["topics"]),
            "article_ids": JOIN.join(str(a["id"]) for a in e["articles"]),
        }
        writer.writerow([_text(row[k]) for k in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


# --- JSON-LD (schema.org) ---------------------------------------------------------


def event_jsonld(e: dict, base: str, children: dict[int, list[int]] | None = None) -> dict:
    """One event as a schema.org ``Event`` (without ``@context``)."""
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
        place: dict = {
            "@type": "Place",
            "@id": f"{base}/v1/places/{venue['id']}",
            "name": venue["name"],
        }
        if venue.get("aliases"):
            place["alternateName"] = venue["aliases"]
        if venue.get("country"):
            place["address"] = {"@type": "PostalAddress", "addressCountry": venue["country"]}
        if venue.get("lat") is not None and venue.get("lon") is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": venue["lat"],
                "longitude": venue["lon"],
            }
        node["location"] = place
    attendees = []
    for p in e["participants"]:
        entity = p["entity"]
        who: dict = {
            "@type": SCHEMA_TYPES.get(entity["kind"], "Thing"),
            "@id": f"{base}/v1/entities/{entity['id']}",
            "name": entity["name"],
        }
        if entity.get("aliases"):
            who["alternateName"] = entity["aliases"]
        if entity["kind"] == "person" and p.get("position"):
            who["jobTitle"] = p["position"]
        if entity["kind"] == "person" and entity.get("country"):
            who["nationality"] = {"@type": "Country", "identifier": entity["country"]}
        attendees.append(who)
    if attendees:
        node["attendee"] = attendees
    if e["topics"]:
        node["about"] = [
            {
                "@type": "DefinedTerm",
                "@id": f"{base}/v1/topics/{t['slug']}",
                "termCode": t["slug"],
                "name": t["label"],
                "inDefinedTermSet": f"{base}/v1/topics",
            }
            for t in e["topics"]
        ]
    if e.get("parent_id"):
        node["superEvent"] = {"@type": "Event", "@id": f"{base}/v1/events/{e['parent_id']}"}
    subs = (children or {}).get(e["id"])
    if subs:
        node["subEvent"] = [{"@type": "Event", "@id": f"{base}/v1/events/{i}"} for i in subs]
    if e["articles"]:
        node["subjectOf"] = [
            {
                "@type": "NewsArticle",
                "@id": f"{base}/v1/articles/{a['id']}",
                "headline": a["title"],
                "datePublished": _text(a["published_at"]),
            }
            for a in e["articles"]
        ]
    return node


def events_jsonld(events: list[dict], *, base: str, many: bool = True, children=None, **_) -> bytes:
    """A ``@graph`` of schema.org ``Event``s (one ``Event`` when not ``many``)."""
    nodes = [event_jsonld(e, base, children) for e in events]
    body = {"@graph": nodes} if many else nodes[0]
    doc = {"@context": "https://schema.org", **body}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


# --- iCalendar (RFC 5545) -----------------------------------------------------------


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
        item.add("dtstart", _day(e["start_date"]))
        item.add("dtend", _day(e["end_date"]) + dt.timedelta(days=1))
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
        lines = [
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


def render(fmt: str, events: list[dict], *, many: bool) -> tuple[bytes, str]:
    """``events`` in ``fmt``: the bytes and the Content-Type."""
    base = request.host_url.rstrip("/")
    children = children_of([e["id"] for e in events]) if fmt == "jsonld" and events else None
    content = RENDERERS[fmt](events, base=base, many=many, children=children)
    return content, MEDIA_TYPES[fmt] + CHARSET.get(fmt, "")


def _unpack(result) -> tuple[object, int, dict]:
    if isinstance(result, tuple):
        body, status, *rest = (*result, 200) if len(result) == 1 else result
        return body, status, dict(rest[0]) if rest else {}
    return result, 200, {}


_OTHER_FORMATS_DOC = {
    "csv": ({"type": "string"}, "One row per event with a header, lists joined by `; `."),
    "jsonld": ({"type": "object"}, "schema.org `Event`s as JSON-LD."),
    "ics": ({"type": "string"}, "iCalendar (RFC 5545): one all-day `VEVENT` per event."),
    "geojson": (
        {"type": "object"},
        "GeoJSON: one feature per event at its venue (null geometry without coordinates).",
    ),
}


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
            content, media_type = render(fmt, events, many=many)
            response = Response(content, status=status, content_type=media_type)
            for name, value in headers.items():
                response.headers[name] = value
            etag = headers.get("ETag")
            if etag and etag.endswith('"'):
                # Each representation is its own entity: its tag must differ from JSON's.
                response.headers["ETag"] = f'{etag[:-1]}-{fmt}"'
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
            )(documented)
        return blp.problem(406, "No offered format is acceptable (and no `format=` given)")(
            documented
        )

    return decorator

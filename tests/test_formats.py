"""Events as CSV, JSON-LD, iCalendar and GeoJSON, and their evidence as Web Annotations."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import icalendar
import pytest

from api.http.formats import CSV_COLUMNS, events_csv, events_geojson, events_ics, events_jsonld
from schemas.events import EXAMPLE_EVENT

ANNO = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_csv_has_a_header_and_one_row_per_event(seeded, client):
    response = get(client, "/v1/events?format=csv")
    assert response.mimetype == "text/csv"
    assert response.mimetype_params["charset"] == "utf-8"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))
    assert len(rows) == 6
    assert tuple(rows[0]) == CSV_COLUMNS
    meeting = next(r for r in rows if r["title"].startswith("Встреча министров"))
    assert "Ермек Кошербаев; Казахстан" in meeting["participants"]
    assert meeting["topics"].split("; ")[0] == "diplomacy"
    assert meeting["venue"] == "Vienna" and meeting["venue_country"] == "AT"
    assert set(meeting["countries"].split("; ")) >= {"KZ", "KG", "SE"}


def test_jsonld_is_schema_org_events(seeded, client):
    response = get(client, "/v1/events", headers={"Accept": "application/ld+json"})
    assert response.mimetype == "application/ld+json"
    doc = json.loads(response.data)
    assert doc["@context"] == "https://schema.org"
    events = {e["name"]: e for e in doc["@graph"]}
    assert len(events) == 6
    parent = events["32-е заседание Совета министров иностранных дел ОБСЕ"]
    assert len(parent["subEvent"]) == 5
    child = events["Встреча Е. Кошербаева с директором БДИПЧ"]
    assert child["superEvent"]["@id"] == parent["@id"]
    assert child["startDate"] == child["endDate"] == "2025-12-05"
    assert child["location"]["@type"] == "Place"
    assert child["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 48.20849,
        "longitude": 16.37208,
    }
    kinds = {a["name"]: a["@type"] for a in child["attendee"]}
    assert kinds == {
        "Ермек Кошербаев": "Person",
        "Мария Телалиан": "Person",
        "БДИПЧ": "Organization",
        "Казахстан": "GovernmentOrganization",
    }
    assert {t["termCode"] for t in child["about"]} >= {"diplomacy", "human-rights"}
    assert child["subjectOf"][0]["@type"] == "NewsArticle"
    one = json.loads(get(client, child["@id"].split("localhost")[1] + "?format=jsonld").data)
    assert one["@context"] == "https://schema.org" and one["@type"] == "Event"


def test_icalendar_imports_with_all_day_events(seeded, client):
    first = get(client, "/v1/events", headers={"Accept": "text/calendar"})
    assert first.mimetype == "text/calendar"
    assert b"\r\n" in first.data
    calendar = icalendar.Calendar.from_ical(first.data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 6
    for event in events:
        assert event["DTSTART"].dt == dt.date(2025, 12, 5)
        assert event["DTEND"].dt == dt.date(2025, 12, 6)  # exclusive
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert event["GEO"].latitude == pytest.approx(48.20849)
        assert "Vienna" in event["LOCATION"]
        assert event["STATUS"] == "CONFIRMED"
    again = icalendar.Calendar.from_ical(get(client, "/v1/events?format=ics").data)
    assert [e["UID"] for e in again.walk("VEVENT")] == [e["UID"] for e in events]
    assert len({e["UID"] for e in events}) == 6


def test_geojson_features_at_venues(seeded, client):
    response = get(client, "/v1/events?format=geojson")
    assert response.mimetype == "application/geo+json"
    doc = json.loads(response.data)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 6
    feature = doc["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [16.37208, 48.20849]}
    assert feature["properties"]["venue"] == "Vienna"


def test_an_event_without_coordinates_has_null_geometry(client):
    event = client.post(
        "/v1/events", json={"title": "Call", "type": "phone-call", "start_date": "2025-01-02"}
    ).json
    doc = json.loads(get(client, f"/v1/events/{event['id']}?format=geojson").data)
    assert doc["type"] == "Feature" and doc["geometry"] is None and doc["id"] == event["id"]
    ics = icalendar.Calendar.from_ical(get(client, f"/v1/events/{event['id']}?format=ics").data)
    (vevent,) = ics.walk("VEVENT")
    assert "GEO" not in vevent and vevent["DTEND"].dt == dt.date(2025, 1, 3)


@pytest.mark.parametrize(
    ("precision", "start", "end", "dtstart", "days"),
    [
        ("day", "9999-12-31", None, dt.date(9999, 12, 31), 1),
        ("day", "9999-12-30", "9999-12-31", dt.date(9999, 12, 30), 2),
        ("month", "9999-12-01", None, dt.date(9999, 12, 1), 31),
        ("month", "9999-11-10", "9999-12-02", dt.date(9999, 11, 1), 61),
        ("year", "9999-03-01", None, dt.date(9999, 1, 1), 365),
    ],
)
def test_an_event_ending_on_the_last_day_there_is_exports(
    client, precision, start, end, dtstart, days
):
    # The exclusive DTEND of a span ending 9999-12-31 would be 10000-01-01, which no
    # iCalendar DATE can write: the span is DTSTART and a DURATION of whole days instead.
    body = {"title": "Talks", "type": "visit", "start_date": start, "date_precision": precision}
    if end:
        body["end_date"] = end
    event = client.post("/v1/events", json=body)
    earlier = client.post(
        "/v1/events", json={"title": "Call", "type": "visit", "start_date": "2025-01-02"}
    )
    assert event.status_code == earlier.status_code == 201, event.json
    event = event.json
    (vevent,) = icalendar.Calendar.from_ical(
        get(client, f"/v1/events/{event['id']}?format=ics").data
    ).walk("VEVENT")
    assert vevent["DTSTART"].dt == dtstart and vevent["DTSTART"].params.get("VALUE") == "DATE"
    assert "DTEND" not in vevent and vevent["DURATION"].dt == dt.timedelta(days=days)
    # One such event breaks no page holding it: the other one keeps its DTEND.
    page = icalendar.Calendar.from_ical(get(client, "/v1/events?format=ics").data)
    assert [e.get("DURATION") is not None for e in page.walk("VEVENT")] == [True, False]
    for fmt in ("csv", "jsonld", "geojson"):
        get(client, f"/v1/events?format={fmt}")


def test_other_formats_page_by_the_link_header(seeded, client):
    for fmt in ("csv", "jsonld", "ics", "geojson"):
        response = get(client, f"/v1/events?format={fmt}&limit=2")
        link = response.headers["Link"]
        assert link.endswith('>; rel="next"') and "cursor=" in link
        assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/json"),
        ("text/csv", "text/csv"),
        ("application/geo+json, application/json;q=0.5", "application/geo+json"),
        ("text/calendar;q=0.9, application/ld+json", "application/ld+json"),
    ],
)
def test_accept_chooses_the_format(seeded, client, accept, mimetype):
    headers = {"Accept": accept} if accept else {}
    assert get(client, "/v1/events", headers=headers).mimetype == mimetype
    assert get(client, "/v1/events/1", headers=headers).mimetype == mimetype


def test_unacceptable_accept_is_406_unless_format_is_given(seeded, client):
    response = client.get("/v1/events", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.mimetype == "application/problem+json"
    assert "text/csv" in response.json["detail"]
    assert client.get("/v1/events/1", headers={"Accept": "image/png"}).status_code == 406
    forced = client.get("/v1/events?format=csv", headers={"Accept": "image/png"})
    assert forced.status_code == 200 and forced.mimetype == "text/csv"
    assert client.get("/v1/events?format=xml").status_code == 422
    assert client.get("/v1/events/999?format=csv").status_code == 404


def test_renderers_are_pure_functions_of_event_dicts():
    base = "https://example.org"
    header, row = csv.reader(io.StringIO(events_csv([EXAMPLE_EVENT]).decode()))
    assert dict(zip(header, row, strict=True))["participants"] == "Ермек Кошербаев; Казахстан"
    doc = json.loads(events_jsonld([EXAMPLE_EVENT], base=base, many=False))
    assert doc["@id"] == "https://example.org/v1/events/2"
    assert doc["superEvent"]["@id"] == "https://example.org/v1/events/1"
    calendar = icalendar.Calendar.from_ical(events_ics([EXAMPLE_EVENT], base=base))
    assert calendar.walk("VEVENT")[0]["UID"] == "https://example.org/v1/events/2"
    feature = json.loads(events_geojson([EXAMPLE_EVENT], base=base, many=False))
    venue = EXAMPLE_EVENT["venue"]
    assert feature["geometry"]["coordinates"] == [venue["lon"], venue["lat"]]


def test_evidence_as_web_annotations(seeded, client):
    article_id = client.get("/v1/articles").json["data"][0]["id"]
    article = client.get(f"/v1/articles/{article_id}").json
    for event in client.get("/v1/events").json["data"]:
        response = get(client, f"/v1/events/{event['id']}/annotations")
        assert response.headers["Content-Type"] == ANNO
        doc = json.loads(response.data)
        assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert doc["type"] == "AnnotationCollection"
        items = doc["first"]["items"]
        assert doc["total"] == len(items) == len(event["evidence"]) > 0
        for item in items:
            assert item["type"] == "Annotation"
            assert item["target"]["source"].endswith(f"/v1/articles/{article_id}")
            selectors = item["target"]["selector"]
            if selectors[0]["type"] == "FragmentSelector":
                part = selectors[0]["value"].lstrip("/")
                selectors = selectors[0]["refinedBy"]
            else:
                part = "body"
            quote, position = selectors
            text = article[part]
            assert quote["type"] == "TextQuoteSelector"
            assert position["type"] == "TextPositionSelector"
            assert text[position["start"] : position["end"]] == quote["exact"]
            assert text[: position["start"]].endswith(quote["prefix"])
            assert text[position["end"] :].startswith(quote["suffix"])
            fields = [b["value"] for b in item["body"] if b.get("purpose") == "tagging"]
            assert len(fields) == 1
            assert any(b["source"].endswith(f"/v1/events/{event['id']}") for b in item["body"][1:])
    assert client.get("/v1/events/999/annotations").status_code == 404


def test_every_format_the_api_accepts_has_one_media_type():
    from api.http.formats import MEDIA_TYPES
    from schemas.events import FORMATS

    assert list(MEDIA_TYPES) == list(FORMATS)

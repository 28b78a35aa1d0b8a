"""Every format read back by a parser of its own (not this project's code).

CSV by the standard library and pandas, JSON-LD by pyld and rdflib (contexts served
offline: no network here), Web Annotations by rdflib, iCalendar by icalendar and ics,
GeoJSON by geojson, and HTTP (gzip, tags, Vary, CORS) by httpx.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import warnings

import geojson
import httpx
import icalendar
import ics
import pandas
import pytest
import rdflib
from pyld import jsonld
from rdflib.namespace import RDF

SCHEMA = rdflib.Namespace("https://schema.org/")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
ANNO_URL = "http://www.w3.org/ns/anno.jsonld"

# Only what these documents use: the vocabulary, and which values are links.
SCHEMA_CONTEXT = {
    "@context": {
        "@vocab": "https://schema.org/",
        "sameAs": {"@type": "@id"},
        "inDefinedTermSet": {"@type": "@id"},
    }
}
# The Web Annotation terms these documents use, mapped to the oa: and as: vocabularies.
ANNO_CONTEXT = {
    "@context": {
        "oa": "http://www.w3.org/ns/oa#",
        "as": "https://www.w3.org/ns/activitystreams#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "dcterms": "http://purl.org/dc/terms/",
        "id": "@id",
        "type": "@type",
        "Annotation": "oa:Annotation",
        "SpecificResource": "oa:SpecificResource",
        "TextualBody": "oa:TextualBody",
        "TextQuoteSelector": "oa:TextQuoteSelector",
        "TextPositionSelector": "oa:TextPositionSelector",
        "FragmentSelector": "oa:FragmentSelector",
        "AnnotationCollection": "as:OrderedCollection",
        "AnnotationPage": "as:OrderedCollectionPage",
        "body": {"@id": "oa:hasBody", "@type": "@id"},
        "target": {"@id": "oa:hasTarget", "@type": "@id"},
        "source": {"@id": "oa:hasSource", "@type": "@id"},
        "scope": {"@id": "oa:hasScope", "@type": "@id"},
        "selector": {"@id": "oa:hasSelector", "@type": "@id"},
        "refinedBy": {"@id": "oa:refinedBy", "@type": "@id"},
        "conformsTo": {"@id": "dcterms:conformsTo", "@type": "@id"},
        "purpose": {"@id": "oa:hasPurpose", "@type": "@vocab"},
        "motivation": {"@id": "oa:motivatedBy", "@type": "@vocab"},
        "tagging": "oa:tagging",
        "linking": "oa:linking",
        "identifying": "oa:identifying",
        "classifying": "oa:classifying",
        "describing": "oa:describing",
        "value": "rdf:value",
        "exact": "oa:exact",
        "prefix": "oa:prefix",
        "suffix": "oa:suffix",
        "start": "oa:start",
        "end": "oa:end",
        "label": "rdfs:label",
        "total": "as:totalItems",
        "first": {"@id": "as:first", "@type": "@id"},
        "items": {"@id": "as:items", "@container": "@list"},
        "startIndex": "as:startIndex",
    }
}
OFFLINE = {
    "https://schema.org": SCHEMA_CONTEXT,
    "https://schema.org/": SCHEMA_CONTEXT,
    ANNO_URL: ANNO_CONTEXT,
}


def offline_loader(url, options):
    """pyld's document loader: the contexts above, and nothing from the network."""
    if url not in OFFLINE:
        raise LookupError(f"the test would fetch {url}")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": OFFLINE[url],
    }


def graph_of(doc: dict) -> rdflib.Graph:
    """The triples of a JSON-LD document: pyld expands it (its context from the offline
    loader), rdflib parses the expanded JSON-LD."""
    expanded = jsonld.expand(doc, {"documentLoader": offline_loader})
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated class
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return rdflib.Graph().parse(data=json.dumps(expanded), format="json-ld")


def ok(response):
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    return response


# --- CSV ----------------------------------------------------------------------------

TRICKY_NAMES = [
    "Smith; Jones & Partners",
    "Back\\slash; and more",
    "ends with a backslash\\",
    "semi;colon",
    '=HYPERLINK("http://evil.example")',
]


def split(cell: str) -> list[str]:
    """The README's list encoding undone: items between "; ", and within an item a
    backslash takes the next character as it is."""
    items, item, chars = [], [], iter(cell)
    for char in chars:
        if char == "\\":
            item.append(next(chars))
        elif char == ";":
            items.append("".join(item))
            item = []
            assert next(chars) == " "
        else:
            item.append(char)
    items.append("".join(item))
    return items


def unquote(cell: str) -> str:
    """The README's formula guard undone: one leading quote is the guard's."""
    return cell[1:] if cell.startswith("'") else cell


@pytest.fixture
def tricky(client):
    participants = [
        {"entity": {"name": name, "kind": "organization", "country": "AR"}, "role": "guest"}
        for name in TRICKY_NAMES
    ]
    participants[0]["position"] = "-1+1 representative; acting"
    participants.append(
        {"entity": {"name": "@handle", "kind": "person"}, "role": "host", "position": None}
    )
    return ok(
        client.post(
            "/v1/events",
            json={
                "title": "=cmd|' /C calc'!A0",
                "type": "visit",
                "start_date": "2025-03-04",
                "venue": {"name": "Buenos Aires", "country": "AR", "lat": -34.6, "lon": -58.38},
                "participants": participants,
            },
        )
    ).json


def test_csv_lists_split_back_exactly_with_aligned_participant_columns(client, tricky):
    raw = ok(
        client.get(f"/v1/events?format=csv&participant={tricky['participants'][0]['entity']['id']}")
    ).data
    frame = pandas.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    (row,) = frame.to_dict("records")
    (same,) = csv.DictReader(io.StringIO(raw.decode("utf-8")))
    assert same == row
    people = tricky["participants"]
    assert [unquote(x) for x in split(unquote(row["participants"]))] == [
        p["entity"]["name"] for p in people
    ]
    assert split(row["participant_ids"]) == [str(p["entity"]["id"]) for p in people]
    assert split(row["participant_kinds"]) == [p["entity"]["kind"] for p in people]
    assert split(row["participant_countries"]) == [p["entity"]["country"] or "" for p in people]
    assert split(row["participant_roles"]) == [p["role"] for p in people]
    assert split(unquote(row["participant_positions"])) == [p["position"] or "" for p in people]
    assert row["cameo"] == tricky["cameo"] == "042"
    assert list(frame.columns[:21]) == [
        "id", "title", "type", "start_date", "end_date", "date_precision", "status",
        "confidence", "venue_id", "venue", "venue_country", "lat", "lon", "parent_id",
        "participant_ids", "participants", "countries", "topics", "article_ids",
        "created_at", "updated_at",
    ]  # fmt: skip


def test_csv_cells_are_not_formulas(client, tricky):
    raw = ok(client.get(f"/v1/events/{tricky['id']}?format=csv")).data
    frame = pandas.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    (row,) = frame.to_dict("records")
    for column, cell in row.items():
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), column
        if column not in ("lat", "lon"):
            assert not cell.startswith("-"), column
    assert row["title"] == "'=cmd|' /C calc'!A0"
    assert unquote(row["title"]) == tricky["title"]
    numbers = pandas.read_csv(io.BytesIO(raw))  # coordinates stay numbers
    assert numbers["lat"][0] == pytest.approx(-34.6) and numbers["lon"][0] == pytest.approx(-58.38)
    assert split(unquote(row["participant_positions"]))[0] == "-1+1 representative; acting"


def test_csv_byte_order_mark_on_request_only(seeded, client):
    plain = ok(client.get("/v1/events?format=csv")).data
    marked = ok(client.get("/v1/events?format=csv&bom=true")).data
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert marked == b"\xef\xbb\xbf" + plain
    frame = pandas.read_csv(io.BytesIO(marked), encoding="utf-8-sig")
    assert frame.columns[0] == "id" and len(frame) == 6
    assert "Казахстан" in "".join(frame["participants"])
    one, one_marked = (client.get(f"/v1/events/2?format=csv{q}") for q in ("", "&bom=true"))
    assert one_marked.data.startswith(b"\xef\xbb\xbf")
    assert one.headers["ETag"] != one_marked.headers["ETag"]
    link = ok(client.get("/v1/events?format=csv&bom=true&limit=2")).headers["Link"]
    assert "bom=true" in link
    assert not ok(client.get("/v1/events?format=geojson&bom=true")).data.startswith(b"\xef")
    assert client.get("/v1/events?format=csv&bom=maybe").status_code == 422


# --- JSON-LD ------------------------------------------------------------------------


def test_jsonld_attendees_are_people_or_organizations_with_links(seeded, client):
    by_name = {e["name"]: e for e in client.get("/v1/entities?limit=100").json["data"]}
    # Kazakhstan's item; the person's is test data (any well-formed id does).
    for name, qid in (("Казахстан", "Q232"), ("Ермек Кошербаев", "Q4171393")):
        ok(client.patch(f"/v1/entities/{by_name[name]['id']}", json={"wikidata_id": qid}))
    doc = json.loads(ok(client.get("/v1/events?format=jsonld")).data)
    graph = graph_of(doc)
    allowed = {SCHEMA.Person, SCHEMA.Organization, SCHEMA.GovernmentOrganization}
    attendees = set(graph.objects(None, SCHEMA.attendee))
    assert len(attendees) >= 5
    for attendee in attendees:
        types = set(graph.objects(attendee, RDF.type))
        assert types and types <= allowed, (attendee, types)
    kazakhstan = rdflib.URIRef(f"http://localhost/v1/entities/{by_name['Казахстан']['id']}")
    assert (kazakhstan, RDF.type, SCHEMA.Country) in graph
    assert (None, SCHEMA.areaServed, kazakhstan) in graph
    wikidata = rdflib.URIRef("https://www.wikidata.org/entity/")
    assert (kazakhstan, SCHEMA.sameAs, rdflib.URIRef(wikidata + "Q232")) in graph
    person = rdflib.URIRef(f"http://localhost/v1/entities/{by_name['Ермек Кошербаев']['id']}")
    assert (person, RDF.type, SCHEMA.Person) in graph
    assert (person, SCHEMA.sameAs, rdflib.URIRef(wikidata + "Q4171393")) in graph
    vienna = set(graph.objects(None, SCHEMA.location))
    assert len(vienna) == 1
    geonames = rdflib.URIRef("https://sws.geonames.org/2761369/")
    assert (vienna.pop(), SCHEMA.sameAs, geonames) in graph
    one = json.loads(ok(client.get("/v1/events/2?format=jsonld")).data)
    assert (None, SCHEMA.sameAs, geonames) in graph_of(one)


# --- Web Annotations ----------------------------------------------------------------


def test_annotation_purposes_belong_to_bodies_and_targets_are_specific(seeded, client):
    event_url = rdflib.URIRef("http://localhost/v1/events/2")
    doc = json.loads(ok(client.get("/v1/events/2/annotations")).data)
    graph = graph_of(doc)
    annotations = set(graph.subjects(RDF.type, OA.Annotation))
    assert len(annotations) == doc["total"] > 0
    assert (event_url, OA.hasPurpose, None) not in graph
    assert set(graph.objects(None, OA.hasPurpose)) == {OA.tagging, OA.linking, OA.identifying}
    for note in annotations:
        bodies = set(graph.objects(note, OA.hasBody))
        for body in bodies:
            assert len(set(graph.objects(body, OA.hasPurpose))) == 1
            assert body != event_url
        linking = [b for b in bodies if (b, OA.hasPurpose, OA.linking) in graph]
        assert len(linking) == 1
        assert (linking[0], RDF.type, OA.SpecificResource) in graph
        assert (linking[0], OA.hasSource, event_url) in graph
        for body in bodies:
            if (body, OA.hasPurpose, OA.identifying) in graph:
                assert (body, RDF.type, OA.SpecificResource) in graph
                (entity,) = graph.objects(body, OA.hasSource)
                assert "/v1/entities/" in str(entity)
                assert (entity, OA.hasPurpose, None) not in graph
        (target,) = graph.objects(note, OA.hasTarget)
        assert (target, RDF.type, OA.SpecificResource) in graph
        (source,) = graph.objects(target, OA.hasSource)
        assert "/v1/articles/" in str(source)
        selectors = set(graph.objects(target, OA.hasSelector))
        for selector in list(selectors):
            if (selector, RDF.type, OA.FragmentSelector) in graph:
                selectors |= set(graph.objects(selector, OA.refinedBy))
        kinds = {t for s in selectors for t in graph.objects(s, RDF.type)}
        assert {OA.TextQuoteSelector, OA.TextPositionSelector} <= kinds


# --- iCalendar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("precision", "start", "end", "dtstart", "dtend"),
    [
        ("month", "2025-12-01", None, dt.date(2025, 12, 1), dt.date(2026, 1, 1)),
        ("month", "2025-02-10", "2025-03-02", dt.date(2025, 2, 1), dt.date(2025, 4, 1)),
        ("year", "2024-01-01", None, dt.date(2024, 1, 1), dt.date(2025, 1, 1)),
        ("day", "2025-12-31", None, dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
    ],
)
def test_icalendar_spans_what_the_date_precision_says(
    client, precision, start, end, dtstart, dtend
):
    body = {"title": "Talks", "type": "visit", "start_date": start, "date_precision": precision}
    if end:
        body["end_date"] = end
    event = ok(client.post("/v1/events", json=body)).json
    text = ok(client.get(f"/v1/events/{event['id']}?format=ics")).data
    (vevent,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert vevent["DTSTART"].dt == dtstart and vevent["DTEND"].dt == dtend
    assert vevent["DTSTART"].params.get("VALUE") == vevent["DTEND"].params.get("VALUE") == "DATE"
    assert (vevent.get("TRANSP") == "TRANSPARENT") == (precision != "day")
    (parsed,) = ics.Calendar(text.decode("utf-8")).events
    assert parsed.all_day
    assert parsed.begin.date() == dtstart and parsed.end.date() == dtend


# --- GeoJSON ------------------------------------------------------------------------


def test_geojson_is_valid_for_the_geojson_package(seeded, client):
    ok(
        client.post(
            "/v1/events", json={"title": "Call", "type": "phone-call", "start_date": "2025-01-02"}
        )
    )
    many = geojson.loads(ok(client.get("/v1/events?format=geojson")).data.decode())
    assert isinstance(many, geojson.FeatureCollection)
    assert many.is_valid and not many.errors()
    assert len(many["features"]) == 7
    for feature in many["features"]:
        assert feature.is_valid and not feature.errors()
    one = geojson.loads(ok(client.get("/v1/events/2?format=geojson")).data.decode())
    assert isinstance(one, geojson.Feature) and one.is_valid and not one.errors()
    assert isinstance(one.geometry, geojson.Point)


# --- HTTP ---------------------------------------------------------------------------


def http(app, **headers) -> httpx.Client:
    return httpx.Client(
        transport=httpx.WSGITransport(app=app), base_url="http://localhost", headers=headers
    )


def vary(response: httpx.Response) -> set[str]:
    return {v.strip().lower() for v in ",".join(response.headers.get_list("Vary")).split(",")}


@pytest.mark.parametrize("url", ["/v1/events", "/v1/events/2", "/v1/events?format=csv"])
def test_gzip_variant_has_its_own_tag_and_304s_keep_vary(seeded, url):
    with http(seeded) as client:
        zipped = client.get(url)  # httpx asks for gzip and decodes it
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert zipped.status_code == plain.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert zipped.content == plain.content
    gzip_tag, plain_tag = zipped.headers["ETag"], plain.headers["ETag"]
    assert gzip_tag != plain_tag and gzip_tag == plain_tag[:-1] + '-gzip"'
    with http(seeded) as client:
        again = client.get(url, headers={"If-None-Match": gzip_tag})
        plain_again = client.get(
            url, headers={"If-None-Match": plain_tag, "Accept-Encoding": "identity"}
        )
        other_variant = client.get(url, headers={"If-None-Match": plain_tag})
    assert again.status_code == plain_again.status_code == 304
    assert again.headers["ETag"] == gzip_tag and plain_again.headers["ETag"] == plain_tag
    assert vary(again) == vary(zipped) and vary(plain_again) == vary(plain)
    assert {"accept-encoding", "accept"} <= vary(again)
    assert other_variant.status_code == 200 and other_variant.content == plain.content


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_a_304_varies_as_its_200_does(seeded, encoding):
    with http(seeded, **{"Accept-Encoding": encoding}) as client:
        full = client.get("/v1/events/2")
        cached = client.get("/v1/events/2", headers={"If-None-Match": full.headers["ETag"]})
    assert cached.status_code == 304 and cached.content == b""
    assert vary(cached) == vary(full) == {"accept", "accept-encoding"}


def test_if_match_takes_the_tag_of_either_variant(seeded, client):
    auth = {"Authorization": client.environ_base["HTTP_AUTHORIZATION"]}
    with http(seeded, **auth) as web:
        first = web.get("/v1/events/2")
        assert first.headers["Content-Encoding"] == "gzip"
        tag = first.headers["ETag"]
        edited = web.patch("/v1/events/2", json={"title": "Renamed"}, headers={"If-Match": tag})
        assert edited.status_code == 200, edited.text
        assert edited.json()["title"] == "Renamed"
        stale = web.patch("/v1/events/2", json={"title": "Again"}, headers={"If-Match": tag})
        assert stale.status_code == 412
        plain = web.get("/v1/events/2", headers={"Accept-Encoding": "identity"})
        zipped = web.get("/v1/events/2")
        assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
        put = web.put(
            "/v1/events/2",
            json={"title": "Put", "type": "visit", "start_date": "2025-12-05"},
            headers={"If-Match": zipped.headers["ETag"]},
        )
        assert put.status_code == 200, put.text
        current = web.get("/v1/events/2").headers["ETag"]
        assert web.delete("/v1/events/2", headers={"If-Match": current}).status_code == 204
        assert web.get("/v1/events/2").status_code == 404


@pytest.fixture
def one_origin_app(app_with):
    return app_with(CORS_ORIGINS="https://desk.example.org")


def test_cors_answers_vary_on_origin(one_origin_app):
    with http(one_origin_app) as web:
        allowed = web.get("/v1/events", headers={"Origin": "https://desk.example.org"})
        refused = web.get("/v1/events", headers={"Origin": "https://evil.example.com"})
        none = web.get("/v1/events")
        cached = web.get(
            "/v1/events",
            headers={
                "Origin": "https://desk.example.org",
                "If-None-Match": allowed.headers["ETag"],
            },
        )
        spec = web.get("/openapi.json", headers={"Origin": "https://evil.example.com"})
        preflight = web.options(
            "/v1/events/1",
            headers={
                "Origin": "https://desk.example.org",
                "Access-Control-Request-Method": "PATCH",
            },
        )
        health = web.get("/health", headers={"Origin": "https://desk.example.org"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://desk.example.org"
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert cached.status_code == 304
    for response in (allowed, refused, none, cached, spec, preflight):
        assert "origin" in vary(response), response.request.url
        assert len(response.headers.get_list("Vary")) == 1
    assert {"accept", "accept-encoding"} <= vary(allowed) == vary(cached)
    assert "origin" not in vary(health)

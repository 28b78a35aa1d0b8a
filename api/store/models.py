"""The data model: articles, events and who, where and what they are about.

Every table lives here so a reader finds the whole model at once. Tables are
named after the domain; indexes follow the filters of the event list.
"""

from __future__ import annotations

import datetime as dt
import json

import peewee as pw

from api.store.db import database
from api.store.dialect import dialect


def utcnow() -> dt.datetime:
    """Now in UTC, without tzinfo (both stores keep naive UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class JSONField(pw.TextField):
    """A JSON value kept as text, the same way on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class LastingId(pw.AutoField):
    """An id never given again after a delete, so clients and mirrors never confuse two rows.

    PostgreSQL sequences never reuse values; SQLite needs AUTOINCREMENT for that.
    """

    def ddl(self, ctx):
        node = super().ddl(ctx)
        return dialect().autoincrement(node)


class Timestamped(BaseModel):
    id = LastingId()
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    def touch(self) -> None:
        self.updated_at = utcnow()

    def stored_values(self) -> dict:
        """The row's values but ``updated_at``: the same before and after an edit that
        changed nothing (which is then not written: no ``updated_at``, no change feed)."""
        return {name: value for name, value in self.__data__.items() if name != "updated_at"}


class Source(BaseModel):
    """A news outlet."""

    name = pw.CharField(max_length=200, unique=True)
    country = pw.CharField(max_length=2, null=True)
    language = pw.CharField(max_length=8, null=True)
    url = pw.CharField(max_length=2000, null=True)


class Article(Timestamped):
    """A news article, stored exactly as it came."""

    source = pw.ForeignKeyField(Source, null=True, backref="articles", on_delete="SET NULL")
    title = pw.TextField()
    body = pw.TextField()
    language = pw.CharField(max_length=8, null=True)
    published_at = pw.DateField()
    url = pw.CharField(max_length=2000, null=True, unique=True)
    content_hash = pw.CharField(max_length=64, unique=True)

    class Meta:
        indexes = ((("published_at", "id"), False),)


class Place(Timestamped):
    """A geocoded venue."""

    name = pw.CharField(max_length=300)
    aliases = JSONField(default=list)
    country = pw.CharField(max_length=2, null=True, index=True)
    lat = pw.DoubleField(null=True)
    lon = pw.DoubleField(null=True)
    geonames_id = pw.IntegerField(null=True, unique=True)


class Entity(Timestamped):
    """A person, organisation or country."""

    kind = pw.CharField(max_length=16)
    name = pw.CharField(max_length=300)
    aliases = JSONField(default=list)
    country = pw.CharField(max_length=2, null=True)
    wikidata_id = pw.CharField(max_length=32, null=True, unique=True)
    description = pw.TextField(null=True)

    class Meta:
        indexes = ((("country", "kind"), False), (("kind", "id"), False))


class EntityName(BaseModel):
    """A normalised lookup key of an entity's name or alias.

    ``full`` keys are whole names (used to resolve writes); the others are the
    name from each word on (used by ``q`` prefix search).
    """

    entity = pw.ForeignKeyField(Entity, backref="names", on_delete="CASCADE")
    key = pw.CharField(max_length=300)
    full = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("key", "entity"), True), (("entity",), False))


class PlaceName(BaseModel):
    """A normalised lookup key of a place's name or alias (see ``EntityName``)."""

    place = pw.ForeignKeyField(Place, backref="names", on_delete="CASCADE")
    key = pw.CharField(max_length=300)
    full = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("key", "place"), True), (("place",), False))


class Topic(BaseModel):
    """A subject from the fixed vocabulary (``fixtures/topics.json``)."""

    slug = pw.CharField(max_length=64, primary_key=True)
    label_en = pw.CharField(max_length=200)
    label_ru = pw.CharField(max_length=200)
    iptc = pw.CharField(max_length=32)
    scope = pw.TextField(default="")


class Event(Timestamped):
    """Something that happened: a meeting, a visit, a call, a signing."""

    title = pw.TextField()
    type = pw.CharField(max_length=32)
    start_date = pw.DateField()
    end_date = pw.DateField()
    date_precision = pw.CharField(max_length=8, default="day")
    # Foreign keys here and below get no index of their own where a wider index leads with
    # them (the one that serves their filter, or the table's key): it serves the key's checks.
    venue = pw.ForeignKeyField(
        Place, null=True, backref="events", on_delete="SET NULL", index=False
    )
    parent = pw.ForeignKeyField(
        "self", null=True, backref="children", on_delete="SET NULL", index=False
    )
    status = pw.CharField(max_length=16, default="auto")
    confidence = pw.DoubleField(null=True)
    venue_country = pw.CharField(
        max_length=2, null=True
    )  # the venue's, copied (api.store.postings)

    class Meta:
        indexes = (
            (("start_date", "id"), False),
            (("venue_country", "start_date", "id"), False),
            (("venue", "start_date", "id"), False),
            (("type", "start_date", "id"), False),
            (("status", "start_date", "id"), False),
            (("parent", "start_date", "id"), False),
        )


class Participant(BaseModel):
    """An entity taking part in an event, with its role and position there."""

    event = pw.ForeignKeyField(Event, backref="participants", on_delete="CASCADE", index=False)
    entity = pw.ForeignKeyField(Entity, backref="participations", on_delete="RESTRICT", index=False)
    role = pw.CharField(max_length=16, default="participant")
    position = pw.TextField(null=True)
    # The event's start date, copied (api.store.postings) so `participant=` pages in date order.
    start_date = pw.DateField(null=True)

    class Meta:
        indexes = ((("event", "entity"), True), (("entity", "start_date", "event"), False))


class EventTopic(BaseModel):
    event = pw.ForeignKeyField(Event, on_delete="CASCADE", index=False)
    topic = pw.ForeignKeyField(Topic, on_delete="RESTRICT", index=False)
    start_date = pw.DateField(null=True)  # the event's, copied (api.store.postings)

    class Meta:
        primary_key = pw.CompositeKey("event", "topic")
        indexes = ((("topic", "start_date", "event"), False),)


class EventCountry(BaseModel):
    """The countries of an event's participants, with its start date (api.store.postings).

    Derived, never written by hand: it lets `country=` page in date order from an index.
    """

    event = pw.ForeignKeyField(Event, on_delete="CASCADE", index=False)
    country = pw.CharField(max_length=2)
    start_date = pw.DateField()

    class Meta:
        table_name = "event_country"
        primary_key = pw.CompositeKey("event", "country")
        indexes = ((("country", "start_date", "event"), False),)


class EventArticle(BaseModel):
    """Which articles report an event."""

    event = pw.ForeignKeyField(Event, on_delete="CASCADE", index=False)
    article = pw.ForeignKeyField(Article, on_delete="CASCADE", index=False)

    class Meta:
        primary_key = pw.CompositeKey("event", "article")
        indexes = ((("article", "event"), False),)


class Mention(BaseModel):
    """Evidence: the exact span of an article a fact of an event came from."""

    article = pw.ForeignKeyField(Article, on_delete="CASCADE")
    event = pw.ForeignKeyField(Event, null=True, backref="mentions", on_delete="CASCADE")
    entity = pw.ForeignKeyField(Entity, null=True, on_delete="CASCADE")
    field = pw.CharField(max_length=16)
    part = pw.CharField(max_length=8, default="body")  # "body" or "title"
    start = pw.IntegerField()
    end = pw.IntegerField()
    exact = pw.TextField()

    class Meta:
        indexes = (
            (("event",), False),
            (("article",), False),
            (("entity",), False),
        )


class ApiKey(BaseModel):
    """A client's key: only its SHA-256 is kept; ``prefix`` (not secret) names it in lists."""

    name = pw.CharField(max_length=200)
    role = pw.CharField(max_length=16)
    prefix = pw.CharField(max_length=16, index=True)
    key_hash = pw.CharField(max_length=64, unique=True)
    created_at = pw.DateTimeField(default=utcnow)
    revoked_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "api_key"


class EventRevision(BaseModel):
    """One change to an event: who, when, which fields, and the event as it then stood.

    ``event_id`` is no foreign key: the revisions of a deleted event outlive it,
    the last holding its final state.
    """

    event_id = pw.IntegerField()
    number = pw.IntegerField()
    action = pw.CharField(max_length=16)  # created, updated, deleted
    author = pw.CharField(max_length=200)
    created_at = pw.DateTimeField(default=utcnow)
    changed = JSONField(default=list)
    snapshot = JSONField()

    class Meta:
        table_name = "event_revision"
        indexes = ((("event_id", "number"), True),)


TABLES = [
    Source,
    Article,
    Place,
    PlaceName,
    Entity,
    EntityName,
    Topic,
    Event,
    Participant,
    EventTopic,
    EventCountry,
    EventArticle,
    Mention,
    ApiKey,
    EventRevision,
]


class Job(BaseModel):
    """One annotation of one article, asked for and run by a worker (``api.store.jobs``).

    Not in ``TABLES`` and not exported: it is the work in flight, not data. ``attempt``
    counts the workers that took it; ``lease_until`` is when a worker that took it and
    went silent is presumed gone; ``worker`` (host:pid) lets a worker on the same host
    see at once that the one before it died.
    """

    id = LastingId()
    article = pw.ForeignKeyField(Article, null=True, on_delete="SET NULL")
    state = pw.CharField(max_length=8, default="queued")  # queued, running, done, failed
    attempt = pw.IntegerField(default=0)
    worker = pw.CharField(max_length=200, null=True)
    lease_until = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    started_at = pw.DateTimeField(null=True)
    finished_at = pw.DateTimeField(null=True)
    events = JSONField(null=True)  # ids of the events stored, when done
    problem = JSONField(null=True)  # why it failed: a problem document's title and detail

    class Meta:
        table_name = "job"
        indexes = ((("state", "created_at"), False),)


class ChangeLog(BaseModel):
    """One create, update or delete of a resource, in commit order (``seq``).

    Written by database triggers (``api.store.changelog``) in the transaction of the
    change itself, so every write path, bulk loads included, is logged. Not in
    ``TABLES``: migration 4 makes it with its triggers.
    """

    seq = pw.BigAutoField()
    resource = pw.CharField(max_length=16)
    key = pw.CharField(max_length=64)  # the id as text; a topic's slug
    action = pw.CharField(max_length=8)  # create, update, delete
    at = pw.DateTimeField()

    class Meta:
        table_name = "change_log"
        indexes = ((("at", "seq"), False), (("resource", "at"), False))

import datetime as dt
from pathlib import Path

import pytest

from annotator import Annotator
from annotator.feed import parse_feed_text

GOLD = Path(__file__).resolve().parent.parent / "fixtures" / "gold" / "dev"


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


@pytest.fixture(scope="module")
def seed(annotator):
    item = parse_feed_text((GOLD / "seed.txt").read_text(encoding="utf-8"))
    events = annotator.annotate(
        item["body"], title=item["title"], published_at=item["published_at"]
    )
    return item, events


def people(event):
    return {p.name: p for p in event.participants if p.kind == "person"}


def test_six_events_umbrella_first(seed):
    _, events = seed
    assert len(events) == 6
    umbrella = events[0]
    assert "ОБСЕ" in umbrella.title
    assert umbrella.parent_key is None
    assert all(e.parent_key == umbrella.key for e in events[1:])
    assert events[1].type == "multilateral-meeting"
    assert [e.type for e in events[2:]] == ["bilateral-meeting"] * 4


def test_people_in_nominative_with_positions(seed):
    _, events = seed
    everyone = {}
    for e in events:
        everyone.update(people(e))
    assert set(everyone) == {
        "Ермек Кошербаев",
        "Феридун Синирлиоглу",
        "Мария Телалиан",
        "Ян Брату",
        "Кристоф Камп",
    }
    assert everyone["Ермек Кошербаев"].position == "министр иностранных дел Казахстана"
    assert everyone["Ермек Кошербаев"].country == "KZ"
    assert "Е.Кошербаев" in everyone["Ермек Кошербаев"].aliases
    assert everyone["Феридун Синирлиоглу"].position == "генеральный секретарь ОБСЕ"
    assert everyone["Мария Телалиан"].position == "директор БДИПЧ"
    assert everyone["Ян Брату"].position.startswith("представитель ОБСЕ")
    assert everyone["Кристоф Камп"].position.startswith("верховный комиссар")


def test_each_bilateral_has_one_counterpart(seed):
    _, events = seed
    counterparts = [set(people(e)) - {"Ермек Кошербаев"} for e in events[2:]]
    assert sorted(len(c) for c in counterparts) == [1, 1, 1, 1]


def test_countries_venue_date(seed):
    _item, events = seed
    codes = {p.country for e in events for p in e.participants if p.kind == "country"}
    assert codes == {"KZ", "KG", "TJ", "UZ", "DK", "IS", "NO", "FI", "SE"}
    for e in events:
        assert e.venue is not None and e.venue.name == "Vienna" and e.venue.country == "AT"
        assert "Вена" in e.venue.aliases
        assert e.venue.mention is not None and e.venue.mention.part == "title"
        assert (e.start_date, e.end_date) == (dt.date(2025, 12, 5), dt.date(2025, 12, 5))
        assert e.date_source == "published"
        assert "diplomacy" in e.topics


def test_every_span_points_into_the_body(seed):
    item, events = seed
    body = item["body"]
    spans = []
    for e in events:
        spans += [e.date_mention, e.type_mention, e.title_mention]
        spans += [s for p in e.participants for s in p.mentions]
        spans += [s for v in e.topic_mentions.values() for s in v]
        if e.venue:
            spans.append(e.venue.mention)
    for s in spans:
        if s is not None:
            assert (body if s.part == "body" else item["title"])[s.start : s.end] == s.text


def test_topics_per_event(seed):
    _, events = seed
    assert {"economy", "transport", "education"} <= set(events[1].topics)
    union = {t for e in events for t in e.topics}
    assert {"human-rights", "media-freedom", "security"} <= union

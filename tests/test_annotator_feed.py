import datetime as dt
from pathlib import Path

import pytest

from annotator.feed import parse_feed_text

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "gold" / "dev" / "seed.txt"


def test_seed_feed_parses():
    item = parse_feed_text(SEED.read_text(encoding="utf-8"))
    assert item["published_at"] == dt.date(2025, 12, 5)
    assert item["title"].startswith("В Вене прошла встреча")
    assert item["source"] == "CentralAsia (KZ)"
    assert item["source_country"] == "KZ"
    assert item["body"].startswith("CentralAsia (KZ) - Министр")


def test_body_is_kept_as_received():
    text = "date 2025-01-02 Title here\n\nSrc (UZ) - Body line.\n\nSecond para.\n"
    assert parse_feed_text(text)["body"] == "Src (UZ) - Body line.\n\nSecond para.\n"


def test_no_dateline_gives_no_source():
    item = parse_feed_text(" date 2025-01-02 T\n\nJust a body.")
    assert item["source"] is None and item["source_country"] is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2025-01-02 Title\n\nbody",
        "date 2025-13-02 Title\n\nbody",
        "date 2025-01-02 Title\nbody without blank line",
        "date 2025-01-02 Title\n\n   \n",
        "date 2025-01-02\n\nbody",
    ],
)
def test_malformed_feed_raises(text):
    with pytest.raises(ValueError):
        parse_feed_text(text)


def test_runs_of_spaces_are_read_at_once():
    # Each was minutes of backtracking: spaces ending the title, spaces opening a body
    # with no dateline after them.
    text = "date 2025-01-02 Title" + " " * 100_000 + "\n\n" + " " * 30_000 + "no dateline"
    item = parse_feed_text(text)
    assert item["title"] == "Title"
    assert item["source"] is None
    assert parse_feed_text("date 2025-01-02 T\n\n   (KZ) - body")["source"] is None

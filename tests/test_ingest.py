"""Bulk ingest: feed text and JSON Lines in, bad files named and skipped, idempotent."""

from __future__ import annotations

import json
import tracemalloc
from importlib import resources

from api.store.models import Article

SEED = resources.files("fixtures").joinpath("seed-article.txt").read_text(encoding="utf-8")


def write_tree(tmp_path):
    root = tmp_path / "feed"
    (root / "2025" / "12").mkdir(parents=True)
    (root / "2025" / "12" / "seed.txt").write_text(SEED, encoding="utf-8")
    (root / "2025" / "bad.txt").write_text("not a feed item\n", encoding="utf-8")
    (root / "latin1.txt").write_bytes(" date 2025-01-01 Caf\xe9\n\nbody".encode("latin-1"))
    lines = [
        {
            "title": "Phone call",
            "body": "Tokayev spoke with Xi by phone.",
            "published_at": "2025-11-03",
            "source": "Akorda (KZ)",
            "url": "https://a.kz/1",
        },
        {"title": "No body"},
        {"title": "Visit", "body": "Мирзиёев посетил Астану.", "published_at": "2025-11-04"},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    (root / "items.jsonl").write_text(text + "\n{broken\n", encoding="utf-8")
    (root / "ignored.csv").write_text("a,b\n", encoding="utf-8")
    return root


def test_ingest_reports_bad_files_and_keeps_the_rest(runner, db, tmp_path):
    root = write_tree(tmp_path)
    (root / "link.txt").symlink_to(root / "2025" / "12" / "seed.txt")
    result = runner.invoke(args=["ingest", str(root), "--no-annotate", "--quiet"])
    assert result.exit_code == 1
    assert "stored 3, skipped 0 (already stored), failed 5" in result.output
    for name in ("bad.txt", "latin1.txt", "items.jsonl:2", "items.jsonl:4", "link.txt"):
        assert name in result.output
    titles = sorted(a.title for a in Article.select())
    assert titles == sorted(
        [
            "Phone call",
            "Visit",
            "В Вене прошла встреча министров иностранных дел стран "
            "Центральной Азии и Северной Европы",
        ]
    )
    seed = Article.get(Article.title.startswith("В Вене"))
    assert seed.body == SEED.split("\n", 2)[2]
    assert seed.language == "ru" and seed.source.name == "CentralAsia (KZ)"
    assert Article.get(Article.title == "Phone call").language == "en"


def test_second_ingest_skips_what_is_stored(runner, db, tmp_path):
    root = write_tree(tmp_path)
    runner.invoke(args=["ingest", str(root), "--no-annotate", "--quiet"])
    count = Article.select().count()
    again = runner.invoke(args=["ingest", str(root), "--no-annotate", "--quiet"])
    assert "stored 0, skipped 3" in again.output
    assert Article.select().count() == count


def test_missing_path_is_reported(runner, tmp_path):
    result = runner.invoke(args=["ingest", str(tmp_path / "nope"), "--no-annotate", "--quiet"])
    assert result.exit_code == 1
    assert "no such file or directory" in result.output


def test_ingest_annotates_in_worker_processes(runner, db, tmp_path):
    from api.store.models import Event, EventArticle

    root = tmp_path / "feed"
    root.mkdir()
    gold = resources.files("fixtures").joinpath("gold", "dev")
    for name in ("seed.txt", "ru-01-tokayev-xi-phone.txt", "en-02-mirziyoyev-lee-phone.txt"):
        (root / name).write_text(gold.joinpath(name).read_text(encoding="utf-8"), "utf-8")
    result = runner.invoke(args=["ingest", str(root), "--workers", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "stored 3, skipped 0 (already stored), failed 0" in result.output
    made = Event.select().count()
    assert made >= 8 and f"events made {made}" in result.output
    # Every article got its events, all made by the annotator.
    assert EventArticle.select(EventArticle.article).distinct().count() == 3
    assert {e.status for e in Event.select()} == {"auto"}


def article_line(title: str, body: str = "Tokayev met Xi in Astana.") -> bytes:
    """One JSON Lines line (UTF-8, non-ASCII as it is), without its end."""
    data = {"title": title, "body": body, "published_at": "2025-11-03", "language": "en"}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def ingest(runner, *paths):
    return runner.invoke(args=["ingest", *map(str, paths), "--no-annotate", "--quiet"])


def test_line_separators_inside_a_string_are_text(runner, db, tmp_path):
    # U+2028, U+2029 and U+0085 end a line for str.splitlines(); in JSON Lines only \n does.
    body = "First\u2028second\u2029third\u0085fourth."
    path = tmp_path / "items.jsonl"
    path.write_bytes(article_line("Line\u2028separator", body) + b"\n" + article_line("Next"))
    result = ingest(runner, path)
    assert result.exit_code == 0, result.output
    assert "stored 2, skipped 0 (already stored), failed 0" in result.output
    assert Article.get(Article.title == "Line\u2028separator").body == body


def test_a_bad_line_is_reported_by_its_number_and_the_good_ones_kept(runner, db, tmp_path):
    path = tmp_path / "items.jsonl"
    lines = [
        article_line("First"),
        b'{"title": "Big", "n": ' + b"7" * 5000 + b"}",
        b"[" * 100_000,
        b'{"title": "Raw NUL \x00", "body": "x", "published_at": "2025-11-03"}',
        article_line("Escaped NUL", "A NUL \x00 inside."),  # written as \u0000
        b'{"title": "Latin-1 caf\xe9", "body": "x", "published_at": "2025-11-03"}',
        article_line("Second"),
        b"",
        b"NaN",
        article_line("Third") + b"\r",
        article_line("First"),
    ]
    path.write_bytes(b"\n".join(lines))
    result = ingest(runner, path)
    assert result.exit_code == 1
    assert "stored 3, skipped 1 (already stored), failed 6" in result.output
    for number, reason in [
        (2, "not JSON: an integer too long to read"),
        (3, "not JSON: nested too deeply"),
        (4, "not JSON: Invalid control character"),
        (5, "invalid article: {'body': ['Control characters are not allowed.']}"),
        (6, "not JSON: not UTF-8: invalid continuation byte"),
        (9, "not JSON: NaN is not JSON"),
    ]:
        assert f"failed: {path}:{number}: {reason}" in result.output
    assert sorted(a.title for a in Article.select()) == ["First", "Second", "Third"]


def feed(title: str, body: str = "Akorda (KZ) - Tokayev met Xi in Astana.") -> str:
    return f"date 2025-11-03 {title}\n\n{body}"


def test_a_feed_file_is_checked_as_the_api_checks_an_article(runner, db, tmp_path):
    root = tmp_path / "feed"
    root.mkdir()
    (root / "good.txt").write_text(feed("Good"), encoding="utf-8")
    (root / "nul.txt").write_text(feed("NUL", "A NUL \x00 in the body."), encoding="utf-8")
    (root / "esc.txt").write_text(feed("ESC \x1b[31m red"), encoding="utf-8")
    (root / "long.txt").write_text(feed("T" * 100_000), encoding="utf-8")
    result = ingest(runner, root)
    assert result.exit_code == 1
    assert "stored 1, skipped 0 (already stored), failed 3" in result.output
    for name, field in [("nul.txt", "body"), ("esc.txt", "title"), ("long.txt", "title")]:
        assert f"failed: {root / name}: invalid article: {{'{field}': [" in result.output
    assert "Length must be between 1 and 2000." in result.output
    assert [a.title for a in Article.select()] == ["Good"]


def test_what_is_over_the_body_limit_is_refused_by_name(app, runner, db, tmp_path):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    big = tmp_path / "big.txt"
    big.write_text(feed("Big", "word " * 2_000), encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(feed("Small", "word " * 1_000), encoding="utf-8")
    lines = tmp_path / "items.jsonl"
    long_line = article_line("Long", "word " * 2_000)
    lines.write_bytes(b"\n".join([long_line, article_line("Short"), long_line * 3]))
    result = ingest(runner, big, small, lines)
    assert result.exit_code == 1
    assert "stored 2, skipped 0 (already stored), failed 3" in result.output
    refused = "larger than 10,000 bytes, the limit of a request body"
    for origin in (big, f"{lines}:1", f"{lines}:3"):
        assert f"failed: {origin}: {refused}" in result.output
    assert sorted(a.title for a in Article.select()) == ["Short", "Small"]


def test_a_large_file_is_read_in_constant_memory(runner, db, tmp_path):
    # 32 MB of JSON Lines; the old reader held the whole text, then its lines, then every
    # article before it stored one.
    path = tmp_path / "large.jsonl"
    words = "Tokayev and Xi discussed trade, transit and water in Astana. " * 520
    count = 1_000
    with path.open("wb") as out:
        for number in range(count):
            out.write(article_line(f"Article {number}", words) + b"\n")
    size = path.stat().st_size
    assert size > 30_000_000
    tracemalloc.start()
    try:
        result = ingest(runner, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 0, result.output
    assert f"stored {count}, skipped 0 (already stored), failed 0" in result.output
    assert peak < size / 5, f"{peak:,} bytes at the peak for a file of {size:,}"

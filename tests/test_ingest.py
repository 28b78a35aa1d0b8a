"""Bulk ingest: feed text and JSON Lines in, bad files named and skipped, idempotent."""

from __future__ import annotations

import json
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

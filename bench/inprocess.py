"""What one request costs, without HTTP or load: the steadier figure for growth.

Runs every scenario of ``bench/run.py`` through Flask's test client in this
process, one request at a time, and prints the median time per scenario over
``--repeat`` runs (after one unmeasured run), for each database given, and the
ratio of each scenario's median between the last database and the first
(``p50 at 1M / p50 at 10k`` when given the 10k and the 1M databases)::

    .venv/bin/python bench/inprocess.py \\
        sqlite:///bench/out/sqlite-10000.db sqlite:///bench/out/sqlite-1000000.db

The databases are those ``bench/run.py`` makes (``bench/out/sqlite-N.db``,
``annals_bench_N`` on PostgreSQL).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def measure(url: str, repeat: int) -> dict[str, float]:
    """Median milliseconds per scenario against the database at ``url``."""
    import run

    from api import create_app

    targets = run.pick_targets(url)
    app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    medians = {}
    for name, path in run.scenarios(targets):
        if path == "PAGE200":
            path, _ = run.page_200(lambda p: client.get(p).json)
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        medians[name] = statistics.median(times) * 1000
    return medians


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+", help="DATABASE_URLs, smallest first")
    parser.add_argument("--repeat", type=int, default=15, help="measured runs per scenario")
    args = parser.parse_args(argv)
    results = [measure(url, args.repeat) for url in args.urls]
    names = list(results[0])
    heads = [urlsplit(u).path.rsplit("/", 1)[-1] or u for u in args.urls]
    print("| scenario | " + " | ".join(f"{h} ms" for h in heads) + " | last / first |")
    print("|---|" + "---:|" * (len(heads) + 1))
    for name in names:
        cells = " | ".join(f"{r[name]:.2f}" for r in results)
        growth = results[-1][name] / results[0][name]
        print(f"| {name} | {cells} | {growth:.2f} |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    sys.exit(main())

"""Annotator speed and memory: start-up time, articles per second on one core,
and the process's resident memory with the models loaded.

    .venv/bin/python bench/annotate_bench.py [--n 200] [FILE ...]

Defaults to the seed article (fixtures/gold/dev/seed.txt). Targets (issue 3):
models loaded in <= 2 s, >= 20 seed-sized articles/s per core, RSS < 600 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    """Current resident set size (Linux /proc), else the peak from getrusage."""
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--n", type=int, default=200, help="articles to annotate (timed)")
    args = parser.parse_args()
    files = args.files or [ROOT / "fixtures" / "gold" / "dev" / "seed.txt"]

    t0 = time.perf_counter()
    import annotator
    from annotator.feed import parse_feed_text

    t_import = time.perf_counter() - t0
    items = [parse_feed_text(f.read_text(encoding="utf-8")) for f in files]
    rss_before = rss_mb()
    t0 = time.perf_counter()
    ann = annotator.Annotator()
    t_load = time.perf_counter() - t0
    first = items[0]
    t0 = time.perf_counter()
    ann.annotate(first["body"], title=first["title"], published_at=first["published_at"])
    t_first = time.perf_counter() - t0

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    for i in range(args.n):
        item = items[i % len(items)]
        # a fresh string each time so no per-text cache can help
        body = item["body"] + " " * (i % 7)
        ann.annotate(body, title=item["title"], published_at=item["published_at"])
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    chars = sum(len(i["body"]) for i in items) / len(items)

    print(f"import annotator        {t_import * 1000:8.1f} ms (models not loaded)")
    print(f"Annotator() start-up    {t_load:8.2f} s   (target <= 2 s)")
    print(f"first article           {t_first * 1000:8.1f} ms")
    print(f"throughput (wall)       {args.n / wall:8.1f} articles/s ({chars:.0f} chars each)")
    print(f"throughput (per core)   {args.n / cpu:8.1f} articles/s CPU time (target >= 20)")
    print(f"latency                 {wall / args.n * 1000:8.1f} ms/article")
    print(f"RSS before / after load {rss_before:8.0f} / {rss_mb():.0f} MB (target < 600 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

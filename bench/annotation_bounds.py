"""Annotation time and peak memory on long bodies, hostile and ordinary (issue 14).

    .venv/bin/python bench/annotation_bounds.py [--sizes 10000,100000,1000000]
        [--bodies during,seed,...] [--timeout 300]

For each body and size (in characters; 1,000,000 is the longest body the API takes) one
fresh process loads the models and annotates the body once. The table gives the
annotation's processor time (the models' loading not counted; processor time, as
the machine may be shared) and the process's peak resident
memory, read by its parent from ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the parent has
that one child only). The row ``models only`` is a process that loads the models and
annotates nothing. A run past ``--timeout`` seconds is stopped and shown as ``>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "reference" / "seed-article.txt"
RU = "Ермек Кошербаев встретился с Ван И в Пекине и обсудил торговлю и транспорт "


def _seed() -> str:
    from annotator.feed import parse_feed_text

    return parse_feed_text(SEED.read_text(encoding="utf-8"))["body"]


def _gold() -> str:
    from annotator.feed import parse_feed_text

    files = sorted((ROOT / "fixtures" / "gold").rglob("*.txt"))
    return "\n".join(parse_feed_text(f.read_text(encoding="utf-8"))["body"] for f in files)


# name → (kind, language (None: detected), the opening, what is repeated after it, the end)
BODIES = {
    "during": ("hostile", "en", "President Tokayev met Vladimir Putin ", lambda: "during ", ""),
    "sidelines": ("hostile", "en", "Tokayev held talks ", lambda: "on the sidelines of ", ""),
    "spaces first": ("hostile", "en", "", lambda: " ", "Tokayev met Putin."),
    "spaces inside": ("hostile", "en", "Tokayev met Putin in Astana", lambda: " ", "."),
    "dots": ("hostile", "en", "Tokayev met Putin", lambda: ".", "x"),
    "«…": ("hostile", "ru", "«", lambda: RU, ""),
    "stems": ("hostile", "ru", "Токаев провёл переговоры ", lambda: "гуманитарн", "."),
    "seed": ("ordinary", "ru", "", lambda: _seed() + "\n", ""),
    "gold": ("ordinary", None, "", lambda: _gold() + "\n", ""),
}


def body(name: str, size: int) -> tuple[str, str | None]:
    """The body ``name`` of ``size`` characters, and its language (None: detected)."""
    _, lang, head, unit, tail = BODIES[name]
    piece = unit()
    text = head + piece * ((size - len(head)) // len(piece) + 1)
    return text[: size - len(tail)] + tail, lang


def annotate(name: str, size: int) -> None:
    """In the measured process: load the models, annotate once, print the seconds."""
    sys.path.insert(0, str(ROOT))
    import annotator

    ann = annotator.get_annotator()
    if name == "models only":
        print(json.dumps({"seconds": 0.0}))
        return
    text, lang = body(name, size)
    start = time.process_time()
    ann.annotate(text, title="Bench", published_at=dt.date(2025, 12, 5), language=lang)
    print(json.dumps({"seconds": time.process_time() - start}))


def measure(name: str, size: int, timeout: float) -> None:
    """In a fresh parent of one child: run :func:`annotate` there, print its time and peak."""
    cmd = [sys.executable, __file__, "--annotate", name, str(size)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        seconds = json.loads(done.stdout)["seconds"] if done.returncode == 0 else "failed"
    except subprocess.TimeoutExpired:
        seconds = None
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))


def run(name: str, size: int, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--measure", name, str(size), "--timeout", str(timeout)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _took(seconds: float | str | None, timeout: float) -> str:
    if seconds is None:
        return f"> {timeout:.0f} s"
    return seconds if isinstance(seconds, str) else f"{seconds:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--bodies", default=",".join(BODIES))
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--annotate", nargs=2, metavar=("BODY", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=2, metavar=("BODY", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.annotate:
        annotate(args.annotate[0], int(args.annotate[1]))
        return 0
    if args.measure:
        measure(args.measure[0], int(args.measure[1]), args.timeout)
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    base = run("models only", 0, args.timeout)
    print(f"models only: peak {base['peak_mb']:.0f} MB\n")
    print(f"| body | kind | {' | '.join(f'{s:,} chars' for s in sizes)} |")
    print(f"| --- | --- | {' | '.join('---:' for _ in sizes)} |")
    for name in args.bodies.split(","):
        cells = []
        for size in sizes:
            got = run(name, size, args.timeout)
            took = _took(got["seconds"], args.timeout)
            cells.append(f"{took}, {got['peak_mb']:.0f} MB")
        print(f"| {name} | {BODIES[name][0]} | {' | '.join(cells)} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

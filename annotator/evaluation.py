"""Scoring against the gold set, exactly as ``shared/reference/README.md`` says.

Per article the system's events are pooled (the union over all extracted
events), so the split into events is not scored:

* **persons, countries, topics** — precision / recall / F1, *micro-averaged*:
  true positives, false positives and false negatives are summed over all
  articles of a split, then P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2PR/(P+R).
  Gold persons are pooled too: two gold spellings lists that share a
  spelling are one person. A system person is *found* when its name or any
  of its aliases equals one of the gold spellings, compared casefolded with
  ё read as е; each gold person counts once, each unmatched system person
  is a false positive. Countries are alpha-2 codes, topics are slugs.
* **venue** — accuracy over gold events: a gold event is right when *some*
  extracted event of the same article has a venue whose name or an alias
  equals one of the gold venue names (same comparison), or, for a gold
  venue of ``null``, when some extracted event has no venue.
* **date** — accuracy over gold events: right when some extracted event of
  the article has ``start_date == date`` and ``end_date == end_date`` (the
  gold ``end_date`` defaulting to ``date``).
* **phantom events** — the number of events extracted from articles whose
  gold has no event (target: zero). Such articles add no persons etc. of
  their own, but every entity found there counts as a false positive.
* **reliability** — whether an event's ``confidence`` predicts that it is right: each
  extracted event is put in a bucket of its confidence and counted as *matched* when
  some gold event of its article has a day in common with it and takes part in it as
  the event says (most of its persons are gold persons; with no person, a state or an
  organisation in common). Higher buckets should hold larger shares.

A split is the first directory under the gold root (``dev``, ``heldout``);
"all" pools every article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.feed import looks_like_feed, parse_feed_text
from annotator.model import FoundEvent

PRF_FIELDS = ("persons", "countries", "topics")
ACC_FIELDS = ("venue", "date")


@dataclass
class GoldArticle:
    id: str
    split: str
    language: str | None
    published_at: dt.date
    title: str
    source: str | None
    body: str
    events: list[dict]
    path: Path | None = None


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class SplitScore:
    articles: int = 0
    prf: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in PRF_FIELDS})
    acc: dict[str, Accuracy] = field(default_factory=lambda: {f: Accuracy() for f in ACC_FIELDS})
    phantom_events: int = 0

    def add(self, other: ArticleScore) -> None:
        self.articles += 1
        for f in PRF_FIELDS:
            c = self.prf[f]
            o = other.prf[f]
            c.tp, c.fp, c.fn = c.tp + o.tp, c.fp + o.fp, c.fn + o.fn
        for f in ACC_FIELDS:
            self.acc[f].right += other.acc[f].right
            self.acc[f].total += other.acc[f].total
        self.phantom_events += other.phantom_events

    def metric(self, name: str) -> float:
        """``persons``/``countries``/``topics`` (F1), ``venue``/``date`` (accuracy),
        ``*_precision``/``*_recall``, or ``phantom_events`` (a count)."""
        if name == "phantom_events":
            return float(self.phantom_events)
        if name in ACC_FIELDS:
            return self.acc[name].value
        field_name, _, kind = name.partition("_")
        counts = self.prf[field_name]
        return {
            "": counts.f1,
            "f1": counts.f1,
            "precision": counts.precision,
            "recall": counts.recall,
        }[kind]


@dataclass
class ArticleScore:
    id: str
    split: str
    prf: dict[str, Counts]
    acc: dict[str, Accuracy]
    phantom_events: int
    missed: dict[str, list] = field(default_factory=dict)
    extra: dict[str, list] = field(default_factory=dict)
    # (confidence, whether it matches a gold event) for each extracted event
    judged: list[tuple[float, bool]] = field(default_factory=list)


# Lower bounds of the confidence buckets of the reliability table.
BUCKETS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass
class Bucket:
    low: float
    high: float
    events: int = 0
    matched: int = 0

    @property
    def share(self) -> float:
        return self.matched / self.events if self.events else 0.0


def reliability(judged: Iterable[tuple[float, bool]]) -> list[Bucket]:
    """Events by confidence bucket, with how many of them match a gold event."""
    bounds = [*BUCKETS, 1.0]
    buckets = [Bucket(lo, hi) for lo, hi in itertools.pairwise(bounds)]
    for confidence, matched in judged:
        b = next(b for b in reversed(buckets) if confidence >= b.low)
        b.events += 1
        b.matched += matched
    return buckets


@dataclass
class Report:
    splits: dict[str, SplitScore]
    articles: list[ArticleScore]

    def reliability(self, split: str = "all") -> list[Bucket]:
        """The reliability table of one split (or of every article)."""
        return reliability(j for a in self.articles if split in ("all", a.split) for j in a.judged)

    def format_reliability(self) -> str:
        """Confidence bucket → events and the share matching a gold event, for every
        article and for each held-out split."""
        splits = ["all", *(s for s in self.splits if "heldout" in s)]
        head = f"{'confidence':<12}" + "".join(f"{s + ' n':>16}{'matched':>9}" for s in splits)
        lines = [head, "-" * len(head)]
        tables = [self.reliability(s) for s in splits]
        for row in zip(*tables, strict=True):
            line = f"{row[0].low:.1f}–{row[0].high:.1f}".ljust(12)
            for b in row:
                line += f"{b.events:>16}{b.share:>9.2f}" if b.events else f"{0:>16}{'–':>9}"
            lines.append(line)
        return "\n".join(lines)

    def format(self, *, details: bool = False) -> str:
        """A printable table: one row per split, one column per field."""
        head = (
            f"{'split':<10}{'n':>4}"
            + "".join(f"{f + ' P/R/F1':>22}" for f in PRF_FIELDS)
            + "".join(f"{f:>8}" for f in ACC_FIELDS)
            + f"{'phantom':>9}"
        )
        lines = [head, "-" * len(head)]
        for name, s in self.splits.items():
            row = f"{name:<10}{s.articles:>4}"
            for f in PRF_FIELDS:
                c = s.prf[f]
                row += f"{c.precision:>8.2f}{c.recall:>7.2f}{c.f1:>7.2f}"
            for f in ACC_FIELDS:
                row += f"{s.acc[f].value:>8.2f}"
            row += f"{s.phantom_events:>9}"
            lines.append(row)
        if details:
            lines.append("")
            for a in self.articles:
                problems = {k: v for k, v in {**a.missed, **a.extra}.items() if v}
                if problems or a.phantom_events:
                    lines.append(
                        f"{a.split}/{a.id}: missed={a.missed} extra={a.extra}"
                        f" phantom={a.phantom_events}"
                    )
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            name: {
                **{f: s.metric(f) for f in (*PRF_FIELDS, *ACC_FIELDS)},
                **{f"{f}_precision": s.prf[f].precision for f in PRF_FIELDS},
                **{f"{f}_recall": s.prf[f].recall for f in PRF_FIELDS},
                "phantom_events": s.phantom_events,
                "articles": s.articles,
            }
            for name, s in self.splits.items()
        }


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Every ``*.json`` gold file under ``path`` (recursively), sorted by path.

    The text is ``body`` or the file named by ``file`` (relative to the JSON);
    a file in the feed format is parsed with :func:`parse_feed_text` and its
    body used. JSON files without a ``gold`` key (such as thresholds) are skipped.
    """
    root = Path(path)
    files = [root] if root.is_file() else sorted(root.rglob("*.json"))
    out = []
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "gold" not in data:
            continue
        if "body" in data:
            body = data["body"]
        elif "file" in data:
            text = (file.parent / data["file"]).read_text(encoding="utf-8")
            body = parse_feed_text(text)["body"] if looks_like_feed(text) else text
        else:
            raise ValueError(f"{file}: gold article has neither 'body' nor 'file'")
        rel = file.relative_to(root) if root.is_dir() else Path(file.name)
        split = rel.parts[0] if len(rel.parts) > 1 else root.name
        out.append(
            GoldArticle(
                id=data.get("id", file.stem),
                split=split,
                language=data.get("language"),
                published_at=dt.date.fromisoformat(data["published_at"]),
                title=data.get("title", ""),
                source=data.get("source"),
                body=body,
                events=list(data["gold"].get("events", [])),
                path=file,
            )
        )
    return out


def score_article(article: GoldArticle, events: list[FoundEvent]) -> ArticleScore:
    """Score one article's extracted events against its gold events."""
    prf = {f: Counts() for f in PRF_FIELDS}
    acc = {f: Accuracy() for f in ACC_FIELDS}
    missed: dict[str, list] = {}
    extra: dict[str, list] = {}
    _score_persons(_gold_people(article), _system_people(events), prf["persons"], missed, extra)
    gold_countries = {c for ev in article.events for c in ev.get("countries", [])}
    system_countries = {
        p.country for ev in events for p in ev.participants if p.kind == "country" and p.country
    }
    _score_set("countries", gold_countries, system_countries, prf, missed, extra)
    gold_topics = {t for ev in article.events for t in ev.get("topics", [])}
    system_topics = {t for ev in events for t in ev.topics}
    _score_set("topics", gold_topics, system_topics, prf, missed, extra)
    for ev in article.events:
        _score_venue(ev, events, acc["venue"], missed)
        _score_date(ev, events, acc["date"], missed)
    phantom = len(events) if not article.events else 0
    judged = [(e.confidence, _matches_gold(e, article.events)) for e in events]
    return ArticleScore(article.id, article.split, prf, acc, phantom, missed, extra, judged)


def _matches_gold(event: FoundEvent, gold_events: list[dict]) -> bool:
    """Whether some gold event shares a day with ``event`` and takes part in it as
    ``event`` says: most of its persons are that gold event's, or, with no person
    found, a state or an organisation is."""
    persons = [
        {_norm(p.name), *(_norm(a) for a in p.aliases)}
        for p in event.participants
        if p.kind == "person"
    ]
    states = {p.country for p in event.participants if p.kind == "country" and p.country}
    orgs = {
        n
        for p in event.participants
        if p.kind == "organization"
        for n in (_norm(p.name), *(_norm(a) for a in p.aliases))
    }
    for gold in gold_events:
        start = dt.date.fromisoformat(gold["date"])
        end = dt.date.fromisoformat(gold.get("end_date") or gold["date"])
        if event.start_date > end or event.end_date < start:
            continue
        spellings = {_norm(s) for names in gold.get("persons", []) for s in names}
        if persons:
            if 2 * sum(1 for forms in persons if forms & spellings) > len(persons):
                return True
            continue
        gold_orgs = {_norm(n) for names in gold.get("organizations", []) for n in names}
        if states & set(gold.get("countries", [])) or orgs & gold_orgs:
            return True
    return False


def _gold_people(article: GoldArticle) -> list[set[str]]:
    """The gold persons of an article: spellings lists that share a spelling are one person."""
    people: list[set[str]] = []
    for ev in article.events:
        for spellings in ev.get("persons", []):
            names = {_norm(s) for s in spellings}
            for known in people:
                if known & names:
                    known |= names
                    break
            else:
                people.append(set(names))
    return people


def _system_people(events: list[FoundEvent]) -> dict[str, set[str]]:
    """The extracted persons of an article: name → every spelling (name and aliases)."""
    people: dict[str, set[str]] = {}
    for ev in events:
        for p in ev.participants:
            if p.kind == "person":
                people.setdefault(_norm(p.name), set()).update(
                    {_norm(p.name), *(_norm(a) for a in p.aliases)}
                )
    return people


def _score_persons(
    gold_people: list[set[str]],
    system_people: dict[str, set[str]],
    counts: Counts,
    missed: dict[str, list],
    extra: dict[str, list],
) -> None:
    """Each gold person found counts once; each system person matching no gold one is a
    false positive."""
    matched_gold = set()
    for name, forms in system_people.items():
        hit = next((i for i, g in enumerate(gold_people) if g & forms), None)
        if hit is None:
            counts.fp += 1
            extra.setdefault("persons", []).append(name)
        elif hit in matched_gold:
            continue  # a second system entity for one gold person: not counted twice
        else:
            matched_gold.add(hit)
            counts.tp += 1
    for i, g in enumerate(gold_people):
        if i not in matched_gold:
            counts.fn += 1
            missed.setdefault("persons", []).append(sorted(g)[0])


def _score_set(
    fname: str,
    gold_set: set[str],
    sys_set: set[str],
    prf: dict[str, Counts],
    missed: dict[str, list],
    extra: dict[str, list],
) -> None:
    """Countries or topics: the article's gold set against the extracted set."""
    prf[fname].tp += len(gold_set & sys_set)
    prf[fname].fp += len(sys_set - gold_set)
    prf[fname].fn += len(gold_set - sys_set)
    if gold_set - sys_set:
        missed[fname] = sorted(gold_set - sys_set)
    if sys_set - gold_set:
        extra[fname] = sorted(sys_set - gold_set)


def _score_venue(gold: dict, events: list[FoundEvent], acc: Accuracy, missed: dict) -> None:
    """Right when some extracted event has the gold venue (or, for none, no venue)."""
    acc.total += 1
    venue = gold.get("venue")
    if venue is None:
        ok = any(e.venue is None for e in events)
    else:
        wanted = {_norm(v) for v in venue}
        ok = any(
            e.venue is not None
            and wanted & {_norm(e.venue.name), *(_norm(a) for a in e.venue.aliases)}
            for e in events
        )
    acc.right += ok
    if not ok:
        missed.setdefault("venue", []).append(gold.get("key") or venue)


def _score_date(gold: dict, events: list[FoundEvent], acc: Accuracy, missed: dict) -> None:
    """Right when some extracted event has the gold event's first and last day."""
    acc.total += 1
    start = dt.date.fromisoformat(gold["date"])
    end = dt.date.fromisoformat(gold.get("end_date") or gold["date"])
    ok = any(e.start_date == start and e.end_date == end for e in events)
    acc.right += ok
    if not ok:
        missed.setdefault("date", []).append(f"{gold.get('key')}:{start}..{end}")


AnnotateFn = Callable[[GoldArticle], list[FoundEvent]]


def default_annotate_fn() -> AnnotateFn:
    """Run the process-wide annotator on a gold article."""
    from annotator import get_annotator

    annotator = get_annotator()

    def run(article: GoldArticle) -> list[FoundEvent]:
        return annotator.annotate(
            article.body,
            title=article.title,
            published_at=article.published_at,
            language=article.language,
        )

    return run


def score(articles: Iterable[GoldArticle], annotate_fn: AnnotateFn | None = None) -> Report:
    """Annotate every article with ``annotate_fn(article)`` and score it.

    ``annotate_fn`` defaults to the process-wide :class:`annotator.Annotator`.
    """
    fn = annotate_fn or default_annotate_fn()
    per_article = []
    splits: dict[str, SplitScore] = {}
    total = SplitScore()
    for article in articles:
        result = score_article(article, fn(article))
        per_article.append(result)
        splits.setdefault(article.split, SplitScore()).add(result)
        total.add(result)
    splits = dict(sorted(splits.items()))
    splits["all"] = total
    return Report(splits, per_article)


DEFAULT_THRESHOLDS = {
    "persons": 0.90,
    "countries": 0.90,
    "venue": 0.85,
    "date": 0.90,
    "topics": 0.65,
    "phantom_events": 0,
}


def load_thresholds(path: str | Path) -> dict:
    """``thresholds.json``: ``{"splits": [...], "min": {metric: value}, "max": {...}}``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def check(report: Report, thresholds: dict) -> list[str]:
    """Failures, one line each: a metric below its minimum (or a count above its
    maximum) in one of the checked splits. Empty when everything passes.

    ``thresholds`` is ``{"splits": ["heldout", "all"], "min": {...}, "max": {...}}``;
    a flat ``{metric: minimum}`` dict is read as minima for every split, with
    ``phantom_events`` read as a maximum.
    """
    if not {"min", "max", "per_split", "reliability_ordered"} & thresholds.keys():
        flat = dict(thresholds)
        maxima = {"phantom_events": flat.pop("phantom_events")} if "phantom_events" in flat else {}
        thresholds = {"min": flat, "max": maxima}
    wanted = thresholds.get("splits", ["heldout", "all"])
    bounds = {split: thresholds for split in wanted}
    # a split's own floors ("per_split": {"wire-heldout": {"min": …, "max": …}})
    for split, own in thresholds.get("per_split", {}).items():
        bounds[split] = own
    failures = []
    for split, limits in bounds.items():
        s = report.splits.get(split)
        if s is None or s.articles == 0:
            continue
        for metric, minimum in limits.get("min", {}).items():
            value = s.metric(metric)
            if value < minimum:
                failures.append(f"{split}: {metric} {value:.3f} < {minimum}")
        for metric, maximum in limits.get("max", {}).items():
            value = s.metric(metric)
            if value > maximum:
                failures.append(f"{split}: {metric} {value:g} > {maximum}")
    for split in thresholds.get("reliability_ordered", []):
        failures.extend(_disordered(split, report.reliability(split)))
    return failures


# A bucket with fewer events says too little to be compared.
RELIABILITY_MIN_EVENTS = 10


def _disordered(split: str, buckets: list[Bucket]) -> list[str]:
    """A line for each confidence bucket whose share of right events is below that of
    a lower bucket (buckets of fewer than RELIABILITY_MIN_EVENTS events left out)."""
    full = [b for b in buckets if b.events >= RELIABILITY_MIN_EVENTS]
    return [
        f"{split}: confidence {b.low:.1f}–{b.high:.1f} is right {b.share:.2f} of the time,"
        f" below {a.share:.2f} at {a.low:.1f}–{a.high:.1f}"
        for a, b in itertools.pairwise(full)
        if b.share < a.share
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m annotator.evaluation", description="Score the annotator on a gold set."
    )
    parser.add_argument("path", help="gold directory (e.g. fixtures/gold)")
    parser.add_argument("--thresholds", help="thresholds JSON (default: PATH/thresholds.json)")
    parser.add_argument("--details", action="store_true", help="list every miss per article")
    args = parser.parse_args(argv)
    root = Path(args.path)
    report = score(load_gold(root))
    print(report.format(details=args.details))
    print()
    print(report.format_reliability())
    tpath = Path(args.thresholds) if args.thresholds else root / "thresholds.json"
    thresholds = load_thresholds(tpath) if tpath.exists() else {"min": DEFAULT_THRESHOLDS}
    failures = check(report, thresholds)
    for line in failures:
        print("FAIL", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

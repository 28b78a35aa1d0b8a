"""Fit the weights of the annotator's confidence model (annotator/confidence.py).

    .venv/bin/python bench/fit_confidence.py [fixtures/gold]

Annotates the tuning splits (dev, dev2, wire-dev: never a held-out one), records for
each extracted event the features of ``confidence_features`` and whether it matches a
gold event (the reliability rule of annotator/evaluation.py), and fits a logistic
regression by gradient descent with a small L2 penalty. Prints the weights to copy into
``CONFIDENCE_WEIGHTS`` and ``CONFIDENCE_BIAS``; ``flask --app api evaluate`` then shows
whether the buckets are ordered on the held-out splits.
"""

from __future__ import annotations

import sys

import numpy as np

import annotator.confidence as scored
from annotator.evaluation import load_gold, score

TUNING = ("dev", "dev2", "wire-dev")


def main(root: str = "fixtures/gold") -> None:
    rows: list[list[float]] = []
    real_confidence = scored.confidence

    def record(d, kind, source):
        rows.append([float(v) for v in scored.confidence_features(d, kind, source).values()])
        return float(len(rows) - 1)  # the row, read back from the judged event

    scored.confidence = record
    try:
        report = score(a for a in load_gold(root) if a.split in TUNING)
    finally:
        scored.confidence = real_confidence
    judged = [(int(row), matched) for a in report.articles for row, matched in a.judged]
    x = np.array([[*rows[i], 1.0] for i, _ in judged])
    y = np.array([float(m) for _, m in judged])
    w = np.zeros(x.shape[1])
    for _ in range(5000):
        p = 1 / (1 + np.exp(-x @ w))
        w -= 0.1 * (x.T @ (p - y) / len(y) + 0.01 * np.r_[w[:-1], 0.0])
    names = [*scored.CONFIDENCE_WEIGHTS]
    print(f"{len(y)} events, {y.mean():.2f} matched")
    for name, value in zip(names, w[:-1], strict=True):
        print(f'    "{name}": {value:.2f},')
    print(f"CONFIDENCE_BIAS = {w[-1]:.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:])

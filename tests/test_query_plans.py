"""The event filters run index-backed: read from the store's own query plans."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from api.db import is_postgres
from api.events import EVENT_FILTERS, ORDERS
from api.filters import apply
from api.models import Event

CASES = {
    "newest page": {},
    "topic": {"topic": ["energy"]},
    "participant": {"participant": [1]},
    "country": {"country": ["KZ"]},
    "venue": {"venue": [1]},
    "venue_country": {"venue_country": ["AT"]},
    "date range": {"from_": dt.date(2025, 1, 1), "to": dt.date(2025, 2, 1)},
    "type": {"type": ["visit"]},
    "article": {"article": [1]},
    "parent": {"parent": [1]},
    "status": {"status": ["auto"]},
    "q": {"q": "vienna"},
    "topic + range": {
        "topic": ["energy"],
        "from_": dt.date(2025, 1, 1),
        "to": dt.date(2025, 12, 31),
    },
    "participant + topic": {"participant": [1], "topic": ["energy"]},
}


def plan(db, args: dict) -> list[str]:
    query = apply(Event.select(), args, EVENT_FILTERS)
    sql, params = query.order_by(*ORDERS["-start_date"].clauses()).limit(51).sql()
    if is_postgres():
        with db.atomic():
            # Tiny test tables make any plan cheap: forbid sequential scans so that a
            # missing index shows as a Seq Scan the planner could not avoid.
            db.execute_sql("SET LOCAL enable_seqscan = off")
            rows = db.execute_sql("EXPLAIN " + sql, params).fetchall()
        return [row[0] for row in rows]
    return [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def full_scans(lines: list[str]) -> list[str]:
    if is_postgres():
        return [line for line in lines if "Seq Scan" in line]
    return [
        line
        for line in lines
        if re.match(r"\s*SCAN ", line) and not re.search(r"USING (COVERING )?INDEX|VIRTUAL", line)
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_event_filter_is_index_backed(db, case):
    lines = plan(db, CASES[case])
    assert lines
    assert full_scans(lines) == [], "\n".join(lines)


def test_the_check_catches_a_table_scan(db):
    # An unindexed condition (on the title) must show up as a full scan.
    query = Event.select().where(Event.title == "x")
    sql, params = query.sql()
    if is_postgres():
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")
            lines = [r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall()]
    else:
        lines = [r[-1] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
    assert full_scans(lines)

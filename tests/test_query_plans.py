"""The event filters run index-backed: read from the store's own query plans."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from api.store.dialect import POSTGRES, dialect
from api.store.events.query import event_query
from api.store.models import Event

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


def plan(db, args: dict, *, unsorted: bool = False) -> list[str]:
    query, order = event_query({"sort": "-start_date", **args})
    sql, params = query.order_by(*order.clauses()).limit(51).sql()
    if dialect() is POSTGRES:
        with db.atomic():
            # Tiny test tables make any plan cheap: forbid sequential scans so that a
            # missing index shows as a Seq Scan the planner could not avoid.
            db.execute_sql("SET LOCAL enable_seqscan = off")
            if unsorted:
                # Likewise a sort: one the planner keeps means no index gives the order.
                db.execute_sql("SET LOCAL enable_sort = off")
            rows = db.execute_sql("EXPLAIN " + sql, params).fetchall()
        return [row[0] for row in rows]
    return [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def full_scans(lines: list[str]) -> list[str]:
    if dialect() is POSTGRES:
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


# The page is read from an index already in date order and stops after a page: no sort of
# everything that matches. (`article` lists a handful of events; `q` chooses by how many
# match, and with few it sorts those few.)
IN_DATE_ORDER = [case for case in CASES if case not in ("article", "q")]


@pytest.mark.parametrize("case", IN_DATE_ORDER)
def test_event_filter_reads_in_date_order(db, case):
    lines = plan(db, CASES[case], unsorted=True)
    sorts = [line for line in lines if "TEMP B-TREE FOR ORDER BY" in line or "Sort" in line]
    assert sorts == [], "\n".join(lines)


@pytest.mark.parametrize(
    "args",
    [{"q": "vienna"}, {"q": "vienna", "from_": dt.date(2025, 1, 1), "to": dt.date(2025, 2, 1)}],
)
def test_a_common_word_is_read_in_date_order(db, monkeypatch, args):
    # Past FEW_MATCHES, `q` leads: the search documents are read in date order.
    from api.store import search

    monkeypatch.setattr(search, "FEW_MATCHES", 0)
    lines = plan(db, args, unsorted=True)
    assert full_scans(lines) == [], "\n".join(lines)
    sorts = [line for line in lines if "TEMP B-TREE FOR ORDER BY" in line or "Sort" in line]
    assert sorts == [], "\n".join(lines)


def test_the_check_catches_a_table_scan(db):
    # An unindexed condition (on the title) must show up as a full scan.
    query = Event.select().where(Event.title == "x")
    sql, params = query.sql()
    if dialect() is POSTGRES:
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")
            lines = [r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall()]
    else:
        lines = [r[-1] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
    assert full_scans(lines)

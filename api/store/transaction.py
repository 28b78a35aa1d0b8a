"""Write transactions, and the one lock order every write path follows.

A write transaction first takes the writers' lock (``Dialect.lock_writers``:
a transaction-scoped advisory lock on PostgreSQL; SQLite's write
transactions begin IMMEDIATE, one at a time, and need none), then reads, locks
rows and writes, and holds the lock to its commit. So:

- no two write transactions wait for each other's row locks in opposite orders
  (an event edit and an article edit used to deadlock: one held the event's
  row and waited for the change log's advisory lock, the other the reverse);
- whatever a write reads, it reads after every write before it committed: two
  annotations of one article cannot both miss the other's events, and the
  annotator never deletes an event a reviewer has just marked ``reviewed``.

Reads never take it: a long export (a REPEATABLE READ snapshot) blocks no writer.
The change log's triggers take the same lock, so a write path that forgot
``writing()`` still numbers its changes right; it may only wait in the wrong order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from api.store.db import database
from api.store.dialect import dialect


@contextmanager
def writing() -> Iterator[None]:
    """A write transaction (a savepoint inside one) holding the writers' lock."""
    with database.atomic():
        dialect().lock_writers()
        yield

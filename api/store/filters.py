"""Filtering, the one way every list filters.

A filter set maps an argument name to a function from the parsed value (a
list for a repeatable argument: OR within it) to a peewee condition; the
conditions of different arguments are ANDed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import peewee as pw

FilterSet = Mapping[str, Callable[[object], pw.Expression]]


def apply(query: pw.ModelSelect, args: dict, filters: FilterSet) -> pw.ModelSelect:
    """``query`` narrowed by every filter of ``filters`` present in ``args``."""
    for name, condition in filters.items():
        value = args.get(name)
        if value is None or value == []:
            continue
        query = query.where(condition(value))
    return query

"""Keyset pagination: page 500 costs what page 1 costs.

An OFFSET of thousands of rows makes PostgreSQL read and throw them away (quality.md P7), so
the "older" link carries the sort key of the last row shown and the next page starts after it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from core.dates import date_in_range

PAGE_SIZE = 25

# Each order is a tuple of model fields, all in one direction, ending with the unique id.
ORDERS = {
    "newest": (("created_at", "id"), True),
    "oldest": (("created_at", "id"), False),
    "severity": (("severity", "created_at", "id"), True),
}


def _moment(text: str) -> datetime:
    """A cursor's instant as _format() wrote it: with its offset, and within core.dates' range (a forged
    01/01/0001 overflowed on its way to UTC)."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None or not date_in_range(value):
        raise ValueError(text)
    return value


PARSERS = {"created_at": _moment, "id": int, "severity": int}


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    is_first: bool


def _parse(cursor: str | None, fields: tuple[str, ...]):
    try:
        parts = cursor.split("|")
        if len(parts) != len(fields):
            return None
        return [PARSERS[field](part) for field, part in zip(fields, parts, strict=True)]
    except (AttributeError, ValueError):
        return None  # a missing or forged cursor shows the first page


def _after(fields, values, descending: bool) -> Q:
    """Rows strictly after `values` in the lexicographic order of `fields`."""
    compare = "lt" if descending else "gt"
    condition = Q()
    for index, field in enumerate(fields):
        step = Q(**{f"{field}__{compare}": values[index]})
        for earlier, value in zip(fields[:index], values[:index], strict=True):
            step &= Q(**{earlier: value})
        condition |= step
    return condition


def ordering(order: str) -> list[str]:
    fields, descending = ORDERS.get(order, ORDERS["newest"])
    return [f"-{field}" if descending else field for field in fields]


def keyset_page(queryset, cursor: str | None, order: str = "newest", size: int = PAGE_SIZE) -> KeysetPage:
    fields, descending = ORDERS.get(order, ORDERS["newest"])
    ordered = queryset.order_by(*ordering(order))
    values = _parse(cursor, fields)
    if values:
        ordered = ordered.filter(_after(fields, values, descending))
    rows = list(ordered[: size + 1])
    items = rows[:size]
    last = items[-1] if len(rows) > size else None
    next_cursor = "|".join(_format(getattr(last, field)) for field in fields) if last else None
    return KeysetPage(items=items, next_cursor=next_cursor, is_first=values is None)


def _format(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)

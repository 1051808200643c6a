"""Keyset pagination over (created_at, id), newest first: page 500 costs what page 1 costs.

An OFFSET of thousands of rows makes PostgreSQL read and throw them away (quality.md P7).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

PAGE_SIZE = 25


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    is_first: bool


def _parse(cursor: str | None):
    try:
        moment, pk = cursor.rsplit("_", 1)
        return datetime.fromisoformat(moment), int(pk)
    except (AttributeError, ValueError):
        return None  # a missing or forged cursor shows the first page


def keyset_page(queryset, cursor: str | None, size: int = PAGE_SIZE) -> KeysetPage:
    key = _parse(cursor)
    ordered = queryset.order_by("-created_at", "-id")
    if key:
        moment, pk = key
        ordered = ordered.filter(Q(created_at__lt=moment) | Q(created_at=moment, id__lt=pk))
    rows = list(ordered[: size + 1])
    items = rows[:size]
    last = items[-1] if len(rows) > size else None
    return KeysetPage(
        items=items,
        next_cursor=f"{last.created_at.isoformat()}_{last.pk}" if last else None,
        is_first=key is None,
    )

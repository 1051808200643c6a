"""Erasing visitors' identity numbers after settings.VISITOR_ID_RETENTION_DAYS (Luật BVDLCN 2025, Điều 14).

The rest of the visit stays in the register: who came, when, to see whom. Only the number goes, and
`id_erased_at` says when, so the register shows "erased" rather than a number that was never taken.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from visitors.models import Visit


def erase_expired_id_numbers(now: datetime | None = None) -> int:
    """Erase the numbers of visits older than the retention period; how many were erased. One UPDATE."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.VISITOR_ID_RETENTION_DAYS)
    # A visit counts from the visitor's arrival; a pre-registration that never came, from its registration.
    # registered_at is never after checked_in_at, so it alone bounds the scan (partial index visit_id_held_idx).
    old = Q(checked_in_at__lt=cutoff) | Q(checked_in_at__isnull=True, registered_at__lt=cutoff)
    return (
        Visit.objects.exclude(id_number="")
        .filter(registered_at__lt=cutoff)
        .filter(old)
        .update(id_number="", id_erased_at=now)
    )

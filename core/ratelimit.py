"""Limits on attempts, counted in the database so they hold across gunicorn workers and hosts.

A limit says: `attempts` within `window` → refused until `cooloff` after the last of them. Each attempt is a
row (core.models.Attempt) under a key naming the limit and its subject (a person, a client address, an e-mail
address); the subject is stored as an HMAC only.

`attempt()` writes the caller's rows first and then counts the others', in autocommit: of many requests sent at
the same moment, no more than `attempts` get through, whichever process serves them. The caller then either
keeps the rows (a failure, or anything counted) or forgives them (`Ticket.forgive()`, e.g. a right code).
A refused request leaves nothing behind, so hammering during a cool-off does not move its end.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.models import Attempt

# Rows older than every limit's window + cool-off no longer matter; the nightly housekeeping drops them.
KEEP = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    window: timedelta
    cooloff: timedelta

    def key(self, subject) -> str:
        digest = salted_hmac("core.ratelimit", f"{self.name}:{subject}").hexdigest()[:40]
        return f"{self.name}:{digest}"


class Limited(Exception):
    """Refused: one of the limits is cooling off until `until`."""

    def __init__(self, until: datetime):
        super().__init__(f"rate limited until {until.isoformat()}")
        self.until = until


@dataclass
class Ticket:
    ids: list[int]

    def forgive(self) -> None:
        """This attempt does not count (it succeeded)."""
        Attempt.objects.filter(pk__in=self.ids).delete()


def attempt(checks: list[tuple[Limit, object]], *, now: datetime | None = None) -> Ticket:
    """Count one attempt under each (limit, subject), or raise Limited when any of them is cooling off.

    Call it outside a transaction: the rows must be visible to other processes at once.
    """
    now = now or timezone.now()
    limits = {limit.key(subject): limit for limit, subject in checks}
    mine = [row.pk for row in Attempt.objects.bulk_create([Attempt(key=key, at=now) for key in limits])]
    until = blocked_until(limits, now=now, exclude=mine)
    if until is not None:
        Attempt.objects.filter(pk__in=mine).delete()
        raise Limited(until)
    return Ticket(mine)


def blocked_until(limits: dict[str, Limit], *, now: datetime, exclude=()) -> datetime | None:
    """The end of the latest cool-off among `limits` (key → limit) still running at `now`, or None."""
    # A cool-off still running ends after now, so its run of attempts started after now - window - cooloff.
    # No upper bound: another request may have stamped its row a moment later and committed it first.
    horizon = now - max(limit.window + limit.cooloff for limit in limits.values())
    times: dict[str, list[datetime]] = {}
    rows = (
        Attempt.objects.filter(key__in=limits, at__gt=horizon)
        .exclude(pk__in=exclude)
        .order_by("at")
        .values_list("key", "at")
    )
    for key, at in rows:
        times.setdefault(key, []).append(at)
    until = None
    for key, seen in times.items():
        limit = limits[key]
        for last in range(limit.attempts - 1, len(seen)):
            if seen[last] - seen[last - limit.attempts + 1] <= limit.window:
                end = seen[last] + limit.cooloff
                until = end if until is None else max(until, end)
    return until if until is not None and until > now else None


def purge(now: datetime | None = None) -> int:
    """Drop the rows no limit looks at any more. Returns how many."""
    now = now or timezone.now()
    deleted, _ = Attempt.objects.filter(at__lt=now - KEEP).delete()
    return deleted

"""Duty shifts around a moment, for the logbook, gate and patrol tests."""

from datetime import datetime, timedelta

from django.utils import timezone

from team.models import DutyShift


def shift_from(team, member, start: datetime, *, hours: int = 8, backup=None) -> DutyShift:
    """A shift of `member` (and `backup`) starting at `start` (to the minute), `hours` long."""
    local = timezone.localtime(start).replace(second=0, microsecond=0)
    end = local + timedelta(hours=hours)
    return DutyShift.objects.create(
        team=team, date=local.date(), start_time=local.time(), end_time=end.time(), member=member, backup=backup
    )


def shift_now(team, member, *, backup=None, started_hours_ago: int = 2, hours: int = 8) -> DutyShift:
    """A shift in progress now."""
    return shift_from(team, member, timezone.now() - timedelta(hours=started_hours_ago), hours=hours, backup=backup)

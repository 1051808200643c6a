"""Builders for the register of visitors: a shift on duty now, and visits in any state."""

from datetime import datetime, timedelta

from django.utils import timezone

from team.models import DutyShift
from visitors.models import Visit


def put_on_duty(team, member, *, now: datetime | None = None, backup=None) -> DutyShift:
    """A shift of `member` from two hours ago to six hours from now."""
    start = timezone.localtime(now or timezone.now()) - timedelta(hours=2)
    end = start + timedelta(hours=8)
    return DutyShift.objects.create(
        team=team, date=start.date(), start_time=start.time(), end_time=end.time(), member=member, backup=backup
    )


def expected(registered_by, *, name="Nguyễn Văn An", at=None, host=None, **fields) -> Visit:
    return Visit.objects.create(
        registered_by=registered_by,
        visitor_name=name,
        purpose=fields.pop("purpose", "Làm việc về hồ sơ dự án"),
        expected_at=at or timezone.now() + timedelta(hours=1),
        host=host if host is not None else registered_by,
        **fields,
    )


def inside(by, *, name="Trần Thị Bình", since=None, **fields) -> Visit:
    return Visit.objects.create(
        registered_by=by,
        visitor_name=name,
        purpose=fields.pop("purpose", "Giao hàng"),
        checked_in_at=since or timezone.now() - timedelta(hours=1),
        checked_in_by=by,
        registered_at=since or timezone.now() - timedelta(hours=1),
        **fields,
    )

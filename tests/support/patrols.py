"""Building patrol data for tests: places as checkpoints, a shift around a moment, a round through them."""

from datetime import datetime, timedelta

from django.utils import timezone

from incidents.models import Place
from patrols import services
from patrols.models import Checkpoint
from team.models import DutyShift


def checkpoints(count: int, prefix: str = "Điểm") -> list[Checkpoint]:
    building = Place.objects.get_or_create(name="Nhà B (kiểm thử)", defaults={"kind": Place.Kind.BUILDING})[0]
    made = []
    for number in range(1, count + 1):
        place = Place.objects.create(name=f"{prefix} {number}", kind=Place.Kind.ROOM, parent=building, order=number)
        made.append(services.add_checkpoint(place=place, instruction=f"Kiểm tra cửa {number}"))
    return made


def shift_around(team, member, moment: datetime, *, backup=None, before=timedelta(hours=2), after=timedelta(hours=4)):
    """A duty shift of `member` that started `before` ahead of `moment` and ends `after` it (whole minutes)."""
    start = timezone.localtime(moment - before).replace(second=0, microsecond=0)
    end = timezone.localtime(moment + after).replace(second=0, microsecond=0)
    return DutyShift.objects.create(
        team=team, date=start.date(), start_time=start.time(), end_time=end.time(), member=member, backup=backup
    )


def round_in(shift, planner, stops, *, opens: datetime | None = None, closes: datetime | None = None):
    return services.plan_round(
        shift=shift,
        starts_at=opens or shift.starts_at,
        ends_at=closes or shift.ends_at,
        checkpoints=stops,
        planned_by=planner,
        now=shift.starts_at,
    )

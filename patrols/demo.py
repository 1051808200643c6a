"""Demo data of patrols/: four checkpoints from the demo places, a round of this week that ended with one
checkpoint missed (its line in the shift's log and the notice to the command), and a round of the shift on duty
now (or the next one) to scan. Idempotent: a shift that has a round already is left as it is.
"""

from datetime import timedelta

from django.utils import timezone

from incidents.models import Place
from patrols import sweep
from patrols.models import Checkpoint, Round, RoundStop
from team.demo import person
from team.models import DutyShift

CHECKPOINTS = [
    ("Cổng chính", None, "Cổng khóa đúng giờ, barie hạ, đèn bảo vệ sáng."),
    ("Cổng phụ", None, "Cổng khóa, không có người lạ đứng chờ."),
    ("Bãi xe", None, "Xe để đúng chỗ, không có xe lạ qua đêm."),
    ("Tầng 1", "Nhà A (trụ sở chính)", "Cửa phòng khóa, đèn hành lang tắt, không có mùi khét."),
]


def seed() -> str:
    points = _checkpoints()
    made = 0
    if points:
        made += _ended_round(points)
        made += _round_to_walk(points)
    return f"Patrols: {Checkpoint.objects.count()} checkpoints, {Round.objects.count()} rounds ({made} new)."


def _checkpoints() -> list[Checkpoint]:
    points = []
    for name, parent, instruction in CHECKPOINTS:
        place = Place.objects.filter(name=name, parent__name=parent).first() if parent else None
        place = place or Place.objects.filter(name=name, parent__isnull=parent is None).first()
        if place is None:
            continue
        points.append(Checkpoint.objects.get_or_create(place=place, defaults={"instruction": instruction})[0])
    return points


def _plan(shift, opens, closes, points) -> Round:
    # Straight to the tables: the service refuses to plan a shift that is over, which the demo needs.
    round_ = Round.objects.create(shift=shift, starts_at=opens, ends_at=closes, planned_by=person("minh.hv"))
    RoundStop.objects.bulk_create(
        RoundStop(round=round_, checkpoint=point, position=number) for number, point in enumerate(points, start=1)
    )
    return round_


def _ended_round(points) -> int:
    """The latest shift of this week that is over: a round 20:00–22:00 (11:00–13:00 by day), Bãi xe not visited."""
    now = timezone.now()
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    shift = (
        DutyShift.objects.filter(ends_at__lte=now, date__gte=monday - timedelta(days=1))
        .select_related("member")
        .order_by("-ends_at")
        .first()
    )
    if shift is None or Round.objects.filter(shift=shift).exists():
        return 0
    opens = shift.starts_at + timedelta(hours=3, minutes=30 if shift.start_time.hour < 12 else 0)
    round_ = _plan(shift, opens, opens + timedelta(hours=2), points[:3])
    for minutes, stop in zip((12, 31), round_.stops.order_by("position").exclude(position=3), strict=False):
        stop.visited_at, stop.visited_by = opens + timedelta(minutes=minutes), shift.member
        stop.save(update_fields=["visited_at", "visited_by"])
    sweep.check_round(round_.pk, now)  # the log entry and the notice, as the periodic task writes them
    return 1


def _round_to_walk(points) -> int:
    """A round of the shift on duty now, open for the next two hours, so the demo member can scan at once."""
    now = timezone.now()
    shift = DutyShift.objects.covering(now).order_by("starts_at").first()
    if shift is not None:
        opens = max(shift.starts_at, (now - timedelta(minutes=15)).replace(second=0, microsecond=0))
    else:
        shift = DutyShift.objects.filter(starts_at__gt=now).order_by("starts_at").first()
        if shift is None:
            return 0
        opens = shift.starts_at + timedelta(hours=1)
    if Round.objects.filter(shift=shift).exists():
        return 0
    _plan(shift, opens, min(opens + timedelta(hours=2), shift.ends_at), points)
    return 1

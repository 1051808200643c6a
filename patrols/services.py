"""Managing checkpoints and planning rounds. Each business action is one transaction."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patrols.models import Checkpoint, Round, RoundStop
from team.models import DutyShift
from team.selectors import week_of

WINDOW_BACKWARDS = _("The window must close after it opens.")
WINDOW_OUTSIDE_SHIFT = _(
    "The window must lie within the shift (%(start)s – %(end)s): only the people on duty then can walk the round."
)
SHIFT_OVER = _("This shift has already ended: plan the round for a shift still to come or in progress.")
NO_CHECKPOINTS = _("Tick at least one checkpoint.")
ALREADY_A_CHECKPOINT = _("%(place)s is already a checkpoint.")


def window_errors(shift: DutyShift, starts_at: datetime, ends_at: datetime, now: datetime) -> list:
    """Why a round of `shift` may not have this window (empty when it may)."""
    if ends_at <= starts_at:
        return [WINDOW_BACKWARDS]
    if shift.ends_at <= now:
        return [SHIFT_OVER]
    if starts_at < shift.starts_at or ends_at > shift.ends_at:
        local = timezone.localtime
        bounds = {"start": f"{local(shift.starts_at):%d/%m/%Y %H:%M}", "end": f"{local(shift.ends_at):%d/%m/%Y %H:%M}"}
        return [WINDOW_OUTSIDE_SHIFT % bounds]
    return []


@transaction.atomic
def plan_round(*, shift: DutyShift, starts_at: datetime, ends_at: datetime, checkpoints, planned_by, now=None) -> Round:
    """A round of `shift` through `checkpoints`, visited in the order given."""
    errors = window_errors(shift, starts_at, ends_at, now or timezone.now())
    if not checkpoints:
        errors.append(NO_CHECKPOINTS)
    if errors:
        raise ValidationError(errors)
    round_ = Round.objects.create(shift=shift, starts_at=starts_at, ends_at=ends_at, planned_by=planned_by)
    RoundStop.objects.bulk_create(
        RoundStop(round=round_, checkpoint=checkpoint, position=number)
        for number, checkpoint in enumerate(checkpoints, start=1)
    )
    return round_


@transaction.atomic
def plan_for_the_week(
    *, shift: DutyShift, starts_at: datetime, ends_at: datetime, checkpoints, planned_by, now=None
) -> list[Round]:
    """The same round for `shift` and for every shift of its week at the same hours that has not ended.

    The window keeps its place in each shift (21:00–23:00 of a 17:00–07:30 shift, every night). A shift that
    already has a round overlapping that window is left as it is.
    """
    now = now or timezone.now()
    offset, length = starts_at - shift.starts_at, ends_at - starts_at
    monday, sunday = week_of(shift.date)
    alike = (
        DutyShift.objects.filter(
            team_id=shift.team_id,
            date__range=(monday, sunday),
            start_time=shift.start_time,
            end_time=shift.end_time,
            ends_at__gt=now,
        )
        .exclude(pk=shift.pk)
        .order_by("starts_at")
    )
    rounds = [
        plan_round(
            shift=shift, starts_at=starts_at, ends_at=ends_at, checkpoints=checkpoints, planned_by=planned_by, now=now
        )
    ]
    for other in alike:
        start = other.starts_at + offset
        if (
            start + length <= now
            or Round.objects.filter(shift=other, starts_at__lt=start + length, ends_at__gt=start).exists()
        ):
            continue
        rounds.append(
            plan_round(
                shift=other,
                starts_at=start,
                ends_at=start + length,
                checkpoints=checkpoints,
                planned_by=planned_by,
                now=now,
            )
        )
    return rounds


def add_checkpoint(*, place, instruction: str = "") -> Checkpoint:
    try:
        with transaction.atomic():
            return Checkpoint.objects.create(place=place, instruction=instruction)
    except IntegrityError:
        # The deputy added the same place a moment earlier: one checkpoint per place.
        raise ValidationError(ALREADY_A_CHECKPOINT % {"place": place}, code="exists") from None


@transaction.atomic
def set_active(*, checkpoint: Checkpoint, active: bool, now: datetime | None = None) -> int:
    """Put a checkpoint in or out of use. Out of use, it leaves the rounds not yet over where it was still to
    visit, so that nobody is flagged for missing a point that is no longer patrolled. Returns how many."""
    now = now or timezone.now()
    checkpoint.is_active = active
    checkpoint.save(update_fields=["is_active"])
    if active:
        return 0
    removed, _by_model = RoundStop.objects.filter(
        checkpoint=checkpoint, visited_at__isnull=True, round__ends_at__gt=now
    ).delete()
    return removed

"""Which shift is whose, and what is still open at a handover."""

from datetime import datetime, timedelta

from django.db.models import Q

from team.models import DutyShift
from team.models.duty import MAX_SHIFT_LENGTH

# A shift may be handed over (and written in) a little before it ends and until it is handed over;
# how long after its end it counts as "my shift" still waiting to be handed over.
HANDOVER_WINDOW = timedelta(hours=12)


# The incoming member arrives before his shift (evaluation-documents.md §8: at least 15 minutes).
EARLY_START = timedelta(minutes=30)


def has_begun(shift: DutyShift, now: datetime) -> bool:
    return shift.starts_at - EARLY_START <= now


def works_on(user, shift: DutyShift) -> bool:
    return user.pk in (shift.member_id, shift.backup_id)


def shift_of(user, now: datetime) -> DutyShift | None:
    """The shift `user` works now, as the member on duty or the backup; None when off duty."""
    return (
        DutyShift.objects.covering(now)
        .filter(Q(member=user) | Q(backup=user))
        .select_related("member", "backup", "handover")
        .order_by("starts_at")
        .first()
    )


def unhanded_shift_of(user, now: datetime) -> DutyShift | None:
    """The latest shift of `user` that ended not long ago and was not handed over yet."""
    return (
        DutyShift.objects.filter(ends_at__lte=now, ends_at__gt=now - HANDOVER_WINDOW, handover__isnull=True)
        .filter(Q(member=user) | Q(backup=user))
        .select_related("member", "backup")
        .order_by("-ends_at")
        .first()
    )


def next_shift_of(user, now: datetime) -> DutyShift | None:
    return (
        DutyShift.objects.filter(starts_at__gt=now)
        .filter(Q(member=user) | Q(backup=user))
        .select_related("member", "backup")
        .order_by("starts_at")
        .first()
    )


def next_shift_after(shift: DutyShift) -> DutyShift | None:
    """The shift that takes over from `shift`: the first to start after it started, by the same team."""
    return (
        DutyShift.objects.filter(team_id=shift.team_id, starts_at__gt=shift.starts_at)
        .filter(starts_at__lt=shift.ends_at + MAX_SHIFT_LENGTH)
        .exclude(pk=shift.pk)
        .select_related("member", "backup")
        .order_by("starts_at")
        .first()
    )


def handovers_to_receive(user):
    """Handovers addressed to a shift of `user` that nobody has confirmed yet, oldest first."""
    from duty.models import Handover

    return list(
        Handover.objects.filter(received_at__isnull=True)
        .filter(Q(next_shift__member=user) | Q(next_shift__backup=user))
        .select_related("shift__member", "handed_by")
        .order_by("handed_at")
    )


def source_entry(user, incident):
    """The log entry an incident was reported from, when `user` may read that shift's log; else None.

    The incident page fetches it with the incident (select_related SOURCE_ENTRY): no query of its own.
    """
    from core.access import can

    entry = getattr(incident, "log_entry", None)
    return entry if entry is not None and can(user, "duty.view_log", entry.shift) else None


SOURCE_ENTRY = "log_entry__shift__handover__next_shift"

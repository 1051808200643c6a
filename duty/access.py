"""Who reads and writes the duty logbook (registered in core.access).

The log of a shift is the team's working book: the leader, the deputy and the office leadership
read every shift's; a member reads the shifts he worked and the one handed over to him; staff
outside the team see nothing of it (404).
"""

from django.db.models import Q
from django.utils import timezone

from core.access import rule, scope
from duty.models import Handover, KeyLoan, LogEntry
from duty.selectors import has_begun, works_on
from incidents.workflow import in_command, on_team
from team.roles import Role, roles_of


def reads_every_log(roles) -> bool:
    return in_command(roles) or Role.LEADERSHIP in roles


def shifts_readable_by(user) -> Q:
    """The shifts whose log `user` may read, as a condition on DutyShift."""
    roles = roles_of(user)
    if reads_every_log(roles):
        return Q(pk__isnull=False)
    if not on_team(roles):
        return Q(pk__in=[])
    worked = Q(member=user) | Q(backup=user)
    handed_to_me = Q(handover__next_shift__member=user) | Q(handover__next_shift__backup=user)
    return worked | handed_to_me


@rule("duty.my_shift")
def may_use_my_shift(user, obj):
    return on_team(roles_of(user))


@rule("duty.view_log")
def may_view_log(user, shift):
    roles = roles_of(user)
    if reads_every_log(roles):
        return True
    if not on_team(roles):
        return False
    if works_on(user, shift):
        return True
    handover = getattr(shift, "handover", None)
    return handover is not None and handover.next_shift is not None and works_on(user, handover.next_shift)


def _open(user, shift) -> bool:
    """The shift has begun (or is about to) and was not handed over: its own people may write in it."""
    return (
        on_team(roles_of(user))
        and works_on(user, shift)
        and has_begun(shift, timezone.now())
        and not Handover.objects.filter(shift=shift).exists()
    )


@rule("duty.write")
def may_write(user, shift):
    """New entries while the shift is open: the member on duty and the backup."""
    return _open(user, shift)


@rule("duty.correct")
def may_correct(user, shift):
    """After the handover the log is closed: a correction is a new entry, by the shift or the command."""
    roles = roles_of(user)
    return on_team(roles) and (works_on(user, shift) or in_command(roles))


@rule("duty.hand_over")
def may_hand_over(user, shift):
    return _open(user, shift)


@rule("duty.receive")
def may_receive(user, handover):
    incoming = handover.next_shift
    return on_team(roles_of(user)) and not handover.is_confirmed and incoming is not None and works_on(user, incoming)


@rule("duty.daily_log")
def may_read_daily_log(user, obj):
    """The day's log of every shift, printed or exported: the command and the office leadership."""
    return reads_every_log(roles_of(user))


@rule("duty.keys")
def may_handle_keys(user, obj):
    return on_team(roles_of(user))


@scope(LogEntry)
def entries_visible(user, queryset):
    from team.models import DutyShift

    return queryset.filter(shift__in=DutyShift.objects.filter(shifts_readable_by(user)))


@scope(Handover)
def handovers_visible(user, queryset):
    from team.models import DutyShift

    return queryset.filter(shift__in=DutyShift.objects.filter(shifts_readable_by(user)))


@scope(KeyLoan)
def keys_visible(user, queryset):
    return queryset if on_team(roles_of(user)) else queryset.none()

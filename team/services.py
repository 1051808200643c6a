"""Write-side operations on the roster. Each is one transaction and validates like admin does."""

from datetime import date, time

from django.db import transaction

from team.models import Decision, DutyShift, Membership, Team, User


@transaction.atomic
def appoint_member(
    *, team: Team, user: User, role: str, start_date: date, decision: Decision | None = None
) -> Membership:
    """Give `user` an active role in `team`. Raises ValidationError if the roster rules forbid it."""
    membership = Membership(team=team, user=user, role=role, start_date=start_date, appointed_by=decision)
    membership.full_clean()  # takes the team row lock; held until this transaction commits
    membership.save()
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, end_date: date, decision: Decision | None = None) -> Membership:
    membership.end_date = end_date
    membership.relieved_by = decision
    membership.full_clean()
    membership.save(update_fields=["end_date", "relieved_by"])
    return membership


@transaction.atomic
def schedule_shift(
    *,
    team: Team,
    day: date,
    start: time,
    end: time,
    member: User,
    backup: User | None = None,
    note: str = "",
) -> DutyShift:
    shift = DutyShift(team=team, date=day, start_time=start, end_time=end, member=member, backup=backup, note=note)
    shift.full_clean()
    shift.save()
    return shift

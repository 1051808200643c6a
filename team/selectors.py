"""Read-side queries about the team that other modules rely on."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from team.models import DutyShift, Membership, Team


def current_team() -> Team | None:
    """The office's security team. One office runs one team; the oldest is the live one."""
    return Team.objects.select_related("office", "establishment_decision").order_by("start_date", "pk").first()


def shifts_covering(moment: datetime) -> list[DutyShift]:
    """Who is on duty at `moment`: the shifts in progress, with the member and the backup.

    Incident routing uses this to pick the person to alert first.
    """
    return list(DutyShift.objects.covering(moment).with_people())


def on_duty_at(moment: datetime) -> list:
    """The people on duty at `moment` (members first, then backups), without repeats."""
    shifts = shifts_covering(moment)
    people = [shift.member for shift in shifts] + [shift.backup for shift in shifts if shift.backup]
    return list(dict.fromkeys(people))


def shifts_between(start: date, end: date):
    """Shifts that start on a date from `start` to `end` inclusive, in time order."""
    return DutyShift.objects.filter(date__range=(start, end)).with_people().order_by("starts_at")


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def active_roster(team: Team):
    return Membership.objects.filter(team=team).active().with_people().in_roster_order()


def today() -> date:
    return timezone.localdate()


def active_members():
    """People who hold an active role in the team (never a system account).

    Not `User.objects.filter(memberships__end_date__isnull=True)`: that LEFT JOIN also matches
    everyone who has no membership at all.
    """
    from team.models import User

    return User.objects.people().filter(pk__in=Membership.objects.active().values("user_id"))

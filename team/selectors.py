"""Read-side queries about the team that other modules rely on."""

import re
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import date_in_range
from team.models import DutyShift, Membership, Team
from team.models.duty import MAX_SHIFT_LENGTH
from team.models.membership import COMMAND_ROLES


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


ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


def day_in_week(value: str) -> date | None:
    """A day of the week an address asks for: "2026-W49" (ISO week), "2026-12-02" or "02/12/2026".

    None when it is not one, or lies outside core.dates' range.
    """
    value = value.strip()
    try:
        if match := ISO_WEEK.match(value):
            day = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        elif "/" in value:
            day = datetime.strptime(value, "%d/%m/%Y").date()
        else:
            day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if date_in_range(day) and date_in_range(day + timedelta(days=6)) else None


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def upcoming_shifts_of(person, now: datetime, limit: int = 10):
    """The person's shifts not yet over, as the member on duty or the backup, soonest first."""
    # Shifts last at most a day: bounding the start keeps this an index range (see DutyShiftQuerySet.covering).
    shifts = DutyShift.objects.filter(starts_at__gt=now - MAX_SHIFT_LENGTH, ends_at__gt=now).involving([person])
    return shifts.with_people().order_by("starts_at")[:limit]


def active_roster(team: Team):
    return Membership.objects.filter(team=team).active().with_people().in_roster_order()


def today() -> date:
    return timezone.localdate()


def active_members():
    """People who hold an active role in the team.

    Not `User.objects.filter(memberships__end_date__isnull=True)`: that LEFT JOIN also matches
    everyone who has no membership at all.
    """
    from team.models import User

    return User.objects.filter(is_active=True, pk__in=Membership.objects.active().values("user_id"))


NO_LEADER_WARNING = _(
    "%(team)s has no team leader: triage, deadline reminders and escalation of incidents lack the team's "
    "command until a new team leader is appointed."
)
NO_DEPUTY_WARNING = _("%(team)s has no deputy team leader: nobody stands in for the team leader.")


def command_warnings(teams) -> list[str]:
    """What to say on the team's pages while it lacks a leader or a deputy. One query for all the teams."""
    vacancies = Membership.objects.command_vacancies([team.pk for team in teams])
    return [warning for team in teams for warning in _vacancy_warnings(team, vacancies[team.pk])]


def roster_command_warnings(team: Team, roster) -> list[str]:
    """The same, from the team's active memberships already at hand (the team page): no query."""
    held = {membership.role for membership in roster}
    return _vacancy_warnings(team, [role for role in COMMAND_ROLES if role not in held])


def _vacancy_warnings(team: Team, vacant_roles) -> list[str]:
    wording = {Membership.Role.LEADER: NO_LEADER_WARNING, Membership.Role.DEPUTY: NO_DEPUTY_WARNING}
    return [str(wording[role]) % {"team": team.name} for role in vacant_roles]

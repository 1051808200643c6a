"""What the team module tells people: roster changes, duty reminders, the weekly duty summary."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.models import Notification
from notifications.services import notify
from team.models import DutyShift, Membership

MEMBERSHIP_ADDED = register(Kind("team.membership_added", _("You were added to the security team")))
MEMBERSHIP_ENDED = register(Kind("team.membership_ended", _("Your role in the security team ended")))
DUTY_REMINDER = register(Kind("team.duty_reminder", _("Duty shift reminders")))
WEEKLY_DUTY_SUMMARY = register(Kind("team.weekly_duty_summary", _("Weekly duty summary (team leader)")))
PASSWORD_RESET = register(
    Kind("team.password_reset", _("Link to set a new password"), critical=True, email_only=True, confidential=True)
)

# Reminder lead times. The day-before reminder is skipped for a shift that is already
# less than an hour away: the one-hour reminder says the same thing.
DAY_BEFORE = ("day_before", timedelta(hours=24))
HOUR_BEFORE = ("hour_before", timedelta(hours=1))


def membership_changed(membership: Membership, *, created: bool, ended: bool) -> None:
    """Tell the person; called from Membership.save inside its transaction."""
    team_url = reverse("team:team")
    context = {
        "membership": membership,
        "team": membership.team,
        "previous_role": getattr(membership, "previous_role", ""),
    }
    if created and membership.is_active:
        notify(
            recipient=membership.user,
            kind=MEMBERSHIP_ADDED.code,
            context=context,
            url=team_url,
            dedupe_key=f"membership-added:{membership.pk}",
        )
    if ended:
        notify(
            recipient=membership.user,
            kind=MEMBERSHIP_ENDED.code,
            context=context,
            url=team_url,
            dedupe_key=f"membership-ended:{membership.pk}",
        )


def _reminder_key(shift: DutyShift, lead_code: str) -> str:
    # The start time is part of the key: a shift moved to another time gets a reminder for
    # its new time; a reminder for the same shift, lead and time is never sent twice.
    return f"duty-reminder:{shift.pk}:{lead_code}:{shift.starts_at:%Y%m%dT%H%M%z}"


def send_duty_reminders(now: datetime | None = None) -> int:
    """Remind the member on duty and the backup before each shift. Idempotent; run every minute."""
    now = now or timezone.now()
    sent = 0
    for lead_code, lead in (DAY_BEFORE, HOUR_BEFORE):
        shifts = DutyShift.objects.filter(starts_at__gt=now, starts_at__lte=now + lead).with_people()
        if lead_code == DAY_BEFORE[0]:
            shifts = shifts.filter(starts_at__gt=now + HOUR_BEFORE[1])
        due = [(shift, person) for shift in shifts for person in shift.people()]
        # Filtering on the recipients too lets PostgreSQL use the (recipient, dedupe_key) index.
        already = set(
            Notification.objects.filter(
                recipient__in={person.pk for _shift, person in due},
                dedupe_key__in={_reminder_key(shift, lead_code) for shift, _person in due},
            ).values_list("recipient_id", "dedupe_key")
        )
        for shift, person in due:
            key = _reminder_key(shift, lead_code)
            if (person.pk, key) in already:
                continue
            with transaction.atomic():
                notification = notify(
                    recipient=person,
                    kind=DUTY_REMINDER.code,
                    context={"shift": shift, "lead": lead_code, "as_backup": person == shift.backup},
                    url=reverse("team:team"),
                    dedupe_key=key,
                )
            sent += notification is not None
    return sent


def send_weekly_duty_summary(today: date | None = None) -> int:
    """The coming week's duty roster, to the team leader. Once per ISO week."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    year, week, _day = monday.isocalendar()
    sent = 0
    for leadership in Membership.objects.active().filter(role=Membership.Role.LEADER).select_related("user", "team"):
        shifts = list(
            DutyShift.objects.filter(team=leadership.team, date__range=(monday, sunday))
            .with_people()
            .order_by("starts_at")
        )
        with transaction.atomic():
            notification = notify(
                recipient=leadership.user,
                kind=WEEKLY_DUTY_SUMMARY.code,
                context={"team": leadership.team, "shifts": shifts, "monday": monday, "sunday": sunday},
                url=reverse("team:team"),
                dedupe_key=f"weekly-duty-summary:{leadership.team_id}:{year}-W{week:02d}",
            )
        sent += notification is not None
    return sent

"""Duty reminders, roster notices and the weekly summary: right people, right time, once."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from notifications.models import Notification
from team import services
from team.models import DutyShift, Membership
from team.notices import send_duty_reminders, send_weekly_duty_summary
from tests.conftest import appoint

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 12, 2)
SHIFT_START = datetime.combine(DAY, time(7, 30), tzinfo=VN)


def reminders(**filters):
    return Notification.objects.filter(kind="team.duty_reminder", **filters)


@pytest.fixture
def shift(team, member, deputy):
    return services.schedule_shift(team=team, day=DAY, start=time(7, 30), end=time(17, 0), member=member, backup=deputy)


def test_the_day_before_reminder_goes_to_the_member_and_the_backup(shift, member, deputy, leader):
    assert send_duty_reminders(now=SHIFT_START - timedelta(hours=25)) == 0  # not yet
    assert send_duty_reminders(now=SHIFT_START - timedelta(hours=23, minutes=59)) == 2
    assert set(reminders().values_list("recipient", flat=True)) == {member.pk, deputy.pk}
    assert not reminders(recipient=leader).exists()
    backup_note = reminders(recipient=deputy).get()
    assert "07:30" in backup_note.title and "02/12/2026" in backup_note.title


def test_reminders_are_sent_once_per_lead_time(shift):
    for minutes in range(0, 60, 7):
        send_duty_reminders(now=SHIFT_START - timedelta(hours=23, minutes=minutes))
    assert reminders().count() == 2
    assert send_duty_reminders(now=SHIFT_START - timedelta(minutes=59)) == 2  # the hour-before ones
    assert send_duty_reminders(now=SHIFT_START - timedelta(minutes=30)) == 0
    assert reminders().count() == 4


def test_a_shift_close_at_hand_gets_only_the_hour_before_reminder(shift):
    assert send_duty_reminders(now=SHIFT_START - timedelta(minutes=40)) == 2
    assert {n.dedupe_key.split(":")[2] for n in reminders()} == {"hour_before"}


def test_no_reminder_after_the_shift_started(shift):
    assert send_duty_reminders(now=SHIFT_START + timedelta(minutes=1)) == 0


def test_moving_a_shift_moves_its_reminder(shift, member):
    send_duty_reminders(now=SHIFT_START - timedelta(hours=23))
    assert reminders(recipient=member).count() == 1
    shift.start_time, shift.end_time = time(13, 0), time(20, 0)
    shift.full_clean()
    shift.save()
    later = datetime.combine(DAY, time(13, 0), tzinfo=VN)
    # Reminders for the old time do not come back; the new time gets its own.
    assert send_duty_reminders(now=later - timedelta(hours=23)) == 2
    assert reminders(recipient=member).count() == 2
    assert "13:00" in reminders(recipient=member).order_by("-id").first().title


def test_a_deleted_shift_is_not_reminded(shift):
    shift.delete()
    assert send_duty_reminders(now=SHIFT_START - timedelta(hours=2)) == 0


def test_reminders_go_out_by_email_too(shift, member):
    send_duty_reminders(now=SHIFT_START - timedelta(hours=20))
    assert reminders(recipient=member).get().deliveries.filter(channel="email").exists()


# --- roster notices -----------------------------------------------------------------------


def test_a_person_added_to_the_team_is_told(team, staff):
    appoint(team, staff, Membership.Role.MEMBER)
    notice = Notification.objects.get(recipient=staff, kind="team.membership_added")
    assert notice.url == "/team/"
    assert team.name in notice.title


def test_a_person_removed_from_the_team_is_told_once(team, member):
    membership = member.memberships.get()
    notices = Notification.objects.filter(recipient=member, kind="team.membership_ended")
    services.end_membership(membership=membership, end_date=date(2026, 1, 31))
    # The ending itself tells the person: asserted before the second save, which could otherwise send it.
    assert notices.count() == 1
    assert "31/01/2026" in notices.get().body
    assert notices.get().url == "/team/"

    membership.refresh_from_db()
    membership.save()  # saving an ended membership again says nothing new
    assert notices.count() == 1


def test_no_notice_for_a_roster_change_that_rolls_back(team, staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        appoint(team, staff)
        raise RuntimeError("admin pressed cancel, in effect")
    assert not Notification.objects.filter(recipient=staff).exists()


# --- weekly summary -----------------------------------------------------------------------


def test_the_weekly_summary_goes_to_the_team_leader_once_a_week(team, leader, member, shift):
    monday = DAY - timedelta(days=DAY.weekday())
    assert send_weekly_duty_summary(today=monday) == 1
    assert send_weekly_duty_summary(today=monday + timedelta(days=2)) == 0  # same ISO week
    summary = Notification.objects.get(kind="team.weekly_duty_summary")
    assert summary.recipient == leader
    assert member.full_name in summary.body
    assert send_weekly_duty_summary(today=monday + timedelta(days=7)) == 1


def test_without_a_leader_no_summary_is_sent(team, member):
    assert send_weekly_duty_summary(today=DAY) == 0
    assert not DutyShift.objects.exists()

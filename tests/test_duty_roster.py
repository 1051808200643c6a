"""Duty shifts: overnight shifts, "who is on duty at T", and overlaps refused for one person."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from team import selectors, services
from team.models import DutyShift
from team.models.duty import SAME_PERSON_MESSAGE

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 3, 2)


def shift(team, member, start, end, day=DAY, backup=None):
    return services.schedule_shift(team=team, day=day, start=start, end=end, member=member, backup=backup)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def test_an_overnight_shift_ends_the_next_morning(team, member):
    night = shift(team, member, time(17, 0), time(7, 30))
    assert night.starts_at == at(DAY, 17)
    assert night.ends_at == at(DAY + timedelta(days=1), 7, 30)


def test_who_is_on_duty_at_a_moment(team, member, deputy, leader):
    day = shift(team, member, time(7, 30), time(17, 0), backup=deputy)
    night = shift(team, leader, time(17, 0), time(7, 30))
    assert selectors.on_duty_at(at(DAY, 9)) == [member, deputy]
    assert selectors.on_duty_at(at(DAY, 17)) == [leader]  # the end is exclusive, the start inclusive
    assert selectors.on_duty_at(at(DAY + timedelta(days=1), 3)) == [leader]
    assert selectors.on_duty_at(at(DAY + timedelta(days=1), 8)) == []
    assert selectors.shifts_covering(at(DAY, 16, 59)) == [day]
    assert selectors.shifts_covering(at(DAY, 23)) == [night]


@pytest.mark.parametrize(
    ("start", "end"),
    [(time(16, 0), time(20, 0)), (time(6, 0), time(8, 0)), (time(8, 0), time(9, 0)), (time(0, 0), time(23, 59))],
)
def test_an_overlapping_shift_for_the_same_person_is_refused(team, member, start, end):
    shift(team, member, time(7, 30), time(17, 0))
    with pytest.raises(ValidationError) as error:
        shift(team, member, start, end)
    assert member.full_name in error.value.messages[0]
    assert DutyShift.objects.count() == 1


def test_being_backup_elsewhere_at_the_same_time_is_an_overlap(team, member, deputy, leader):
    shift(team, leader, time(7, 30), time(17, 0), backup=member)
    with pytest.raises(ValidationError):
        shift(team, member, time(12, 0), time(13, 0))


def test_an_overnight_shift_overlaps_the_next_early_shift(team, member):
    shift(team, member, time(22, 0), time(6, 0))
    with pytest.raises(ValidationError):
        shift(team, member, time(5, 0), time(7, 0), day=DAY + timedelta(days=1))


def test_back_to_back_shifts_are_allowed(team, member):
    shift(team, member, time(7, 30), time(17, 0))
    shift(team, member, time(17, 0), time(22, 0))
    assert DutyShift.objects.filter(member=member).count() == 2


def test_different_people_may_be_on_duty_at_the_same_time(team, member, deputy):
    shift(team, member, time(7, 30), time(17, 0))
    shift(team, deputy, time(7, 30), time(17, 0))
    assert len(selectors.on_duty_at(at(DAY, 10))) == 2


def test_only_active_team_members_can_be_on_duty(team, staff):
    with pytest.raises(ValidationError) as error:
        shift(team, staff, time(7, 30), time(17, 0))
    assert "member" in error.value.message_dict


def test_the_backup_must_be_another_person(team, member):
    with pytest.raises(ValidationError) as error:
        shift(team, member, time(7, 30), time(17, 0), backup=member)
    assert str(SAME_PERSON_MESSAGE) in error.value.messages


def test_admin_refuses_an_overlapping_shift_with_a_message(client, admin_user, team, member):
    shift(team, member, time(7, 30), time(17, 0))
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_dutyshift_add"),
        {"team": team.pk, "date": "02/03/2026", "start_time": "16:00", "end_time": "18:00", "member": member.pk},
    )
    assert response.status_code == 200
    assert member.full_name in response.content.decode()
    assert "02/03/2026 07:30" in response.content.decode()
    assert DutyShift.objects.count() == 1


def test_admin_accepts_dates_typed_as_dd_mm_yyyy(client, admin_user, team, member):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_dutyshift_add"),
        {"team": team.pk, "date": "02/03/2026", "start_time": "07:30", "end_time": "17:00", "member": member.pk},
    )
    assert response.status_code == 302
    assert DutyShift.objects.get().date == DAY

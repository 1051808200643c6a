"""Campaign rules: audience and late joiners, invitations, attendance and check-in, acknowledgement,
coverage figures against hand-computed cases, reminders once only, copying to a new year."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaigns import coverage, reminders, services
from campaigns.models import Audience, Campaign, Material, Participant, Session
from notifications.models import Notification

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def campaign(member, today):
    return Campaign.objects.create(
        title="Phổ biến nội quy bảo vệ cơ quan",
        theme="internal_rules",
        starts_on=today,
        ends_on=today + timedelta(days=20),
        organiser=member,
        counts_for_tt124=True,
    )


@pytest.fixture
def session(campaign):
    now = timezone.now()
    return Session.objects.create(
        campaign=campaign,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=1),
        place="Phòng họp lớn",
    )


def invited(campaign):
    return set(campaign.participants.values_list("user__full_name", flat=True))


def test_scheduling_invites_the_audience_and_tells_them(campaign, session, staff, member, leader):
    assert services.schedule(campaign) == 3
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING  # it already started
    assert Notification.objects.filter(kind="campaigns.invited", recipient=staff).count() == 1
    with pytest.raises(ValidationError):
        services.schedule(campaign)  # only drafts


def test_a_campaign_without_sessions_or_materials_cannot_be_scheduled(campaign):
    with pytest.raises(ValidationError):
        services.schedule(campaign)


def test_audience_by_department_and_late_joiners(campaign, session, staff, member, make_user, departments):
    campaign.audience = Audience.DEPARTMENTS
    campaign.save()
    campaign.departments.set([departments["TH"]])  # staff and member are in TH
    services.schedule(campaign)
    assert invited(campaign) == {staff.full_name, member.full_name}
    newcomer = make_user("Người Mới Đến", department=departments["TH"])
    elsewhere = make_user("Phòng Khác", department=departments["NCPC"])
    reminders.sweep()
    assert newcomer.full_name in invited(campaign) and elsewhere.full_name not in invited(campaign)
    assert Notification.objects.filter(kind="campaigns.invited", recipient=newcomer).count() == 1
    reminders.sweep()
    assert Notification.objects.filter(kind="campaigns.invited", recipient=newcomer).count() == 1


def test_audience_of_the_team_and_of_chosen_people(campaign, session, staff, member, leader, make_user):
    campaign.audience = Audience.TEAM
    campaign.save()
    services.schedule(campaign)
    assert invited(campaign) == {member.full_name, leader.full_name}
    other = Campaign.objects.create(
        title="Riêng",
        theme="other",
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        organiser=member,
        audience=Audience.PEOPLE,
    )
    other.people.set([staff])
    Material.objects.create(campaign=other, title="Tài liệu", link="https://example.test/doc")
    services.schedule(other)
    assert invited(other) == {staff.full_name}


def test_check_in_with_the_code_only_during_the_session(campaign, session, staff, make_user):
    services.schedule(campaign)
    with pytest.raises(ValidationError):
        services.check_in(user=staff, code="000000" if session.check_in_code != "000000" else "111111")
    with pytest.raises(ValidationError):
        services.check_in(user=staff, code=session.check_in_code, now=session.ends_at + timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.check_in(user=staff, code=session.check_in_code, now=session.starts_at - timedelta(minutes=16))
    services.check_in(user=staff, code=session.check_in_code)
    entry = Participant.objects.get(campaign=campaign, user=staff)
    assert entry.attended_session == session and entry.reached
    outsider = make_user(is_active=True)
    outsider.is_active = False  # not in the audience any more (left the office)
    outsider.save()
    with pytest.raises(PermissionDenied):
        services.check_in(user=outsider, code=session.check_in_code)


def test_the_organiser_ticks_attendance_and_records_absences(campaign, session, staff, member, leader):
    services.schedule(campaign)
    services.mark_attendance(session=session, actor=member, present={staff.pk}, absent={leader.pk: "leave"})
    staff_entry = Participant.objects.get(campaign=campaign, user=staff)
    leader_entry = Participant.objects.get(campaign=campaign, user=leader)
    assert staff_entry.attended_at and staff_entry.attendance_marked_by == member
    assert leader_entry.absence_reason == "leave" and not leader_entry.reached


def test_acknowledgement_needs_every_material_opened(campaign, session, staff):
    first = Material.objects.create(campaign=campaign, title="Nội quy", link="https://example.test/a")
    second = Material.objects.create(campaign=campaign, title="Quy chế", link="https://example.test/b")
    services.schedule(campaign)
    entry = Participant.objects.get(campaign=campaign, user=staff)
    services.open_material(entry, first)
    with pytest.raises(ValidationError):
        services.acknowledge(participant=entry)
    services.open_material(entry, second)
    services.acknowledge(participant=entry)
    entry.refresh_from_db()
    assert entry.acknowledged_at and entry.reached


def test_coverage_figures_by_hand(campaign, session, staff, member, leader, make_user, departments):
    extra = make_user("Lê Văn Bốn", department=departments["NCPC"])
    services.schedule(campaign)  # 4 invited: staff (TH), member (TH), leader (—), extra (NCPC)
    services.mark_attendance(session=session, actor=member, present={staff.pk, extra.pk}, absent={})
    entry = Participant.objects.get(campaign=campaign, user=member)
    Participant.objects.filter(pk=entry.pk).update(acknowledged_at=timezone.now())
    figures = coverage.campaign_figures(campaign)
    assert (figures.invited, figures.attended, figures.acknowledged, figures.reached, figures.missing) == (
        4,
        2,
        1,
        3,
        1,
    )
    assert figures.percent == 75.0
    rows = dict(coverage.by_department(campaign))
    assert (rows["Phòng Tổng hợp"].invited, rows["Phòng Tổng hợp"].reached) == (2, 2)
    assert (rows["Phòng Nội chính - Pháp chế"].invited, rows["Phòng Nội chính - Pháp chế"].reached) == (1, 1)
    assert [entry.user for entry in coverage.missing_people(campaign)] == [leader]


def test_the_yearly_figure_for_criterion_1(campaign, session, staff, member, leader, make_user, today):
    services.schedule(campaign)
    services.mark_attendance(session=session, actor=member, present={staff.pk, member.pk}, absent={})
    not_counting = Campaign.objects.create(
        title="PCCC",
        theme="fire_prevention",
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        organiser=member,
        counts_for_tt124=False,
    )
    Material.objects.create(campaign=not_counting, title="x", link="https://example.test/x")
    services.schedule(not_counting)
    Participant.objects.filter(campaign=not_counting).update(acknowledged_at=timezone.now())
    figures = coverage.year_figures(today.year)
    assert (figures.staff, figures.briefed) == (3, 2)  # staff, member, leader are the active staff
    assert figures.percent == 66.7
    assert list(coverage.year_missing(today.year)) == [leader]


def test_reminders_the_day_before_a_session_once_and_moved_with_it(campaign, staff, member, today):
    tomorrow = today + timedelta(days=1)
    session = Session.objects.create(campaign=campaign, starts_at=at(tomorrow, 9), ends_at=at(tomorrow, 10))
    services.schedule(campaign)
    reminders.sweep(now=at(tomorrow, 9) - timedelta(hours=25))
    assert not Notification.objects.filter(kind="campaigns.session_reminder").exists()
    reminders.sweep(now=at(tomorrow, 9) - timedelta(hours=23))
    reminders.sweep(now=at(tomorrow, 9) - timedelta(hours=22))
    assert Notification.objects.filter(kind="campaigns.session_reminder", recipient=staff).count() == 1
    session.starts_at, session.ends_at = at(tomorrow, 14), at(tomorrow, 15)
    session.save()
    reminders.sweep(now=at(tomorrow, 14) - timedelta(hours=2))
    assert Notification.objects.filter(kind="campaigns.session_reminder", recipient=staff).count() == 2


def test_chasing_those_not_reached_every_few_days(campaign, session, staff, member, settings, today):
    settings.CAMPAIGN_CHASE_EVERY_DAYS = 3
    services.schedule(campaign)
    services.mark_attendance(session=session, actor=member, present={member.pk}, absent={})
    start = campaign.starts_on
    for day in range(0, 9):
        moment = at(start + timedelta(days=day), 10)
        reminders.sweep(now=moment)
        reminders.sweep(now=moment)
    chased = Notification.objects.filter(kind="campaigns.chase")
    assert chased.filter(recipient=staff).count() == 2  # days 3 and 6
    assert not chased.filter(recipient=member).exists()  # attended: left in peace


def test_the_organiser_gets_one_summary_a_week(campaign, session, member, today):
    services.schedule(campaign)
    monday = today - timedelta(days=today.weekday())
    for day in range(7):
        reminders.sweep(now=at(monday + timedelta(days=day), 8))
    assert Notification.objects.filter(kind="campaigns.weekly_summary", recipient=member).count() == 1


def test_statuses_follow_the_calendar(member, today):
    future = Campaign.objects.create(
        title="Ngày hội 19/8",
        theme="festival_day",
        organiser=member,
        starts_on=today + timedelta(days=2),
        ends_on=today + timedelta(days=3),
    )
    Material.objects.create(campaign=future, title="x", link="https://example.test/x")
    services.schedule(future)
    future.refresh_from_db()
    assert future.status == Campaign.Status.SCHEDULED
    reminders.sweep(now=at(today + timedelta(days=2), 8))
    future.refresh_from_db()
    assert future.status == Campaign.Status.RUNNING
    reminders.sweep(now=at(today + timedelta(days=4), 8))
    future.refresh_from_db()
    assert future.status == Campaign.Status.COMPLETED


def test_copy_to_a_new_year(campaign, session, member, leader):
    Material.objects.create(campaign=campaign, title="Nội quy", link="https://example.test/a")
    copy = services.copy_to_year(campaign=campaign, year=campaign.starts_on.year + 1, actor=leader)
    assert copy.status == Campaign.Status.DRAFT and copy.copied_from == campaign
    assert copy.starts_on.year == campaign.starts_on.year + 1
    assert copy.sessions.count() == 1 and copy.materials.count() == 1
    assert copy.sessions.get().starts_at.year == campaign.starts_on.year + 1


def test_a_session_outside_the_period_or_backwards_is_refused(campaign):
    outside = Session(
        campaign=campaign,
        starts_at=at(campaign.ends_on + timedelta(days=5), 9),
        ends_at=at(campaign.ends_on + timedelta(days=5), 10),
    )
    with pytest.raises(ValidationError):
        services.validate_session(outside)
    backwards = Session(campaign=campaign, starts_at=at(campaign.starts_on, 10), ends_at=at(campaign.starts_on, 9))
    with pytest.raises(ValidationError):
        services.validate_session(backwards)

"""Pins for the campaign rules that protect the TT 124 criterion-1 figure (issue 13).

Each test states a rule the way an inspector would check it: what was saved (re-read from the database),
what the figures say, and what the organiser or the inspector sees on the page.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from campaigns import coverage, reminders, services, workflow
from campaigns.models import AbsenceReason, Audience, Campaign, Material, Participant, Session
from notifications.models import Notification

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = Campaign.Status


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=VN)


def vi(message, **params) -> str:
    with translation.override("vi"):
        return str(message) % params if params else str(message)


def messages_of(error: ValidationError) -> list[str]:
    with translation.override("vi"):
        return error.messages


@pytest.fixture
def today():
    return timezone.localdate()


def make_campaign(organiser, starts_on, ends_on=None, *, status=S.DRAFT, counts=True, title="Quán triệt nội quy"):
    return Campaign.objects.create(
        title=title,
        theme="internal_rules",
        organiser=organiser,
        starts_on=starts_on,
        ends_on=ends_on or starts_on + timedelta(days=10),
        status=status,
        counts_for_tt124=counts,
    )


def invite(campaign, *people, **reach):
    """Participant rows as scheduling writes them; `reach` sets attended_at / acknowledged_at."""
    for person in people:
        Participant.objects.create(campaign=campaign, user=person, invited_at=timezone.now(), **reach)


def entry(campaign, person) -> Participant:
    return Participant.objects.get(campaign=campaign, user=person)


# --- Criterion 1: what the yearly figure counts ----------------------------------------------------------------


@pytest.fixture
def this_year_rules(member, today):
    return make_campaign(member, date(today.year, 3, 1), status=S.COMPLETED)


def test_only_reaches_in_counting_campaigns_of_that_year_not_cancelled_brief_a_person(
    this_year_rules, member, staff, leader, chief, make_user, today
):
    cancelled = make_campaign(member, date(today.year, 4, 1), status=S.CANCELLED, title="Đã hủy")
    last_year = make_campaign(member, date(today.year - 1, 12, 20), status=S.COMPLETED, title="Năm trước")
    fire = make_campaign(member, date(today.year, 5, 1), status=S.COMPLETED, counts=False, title="PCCC")
    invite(this_year_rules, staff, attended_at=timezone.now())
    invite(this_year_rules, member, acknowledged_at=timezone.now())
    invite(cancelled, leader, attended_at=timezone.now())
    invite(last_year, chief, attended_at=timezone.now())  # its sessions ran into January of this year
    invite(fire, leader, chief, acknowledged_at=timezone.now())
    left = make_user("Đã Nghỉ Việc", is_active=False)
    invite(this_year_rules, left, attended_at=timezone.now())

    figures = coverage.year_figures(today.year)
    assert (figures.year, figures.staff, figures.briefed) == (today.year, 4, 2)  # staff, member, leader, chief
    assert figures.percent == 50.0
    assert set(coverage.year_missing(today.year)) == {leader, chief}
    # Last year's campaign counts for last year (measured against today's staff).
    assert coverage.year_figures(today.year - 1).briefed == 1
    assert set(coverage.year_missing(today.year - 1)) == {leader, member, staff}


def test_the_year_missing_list_goes_by_department_then_name(this_year_rules, member, make_user, departments, today):
    ncpc, th = departments["NCPC"], departments["TH"]
    make_user("Vũ Văn Không Phòng")
    cao = make_user("Cao Thị Tổng Hợp", department=th)
    bui = make_user("Bùi Thị Nội Chính", department=ncpc)
    an = make_user("An Văn Tổng Hợp", department=th)
    # Made in an order that is neither the names' order nor its reverse, so no order of rows alone passes.
    duong = make_user("Dương Văn Tổng Hợp", department=th)
    missing = list(coverage.year_missing(today.year))
    # People without a department sort first on SQLite, last on PostgreSQL: the order of the others is the rule.
    assert [p for p in missing if p.department] == [
        bui,
        an,
        cao,
        duong,
        member,
    ]  # "Phòng Nội chính…" < "Phòng Tổng hợp"


@pytest.mark.parametrize(
    ("briefed", "staff", "percent"),
    [(0, 0, 0.0), (1, 3, 33.3), (2, 3, 66.7), (3, 3, 100.0), (1, 8, 12.5), (0, 5, 0.0)],
)
def test_the_year_percent_is_rounded_to_one_decimal_and_zero_without_staff(briefed, staff, percent):
    assert coverage.YearFigures(year=2026, staff=staff, briefed=briefed).percent == percent


def test_the_year_coverage_page_shows_the_figure_the_missing_and_only_campaigns_that_count(
    client, this_year_rules, member, staff, leader, today
):
    cancelled = make_campaign(member, date(today.year, 4, 1), status=S.CANCELLED, title="Đợt đã hủy")
    fire = make_campaign(member, date(today.year, 5, 1), counts=False, title="Phòng cháy chữa cháy")
    invite(this_year_rules, staff, attended_at=timezone.now())
    invite(cancelled, leader, attended_at=timezone.now())
    client.force_login(leader)
    page = client.get(reverse("campaigns:year_coverage", args=[today.year])).content.decode()
    assert 'data-testid="year-percent">33,3%<' in page or 'data-testid="year-percent">33.3%<' in page
    missing = page.split('data-testid="year-missing"')[1]
    assert leader.full_name in missing and member.full_name in missing and staff.full_name not in missing
    assert this_year_rules.title in page
    assert cancelled.title not in page and fire.title not in page


# --- Criterion 1 over an evaluation window ---------------------------------------------------------------------


def test_a_reach_counts_in_the_window_from_its_first_instant_up_to_but_not_at_its_end(
    this_year_rules, staff, member, leader, chief, today
):
    start, end = at(today - timedelta(days=100), 0), at(today - timedelta(days=10), 0)
    invite(this_year_rules, staff, attended_at=start)
    invite(this_year_rules, member, acknowledged_at=end - timedelta(microseconds=1))
    invite(this_year_rules, leader, attended_at=end)
    invite(this_year_rules, chief, acknowledged_at=end)
    figures = coverage.window_figures(start, end, today)
    assert (figures.staff, figures.briefed, figures.missing, figures.percent) == (4, 2, 2, 50.0)
    assert set(coverage.window_missing(start, end, today)) == {leader, chief}
    assert set(coverage.reached_between(start, end).values_list("user__full_name", flat=True)) == {
        staff.full_name,
        member.full_name,
    }


def test_window_campaigns_count_the_reaches_of_counting_campaigns_that_reached_someone(
    member, staff, leader, make_user, today
):
    start, end = at(today - timedelta(days=100), 0), at(today + timedelta(days=10), 0)
    inside = at(today, 9)
    later = make_campaign(member, date(today.year, 6, 1), status=S.COMPLETED, title="Sau")
    earlier = make_campaign(member, date(today.year, 2, 1), status=S.COMPLETED, title="Trước")
    cancelled = make_campaign(member, date(today.year, 3, 1), status=S.CANCELLED, title="Hủy")
    fire = make_campaign(member, date(today.year, 3, 1), status=S.COMPLETED, counts=False, title="PCCC")
    nobody = make_campaign(member, date(today.year, 3, 1), status=S.COMPLETED, title="Không ai")
    newcomer = make_user("Mới Vào", date_joined=at(today + timedelta(days=1), 8))
    invite(later, staff, newcomer, attended_at=inside)
    invite(earlier, staff, member, leader, acknowledged_at=inside)
    invite(cancelled, staff, attended_at=inside)
    invite(fire, staff, attended_at=inside)
    invite(nobody, staff, member)
    listed = coverage.window_campaigns(start, end)
    assert [(c.title, c.reached) for c in listed] == [("Trước", 3), ("Sau", 2)]
    # Counted today, the newcomer (joining tomorrow) is not staff yet: their reach is left out.
    counted = coverage.window_campaigns(start, end, today)
    assert [(c.title, c.reached) for c in counted] == [("Trước", 3), ("Sau", 1)]
    assert nobody.pk not in {c.pk for c in listed}


def test_the_window_missing_go_by_department_then_name(make_user, departments, today):
    th, ncpc = departments["TH"], departments["NCPC"]
    people = [
        make_user(name, department=d)
        for name, d in [("Cao Tổng Hợp", th), ("An Tổng Hợp", th), ("Bùi Nội Chính", ncpc)]
    ]
    start, end = at(today - timedelta(days=10), 0), at(today, 0)
    missing = list(coverage.window_missing(start, end, today))
    assert missing == [people[2], people[1], people[0]]


def test_someone_who_joined_on_the_population_day_counts_and_the_next_day_not(make_user, today):
    day = date(today.year, 6, 15)
    late_evening = make_user("Vào Tối Muộn", date_joined=at(day, 23, 59))
    next_morning = make_user("Vào Hôm Sau", date_joined=at(day + timedelta(days=1), 0))
    counted = set(coverage.counted_staff(day))
    assert late_evening in counted and next_morning not in counted


@pytest.mark.parametrize(
    ("briefed", "staff", "missing", "percent"),
    [(0, 0, 0, 0.0), (2, 3, 1, 66.6), (1, 3, 2, 33.3), (1999, 2000, 1, 99.9), (4, 4, 0, 100.0)],
)
def test_window_figures_round_down_and_count_the_missing(briefed, staff, missing, percent):
    figures = coverage.WindowFigures(staff=staff, briefed=briefed)
    assert (figures.missing, figures.percent) == (missing, percent)


# --- Per campaign: figures, departments, missing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("invited", "reached", "missing", "percent"),
    [(0, 0, 0, 0.0), (3, 1, 2, 33.3), (3, 2, 1, 66.7), (8, 1, 7, 12.5), (4, 4, 0, 100.0)],
)
def test_campaign_figures_missing_and_percent(invited, reached, missing, percent):
    figures = coverage.Figures(invited=invited, attended=reached, acknowledged=0, reached=reached)
    assert (figures.missing, figures.percent) == (missing, percent)


@pytest.fixture
def briefing(this_year_rules, member, staff, leader, deputy, chief, make_user, departments):
    """TH: staff attended, member acknowledged only. NCPC: deputy attended and acknowledged, one on leave.
    No department: leader and the chief, invited, not reached."""
    on_leave = make_user("Đinh Văn Nghỉ Phép", department=departments["NCPC"])
    now = timezone.now()
    invite(this_year_rules, staff, attended_at=now)
    invite(this_year_rules, member, acknowledged_at=now)
    invite(this_year_rules, deputy, attended_at=now, acknowledged_at=now)
    invite(this_year_rules, on_leave, absence_reason=AbsenceReason.LEAVE)
    invite(this_year_rules, leader, chief)
    return on_leave


def figures_tuple(f: coverage.Figures):
    return (f.invited, f.attended, f.acknowledged, f.reached, f.missing)


def test_each_department_has_its_own_figures_and_people_without_one_are_grouped(this_year_rules, briefing):
    rows = coverage.by_department(this_year_rules)
    by_name = {name: figures_tuple(figures) for name, figures in rows}
    assert by_name == {
        "Phòng Nội chính - Pháp chế": (2, 1, 1, 1, 1),
        "Phòng Tổng hợp": (2, 1, 1, 2, 0),
        "—": (2, 0, 0, 0, 2),
    }
    named = [name for name, _ in rows if name != "—"]
    assert named == ["Phòng Nội chính - Pháp chế", "Phòng Tổng hợp"]
    assert figures_tuple(coverage.campaign_figures(this_year_rules)) == (6, 2, 2, 3, 3)


def test_the_missing_people_of_a_campaign_go_by_department_then_name(
    this_year_rules, briefing, leader, chief, make_user, departments
):
    cao = make_user("Cao Văn Chưa Đến", department=departments["TH"])
    an = make_user("An Thị Chưa Đến", department=departments["TH"])
    invite(this_year_rules, cao, an)
    missing = [p.user for p in coverage.missing_people(this_year_rules)]
    assert [p for p in missing if p.department] == [briefing, an, cao]  # NCPC, then TH by name
    without_department = [p for p in missing if p.department is None]
    assert without_department == [chief, leader]  # by given name (core/names.py): Hùng before Minh


def test_the_organiser_sees_the_figures_departments_and_absence_reasons_on_the_page(
    client, this_year_rules, briefing, member
):
    client.force_login(member)
    page = client.get(this_year_rules.get_absolute_url()).content.decode()
    coverage_card = page.split('data-testid="coverage"')[1]
    assert "50,0%" in coverage_card or "50.0%" in coverage_card
    assert "<td>Phòng Nội chính - Pháp chế</td><td>2</td><td>1</td><td>1</td>" in coverage_card
    assert "<td>Phòng Tổng hợp</td><td>2</td><td>2</td><td>0</td>" in coverage_card
    missing = coverage_card.split('data-testid="missing"')[1]
    assert f"{briefing.full_name} · Phòng Nội chính - Pháp chế · {vi(AbsenceReason.LEAVE.label)}" in missing


# --- Attendance: the organiser's tick list ----------------------------------------------------------------------


@pytest.fixture
def running(member, today):
    campaign = make_campaign(member, today, status=S.RUNNING)
    now = timezone.now()
    Session.objects.create(campaign=campaign, starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=1))
    return campaign


def test_an_excused_absence_keeps_the_person_invited_and_not_reached(running, member, staff, leader, today):
    services.sync_audience(running)
    session = running.sessions.get()
    services.mark_attendance(session=session, actor=member, present={member.pk}, absent={staff.pk: "business_trip"})
    absent = entry(running, staff)
    assert absent.absence_reason == AbsenceReason.BUSINESS_TRIP
    assert (absent.attended_at, absent.attended_session, absent.attendance_marked_by) == (None, None, None)
    assert figures_tuple(coverage.campaign_figures(running)) == (3, 1, 0, 1, 2)
    assert staff in [p.user for p in coverage.missing_people(running)]
    figures = coverage.year_figures(today.year)
    assert (figures.staff, figures.briefed) == (3, 1)  # the denominator stays


def test_ticking_present_records_who_when_and_which_session_and_clears_an_absence(running, member, deputy, staff):
    services.sync_audience(running)
    session = running.sessions.get()
    services.mark_attendance(session=session, actor=member, present=set(), absent={staff.pk: "sick"})
    before = timezone.now()
    services.mark_attendance(session=session, actor=deputy, present={staff.pk}, absent={})
    saved = entry(running, staff)
    assert saved.attended_session == session and saved.attendance_marked_by == deputy
    assert before <= saved.attended_at <= timezone.now()
    assert saved.absence_reason == ""


def test_a_second_tick_list_does_not_rewrite_an_attendance(running, member, deputy, staff):
    services.sync_audience(running)
    first = running.sessions.get()
    make_up = Session.objects.create(campaign=running, starts_at=first.starts_at, ends_at=first.ends_at)
    services.mark_attendance(session=first, actor=member, present={staff.pk}, absent={})
    recorded = entry(running, staff).attended_at
    services.mark_attendance(session=make_up, actor=deputy, present={staff.pk}, absent={})
    services.mark_attendance(session=make_up, actor=deputy, present=set(), absent={staff.pk: "leave"})
    saved = entry(running, staff)
    assert (saved.attended_session, saved.attended_at, saved.attendance_marked_by) == (first, recorded, member)
    assert saved.absence_reason == ""


def test_an_unknown_absence_reason_is_saved_as_other(running, member, staff, leader):
    services.sync_audience(running)
    session = running.sessions.get()
    services.mark_attendance(session=session, actor=member, present=set(), absent={staff.pk: "vắng", leader.pk: "sick"})
    assert entry(running, staff).absence_reason == AbsenceReason.OTHER
    assert entry(running, leader).absence_reason == AbsenceReason.SICK
    assert entry(running, member).absence_reason == ""


# --- Check-in -------------------------------------------------------------------------------------------------------


def test_checking_in_records_the_session_and_the_moment_and_clears_an_absence(running, member, staff):
    services.sync_audience(running)
    session = running.sessions.get()
    services.mark_attendance(session=session, actor=member, present=set(), absent={staff.pk: "leave"})
    moment = timezone.now().replace(microsecond=0)
    assert services.check_in(user=staff, code=f" {session.check_in_code} ", now=moment) == session
    saved = entry(running, staff)
    assert (saved.attended_session, saved.attended_at, saved.absence_reason) == (session, moment, "")
    assert saved.attendance_marked_by is None  # checked in by themselves
    services.check_in(user=staff, code=session.check_in_code, now=moment + timedelta(minutes=5))
    assert entry(running, staff).attended_at == moment  # the first check-in stands


@pytest.mark.parametrize("status", [S.DRAFT, S.COMPLETED, S.CANCELLED])
def test_no_check_in_to_a_campaign_that_is_not_live(running, staff, status):
    services.sync_audience(running)
    Campaign.objects.filter(pk=running.pk).update(status=status)
    with pytest.raises(ValidationError) as refused:
        services.check_in(user=staff, code=running.sessions.get().check_in_code)
    assert messages_of(refused.value) == [vi(services.WRONG_CODE)]
    assert entry(running, staff).attended_at is None


def test_the_same_code_in_two_campaigns_checks_in_where_the_person_is_invited(running, member, staff, departments):
    services.sync_audience(running)
    code = running.sessions.get().check_in_code
    other = make_campaign(member, running.starts_on, status=S.SCHEDULED, title="Khác")
    other.audience = Audience.PEOPLE
    other.save()
    other.people.set([member])
    services.sync_audience(other)
    now = timezone.now()
    there = Session.objects.create(campaign=other, starts_at=now, ends_at=now + timedelta(hours=1), check_in_code=code)
    Participant.objects.filter(campaign=running, user=member).delete()  # no longer in the first one's audience
    assert services.check_in(user=member, code=code) == there
    assert entry(other, member).attended_session == there


@pytest.mark.parametrize(("second", "shown"), [(0, "09:15"), (1, "09:16")])
def test_five_wrong_codes_pause_check_in_even_with_the_right_code(running, staff, today, second, shown):
    services.sync_audience(running)
    session = running.sessions.get()
    moment = at(today, 9, 0, second)
    Session.objects.filter(pk=session.pk).update(starts_at=moment, ends_at=moment + timedelta(hours=2))
    wrong = "000000" if session.check_in_code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.check_in(user=staff, code=wrong, client="10.0.0.5", now=moment)
    with pytest.raises(ValidationError) as paused:
        services.check_in(user=staff, code=session.check_in_code, client="10.0.0.6", now=moment)
    assert messages_of(paused.value) == [vi(services.CHECK_IN_PAUSED, time=shown)]
    assert entry(running, staff).attended_at is None
    # Someone else on another computer is not paused.
    services.check_in(user=running.organiser, code=session.check_in_code, client="10.0.0.7", now=moment)
    assert entry(running, running.organiser).attended_at == moment


def test_a_right_code_is_not_counted_as_a_wrong_one(running, staff, leader):
    services.sync_audience(running)
    session = running.sessions.get()
    wrong = "000000" if session.check_in_code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(ValidationError):
            services.check_in(user=staff, code=wrong)
    for _ in range(3):
        services.check_in(user=staff, code=session.check_in_code)
    assert entry(running, staff).attended_session == session


def test_a_right_code_from_someone_not_invited_is_refused_but_not_counted(running, make_user):
    services.sync_audience(running)
    outsider = make_user("Khách Ngoài")  # joined after the invitations went out
    for _ in range(6):
        with pytest.raises(PermissionDenied):
            services.check_in(user=outsider, code=running.sessions.get().check_in_code)
    assert not Participant.objects.filter(user=outsider).exists()


# --- Acknowledgement ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.COMPLETED, S.CANCELLED])
def test_no_acknowledgement_once_the_campaign_is_not_live(running, staff, status):
    services.sync_audience(running)
    Campaign.objects.filter(pk=running.pk).update(status=status)
    with pytest.raises(ValidationError) as refused:
        services.acknowledge(participant=entry(running, staff))
    assert messages_of(refused.value) == [vi(services.CAMPAIGN_CLOSED)]
    assert entry(running, staff).acknowledged_at is None


def test_the_first_acknowledgement_stands_and_opening_twice_is_one_record(running, staff):
    material = Material.objects.create(campaign=running, title="Nội quy", link="https://example.test/a")
    services.sync_audience(running)
    mine = entry(running, staff)
    with pytest.raises(ValidationError) as refused:
        services.acknowledge(participant=mine)
    assert messages_of(refused.value) == [vi(services.OPEN_MATERIALS_FIRST)]
    services.open_material(mine, material)
    services.open_material(mine, material)
    assert mine.opened.count() == 1
    services.acknowledge(participant=mine)
    first = entry(running, staff).acknowledged_at
    assert first is not None
    services.acknowledge(participant=entry(running, staff))
    assert entry(running, staff).acknowledged_at == first


def test_acknowledging_from_a_page_opened_before_the_tick_list_keeps_the_attendance(running, member, staff):
    services.sync_audience(running)
    opened_page = entry(running, staff)  # the staff member's page, read before the organiser ticks them
    services.mark_attendance(session=running.sessions.get(), actor=member, present={staff.pk}, absent={})
    services.acknowledge(participant=opened_page)
    saved = entry(running, staff)
    assert saved.acknowledged_at is not None
    assert (saved.attended_session, saved.attendance_marked_by) == (running.sessions.get(), member)
    assert saved.attended_at is not None


# --- Scheduling and invitations --------------------------------------------------------------------------------------


def test_inviting_again_invites_only_the_newcomers_once(running, staff, member, leader, make_user):
    moment = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    assert services.sync_audience(running, now=moment) == 3
    assert set(running.participants.values_list("invited_at", flat=True)) == {moment}
    newcomer = make_user("Người Mới")
    assert services.sync_audience(running) == 1
    assert services.sync_audience(running) == 0
    assert running.participants.count() == 4
    invitations = Notification.objects.filter(kind="campaigns.invited")
    assert sorted(invitations.values_list("recipient__full_name", flat=True)) == sorted(
        p.full_name for p in (staff, member, leader, newcomer)
    )


@pytest.mark.parametrize(("sessions", "materials"), [(1, 0), (0, 1)])
def test_a_session_or_a_material_is_enough_to_schedule(member, staff, today, sessions, materials):
    campaign = make_campaign(member, today + timedelta(days=3))
    for _ in range(sessions):
        Session.objects.create(
            campaign=campaign, starts_at=at(campaign.starts_on, 8), ends_at=at(campaign.starts_on, 9)
        )
    for _ in range(materials):
        Material.objects.create(campaign=campaign, title="Nội quy", link="https://example.test/a")
    assert services.schedule(campaign) == 2
    campaign.refresh_from_db()
    assert campaign.status == S.SCHEDULED  # it starts on its first day
    assert set(campaign.participants.values_list("user", flat=True)) == {member.pk, staff.pk}


def test_nothing_to_brief_with_nothing_is_scheduled_and_nobody_invited(member, staff, today):
    campaign = make_campaign(member, today)
    with pytest.raises(ValidationError) as refused:
        services.schedule(campaign)
    assert messages_of(refused.value) == [vi(services.NO_SESSION)]
    campaign.refresh_from_db()
    assert campaign.status == S.DRAFT and not campaign.participants.exists()


# --- Sessions within the period ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "minutes", "errors"),
    [
        (0, (0, 0), 60, []),  # the first minute of the first day, office time
        (10, (23, 0), 59, []),  # the last evening
        (-1, (23, 59), 60, [services.SESSION_OUTSIDE_PERIOD]),
        (11, (0, 0), 60, [services.SESSION_OUTSIDE_PERIOD]),
        (3, (9, 0), 0, [services.SESSION_ENDS_BEFORE_START]),
        (11, (9, 0), -30, [services.SESSION_ENDS_BEFORE_START, services.SESSION_OUTSIDE_PERIOD]),
    ],
)
def test_a_session_must_fall_within_the_period_and_last(member, today, day, start, minutes, errors):
    campaign = make_campaign(member, today)
    starts_at = at(today + timedelta(days=day), *start)
    session = Session(campaign=campaign, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes))
    if not errors:
        services.validate_session(session)
        return
    with pytest.raises(ValidationError) as refused:
        services.validate_session(session)
    assert messages_of(refused.value) == [vi(message) for message in errors]


# --- Copying to another year ----------------------------------------------------------------------------------------


@pytest.fixture
def recurring(member, leader, staff, departments):
    campaign = Campaign.objects.create(
        title="Phổ biến nội quy năm",
        theme="internal_rules",
        description="Nội quy bảo vệ cơ quan; Luật Bảo vệ bí mật nhà nước",
        starts_on=date(2027, 8, 19),
        ends_on=date(2027, 9, 5),
        organiser=member,
        audience=Audience.DEPARTMENTS,
        counts_for_tt124=True,
        status=S.COMPLETED,
    )
    campaign.departments.set([departments["NCPC"]])
    campaign.people.set([staff])
    Session.objects.create(
        campaign=campaign,
        kind=Session.Kind.SELF_STUDY,
        place="Hội trường",
        presenter=leader,
        starts_at=at(date(2027, 8, 20), 14, 30),
        ends_at=at(date(2027, 8, 20), 16),
    )
    Material.objects.create(campaign=campaign, title="Nội quy", link="https://example.test/noi-quy", order=2)
    Material.objects.create(campaign=campaign, title="Luật", link="https://example.test/luat", order=1)
    invite(campaign, staff, attended_at=at(date(2027, 8, 20), 15))
    return campaign


def test_a_copy_keeps_every_field_and_starts_as_a_new_draft(recurring, leader, staff, departments):
    made = services.copy_to_year(campaign=recurring, year=2028, actor=leader)
    copy = Campaign.objects.get(pk=made.pk)
    assert (copy.title, copy.theme, copy.description) == (recurring.title, recurring.theme, recurring.description)
    assert (copy.audience, copy.counts_for_tt124) == (Audience.DEPARTMENTS, True)
    assert list(copy.departments.all()) == [departments["NCPC"]] and list(copy.people.all()) == [staff]
    assert (copy.starts_on, copy.ends_on) == (date(2028, 8, 19), date(2028, 9, 5))
    assert (copy.status, copy.organiser, copy.copied_from) == (S.DRAFT, leader, recurring)
    assert not copy.participants.exists()  # nobody is briefed by last year's campaign
    session = copy.sessions.get()
    assert (session.kind, session.place, session.presenter) == (Session.Kind.SELF_STUDY, "Hội trường", leader)
    assert (session.starts_at, session.ends_at) == (at(date(2028, 8, 20), 14, 30), at(date(2028, 8, 20), 16))
    assert [(m.title, m.link, m.order) for m in copy.materials.all()] == [
        ("Luật", "https://example.test/luat", 1),
        ("Nội quy", "https://example.test/noi-quy", 2),
    ]


def test_the_original_keeps_its_sessions_materials_and_figures(recurring, leader, staff):
    services.copy_to_year(campaign=recurring, year=2028, actor=leader)
    original = Campaign.objects.get(pk=recurring.pk)
    assert (original.status, original.starts_on, original.organiser_id) == (
        S.COMPLETED,
        date(2027, 8, 19),
        recurring.organiser_id,
    )
    assert original.sessions.count() == 1 and original.materials.count() == 2
    assert coverage.campaign_figures(original).reached == 1


def test_a_copy_not_counting_for_tt124_stays_so(recurring, leader):
    Campaign.objects.filter(pk=recurring.pk).update(counts_for_tt124=False, audience=Audience.TEAM)
    recurring.refresh_from_db()
    copy = services.copy_to_year(campaign=recurring, year=2029, actor=leader)
    saved = Campaign.objects.get(pk=copy.pk)
    assert (saved.counts_for_tt124, saved.audience) == (False, Audience.TEAM)


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_copy_outside_the_accepted_years_is_refused(recurring, leader, year):
    with pytest.raises(ValidationError) as refused:
        services.copy_to_year(campaign=recurring, year=year, actor=leader)
    message = messages_of(refused.value)[0]
    assert "01/01/2000" in message and "31/12/2100" in message
    assert Campaign.objects.count() == 1


def test_a_copy_whose_end_would_leave_the_accepted_years_is_refused(member, leader):
    campaign = make_campaign(member, date(2027, 12, 20), date(2028, 1, 10))
    with pytest.raises(ValidationError):
        services.copy_to_year(campaign=campaign, year=2100, actor=leader)
    assert Campaign.objects.count() == 1


# --- The workflow table: every status against every transition -------------------------------------------------------

ALLOWED = {
    ("schedule", S.DRAFT): S.SCHEDULED,
    ("start", S.SCHEDULED): S.RUNNING,
    ("complete", S.RUNNING): S.COMPLETED,
    ("cancel", S.DRAFT): S.CANCELLED,
    ("cancel", S.SCHEDULED): S.CANCELLED,
    ("cancel", S.RUNNING): S.CANCELLED,
}
PAIRS = [(name, status) for name in ("schedule", "start", "complete", "cancel") for status in S.values]


@pytest.mark.parametrize(("name", "status"), PAIRS)
def test_every_status_against_every_transition(member, today, name, status):
    campaign = make_campaign(member, today, status=status)
    if (name, status) in ALLOWED:
        transition = workflow.check(campaign, name)
        assert (transition.name, transition.target) == (name, ALLOWED[name, status])
        return
    with pytest.raises(ValidationError) as refused:
        workflow.check(campaign, name)
    assert refused.value.code == "not_allowed"
    label, status_label = vi(workflow.TRANSITIONS[name].label), vi(campaign.get_status_display())
    assert messages_of(refused.value) == [vi(workflow.NOT_ALLOWED, action=label, status=status_label)]


def test_the_sweep_starts_only_what_is_scheduled_and_counts_only_those(member, today):
    """A campaign completed early by hand (its last day still to come) stays completed."""
    campaigns = {status: make_campaign(member, today - timedelta(days=1), status=status) for status in S.values}
    done = reminders.sweep(now=at(today, 8))
    assert (done["started"], done["completed"]) == (1, 0)
    after = dict(Campaign.objects.values_list("pk", "status"))
    expected = {status: S.RUNNING if status == S.SCHEDULED else status for status in S.values}
    assert {status: after[c.pk] for status, c in campaigns.items()} == expected


@pytest.mark.parametrize(("name", "status"), [pair for pair in PAIRS if pair[0] != "start"])
def test_every_button_saves_its_target_or_leaves_the_status(member, today, name, status):
    campaign = make_campaign(member, today + timedelta(days=2), status=status)
    Material.objects.create(campaign=campaign, title="Nội quy", link="https://example.test/a")
    action = getattr(services, name)
    if (name, status) in ALLOWED:
        action(campaign)
    else:
        with pytest.raises(ValidationError):
            action(campaign)
    campaign.refresh_from_db()
    assert campaign.status == ALLOWED.get((name, status), status)


BUTTONS = {
    S.DRAFT: ["schedule", "cancel"],
    S.SCHEDULED: ["cancel"],
    S.RUNNING: ["complete", "cancel"],
    S.COMPLETED: [],
    S.CANCELLED: [],
}
EDITABLE = {S.DRAFT, S.SCHEDULED}
OPEN = {S.DRAFT, S.SCHEDULED, S.RUNNING}


@pytest.mark.parametrize("status", S.values)
def test_buttons_editing_and_additions_per_status(member, today, status):
    campaign = make_campaign(member, today, status=status)
    assert [t.name for t in workflow.buttons(campaign)] == BUTTONS[status]
    assert workflow.is_editable(campaign) == (status in EDITABLE)
    assert workflow.is_open(campaign) == (status in OPEN)
    checks = [
        (workflow.check_editable, status in EDITABLE, "not_editable"),
        (workflow.check_open, status in OPEN, "closed"),
    ]
    for check, allowed, code in checks:
        if allowed:
            check(campaign)
            continue
        with pytest.raises(ValidationError) as refused:
            check(campaign)
        assert refused.value.code == code


@pytest.mark.parametrize("status", [S.RUNNING, S.COMPLETED, S.CANCELLED])
def test_the_refusal_to_edit_names_the_status(member, today, status):
    campaign = make_campaign(member, today, status=status)
    with pytest.raises(ValidationError) as refused:
        workflow.check_editable(campaign)
    assert messages_of(refused.value) == [vi(workflow.NOT_EDITABLE, status=vi(campaign.get_status_display()))]


@pytest.mark.parametrize("status", [S.COMPLETED, S.CANCELLED])
def test_a_closed_campaign_says_so(member, today, status):
    with pytest.raises(ValidationError) as refused:
        workflow.check_open(make_campaign(member, today, status=status))
    assert messages_of(refused.value) == [vi(workflow.CLOSED)]

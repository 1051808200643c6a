"""The home page by role: what waits for each person, counts that lead to exactly those incidents, no leaks."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaigns
from campaigns.models import Audience, Campaign, Material, Session
from evaluations import calendar
from evaluations.services.cycle import start_year
from incidents import escalation
from incidents.models import EscalationLevel, Incident, Severity, Status
from team import services as team_services
from tests.conftest import appoint
from tests.evaluation_support import ensure_tt124_data
from tests.support.incidents import report


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def block(page: str, testid: str) -> str:
    """The HTML of the home page's block (a <section>) with this data-testid; '' when absent."""
    match = re.search(rf'<section[^>]*data-testid="{testid}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def set_state(incident: Incident, **fields) -> Incident:
    Incident.objects.filter(pk=incident.pk).update(**fields)
    incident.refresh_from_db()
    return incident


def listed_references(client, url: str, universe: list[Incident]) -> set[str]:
    """Which of `universe` the page at `url` lists."""
    page = client.get(url).content.decode()
    return {incident.reference for incident in universe if incident.reference in page}


def figure(page: str, testid: str) -> tuple[int, str]:
    match = re.search(
        rf'href="([^"]*)" data-testid="figure-{testid}">\s*<span[^>]*data-testid="figure-count">(\d+)</span>', page
    )
    assert match, testid
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


# --- everyone -----------------------------------------------------------------------------------


def test_staff_sees_his_open_reports_with_their_status_and_nothing_of_the_queue(client, staff, member, category):
    mine = report(staff, category, description="Mất ví ở phòng họp")
    handled = set_state(report(staff, category), status=Status.IN_PROGRESS)
    closed = set_state(report(staff, category), status=Status.CLOSED)
    someone_elses = report(member, category)
    page = home(client, staff)

    reports = block(page, "my-reports")
    assert mine.reference in reports and handled.reference in reports
    assert "Mới" in reports and "Đang xử lý" in reports
    assert closed.reference not in reports and someone_elses.reference not in reports
    assert mine.get_absolute_url() in reports
    # The report button comes before every block.
    assert page.index('data-testid="report-button"') < page.index("<section")
    assert "Báo cáo vụ việc" in page
    # A staff member gets no counts, no assigned work, no coverage, no evaluation.
    for testid in ("queue-figures", "waiting-for-me", "my-escalations", "briefing-coverage", "evaluation-progress"):
        assert not block(page, testid), testid
    # "All my open reports" leads to exactly them.
    url = re.search(r'href="([^"]*)" data-testid="all-my-reports"', reports).group(1).replace("&amp;", "&")
    assert listed_references(client, url, [mine, handled, closed, someone_elses]) == {mine.reference, handled.reference}


def test_a_member_who_reported_sees_only_his_own_reports_in_the_all_link(client, staff, member, category):
    """On the team the queue shows everything; the link narrows to what he reported or filed."""
    own = report(member, category)
    other = report(staff, category)
    page = home(client, member)
    url = re.search(r'href="([^"]*)" data-testid="all-my-reports"', page).group(1).replace("&amp;", "&")
    assert listed_references(client, url, [own, other]) == {own.reference}


def test_empty_blocks_say_what_to_do(client, staff, member):
    page = home(client, member)
    assert "Không có vụ việc nào đang chờ đồng chí." in block(page, "waiting-for-me")
    assert 'data-testid="my-reports-empty"' in page
    assert reverse("incidents:new") in page
    assert 'data-testid="briefings-empty"' in page and reverse("campaigns:list") in block(page, "my-briefings")
    assert 'data-testid="next-shift-empty"' in page and reverse("team:team") in block(page, "waiting-for-me")


def test_the_briefings_waiting_for_me_with_the_session_to_check_in(client, staff, member, make_user):
    today = timezone.localdate()
    now = timezone.now()
    waiting = Campaign.objects.create(
        title="Phổ biến nội quy cơ quan",
        theme="internal_rules",
        starts_on=today,
        ends_on=today + timedelta(days=10),
        organiser=member,
        audience=Audience.ALL_STAFF,
    )
    session = Session.objects.create(
        campaign=waiting, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1), place="Hội trường A"
    )
    read = Campaign.objects.create(
        title="Phòng cháy chữa cháy",
        theme="fire_prevention",
        starts_on=today,
        ends_on=today + timedelta(days=10),
        organiser=member,
        audience=Audience.ALL_STAFF,
    )
    Material.objects.create(campaign=read, title="Nội quy PCCC", link="https://example.test/pccc")
    draft = Campaign.objects.create(
        title="Bản nháp chưa mời", theme="law", starts_on=today, ends_on=today, organiser=member
    )
    campaigns.schedule(waiting)
    campaigns.schedule(read)
    entry = read.participants.select_related("campaign").get(user=staff)
    campaigns.open_material(entry, read.materials.get())
    campaigns.acknowledge(participant=entry)

    briefings = block(home(client, staff), "my-briefings")
    assert waiting.title in briefings and "Hội trường A" in briefings
    assert reverse("campaigns:check_in") in briefings and "Điểm danh" in briefings
    assert read.title not in briefings  # reached: acknowledged the reading
    assert draft.title not in briefings
    campaigns.mark_attendance(session=session, actor=member, present={staff.pk}, absent={})
    assert waiting.title not in block(home(client, staff), "my-briefings")


def test_who_is_on_duty_now_with_a_number_to_call(client, staff, team, member):
    member.phone = "0912 345 678"
    member.save()
    now = timezone.localtime()
    started = now - timedelta(minutes=1)
    team_services.schedule_shift(
        team=team, day=started.date(), start=started.time(), end=(now + timedelta(hours=1)).time(), member=member
    )
    page = home(client, staff)
    assert member.full_name in page
    assert 'href="tel:0912 345 678"' in page


# --- team members ----------------------------------------------------------------------------


def test_a_member_sees_what_needs_him_now(client, team, member, deputy, staff, category):
    now = timezone.now()
    far = now + timedelta(days=3)
    unacknowledged = set_state(
        report(staff, category), assignee=member, status=Status.NEW, acknowledge_due_at=far, resolve_due_at=far
    )
    overdue = set_state(
        report(staff, category),
        assignee=member,
        status=Status.IN_PROGRESS,
        acknowledged_at=now,
        resolve_due_at=now - timedelta(hours=1),
    )
    near = set_state(
        report(staff, category),
        assignee=member,
        status=Status.ACKNOWLEDGED,
        acknowledged_at=now,
        resolve_due_at=now + timedelta(minutes=30),
    )
    calm = set_state(
        report(staff, category), assignee=member, status=Status.IN_PROGRESS, acknowledged_at=now, resolve_due_at=far
    )
    deputys = set_state(report(staff, category), assignee=deputy, status=Status.NEW, resolve_due_at=now)
    done = set_state(report(staff, category), assignee=member, status=Status.RESOLVED, resolve_due_at=now)
    tomorrow = timezone.localdate() + timedelta(days=1)
    team_services.schedule_shift(team=team, day=tomorrow, start=time(7, 30), end=time(17, 0), member=member)

    page = home(client, member)
    waiting = block(page, "waiting-for-me")
    for incident in (unacknowledged, overdue, near):
        assert incident.reference in waiting
    for incident in (calm, deputys, done):
        assert incident.reference not in waiting
    assert re.search(r"Chưa tiếp nhận: <strong>1</strong>", waiting)
    assert re.search(r"Quá hạn: <strong>1</strong>", waiting)
    assert re.search(r"Sắp đến hạn: <strong>1</strong>", waiting)
    # The most urgent first: the overdue one before the near one before the new one.
    assert waiting.index(overdue.reference) < waiting.index(near.reference) < waiting.index(unacknowledged.reference)
    assert tomorrow.strftime("%d/%m/%Y") + " 07:30" in waiting
    # The counts lead to exactly those incidents in the queue.
    universe = [unacknowledged, overdue, near, calm, deputys, done]
    for testid, expected in (("mine-unacknowledged", {unacknowledged}), ("mine-overdue", {overdue})):
        url = re.search(rf'href="([^"]*)" data-testid="{testid}"', waiting).group(1).replace("&amp;", "&")
        assert listed_references(client, url, universe) == {incident.reference for incident in expected}
    # A plain member does not get the command's counts.
    assert not block(page, "queue-figures") and not block(page, "evaluation-progress")


def test_a_member_on_duty_now_sees_his_shift_as_the_current_one(client, team, member):
    now = timezone.localtime()
    started = now - timedelta(minutes=30)
    team_services.schedule_shift(
        team=team, day=started.date(), start=started.time(), end=(now + timedelta(hours=2)).time(), member=member
    )
    shift = block(home(client, member), "waiting-for-me")
    assert started.strftime("%d/%m/%Y %H:%M") in shift and "đang trực" in shift


def test_the_reported_by_me_filter_never_widens_what_a_staff_member_sees(client, staff, member, category):
    mine = report(staff, category)
    filed_for_a_caller = report(member, category, reporter_name="Ông Khách, 0912 000 111")
    client.force_login(staff)
    url = reverse("incidents:list") + "?reported_by_me=on"
    assert listed_references(client, url, [mine, filed_for_a_caller]) == {mine.reference}
    client.force_login(member)
    assert listed_references(client, url, [mine, filed_for_a_caller]) == {filed_for_a_caller.reference}


# --- the team's command and the office leadership ------------------------------------------------


@pytest.fixture
def queue(staff, category):
    """Five incidents whose counts are known by hand."""
    now = timezone.now()
    critical_new = set_state(
        report(staff, category),
        severity=Severity.CRITICAL,
        status=Status.NEW,
        acknowledge_due_at=now + timedelta(minutes=10),
        resolve_due_at=now + timedelta(hours=4),
    )
    high_escalated = set_state(
        report(staff, category),
        severity=Severity.HIGH,
        status=Status.ESCALATED,
        acknowledged_at=now,
        resolve_due_at=now + timedelta(hours=20),
    )
    medium_overdue = set_state(
        report(staff, category),
        severity=Severity.MEDIUM,
        status=Status.ACKNOWLEDGED,
        acknowledged_at=now,
        resolve_due_at=now - timedelta(minutes=1),
    )
    low_closed_old = set_state(
        report(staff, category),
        severity=Severity.LOW,
        status=Status.CLOSED,
        created_at=now - timedelta(days=3),
        resolve_due_at=now - timedelta(days=1),
    )
    low_yesterday = set_state(
        report(staff, category),
        severity=Severity.LOW,
        status=Status.IN_PROGRESS,
        acknowledged_at=now,
        created_at=now - timedelta(days=1),
        resolve_due_at=now + timedelta(days=5),
    )
    return {
        "critical_new": critical_new,
        "high_escalated": high_escalated,
        "medium_overdue": medium_overdue,
        "low_closed_old": low_closed_old,
        "low_yesterday": low_yesterday,
    }


EXPECTED = {
    "overdue": {"medium_overdue"},
    "escalated": {"high_escalated"},
    "unacknowledged": {"critical_new"},
    "new-today": {"critical_new", "high_escalated", "medium_overdue"},
    "severity-4": {"critical_new"},
    "severity-3": {"high_escalated"},
    "severity-2": {"medium_overdue"},
    "severity-1": {"low_yesterday"},
}


@pytest.mark.parametrize("persona", ["leader", "deputy", "chief"])
def test_the_counts_lead_to_the_queue_showing_exactly_those_incidents(client, queue, persona, request):
    user = request.getfixturevalue(persona)
    page = home(client, user)
    figures = block(page, "queue-figures")
    assert figures
    universe = list(queue.values())
    for testid, names in EXPECTED.items():
        count, url = figure(figures, testid)
        assert count == len(names), testid
        assert listed_references(client, url, universe) == {queue[name].reference for name in names}, testid


def test_new_today_starts_at_midnight_in_the_office(client, leader, staff, category):
    """Midnight in Asia/Ho_Chi_Minh is 17:00 UTC the day before: a report at 23:59 there is yesterday's."""
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    yesterday = set_state(report(staff, category), created_at=midnight - timedelta(minutes=1))
    today = set_state(report(staff, category), created_at=midnight + timedelta(seconds=1))
    count, url = figure(block(home(client, leader), "queue-figures"), "new-today")
    assert count == 1
    assert listed_references(client, url, [yesterday, today]) == {today.reference}


def test_escalations_waiting_for_my_acknowledgement(client, staff, category, positions, make_user, chief, leader):
    deputy_chief = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    EscalationLevel.objects.create(order=1, position=positions["deputy_chief"], person_in_charge=deputy_chief)
    EscalationLevel.objects.create(order=2, position=positions["chief"])
    now = timezone.now()
    at_chief = set_state(
        report(staff, category),
        status=Status.ESCALATED,
        escalation_level=2,
        escalation_due_at=now + timedelta(minutes=20),
    )
    at_deputy_chief = set_state(report(staff, category), status=Status.ESCALATED, escalation_level=1)
    acknowledged = set_state(
        report(staff, category),
        status=Status.ESCALATED,
        escalation_level=2,
        escalation_acknowledged_at=now,
        escalation_acknowledged_by=chief,
    )
    universe = [at_chief, at_deputy_chief, acknowledged]

    for person in (chief, deputy_chief, leader):
        shown = block(home(client, person), "my-escalations")
        if person != leader:  # the leader holds a deputy chief's post but is not the one in charge
            assert shown
        for incident in universe:
            assert (incident.reference in shown) == (person in escalation.waiting_for(incident)), (person, incident)
    assert at_chief.reference in block(home(client, chief), "my-escalations")
    assert "Không có vụ việc chuyển cấp nào chờ đồng chí tiếp nhận." in block(home(client, leader), "my-escalations")


def test_this_years_briefing_coverage(client, staff, member, leader, chief):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Phổ biến nội quy",
        theme="internal_rules",
        starts_on=today,
        ends_on=today + timedelta(days=5),
        organiser=member,
        audience=Audience.ALL_STAFF,
        counts_for_tt124=True,
    )
    Material.objects.create(campaign=campaign, title="Nội quy", link="https://example.test/noi-quy")
    campaigns.schedule(campaign)
    for person in (staff, member):
        entry = campaign.participants.select_related("campaign").get(user=person)
        campaigns.open_material(entry, campaign.materials.get())
        campaigns.acknowledge(participant=entry)
    # staff, member, leader, chief: four people, two briefed.
    coverage = block(home(client, chief), "briefing-coverage")
    assert "50.0%" in coverage or "50,0%" in coverage
    assert "2/4" in coverage.replace(" ", "") or "2 trên 4" in coverage
    assert reverse("campaigns:year_coverage", args=[today.year]) in coverage


def test_the_evaluation_progress_and_its_next_deadline(client, leader, chief):
    ensure_tt124_data()
    year = calendar.evaluation_year_of(timezone.localdate())
    page = home(client, chief)
    assert f"Chưa bắt đầu đợt đánh giá năm {year}." in block(page, "evaluation-progress")
    assert reverse("evaluations:index") in block(page, "evaluation-progress")

    evaluation = start_year(year=year, actor=leader)
    progress = block(home(client, leader), "evaluation-progress")
    total = evaluation.assessments.count()
    assert f"{total}/{total}" in progress.replace(" ", "") or f"{total} trên {total}" in progress
    first, second = sorted(evaluation.stages.all(), key=lambda stage: stage.due_on)[:2]
    assert first.due_on.strftime("%d/%m/%Y") in progress and first.get_kind_display() in progress
    first.completed_on = date.today()
    first.save()
    progress = block(home(client, leader), "evaluation-progress")
    assert second.due_on.strftime("%d/%m/%Y") in progress and first.due_on.strftime("%d/%m/%Y") not in progress


# --- query counts -------------------------------------------------------------------------------


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["staff", "member", "leader", "chief"])
def test_each_roles_home_runs_a_constant_number_of_queries(
    client, staff, team, leader, deputy, member, chief, make_user, positions, departments, category, persona, request
):
    """The office's real data grows: incidents of every life, escalations, campaigns, shifts, an evaluation."""
    from tests.support import realistic

    ensure_tt124_data()
    user = request.getfixturevalue(persona)
    EscalationLevel.objects.create(order=1, position=positions["deputy_chief"], person_in_charge=leader)
    EscalationLevel.objects.create(order=2, position=positions["chief"])
    start_year(year=calendar.evaluation_year_of(timezone.localdate()), actor=leader)
    places = realistic.places("Nhà A")

    def grow(start, count):
        realistic.stream(
            count,
            start=start,
            staff=[staff],
            member=member,
            leader=leader,
            chief=chief,
            category=category,
            places=places,
        )
        Incident.objects.filter(assignee__isnull=True).update(assignee=member)
        today = timezone.localdate()
        for n in range(count):
            campaign = Campaign.objects.create(
                title=f"Chiến dịch {start + n}",
                theme="law",
                starts_on=today,
                ends_on=today + timedelta(days=3),
                organiser=member,
                counts_for_tt124=bool(n % 2),
            )
            Session.objects.create(
                campaign=campaign,
                starts_at=timezone.now() + timedelta(hours=n + 1),
                ends_at=timezone.now() + timedelta(hours=n + 2),
            )
            campaigns.schedule(campaign)
        newcomer = realistic.colleagues(make_user, positions, departments, 1)[0]
        appoint(team, newcomer)
        day = timezone.localdate() + timedelta(days=start + 1)
        team_services.schedule_shift(team=team, day=day, start=time(7, 30), end=time(17, 0), member=newcomer)

    grow(0, 3)
    client.force_login(user)
    url = reverse("home")
    client.get(url)  # the first request after login also saves the session
    small = _count_queries(client, url)
    grow(3, 9)
    large = _count_queries(client, url)
    assert small == large, persona
    # session, user, roles, unread badge, on duty now, my reports and their count, my briefings and their
    # sessions; a member: his assigned counts and rows, next shift; the command: the queue's counts, the chain,
    # escalations waiting and their count, the year's coverage (2), the evaluation, its assessments and stages.
    assert large <= CEILING[persona]


CEILING = {"staff": 9, "member": 12, "leader": 21, "chief": 19}

"""The dashboard's figures against a data set computed by hand: months in office time, the year before,
percentiles, the share within the service level, empty periods, what the viewer may see."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from campaigns.models import Campaign, Participant
from dashboard import figures
from dashboard.figures import Filters
from dashboard.periods import Period, evaluation_year, six_months, this_month, this_quarter
from incidents.models import EscalationLevel, ExternalReport, Incident, IncidentEvent, Place, SlaPolicy, Status
from team.models import DutyShift
from tests.support.incidents import report

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOTHING = Filters()


def at(*parts) -> datetime:
    """A moment in office time."""
    return datetime(*parts, tzinfo=HCM)


def filed(person, category, moment: datetime, **fields) -> Incident:
    """An incident filed at `moment` (office time), with the columns given set as they would be."""
    incident = report(person, category)
    Incident.objects.filter(pk=incident.pk).update(created_at=moment, **fields)
    incident.refresh_from_db()
    return incident


def resolved(incident: Incident, moment: datetime) -> None:
    IncidentEvent.objects.create(
        incident=incident, action="status", field="status", old_value="in_progress", new_value="resolved", at=moment
    )


# --- periods -------------------------------------------------------------------------------------------------


def test_the_periods_of_a_day():
    day = date(2026, 11, 27)
    assert this_month(day) == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert this_quarter(day) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert six_months(day) == Period(date(2026, 7, 1), date(2026, 12, 31))
    assert six_months(date(2026, 2, 28)) == Period(date(2026, 1, 1), date(2026, 6, 30))
    # 27/11 is past 15/11: the evaluation year 2027, from 16/11/2026.
    assert evaluation_year(day) == Period(date(2026, 11, 16), date(2027, 11, 15))
    assert evaluation_year(date(2026, 11, 15)) == Period(date(2025, 11, 16), date(2026, 11, 15))
    assert Period(date(2024, 2, 29), date(2024, 3, 1)).year_before() == Period(date(2023, 2, 28), date(2023, 3, 1))
    assert Period(date(2025, 11, 16), date(2026, 1, 3)).months() == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


# --- counts --------------------------------------------------------------------------------------------------


def test_months_are_office_months_beside_the_year_before(staff, leader, category):
    # 23:30 on 31/01 in Hà Nội is 16:30 UTC: January. 00:10 on 01/02 is still 31/01 in UTC: February.
    filed(staff, category, at(2026, 1, 31, 23, 30))
    filed(staff, category, at(2026, 2, 1, 0, 10))
    filed(staff, category, at(2026, 2, 14, 9, 0))
    filed(staff, category, at(2025, 1, 1, 0, 0))  # the first moment of January a year before
    filed(staff, category, at(2024, 12, 31, 23, 59))  # before the year before's period: not counted
    filed(staff, category, at(2026, 3, 1, 0, 0))  # after the period
    months = figures.by_month(Period(date(2026, 1, 1), date(2026, 2, 28)), NOTHING, leader)
    assert [(m.month, m.count, m.last_year) for m in months] == [
        (date(2026, 1, 1), 1, 1),
        (date(2026, 2, 1), 2, 0),
    ]


def test_the_evaluation_year_crosses_the_new_year(staff, leader, category):
    filed(staff, category, at(2025, 11, 15, 23, 59))  # the last minute of the year before: out
    filed(staff, category, at(2025, 11, 16, 0, 0))  # its first minute: in
    filed(staff, category, at(2025, 12, 31, 23, 59))
    filed(staff, category, at(2026, 1, 1, 0, 0))
    filed(staff, category, at(2026, 11, 15, 23, 59))
    filed(staff, category, at(2026, 11, 16, 0, 0))  # the next year: out
    months = figures.by_month(Period(date(2025, 11, 16), date(2026, 11, 15)), NOTHING, leader)
    counts = {m.month: m.count for m in months}
    assert len(months) == 13  # November to November
    assert counts[date(2025, 11, 1)] == 1
    assert counts[date(2025, 12, 1)] == 1
    assert counts[date(2026, 1, 1)] == 1
    assert counts[date(2026, 11, 1)] == 1
    assert sum(counts.values()) == 4
    assert figures.summary(Period(date(2025, 11, 16), date(2026, 11, 15)), NOTHING, leader).filed == 4


def test_an_empty_period_counts_nothing(staff, leader, category):
    filed(staff, category, at(2026, 5, 5, 10, 0))
    empty = Period(date(2020, 1, 1), date(2020, 3, 31))
    assert [(m.count, m.last_year) for m in figures.by_month(empty, NOTHING, leader)] == [(0, 0)] * 3
    assert figures.summary(empty, NOTHING, leader) == figures.Summary(0, 0, 0, 0, 0)
    assert figures.by_category(empty, NOTHING, leader) == []
    assert [share.count for share in figures.by_severity(empty, NOTHING, leader)] == [0, 0, 0, 0]
    assert figures.authority_reports(empty, NOTHING, leader) == []
    [overall] = figures.response_times(empty, NOTHING, leader)
    assert overall.severity is None
    assert (overall.acknowledge.count, overall.acknowledge.median, overall.acknowledge.p90) == (0, None, None)
    assert overall.acknowledge.percent_in_time is None


def test_counts_by_category_place_severity_and_the_summary(staff, leader, category, make_user):
    from incidents.models import Category

    fire = Category.objects.create(code="fire", name="Cháy nổ")
    building = Place.objects.create(name="Nhà A", kind=Place.Kind.BUILDING)
    floor = Place.objects.create(name="Tầng 2", kind=Place.Kind.FLOOR, parent=building)
    room = Place.objects.create(name="Phòng 201", kind=Place.Kind.ROOM, parent=floor)
    day = at(2026, 6, 10, 9, 0)
    hour, day_later, month_later = day + timedelta(hours=1), day + timedelta(days=1), day + timedelta(days=30)
    # Overdue on the 20th: never acknowledged within its hour; not resolved within its day.
    filed(staff, category, day, place=room, severity=3, status=Status.NEW, acknowledge_due_at=hour)
    filed(staff, category, day, place=room, severity=3, status=Status.ESCALATED, resolve_due_at=month_later)
    filed(staff, fire, day, severity=4, status=Status.CLOSED, acknowledged_at=day, resolve_due_at=hour)
    filed(staff, fire, day, severity=1, status=Status.IN_PROGRESS, acknowledged_at=day, resolve_due_at=day_later)
    june = this_month(date(2026, 6, 1))
    assert [(s.name, s.count) for s in figures.by_category(june, NOTHING, leader)] == [
        ("Cháy nổ", 2),
        ("Trộm cắp, mất tài sản", 2),
    ] or [(s.name, s.count) for s in figures.by_category(june, NOTHING, leader)] == [
        ("Trộm cắp, mất tài sản", 2),
        ("Cháy nổ", 2),
    ]
    assert [(s.key, s.name, s.count) for s in figures.by_place(june, NOTHING, leader)] == [
        (room.pk, "Nhà A › Tầng 2 › Phòng 201", 2),
        (None, "", 2),
    ]
    assert [(s.key, s.count) for s in figures.by_severity(june, NOTHING, leader)] == [(4, 1), (3, 2), (2, 0), (1, 1)]
    now = at(2026, 6, 20, 12, 0)
    Incident.objects.filter(acknowledge_due_at__gt=now).update(acknowledge_due_at=None)  # only the deadlines above
    Incident.objects.filter(resolve_due_at__gt=month_later).update(resolve_due_at=None)
    # Open: new, escalated, in progress. Overdue: the new one and the one in progress (the closed one is done).
    summary = figures.summary(june, NOTHING, leader, now=now)
    assert (summary.filed, summary.open, summary.escalated, summary.unacknowledged) == (4, 3, 1, 1)
    assert summary.overdue == Incident.objects.overdue(now).count() == 2
    fire_only = Filters(category=fire.pk)
    assert figures.summary(june, fire_only, leader, now=now).filed == 2
    assert figures.summary(june, Filters(place=room.pk), leader, now=now).filed == 2


def test_the_reporters_department_narrows_the_figures(staff, member, leader, category, departments):
    day = at(2026, 6, 10, 9, 0)
    filed(staff, category, day)  # Phòng Tổng hợp
    filed(member, category, day)  # Phòng Tổng hợp too
    filed(leader, category, day)  # no department
    june = this_month(date(2026, 6, 1))
    assert figures.summary(june, Filters(department=departments["TH"].pk), leader).filed == 2
    assert figures.summary(june, Filters(department=departments["NCPC"].pk), leader).filed == 0


def test_escalations_by_level_and_reports_to_the_authorities(staff, leader, member, category, positions):
    EscalationLevel.objects.create(order=1, position=positions["deputy_chief"])
    EscalationLevel.objects.create(order=2, position=positions["chief"])
    day = at(2026, 6, 10, 9, 0)
    first = filed(staff, category, day, escalation_level=1)
    filed(staff, category, day, escalation_level=2)
    filed(staff, category, day, escalation_level=2)
    filed(staff, category, day)
    june = this_month(date(2026, 6, 1))
    assert [(s.key, s.name, s.count) for s in figures.escalations_by_level(june, NOTHING, leader)] == [
        (1, "Phó Chánh Văn phòng", 1),
        (2, "Chánh Văn phòng", 2),
    ]
    # Told twice to the police and once to the fire service: one incident for each.
    for agency in ("113", "113", "114"):
        ExternalReport.objects.create(incident=first, agency=agency, notified_by=member)
    assert [(s.key, s.count) for s in figures.authority_reports(june, NOTHING, leader)] == [("113", 1), ("114", 1)]


# --- response times ------------------------------------------------------------------------------------------


def test_percentiles_and_the_share_within_the_service_level(staff, leader, category):
    SlaPolicy.objects.update_or_create(severity=3, defaults={"acknowledge_within": 30, "resolve_within": 240})
    start = at(2026, 6, 10, 8, 0)
    # Severity high, acknowledged after 10, 20, 30 and 40 minutes, each due after 30: three in time.
    for n, minutes in enumerate((10, 20, 30, 40)):
        created = start + timedelta(hours=n)
        incident = filed(
            staff,
            category,
            created,
            severity=3,
            status=Status.RESOLVED if n < 2 else Status.IN_PROGRESS,
            acknowledged_at=created + timedelta(minutes=minutes),
            acknowledge_due_at=created + timedelta(minutes=30),
            resolve_due_at=created + timedelta(minutes=240),
        )
        if n == 0:
            resolved(incident, created + timedelta(minutes=60))  # in time
            resolved(incident, created + timedelta(minutes=900))  # again after a reopening: the first counts
        if n == 1:
            resolved(incident, created + timedelta(minutes=300))  # late
    # Severity low, not acknowledged, deadline not passed yet: not judged.
    filed(staff, category, start, severity=1, acknowledge_due_at=start + timedelta(days=30), resolve_due_at=None)
    now = start + timedelta(days=1)
    high, low, overall = figures.response_times(this_month(date(2026, 6, 1)), NOTHING, leader, now=now)
    assert (high.severity, low.severity, overall.severity) == (3, 1, None)
    # percentile_cont over 10, 20, 30, 40: median 25; 90th at position 2.7 → 30 + 0.7 × 10 = 37.
    assert (high.acknowledge.count, high.acknowledge.median, high.acknowledge.p90) == (4, 25.0, 37.0)
    assert (high.acknowledge.decided, high.acknowledge.in_time, high.acknowledge.percent_in_time) == (4, 3, 75.0)
    assert high.acknowledge.target == 30 and high.resolve.target == 240
    # Resolved after 60 and 300 minutes: median 180, 90th 60 + 0.9 × 240 = 276.
    assert (high.resolve.count, high.resolve.median, high.resolve.p90) == (2, 180.0, 276.0)
    # Judged: the two resolved and the two open past their 240-minute deadline; one in time.
    assert (high.resolve.decided, high.resolve.in_time, high.resolve.percent_in_time) == (4, 1, 25.0)
    assert (low.acknowledge.count, low.acknowledge.decided) == (0, 0)
    assert low.acknowledge.target == SlaPolicy.objects.get(severity=1).acknowledge_within  # the default levels
    assert (overall.acknowledge.count, overall.acknowledge.median, overall.acknowledge.decided) == (4, 25.0, 4)


def test_the_python_percentile_is_postgresqls():
    assert figures.percentile_cont([], 0.5) is None
    assert figures.percentile_cont([7.0], 0.9) == 7.0
    assert figures.percentile_cont([1.0, 2.0], 0.5) == 1.5
    assert figures.percentile_cont([10.0, 20.0, 30.0, 40.0], 0.9) == pytest.approx(37.0)


# --- who sees what -------------------------------------------------------------------------------------------


def test_figures_count_only_what_the_viewer_may_see(staff, leader, category, make_user):
    other = make_user()
    day = at(2026, 6, 10, 9, 0)
    filed(staff, category, day)
    filed(other, category, day)
    june = this_month(date(2026, 6, 1))
    assert figures.summary(june, NOTHING, leader).filed == 2
    assert figures.summary(june, NOTHING, staff).filed == 1  # a staff member sees his own reports only
    assert figures.summary(june, NOTHING, AnonymousUser()).filed == 0
    assert figures.coverage_by_department(june, NOTHING, AnonymousUser()) == []


# --- campaigns and duty --------------------------------------------------------------------------------------


def test_campaign_coverage_by_department(staff, member, leader, departments, category):
    from team.models import User

    User.objects.update(date_joined=at(2020, 1, 1, 8, 0))  # on staff before the period
    campaign = Campaign.objects.create(
        title="Nội quy",
        theme="internal_rules",
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 30),
        organiser=member,
        counts_for_tt124=True,
    )
    Participant.objects.create(
        campaign=campaign, user=staff, invited_at=at(2026, 6, 1, 8, 0), attended_at=at(2026, 6, 5, 9, 0)
    )
    Participant.objects.create(
        campaign=campaign, user=member, invited_at=at(2026, 6, 1, 8, 0), acknowledged_at=at(2026, 7, 5, 9, 0)
    )  # after
    june = this_month(date(2026, 6, 1))
    rows = {name: (f.staff, f.briefed) for _pk, name, f in figures.coverage_by_department(june, NOTHING, leader)}
    assert rows["Phòng Tổng hợp"] == (2, 1)  # the staff member and the member
    narrowed = figures.coverage_by_department(june, Filters(department=departments["TH"].pk), leader)
    assert [name for _pk, name, _f in narrowed] == ["Phòng Tổng hợp"]


def test_days_without_anyone_on_duty(team, leader, member):
    from datetime import time

    for day in (date(2026, 6, 1), date(2026, 6, 3)):
        DutyShift.objects.create(team=team, date=day, start_time=time(17, 0), end_time=time(7, 30), member=member)
    days = figures.days_without_duty(Period(date(2026, 6, 1), date(2026, 6, 4)), NOTHING, leader)
    assert days == [date(2026, 6, 2), date(2026, 6, 4)]


# The figures the service levels and the escalation chain name are read beside the aggregate: a handful of rows.
QUERIES = {"response_times": 2, "escalations": 2}


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_each_figure_is_one_aggregate_query(name, staff, leader, category, django_assert_num_queries):
    for day in (1, 2, 3):
        filed(staff, category, at(2026, 6, day, 9, 0))
    june = this_month(date(2026, 6, 1))
    leader.refresh_from_db()
    figures.FIGURES[name](june, NOTHING, leader)  # roles are read once per request, then known
    with django_assert_num_queries(QUERIES.get(name, 1)):
        figures.FIGURES[name](june, NOTHING, leader)


def test_a_period_longer_than_a_year_still_compares_each_month_with_a_year_before(staff, leader, category):
    filed(staff, category, at(2025, 3, 10, 9, 0))
    filed(staff, category, at(2026, 3, 10, 9, 0))
    filed(staff, category, at(2026, 3, 11, 9, 0))
    months = figures.by_month(Period(date(2025, 1, 1), date(2026, 12, 31)), NOTHING, leader)
    counts = {m.month: (m.count, m.last_year) for m in months}
    assert counts[date(2025, 3, 1)] == (1, 0)
    assert counts[date(2026, 3, 1)] == (2, 1)  # March 2025 is in the period and in the year before

"""Evidence for criteria 4 and 5 (ratings of the team and the departments, discipline from warning up), the 70 %
rule at its edge, and the query count of all four suggestions as incidents and staff grow."""

from datetime import date, datetime, time, timedelta
from itertools import cycle
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from campaigns.models import Campaign, Participant
from evaluations.evidence import Evidence
from evaluations.evidence.units import meets_share, protection_force, subordinate_units
from evaluations.models import DisciplineRecord, Rating, Stage, UnitRating
from evaluations.models import Evidence as Document
from evaluations.services.cycle import start_year
from incidents.models import Category, ExternalReport, Incident, Place, Severity, Status
from team.models import Department, Membership, OperatingRegulation, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")
F = DisciplineRecord.Form
LONG_AGO = datetime(2020, 1, 1, tzinfo=VN)


def local(year, month, day, hour=0, minute=0) -> datetime:
    return datetime.combine(date(year, month, day), time(hour, minute), tzinfo=VN)


@pytest.fixture
def evaluation(leader, staff, member, chief):
    """The 2024 evaluation: window 16/11/2023 – 15/11/2024."""
    User.objects.update(date_joined=datetime(2020, 1, 1, tzinfo=VN))
    return start_year(year=2024, actor=leader)


def discipline(person, form, decided_on=date(2024, 6, 1), recorded_by=None, **extra):
    return DisciplineRecord.objects.create(
        person=person, form=form, decided_on=decided_on, recorded_by=recorded_by or person, **extra
    )


def rate(recorded_by, rating="", *, year=2024, advanced=False, **unit):
    return UnitRating.objects.create(
        year=year, rating=rating, advanced_collective=advanced, recorded_by=recorded_by, **unit
    )


def suggest(evaluation, kind):
    with translation.override("en"):
        return Evidence(evaluation).suggestion(kind)


# --- the 70 % rule -------------------------------------------------------------------------


def test_the_share_is_compared_in_integers():
    assert not meets_share(699, 1000)  # 69.9 %
    assert meets_share(700, 1000)
    assert meets_share(7, 10)
    assert not meets_share(6, 10)
    assert not meets_share(0, 0)  # nothing to count is not a pass
    assert meets_share(1, 2, percent=50) and not meets_share(1, 3, percent=34)


@pytest.fixture
def ten_departments(evaluation, departments, office, chief):
    """NCPC and TH (from the fixtures) and eight more; the office leadership is a grouping, not a unit."""
    units = [departments["NCPC"], departments["TH"]]
    for n in range(3, 11):
        units.append(Department.objects.create(office=office, name=f"Phòng số {n:02d}", order=n))
    leadership = Department.objects.create(office=office, name="Lãnh đạo Văn phòng", is_subordinate_unit=False)
    # Counted, the leadership's poor rating would make 7 of 11 (63.6 %) and sink the share.
    rate(chief, Rating.NOT_COMPLETED, department=leadership)
    plan = [
        Rating.EXCELLENT,
        Rating.GOOD,
        Rating.GOOD,
        Rating.GOOD,
        Rating.GOOD,
        Rating.COMPLETED,  # with the title "Advanced labour collective", below
        Rating.EXCELLENT,
        Rating.COMPLETED,
        Rating.NOT_COMPLETED,
        Rating.COMPLETED,
    ]
    ratings = [
        rate(chief, rating, department=unit, advanced=(n == 5))
        for n, (unit, rating) in enumerate(zip(units, plan, strict=True))
    ]
    rate(chief, Rating.GOOD, department=units[7], year=2023)  # last year's rating does not count
    return units, ratings


def test_seven_of_ten_departments_rated_well_meets_criterion_5(evaluation, ten_departments):
    units, _ratings = ten_departments
    figures = subordinate_units(evaluation)
    assert [department for department, _rating in figures.units] == units  # leadership left out, in order
    assert (figures.total, figures.qualifying, figures.percent, figures.unrated, figures.meets) == (
        10,
        7,
        70.0,
        0,
        True,
    )
    suggestion = suggest(evaluation, "units")
    assert suggestion.result == "met"
    assert suggestion.summary == (
        "7 of 10 departments (70%) rated “Well completed duties” or better; no one disciplined at warning level "
        "or above."
    )


def test_six_of_ten_does_not_and_unrated_units_leave_it_open(evaluation, ten_departments):
    units, ratings = ten_departments
    UnitRating.objects.filter(pk=ratings[6].pk).update(rating=Rating.COMPLETED)
    figures = subordinate_units(evaluation)
    assert (figures.qualifying, figures.percent, figures.meets) == (6, 60.0, False)
    suggestion = suggest(evaluation, "units")
    assert suggestion.result == "not_met"
    assert suggestion.summary == (
        "Only 6 of 10 departments (60%) rated “Well completed duties” or better; at least 70% are needed."
    )
    # Two units not rated yet (no row; a row that records nothing): 6 of 10 could still become 8.
    ratings[9].delete()
    UnitRating.objects.filter(pk=ratings[8].pk).update(rating="")
    figures = subordinate_units(evaluation)
    assert (figures.qualifying, figures.unrated, figures.meets) == (6, 2, None)
    assert dict(figures.units)[units[9]] is None
    suggestion = suggest(evaluation, "units")
    assert suggestion.result == ""
    assert suggestion.checks[0].detail == "6 of 10 (60%); 2 not rated yet"


def test_a_reprimand_does_not_disqualify_a_warning_does(evaluation, ten_departments, staff, chief):
    discipline(staff, F.REPRIMAND, recorded_by=chief)
    discipline(staff, F.DISMISSAL, decided_on=date(2024, 11, 16), recorded_by=chief)  # the next window
    assert subordinate_units(evaluation).disciplined == []
    assert suggest(evaluation, "units").result == "met"

    warning = discipline(staff, F.WARNING, decided_on=date(2024, 11, 15), recorded_by=chief)
    figures = subordinate_units(evaluation)
    assert figures.disciplined == [warning] and figures.meets is True  # the share alone still holds
    suggestion = suggest(evaluation, "units")
    assert suggestion.result == "not_met"
    assert suggestion.summary == "1 staff member was disciplined at warning level or above in the window."
    # Counts only: the name is personal data the page shows to the leadership alone.
    assert staff.full_name not in suggestion.summary + "".join(check.detail for check in suggestion.checks)
    assert [(check.ok, check.detail) for check in suggestion.checks][1] == (False, "1 record")


# --- criterion 4 ----------------------------------------------------------------------------


def test_the_security_team_rating(evaluation, team, chief):
    assert protection_force(evaluation).qualifies is None
    waiting = suggest(evaluation, "protection_force")
    assert (waiting.result, waiting.summary) == ("", "The security team has no rating for 2024 yet.")

    rate(chief, Rating.EXCELLENT, team=team, year=2023)  # another year
    rating = rate(chief, Rating.COMPLETED, team=team, decision_number="45/QĐ-VP")
    figures = protection_force(evaluation)
    assert (figures.rating, figures.qualifies) == (rating, False)
    low = suggest(evaluation, "protection_force")
    assert low.result == "not_met"
    assert low.summary == "The security team was rated “Completed duties” for 2024, below “Well completed duties”."

    UnitRating.objects.filter(pk=rating.pk).update(advanced_collective=True)
    titled = suggest(evaluation, "protection_force")
    assert titled.result == "met"
    assert titled.checks[0].detail == "Advanced labour collective, Completed duties (decision 45/QĐ-VP)"

    UnitRating.objects.filter(pk=rating.pk).update(advanced_collective=False, rating=Rating.GOOD)
    good = suggest(evaluation, "protection_force")
    assert (good.result, good.summary) == (
        "met",
        "The security team was rated “Well completed duties” for 2024; no member was disciplined at warning "
        "level or above.",
    )


def test_a_warning_to_a_member_of_the_window_disqualifies_the_team(evaluation, team, member, staff, chief, make_user):
    rate(chief, Rating.GOOD, team=team)
    left_before = make_user("Vũ Văn Cũ")
    Membership.objects.create(team=team, user=left_before, start_date=date(2022, 1, 1), end_date=date(2023, 11, 15))
    left_during = make_user("Hồ Thị Giữa")
    Membership.objects.create(team=team, user=left_during, start_date=date(2022, 1, 1), end_date=date(2023, 11, 16))
    discipline(member, F.REPRIMAND, recorded_by=chief)  # below warning
    discipline(staff, F.WARNING, recorded_by=chief)  # not on the team: criterion 5, not 4
    discipline(left_before, F.WARNING, recorded_by=chief)  # left the day before the window opened
    assert protection_force(evaluation).disciplined == []
    assert suggest(evaluation, "protection_force").result == "met"

    during = discipline(left_during, F.WARNING, recorded_by=chief)  # on the team on the window's first day
    demotion = discipline(member, F.SALARY_DEMOTION, decided_on=date(2023, 11, 16), recorded_by=chief)
    assert protection_force(evaluation).disciplined == [demotion, during]
    suggestion = suggest(evaluation, "protection_force")
    assert suggestion.result == "not_met"
    assert suggestion.summary == (
        "2 members of the security team were disciplined at warning level or above in the window."
    )
    assert member.full_name not in suggestion.summary + "".join(check.detail for check in suggestion.checks)


def test_discipline_settles_criterion_4_even_before_the_rating(evaluation, member, chief):
    discipline(member, F.WARNING, recorded_by=chief)
    assert suggest(evaluation, "protection_force").result == "not_met"


# --- query counts ---------------------------------------------------------------------------


def populate(evaluation, *, incidents: int, staff: int, leader, member, team, departments):
    """Hand-made volume: places nested in buildings, several categories, reports, campaigns, ratings."""
    n = User.objects.count()
    units = cycle(departments.values())
    people = [
        User(username=f"bulk{n + i}", full_name=f"Cán bộ {n + i:03d}", department=next(units), date_joined=LONG_AGO)
        for i in range(staff)
    ]
    User.objects.bulk_create(people)
    people = list(User.objects.filter(username__startswith="bulk"))
    rules = Campaign.objects.create(
        title=f"Nội quy {n}",
        theme="internal_rules",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 3, 31),
        organiser=member,
        counts_for_tt124=True,
        status=Campaign.Status.COMPLETED,
    )
    Participant.objects.bulk_create(
        Participant(campaign=rules, user=person, invited_at=local(2024, 3, 1), attended_at=local(2024, 3, 5, 8))
        for person in people[::2]
    )
    for index, person in enumerate(people[:: max(1, staff // 4)]):
        DisciplineRecord.objects.create(
            person=person, form=F.WARNING if index % 2 else F.REPRIMAND, decided_on=date(2024, 5, 1),
            social_evils=bool(index % 3), recorded_by=leader,
        )  # fmt: skip
    building = Place.objects.create(name=f"Nhà A{n}", kind=Place.Kind.BUILDING)
    floors = [Place.objects.create(name=f"Tầng {i}", kind=Place.Kind.FLOOR, parent=building) for i in (1, 2)]
    places = cycle(
        [building, *floors, *(Place.objects.create(name="Phòng họp", kind=Place.Kind.ROOM, parent=f) for f in floors)]
    )
    categories = cycle(
        [Category.objects.get_or_create(code=f"bulk-{item}", defaults={"name": item})[0] for item in "abcđg"]
    )
    items = cycle("abcdđegh")
    reporters = cycle(people)
    for i in range(incidents):
        occurred = local(2024, 1, 1, 8) + timedelta(days=i % 300, minutes=i)
        incident = Incident.objects.create(
            reference=f"VV-Q-{n}-{i}",
            category=next(categories),
            place=next(places),
            occurred_at=occurred,
            detected_at=occurred + timedelta(minutes=10),
            description="Sự việc",
            proposed_severity=Severity.HIGH,
            severity=Severity.HIGH,
            filed_by=leader,
            reporter=next(reporters),
            tt124_item=next(items),
            police_confirmed_serious=bool(i % 2),
            immediate_actions="Phong tỏa" if i % 3 else "",
            status=Status.CLOSED,
        )
        ExternalReport.objects.bulk_create(
            ExternalReport(
                incident=incident, agency="113", notified_at=incident.detected_at + timedelta(hours=hours),
                notified_by=leader,
            )
            for hours in range(i % 3)
        )  # fmt: skip
    for department in departments.values():
        UnitRating.objects.update_or_create(
            year=2024, department=department, defaults={"rating": Rating.GOOD, "recorded_by": leader}
        )
    UnitRating.objects.update_or_create(year=2024, team=team, defaults={"rating": Rating.GOOD, "recorded_by": leader})


def everything_a_page_shows(evaluation) -> list:
    """All four suggestions, and every attribute the evaluation page and the report print of the lists."""
    evidence = Evidence(evaluation)
    shown = [evidence.suggestion(kind) for kind in ("briefing", "incidents", "protection_force", "units")]
    shown += [(person.full_name, person.department and person.department.name) for person in evidence.briefing.missing]
    shown += [(campaign.title, reached) for campaign, reached in evidence.briefing.campaigns]
    for flagged in evidence.incidents.flagged:
        report = flagged.first_report
        shown.append(
            (str(flagged.incident.place), flagged.incident.category.name, str(flagged.incident.reporter), str(report))
        )
    for record in [*evidence.incidents.discipline_h, *evidence.force.disciplined, *evidence.units.disciplined]:
        shown.append((record.person.full_name, record.person.department and record.person.department.name))
    shown += [(department.name, rating and rating.get_rating_display()) for department, rating in evidence.units.units]
    return evidence, shown


def test_the_queries_do_not_grow_with_incidents_and_staff(evaluation, leader, member, team, departments):
    stage = evaluation.stages.get(kind=Stage.Kind.REGISTRATION)
    Document.objects.create(
        evaluation=evaluation, stage=stage, document_kind="security_plan", title="KH", number="10/KH", added_by=leader
    )
    OperatingRegulation.objects.create(
        team=team, version=1, title="Quy chế", effective_from=date(2023, 8, 1), content="…"
    )
    kwargs = {"leader": leader, "member": member, "team": team, "departments": departments}
    populate(evaluation, incidents=2, staff=5, **kwargs)
    with CaptureQueriesContext(connection) as small:
        small_evidence, shown_small = everything_a_page_shows(evaluation)
    populate(evaluation, incidents=58, staff=75, **kwargs)
    with CaptureQueriesContext(connection) as large:
        large_evidence, shown_large = everything_a_page_shows(evaluation)
    # The second run really shows more: 60 incidents instead of 2, 84 people counted instead of 9.
    assert (len(small_evidence.incidents.flagged), len(large_evidence.incidents.flagged)) == (2, 60)
    assert (small_evidence.briefing.staff, large_evidence.briefing.staff) == (9, 84)
    assert len(shown_large) > len(shown_small) + 90
    # Criterion 1: staff and briefed counts (1), the team (2), its regulation (3), the people not briefed (4),
    # the counting campaigns (5), the registration documents (6).
    # Criterion 3: incidents with category, place › floor › building and reporter (7), their first reports (8),
    # discipline for social evils (9).
    # Criterion 4: the team (10), its rating (11), its members' discipline (12).
    # Criterion 5: the subordinate departments (13), their ratings (14), all staff's discipline (15).
    assert len(small.captured_queries) == 15, [q["sql"][:120] for q in small.captured_queries]
    assert len(large.captured_queries) == 15, [q["sql"][:120] for q in large.captured_queries]

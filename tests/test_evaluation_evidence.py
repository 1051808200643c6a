"""Evidence for criteria 1 and 3 against hand-made records: the window's edges in Vietnamese time, who counts
as staff, which reaches brief them, and the verdicts of criterion 3 (the 3.đ exception both ways)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from campaigns.coverage import percent_down
from campaigns.models import Campaign, Participant
from evaluations import calendar
from evaluations.evidence import Evidence
from evaluations.evidence.briefing import briefing_figures
from evaluations.evidence.incidents import Verdict, incident_figures
from evaluations.evidence.window import population_day, window_bounds
from evaluations.models import DisciplineRecord, Stage
from evaluations.models import Evidence as Document
from evaluations.services.cycle import start_year
from incidents.models import ExternalReport, Incident, Severity, Status
from team.models import OperatingRegulation, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LONG_AGO = datetime(2020, 1, 1, tzinfo=VN)
_refs = iter(range(1, 10_000))


def local(year, month, day, hour=0, minute=0) -> datetime:
    return datetime.combine(date(year, month, day), time(hour, minute), tzinfo=VN)


@pytest.fixture
def evaluation(leader, staff, member, chief):
    """The 2024 evaluation (window 16/11/2023 – 15/11/2024, closed); everyone on staff since 2020."""
    User.objects.update(date_joined=LONG_AGO)
    return start_year(year=2024, actor=leader)


def campaign(organiser, *, counts=True, status=Campaign.Status.COMPLETED, title="Phổ biến nội quy cơ quan"):
    return Campaign.objects.create(
        title=title,
        theme="internal_rules",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 3, 31),
        organiser=organiser,
        counts_for_tt124=counts,
        status=status,
    )


def reach(campaign, user, *, attended=None, acknowledged=None):
    return Participant.objects.create(
        campaign=campaign, user=user, invited_at=LONG_AGO, attended_at=attended, acknowledged_at=acknowledged
    )


# --- the window ------------------------------------------------------------------------------


def test_the_window_is_whole_days_in_vietnamese_time(evaluation):
    start, end = window_bounds(evaluation)
    assert (start, end) == (local(2023, 11, 16), local(2024, 11, 16))
    # 00:00 in Hà Nội is 17:00 UTC the day before: the bounds are instants, not dates.
    assert start.astimezone(ZoneInfo("UTC")) == datetime(2023, 11, 15, 17, 0, tzinfo=ZoneInfo("UTC"))


def test_the_population_day_is_today_while_the_window_is_open_then_its_last_day(evaluation):
    assert population_day(evaluation, today=date(2024, 6, 1)) == date(2024, 6, 1)
    assert population_day(evaluation, today=date(2024, 11, 15)) == date(2024, 11, 15)
    assert population_day(evaluation, today=date(2025, 3, 1)) == date(2024, 11, 15)
    assert population_day(evaluation) == date(2024, 11, 15)  # today is long after 2024


# --- criterion 1 -------------------------------------------------------------------------------


@pytest.fixture
def briefing_case(evaluation, leader, staff, member, chief, make_user, departments):
    """Hand-made people and reaches; the comments say why each one counts or not."""
    ncpc, th = departments["NCPC"], departments["TH"]
    rules = campaign(member)
    people = {
        "in_on_last_evening": make_user("An Văn Cuối", department=th, date_joined=LONG_AGO),
        "just_after_midnight": make_user("Bùi Thị Nửa Đêm", department=th, date_joined=LONG_AGO),
        "first_minute": make_user("Cao Văn Đầu", department=ncpc, date_joined=LONG_AGO),
        "previous_year": make_user("Dương Thị Năm Trước", department=ncpc, date_joined=LONG_AGO),
        "joined_mid_window": make_user("Lý Văn Mới", department=th, date_joined=local(2024, 6, 1, 8)),
        "joined_last_evening": make_user("Mai Thị Muộn", department=ncpc, date_joined=local(2024, 11, 15, 23)),
        "joined_after": make_user("Ngô Văn Sau", department=th, date_joined=local(2024, 11, 16, 0, 30)),
        "deactivated": make_user("Phan Văn Nghỉ", department=th, date_joined=LONG_AGO, is_active=False),
        "cancelled_only": make_user("Quách Thị Hủy", department=th, date_joined=LONG_AGO),
        "other_theme_only": make_user("Tạ Văn Khác", department=ncpc, date_joined=LONG_AGO),
    }
    # 15/11 23:30 local counts for 2024; 16/11 00:10 local is already 2025's.
    reach(rules, people["in_on_last_evening"], attended=local(2024, 11, 15, 23, 30))
    reach(rules, people["just_after_midnight"], attended=local(2024, 11, 16, 0, 10))
    reach(rules, people["first_minute"], acknowledged=local(2023, 11, 16, 0, 0))
    reach(rules, people["previous_year"], acknowledged=local(2023, 11, 15, 23, 59))
    reach(rules, people["joined_mid_window"])  # invited, never came
    reach(rules, people["deactivated"], attended=local(2024, 3, 5, 8))
    for person in (leader, staff, member, chief):
        reach(rules, person, attended=local(2024, 3, 5, 8))
    # Reached, but in campaigns that do not count.
    cancelled = campaign(member, status=Campaign.Status.CANCELLED, title="Đã hủy")
    reach(cancelled, people["cancelled_only"], attended=local(2024, 4, 1, 8))
    fire = campaign(member, counts=False, title="Phòng cháy chữa cháy")
    reach(fire, people["other_theme_only"], acknowledged=local(2024, 4, 1, 8))
    # A counting campaign whose only reach falls in the previous window is not listed.
    last_year = campaign(member, title="Nội quy 2023")
    reach(last_year, people["other_theme_only"], attended=local(2023, 10, 1, 8))
    return rules, last_year, people


def test_who_counts_and_who_was_briefed_over_the_window(evaluation, briefing_case, leader, staff, member, chief):
    rules, _last_year, people = briefing_case
    figures = briefing_figures(evaluation)
    # Counted: leader, staff, member, chief + everyone above except joined_after and deactivated = 12.
    # Briefed in the window: leader, staff, member, chief, in_on_last_evening, first_minute = 6.
    assert (figures.staff, figures.briefed, figures.percent) == (12, 6, 50.0)
    # Not briefed, by department name ("Phòng Nội chính…" < "Phòng Tổng hợp"), then in office name order:
    # given name first (Khác < Muộn < Trước; Đêm < Hủy < Mới, đ right after d).
    assert [person.full_name for person in figures.missing] == [
        "Tạ Văn Khác",  # NCPC: only a campaign that does not count for TT 124
        "Mai Thị Muộn",  # NCPC: joined on the window's last evening, so must be briefed
        "Dương Thị Năm Trước",  # NCPC: reached one minute before the window opened
        "Bùi Thị Nửa Đêm",  # TH: reached ten minutes after the window closed
        "Quách Thị Hủy",  # TH: only a cancelled campaign
        "Lý Văn Mới",  # TH: joined mid-window, never briefed
    ]
    assert figures.missing[0].department.name == "Phòng Nội chính - Pháp chế"  # selected with the person
    assert people["joined_after"] not in figures.missing and people["deactivated"] not in figures.missing
    # Reached in the window through `rules`: 4 personas, the last evening and the first minute.
    assert figures.campaigns == [(rules, 6)]
    assert figures.population_day == date(2024, 11, 15)


def test_percentages_are_rounded_down_so_a_shortfall_never_reads_as_reached():
    assert percent_down(1999, 2000) == 99.9
    assert percent_down(2000, 2000) == 100.0
    assert percent_down(29, 31) == 93.5
    assert percent_down(2, 3) == 66.6
    assert percent_down(0, 0) == 0.0


@pytest.fixture
def registration(evaluation, leader):
    stage = evaluation.stages.get(kind=Stage.Kind.REGISTRATION)

    def add(kind, number, *, on=stage, dated=date(2024, 2, 1)):
        return Document.objects.create(
            evaluation=evaluation, stage=on, document_kind=kind, title=kind, number=number, dated=dated, added_by=leader
        )

    return add


def test_registration_documents_the_team_and_the_regulation_in_force(evaluation, registration, team, leader):
    resolution = registration("party_resolution", "05-NQ/CB")
    registration("security_plan", "10/KH-VP")
    newer_plan = registration("security_plan", "11/KH-VP")
    # A pledge filed under another stage is not the registration dossier's.
    registration("registration_pledge", "12/ĐK-VP", on=evaluation.stages.get(kind=Stage.Kind.MEETING))
    OperatingRegulation.objects.create(
        team=team, version=1, title="Quy chế hoạt động", effective_from=date(2023, 8, 1), content="…"
    )
    OperatingRegulation.objects.create(
        team=team, version=2, title="Quy chế hoạt động (sửa đổi)", effective_from=date(2025, 1, 1), content="…"
    )
    figures = briefing_figures(evaluation)
    assert figures.registration == {
        "party_resolution": resolution,
        "security_plan": newer_plan,
        "registration_pledge": None,
    }
    assert figures.team == team and figures.team.establishment_decision.number == "125/QĐ-VP"
    # The version in force on 15/11/2024, which the 2024 dossier cites, not the 2025 one.
    assert figures.regulation.version == 1


def test_briefing_suggestion_names_what_is_missing_once_the_window_closed(evaluation, briefing_case, registration):
    registration("party_resolution", "05-NQ/CB")
    with translation.override("en"):
        suggestion = Evidence(evaluation).suggestion(evaluation.criteria_set.criteria.get(code="1"))
    assert suggestion.result == "not_met"
    assert suggestion.summary == (
        "50% of staff briefed (6 of 12): 6 not yet; not recorded: Security-and-order plan, Registration pledge, "
        "The team's operating regulation."
    )
    assert [(check.label, check.ok) for check in suggestion.checks] == [
        ("Staff briefed", False),
        ("Party committee resolution", True),
        ("Security-and-order plan", False),
        ("Registration pledge", False),
        ("Movement model: the team's establishment decision", True),
        ("The team's operating regulation", False),
    ]
    assert suggestion.checks[0].detail == "6 of 12 (50%)"
    assert suggestion.checks[1].detail == "05-NQ/CB · 01/02/2024"


def test_briefing_met_when_everyone_is_briefed_and_everything_is_recorded(
    evaluation, registration, team, leader, staff, member, chief
):
    rules = campaign(member)
    for person in (leader, staff, member, chief):
        reach(rules, person, acknowledged=local(2024, 3, 5, 8))
    for kind in ("party_resolution", "security_plan", "registration_pledge"):
        registration(kind, f"{kind}-1")
    OperatingRegulation.objects.create(
        team=team, version=1, title="Quy chế", effective_from=date(2023, 8, 1), content="…"
    )
    with translation.override("vi"):
        vietnamese = Evidence(evaluation).suggestion("briefing")
        assert Evidence(evaluation).suggestion("") is None  # nothing is computed for criterion 2
    assert vietnamese.result == "met" and all(check.ok for check in vietnamese.checks)
    with translation.override("en"):
        suggestion = Evidence(evaluation).suggestion("briefing")
    assert suggestion.summary == (
        "All 4 staff briefed; the registration documents, the team's establishment decision and its operating "
        "regulation are recorded."
    )


def test_while_the_window_is_open_the_briefing_cannot_be_judged_yet(leader, staff, member):
    year = calendar.evaluation_year_of(timezone.localdate())
    evaluation = start_year(year=year, actor=leader)
    rules = campaign(member)
    reach(rules, staff, attended=timezone.now())
    figures = briefing_figures(evaluation)
    # Today's staff count, including the personas who joined today.
    assert (figures.staff, figures.briefed) == (3, 1)
    assert figures.population_day == timezone.localdate()
    suggestion = Evidence(evaluation).suggestion("briefing")
    assert suggestion.result == "" and suggestion.checks[0].ok is None


# --- criterion 3 -------------------------------------------------------------------------------


def incident(category, reporter, item, occurred, **extra):
    fields = {
        "reference": f"VV-T-{next(_refs):04d}",
        "category": category,
        "occurred_at": occurred,
        "detected_at": occurred + timedelta(minutes=5),
        "description": "Sự việc",
        "proposed_severity": Severity.HIGH,
        "severity": Severity.HIGH,
        "filed_by": reporter,
        "reporter": reporter,
        "tt124_item": item,
        "status": Status.CLOSED,
        **extra,
    }
    return Incident.objects.create(**fields)


def report_after(incident, reporter, delay: timedelta):
    return ExternalReport.objects.create(
        incident=incident, agency="113", notified_at=incident.detected_at + delay, notified_by=reporter
    )


def references(figures) -> set[str]:
    return {flagged.incident.reference for flagged in figures.flagged}


def test_incidents_belong_to_the_window_they_happened_in(evaluation, leader, staff, category):
    next_year = start_year(year=2025, actor=leader)
    last_evening = incident(category, staff, "a", local(2024, 11, 15, 23, 59))
    next_midnight = incident(category, staff, "a", local(2024, 11, 16, 0, 0))
    first_midnight = incident(category, staff, "a", local(2023, 11, 16, 0, 0))
    incident(category, staff, "a", local(2023, 11, 15, 23, 59))  # the 2023 window
    assert references(incident_figures(evaluation)) == {last_evening.reference, first_midnight.reference}
    assert references(incident_figures(next_year)) == {next_midnight.reference}


def test_rejected_duplicate_and_unflagged_incidents_are_ignored(evaluation, staff, category):
    when = local(2024, 5, 1, 10)
    kept = incident(category, staff, "b", when, status=Status.IN_PROGRESS)
    incident(category, staff, "b", when, status=Status.REJECTED)
    incident(category, staff, "b", when, status=Status.DUPLICATE)
    incident(category, staff, "", when)
    figures = incident_figures(evaluation)
    assert references(figures) == {kept.reference}
    assert list(figures.by_item) == ["a", "b", "c", "d", "đ", "e", "g", "h"]
    assert [f.incident for f in figures.by_item["b"]] == [kept] and figures.by_item["a"] == []
    assert figures.disqualifying == 1 and not figures.none_flagged


@pytest.fixture
def serious_crimes(evaluation, staff, category):
    """Six 3.đ incidents, one per way the exception can go."""
    when = local(2024, 7, 1, 9)
    done = {"immediate_actions": "Giữ nguyên hiện trường, phong tỏa khu vực", "police_confirmed_serious": True}
    cases = {
        "in_time": incident(category, staff, "đ", when, **done),
        "late": incident(category, staff, "đ", when, **done),
        "nothing_done": incident(category, staff, "đ", when, police_confirmed_serious=True),
        "never_reported": incident(category, staff, "đ", when, **done),
        "force_majeure": incident(category, staff, "đ", when, police_confirmed_serious=True, force_majeure=True),
        "not_confirmed": incident(category, staff, "đ", when, immediate_actions="Báo tổ trưởng"),
    }
    # The first report is the one that counts: a later one is added first to show the order is by time.
    report_after(cases["in_time"], staff, timedelta(hours=5))
    report_after(cases["in_time"], staff, timedelta(hours=1, minutes=59))
    report_after(cases["late"], staff, timedelta(hours=2, minutes=1))
    report_after(cases["nothing_done"], staff, timedelta(minutes=10))
    return cases


def verdicts(evaluation) -> dict[str, tuple]:
    return {
        flagged.incident.pk: (flagged.verdict, flagged.hours_to_report)
        for flagged in incident_figures(evaluation).by_item["đ"]
    }


def test_the_3d_exception_is_judged_from_the_incident_record(evaluation, serious_crimes):
    found = verdicts(evaluation)
    expected = {
        "in_time": (Verdict.HANDLED, 1.98),  # detected, mitigated, reported after 1 h 59
        "late": (Verdict.DISQUALIFYING, 2.02),  # reported after 2 h 01: not "at once"
        "nothing_done": (Verdict.DISQUALIFYING, 0.17),  # reported fast, but nothing was done at once
        "never_reported": (Verdict.DISQUALIFYING, None),
        "force_majeure": (Verdict.FORCE_MAJEURE, None),
        "not_confirmed": (Verdict.UNCONFIRMED, None),  # not reported, but the police did not call it serious
    }
    assert found == {serious_crimes[name].pk: verdict for name, verdict in expected.items()}
    figures = incident_figures(evaluation)
    handled = next(f for f in figures.by_item["đ"] if f.verdict == Verdict.HANDLED)
    assert handled.first_report.notified_at == handled.incident.detected_at + timedelta(hours=1, minutes=59)
    assert (figures.disqualifying, figures.unconfirmed) == (3, 1)


def test_how_soon_counts_as_at_once_is_a_setting(evaluation, serious_crimes, settings):
    settings.TT124_REPORT_WITHIN_HOURS = 3
    assert verdicts(evaluation)[serious_crimes["late"].pk][0] == Verdict.HANDLED
    settings.TT124_REPORT_WITHIN_HOURS = 1
    assert verdicts(evaluation)[serious_crimes["in_time"].pk][0] == Verdict.DISQUALIFYING


def test_force_majeure_excuses_3g_but_no_other_item(evaluation, staff, category):
    when = local(2024, 8, 1, 14)
    fire = incident(category, staff, "g", when, force_majeure=True)
    fatal = incident(category, staff, "g", when)
    secret = incident(category, staff, "e", when, force_majeure=True)
    figures = incident_figures(evaluation)
    found = {flagged.incident.pk: flagged.verdict for flagged in figures.flagged}
    assert found == {
        fire.pk: Verdict.FORCE_MAJEURE,
        fatal.pk: Verdict.DISQUALIFYING,
        secret.pk: Verdict.DISQUALIFYING,
    }


def test_discipline_for_social_evils_at_warning_or_above_falls_under_3h(evaluation, staff, member, chief):
    def discipline(form, decided_on, social_evils=True):
        return DisciplineRecord.objects.create(
            person=staff, form=form, decided_on=decided_on, social_evils=social_evils, recorded_by=chief
        )

    F = DisciplineRecord.Form
    warning = discipline(F.WARNING, date(2024, 11, 15))
    discipline(F.REPRIMAND, date(2024, 5, 1))  # below warning
    discipline(F.DISMISSAL, date(2024, 5, 1), social_evils=False)  # not for social evils (criteria 4 and 5)
    discipline(F.DEMOTION, date(2024, 11, 16))  # the next window
    figures = incident_figures(evaluation)
    assert figures.discipline_h == [warning]
    assert figures.disqualifying == 1 and not figures.none_flagged
    with translation.override("en"):
        suggestion = Evidence(evaluation).suggestion("incidents")
    assert suggestion.result == "not_met"
    assert suggestion.summary == "1 event under criterion 3 in the window has nothing to excuse it."
    assert staff.full_name not in suggestion.summary + "".join(check.detail for check in suggestion.checks)
    h = next(check for check in suggestion.checks if check.label.startswith("3.h"))
    assert (h.ok, h.detail) == (False, "discipline for social evils: 1")


def test_incident_suggestions(evaluation, staff, category):
    with translation.override("en"):
        quiet = Evidence(evaluation).suggestion("incidents")
    # A window without flagged incidents says so, as a positive statement for the report.
    assert (quiet.result, quiet.summary) == ("met", "No incident under criterion 3 in the window.")
    assert len(quiet.checks) == 8 and all(check.ok and check.detail == "None" for check in quiet.checks)

    when = local(2024, 9, 1, 9)
    incident(category, staff, "đ", when, immediate_actions="Báo tổ trưởng")  # not confirmed, not reported
    with translation.override("en"):
        waiting = Evidence(evaluation).suggestion("incidents")
    assert waiting.result == ""
    assert waiting.summary == ("1 incident under 3.đ awaits the police's classification; nothing else disqualifies.")
    dd = next(check for check in waiting.checks if check.label.startswith("3.đ"))
    assert (dd.ok, dd.detail) == (None, "Awaiting the police's classification: 1")

    Incident.objects.filter(tt124_item="đ").update(force_majeure=True)
    with translation.override("en"):
        excused = Evidence(evaluation).suggestion("incidents")
    assert excused.result == "met"
    assert excused.summary == (
        "1 flagged incident in the window, excused: force majeure, or handled and reported in time."
    )

    incident(category, staff, "c", when)
    assert Evidence(evaluation).suggestion("incidents").result == "not_met"

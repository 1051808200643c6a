"""The Vietnamese working calendar: holidays from the `holidays` package (Tết, Giỗ Tổ), the days recorded in admin
(swapped working Saturdays, swapped and office days off), working hours, and the deadlines of medium and low
incidents counted in them while critical and high ones count every hour."""

import importlib
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.env import env_periods
from incidents import sla
from incidents.models import EscalationLevel, Incident, IncidentEvent, Severity, SlaPolicy, Status
from tests.support.incidents import report
from workcalendar import days
from workcalendar.models import DayOverride

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Kind = DayOverride.Kind


def at(*parts) -> datetime:
    """A moment on the office's clock."""
    return datetime(*parts, tzinfo=HANOI)


@pytest.fixture
def filed_at(monkeypatch, staff, category):
    """File an incident at a given moment on the office's clock, through the real service."""

    def file(moment: datetime, severity: Severity = Severity.MEDIUM) -> Incident:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        incident = report(staff, category, proposed_severity=severity)
        monkeypatch.undo()
        return incident

    return file


def tet(year: int) -> list[date]:
    """The days off of Tết Nguyên Đán as the package knows them (2027: 04/02 to 10/02)."""
    national = holidays.country_holidays("VN", years=year, language="en_US")
    return sorted(day for day, name in national.items() if "Lunar New Year" in name)


# --- the service levels as migrated ----------------------------------------------------------------


def test_medium_and_low_count_working_hours_critical_and_high_every_hour(db):
    levels = {p.severity: (p.clock, p.acknowledge_within, p.resolve_within) for p in SlaPolicy.objects.all()}
    working_day = 450  # 07:30–11:30 and 13:30–17:00
    assert levels == {
        Severity.CRITICAL: ("calendar", 15, 4 * 60),
        Severity.HIGH: ("calendar", 60, 24 * 60),
        Severity.MEDIUM: ("working", 8 * 60, 3 * working_day),
        Severity.LOW: ("working", working_day, 7 * working_day),
    }


# --- deadlines -------------------------------------------------------------------------------------


def test_tet_2027_moves_a_medium_deadline_past_the_holiday(filed_at):
    holiday = tet(2027)
    assert holiday[0] == date(2027, 2, 4) and holiday[-1] == date(2027, 2, 10)
    # The afternoon of the last working day before Tết: one hour is left that day...
    incident = filed_at(at(2027, 2, 3, 16))
    # ...and the other seven come after the holiday, on Thursday 11/02: 4 in the morning, 3 in the afternoon.
    assert incident.acknowledge_due_at == at(2027, 2, 11, 16, 30)
    assert incident.acknowledge_due_at.date() > holiday[-1]
    # 3 working days to resolve: Wednesday's hour, two full days, the rest on Monday 15/02.
    assert incident.resolve_due_at == at(2027, 2, 15, 16)


def test_a_deadline_filed_on_friday_afternoon_lands_on_monday(filed_at):
    incident = filed_at(at(2026, 12, 4, 16, 30))  # Friday
    # Half an hour on Friday, a full day (7½ hours) on Monday 07/12: 8 hours at 17:00 on Monday.
    assert incident.acknowledge_due_at == at(2026, 12, 7, 17)


def test_a_swapped_saturday_counts_as_a_working_day(filed_at):
    DayOverride.objects.create(day=date(2026, 12, 5), kind=Kind.SWAPPED_WORKING_DAY, note="Làm bù cho 31/12")
    incident = filed_at(at(2026, 12, 4, 16, 30))
    assert incident.acknowledge_due_at == at(2026, 12, 5, 17)  # the Saturday, not Monday


def test_the_packages_own_swapped_saturday_counts_too(filed_at):
    # Saturday 22/08/2026 is worked for the day off of 31/08 (the package knows it).
    incident = filed_at(at(2026, 8, 21, 16, 30))
    assert incident.acknowledge_due_at == at(2026, 8, 22, 17)


@pytest.mark.parametrize("kind", [Kind.OFFICE_DAY_OFF, Kind.SWAPPED_DAY_OFF])
def test_a_recorded_day_off_is_skipped(filed_at, kind):
    DayOverride.objects.create(day=date(2026, 12, 7), kind=kind)  # Monday
    incident = filed_at(at(2026, 12, 4, 16, 30))
    assert incident.acknowledge_due_at == at(2026, 12, 8, 17)  # Tuesday


def test_low_severity_counts_working_hours(filed_at):
    incident = filed_at(at(2026, 12, 7, 10), Severity.LOW)  # Monday
    # One working day to acknowledge: 5 hours on Monday, 2½ on Tuesday morning.
    assert incident.acknowledge_due_at == at(2026, 12, 8, 10)
    # Seven working days to resolve: Monday's 5 hours, then up to Wednesday 16/12 at 10:00.
    assert incident.resolve_due_at == at(2026, 12, 16, 10)


@pytest.mark.parametrize("severity", [Severity.CRITICAL, Severity.HIGH])
def test_critical_and_high_count_every_hour(filed_at, severity):
    incident = filed_at(at(2026, 12, 4, 16, 30), severity)
    level = SlaPolicy.objects.get(severity=severity)
    assert incident.acknowledge_due_at == at(2026, 12, 4, 16, 30) + timedelta(minutes=level.acknowledge_within)
    assert incident.resolve_due_at == at(2026, 12, 4, 16, 30) + timedelta(minutes=level.resolve_within)


def test_the_days_are_the_offices_not_utcs(filed_at):
    # Monday 07/12 00:30 in Hà Nội is still Sunday in UTC: the clock starts at 07:30 on Monday.
    incident = filed_at(at(2026, 12, 7, 0, 30))
    assert incident.created_at.astimezone(ZoneInfo("UTC")).date() == date(2026, 12, 6)
    assert incident.acknowledge_due_at == at(2026, 12, 8, 8)  # 7½ hours on Monday, half an hour on Tuesday
    # Saturday 05/12 00:00 in Hà Nội is Friday 17:00 in UTC, the end of the working day there: nothing
    # counts until Monday either way, and the deadline is the same.
    assert filed_at(at(2026, 12, 5, 0, 0)).acknowledge_due_at == at(2026, 12, 8, 8)
    # Friday 04/12 23:59: no time left on Friday.
    assert filed_at(at(2026, 12, 4, 23, 59)).acknowledge_due_at == at(2026, 12, 8, 8)


def test_a_deadline_at_the_end_of_the_morning_stays_before_lunch(db):
    calendar = days.WorkingCalendar.load(date(2026, 12, 7))
    assert calendar.add_working_minutes(at(2026, 12, 7, 7, 30), 4 * 60) == at(2026, 12, 7, 11, 30)
    assert calendar.add_working_minutes(at(2026, 12, 7, 12, 0), 30) == at(2026, 12, 7, 14, 0)


def test_working_hours_are_a_setting(filed_at, settings):
    settings.WORKING_HOURS = env_periods("X", "08:00-12:00,13:00-17:00")
    incident = filed_at(at(2026, 12, 4, 16, 30))
    assert incident.acknowledge_due_at == at(2026, 12, 7, 16, 30)  # 8 hours a day from Monday 08:00


@pytest.mark.parametrize("raw", ["7:30 to 11:30", "13:30-17:00,07:30-11:30", "07:30-07:30", "25:00-26:00"])
def test_malformed_working_hours_stop_the_start(monkeypatch, raw):
    monkeypatch.setenv("WORKING_HOURS", raw)
    with pytest.raises(ImproperlyConfigured, match="WORKING_HOURS"):
        env_periods("WORKING_HOURS", "07:30-11:30,13:30-17:00")


@pytest.mark.parametrize(
    ("year", "month", "first"),
    [
        (2027, 1, date(2027, 1, 4)),  # New Year on Friday, then the weekend
        (2027, 2, date(2027, 2, 1)),  # Tết starts on the 4th
        (2027, 5, date(2027, 5, 4)),  # Labour Day on Saturday, observed on Monday
        (2026, 9, date(2026, 9, 3)),  # National Day, two days
    ],
)
def test_first_working_day_of_a_month(db, year, month, first):
    assert days.first_working_day(year, month) == first


def test_first_working_day_follows_the_recorded_days(db):
    DayOverride.objects.create(day=date(2027, 2, 1), kind=Kind.OFFICE_DAY_OFF)
    assert days.first_working_day(2027, 2) == date(2027, 2, 2)


# --- re-grading, the sweep and existing incidents ---------------------------------------------------


def test_regrading_to_medium_counts_working_hours_from_the_filing(client, leader, filed_at):
    incident = filed_at(at(2026, 12, 4, 16, 30), Severity.CRITICAL)
    client.force_login(leader)
    fields = {"version": incident.version, "severity": Severity.MEDIUM, "category": incident.category_id}
    client.post(reverse("incidents:regrade", args=[incident.pk]), {**fields, "reason": "Chỉ mất ví"})
    incident.refresh_from_db()
    assert incident.severity == Severity.MEDIUM
    assert incident.acknowledge_due_at == at(2026, 12, 7, 17)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert re.search(r'data-testid="acknowledge-due">07/12/2026 17:00', page)


def test_the_sweep_reminds_and_escalates_in_working_time(filed_at, positions, make_user, leader):
    chief_deputy = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    EscalationLevel.objects.create(
        order=1, position=positions["deputy_chief"], person_in_charge=chief_deputy, acknowledge_within=30
    )
    incident = filed_at(at(2026, 12, 4, 16, 30))  # Friday; to be acknowledged by Monday 17:00
    # Half of the 8 working hours: Friday's half hour and 3½ hours on Monday morning, not Sunday night.
    assert incident.sla_check_at == at(2026, 12, 7, 11)
    sla.sweep(now=at(2026, 12, 6, 23))
    assert not reminders(incident)
    sla.sweep(now=at(2026, 12, 7, 11, 1))
    assert reminders(incident) == ["acknowledge-50"]
    incident.refresh_from_db()
    # 80 %: 6.4 working hours, 30 minutes on Friday and 5 h 54 on Monday.
    assert incident.sla_check_at == at(2026, 12, 7, 15, 24)
    sla.sweep(now=at(2026, 12, 7, 16, 59))
    incident.refresh_from_db()
    assert incident.status != Status.ESCALATED and reminders(incident) == ["acknowledge-50", "acknowledge-80"]
    sla.sweep(now=at(2026, 12, 7, 17, 1))
    incident.refresh_from_db()
    assert incident.status == Status.ESCALATED and incident.escalation_level == 1


def reminders(incident: Incident) -> list[str]:
    events = incident.events.filter(action=IncidentEvent.Action.REMINDER).order_by("pk")
    return list(events.values_list("new_value", flat=True))


def test_existing_incidents_keep_the_deadlines_they_were_given(filed_at, client, leader):
    # As before migration 0013: medium counted every hour, 8 hours and 3 days.
    SlaPolicy.objects.filter(severity=Severity.MEDIUM).update(
        clock=SlaPolicy.Clock.CALENDAR, acknowledge_within=8 * 60, resolve_within=3 * 24 * 60
    )
    incident = filed_at(at(2026, 12, 4, 16, 30))
    given = (incident.acknowledge_due_at, incident.resolve_due_at)
    assert given == (at(2026, 12, 5, 0, 30), at(2026, 12, 7, 16, 30))
    assert incident.sla_check_at == at(2026, 12, 4, 20, 30)  # its 50 % reminder, in calendar hours

    migration = importlib.import_module("incidents.migrations.0013_medium_and_low_in_working_hours")
    migration.to_working_hours(apps, None)
    DayOverride.objects.create(day=date(2026, 12, 7), kind=Kind.OFFICE_DAY_OFF)
    medium = SlaPolicy.objects.get(severity=Severity.MEDIUM)
    assert (medium.clock, medium.acknowledge_within, medium.resolve_within) == ("working", 480, 1350)

    sla.sweep(now=at(2026, 12, 4, 20, 31))  # the 50 % reminder, still in calendar hours
    incident.refresh_from_db()
    assert (incident.acknowledge_due_at, incident.resolve_due_at) == given
    assert incident.sla_check_at == at(2026, 12, 4, 22, 54)  # the 80 % one
    client.force_login(leader)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert 'data-testid="resolve-due">07/12/2026 16:30' in page


def test_a_level_changed_by_an_administrator_keeps_its_minutes(db):
    migration = importlib.import_module("incidents.migrations.0013_medium_and_low_in_working_hours")
    SlaPolicy.objects.filter(severity=Severity.LOW).update(
        clock="calendar", acknowledge_within=600, resolve_within=2880
    )
    migration.to_working_hours(apps, None)
    low = SlaPolicy.objects.get(severity=Severity.LOW)
    assert (low.clock, low.acknowledge_within, low.resolve_within) == ("working", 600, 2880)


# --- admin -----------------------------------------------------------------------------------------


def test_the_calendar_admin_speaks_vietnamese(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Lịch làm việc" in page
    add = reverse("admin:workcalendar_dayoverride_add")
    page = client.get(add).content.decode()
    assert "Thêm ngày điều chỉnh lịch làm việc" in page
    for label in (
        "Làm bù (Chính phủ)",
        "Nghỉ bù (Chính phủ)",
        "Văn phòng nghỉ",
    ):
        assert label in page

    # A "working" Wednesday or a "day off" on a Sunday changes nothing: said so, in Vietnamese.
    response = client.post(add, {"day": "02/12/2026", "kind": Kind.SWAPPED_WORKING_DAY, "note": ""})
    assert "Ngày này vốn đã là ngày làm việc." in response.content.decode()
    response = client.post(add, {"day": "06/12/2026", "kind": Kind.OFFICE_DAY_OFF, "note": ""})
    assert "Ngày này vốn đã là ngày nghỉ (cuối tuần hoặc ngày lễ, Tết)." in response.content.decode()
    assert not DayOverride.objects.exists()

    response = client.post(add, {"day": "05/12/2026", "kind": Kind.SWAPPED_WORKING_DAY, "note": "QĐ 12/QĐ-TTg"})
    assert response.status_code == 302
    listing = client.get(reverse("admin:workcalendar_dayoverride_changelist")).content.decode()
    assert "05/12/2026" in listing and "Thứ 7" in listing and "QĐ 12/QĐ-TTg" in listing


def test_the_service_levels_admin_shows_how_each_counts(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:incidents_slapolicy_changelist")).content.decode()
    assert "Tính theo" in page and "giờ làm việc" in page and "giờ liên tục" in page
    medium = SlaPolicy.objects.get(severity=Severity.MEDIUM)
    page = client.get(reverse("admin:incidents_slapolicy_change", args=[medium.pk])).content.decode()
    assert "Giờ làm việc không tính ban đêm, giờ nghỉ trưa" in page


def test_only_administrators_keep_the_calendar(client, leader):
    leader.is_staff = False
    client.force_login(leader)
    response = client.get(reverse("admin:workcalendar_dayoverride_changelist"))
    assert response.status_code == 302  # to the log-in page of admin


# --- the demo ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "today",
    [
        at(2026, 11, 30, 8),  # a Monday morning
        at(2027, 2, 11, 8),  # the first working day after Tết 2027
        at(2027, 2, 15, 7),  # the Monday after
        at(2026, 9, 3, 7, 31),  # just after National Day
        at(2026, 12, 5, 23),  # a Saturday night
    ],
)
def test_the_demo_has_one_overdue_incident_whatever_the_day(db, monkeypatch, today):
    monkeypatch.setattr(timezone, "now", lambda: today)
    call_command("seed_demo", stdout=io.StringIO())
    assert Incident.objects.overdue().count() == 1

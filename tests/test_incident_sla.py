"""Deadlines: reminders at 50 % and 80 %, automatic escalation at breach and up the chain, acting substitutes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import escalation, services, sla
from incidents.models import EscalationLevel, Incident, Severity, SlaPolicy, Status
from notifications.models import Notification


@pytest.fixture
def chain(positions, make_user):
    """Level 1: the Deputy Chief in charge (30 min), level 2: the Chief of Office (60 min)."""
    deputy_chief = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    chief = make_user("Nguyễn Quốc Hùng", position=positions["chief"])
    EscalationLevel.objects.create(
        order=1, position=positions["deputy_chief"], person_in_charge=deputy_chief, acknowledge_within=30
    )
    EscalationLevel.objects.create(order=2, position=positions["chief"], acknowledge_within=60)
    return {"deputy_chief": deputy_chief, "chief": chief}


@pytest.fixture
def policy(db):
    SlaPolicy.objects.update_or_create(
        severity=Severity.HIGH, defaults={"acknowledge_within": 60, "resolve_within": 24 * 60}
    )


def file(staff, category, severity=Severity.HIGH):
    now = timezone.now()
    return services.file_incident(
        filed_by=staff,
        fields={
            "category": category,
            "occurred_at": now - timedelta(minutes=5),
            "detected_at": now,
            "description": "Người lạ vào phòng máy chủ",
            "proposed_severity": severity,
        },
    )


def reminders(incident):
    return Notification.objects.filter(kind="incidents.sla_reminder", dedupe_key__startswith=f"sla:{incident.pk}:")


def test_deadlines_come_from_the_service_level(staff, category, policy):
    incident = file(staff, category)
    assert incident.acknowledge_due_at - incident.created_at == timedelta(minutes=60)
    assert incident.resolve_due_at - incident.created_at == timedelta(hours=24)
    assert incident.sla_check_at == incident.created_at + timedelta(minutes=30)  # the 50 % reminder


def test_reminders_at_50_and_80_percent_once_only(staff, category, policy, leader, member):
    incident = file(staff, category)
    start = incident.created_at
    assert sla.sweep(now=start + timedelta(minutes=29)) == 0
    sla.sweep(now=start + timedelta(minutes=31))
    sla.sweep(now=start + timedelta(minutes=32))  # a second sweep, or a duplicated beat tick
    assert reminders(incident).filter(dedupe_key__endswith="acknowledge-50").count() == 1  # to the leader
    sla.sweep(now=start + timedelta(minutes=49))
    assert reminders(incident).filter(dedupe_key__endswith="acknowledge-80").count() == 1
    assert incident.events.filter(action="reminder").count() == 2
    incident.refresh_from_db()
    assert incident.status == Status.NEW  # nothing breached yet


def test_an_unacknowledged_incident_escalates_at_breach_and_climbs_the_chain(staff, category, policy, chain):
    incident = file(staff, category)
    start = incident.created_at
    sla.sweep(now=start + timedelta(minutes=61))
    incident.refresh_from_db()
    assert incident.status == Status.ESCALATED and incident.escalation_level == 1
    assert Notification.objects.filter(kind="incidents.escalated", recipient=chain["deputy_chief"]).exists()
    assert not Notification.objects.filter(kind="incidents.escalated", recipient=chain["chief"]).exists()
    assert incident.events.filter(action="escalated", actor__isnull=True).count() == 1  # done by TựQuản itself

    sla.sweep(now=start + timedelta(minutes=61 + 29))
    incident.refresh_from_db()
    assert incident.escalation_level == 1
    sla.sweep(now=start + timedelta(minutes=61 + 31))  # level 1 did not acknowledge in 30 minutes
    sla.sweep(now=start + timedelta(minutes=61 + 32))
    incident.refresh_from_db()
    assert incident.escalation_level == 2
    assert Notification.objects.filter(kind="incidents.escalated", recipient=chain["chief"]).count() == 1
    sla.sweep(now=start + timedelta(days=3))  # no level 3: it stays with the Chief
    incident.refresh_from_db()
    assert incident.escalation_level == 2


def test_an_acknowledged_escalation_stops_climbing(staff, category, policy, chain, leader):
    incident = file(staff, category)
    incident = services.transition(
        incident_id=incident.pk, name="escalate", actor=leader, version=incident.version, reason="Cần chỉ đạo"
    )
    with pytest.raises(PermissionDenied):
        escalation.acknowledge(incident_id=incident.pk, actor=leader, version=None)
    escalation.acknowledge(incident_id=incident.pk, actor=chain["deputy_chief"], version=None)
    sla.sweep(now=timezone.now() + timedelta(hours=2))
    incident.refresh_from_db()
    assert incident.escalation_level == 1 and incident.escalation_acknowledged_by == chain["deputy_chief"]
    assert Notification.objects.filter(kind="incidents.escalation_acknowledged", recipient=leader).exists()


def test_the_acting_substitute_receives_it_during_leave(staff, category, policy, chain, leader, make_user, positions):
    stand_in = make_user("Người Trực Thay", position=positions["specialist"])
    level = EscalationLevel.objects.get(order=1)
    today = timezone.localdate()
    level.acting, level.acting_from, level.acting_until = stand_in, today - timedelta(days=1), today + timedelta(days=1)
    level.save()
    incident = file(staff, category)
    services.transition(
        incident_id=incident.pk, name="escalate", actor=leader, version=incident.version, reason="Cần chỉ đạo"
    )
    assert Notification.objects.filter(kind="incidents.escalated", recipient=stand_in).exists()
    assert not Notification.objects.filter(kind="incidents.escalated", recipient=chain["deputy_chief"]).exists()
    escalation.acknowledge(incident_id=incident.pk, actor=stand_in, version=None)
    assert level.targets(date(2000, 1, 1)) == [chain["deputy_chief"]]  # outside the leave: the usual person


def test_acknowledging_in_time_means_no_escalation(staff, category, policy, chain, member):
    incident = file(staff, category)
    services.transition(incident_id=incident.pk, name="acknowledge", actor=member, version=incident.version)
    sla.sweep(now=incident.created_at + timedelta(minutes=90))
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED
    assert not reminders(incident).filter(dedupe_key__contains="acknowledge").exists()


def test_closed_incidents_cost_the_sweep_nothing(staff, category, policy, leader, member):
    for _ in range(5):
        incident = file(staff, category)
        incident = services.transition(incident_id=incident.pk, name="start", actor=member, version=1)
        incident = services.transition(
            incident_id=incident.pk, name="resolve", actor=member, version=incident.version, reason="xong"
        )
        services.transition(incident_id=incident.pk, name="close", actor=leader, version=incident.version)
    assert not Incident.objects.filter(sla_check_at__isnull=False).exists()
    with CaptureQueriesContext(connection) as captured:
        assert sla.sweep(now=timezone.now() + timedelta(days=30)) == 0
    assert len(captured) <= 3  # transaction + one indexed select


def test_a_late_sweep_sends_only_the_latest_reminder(staff, category, policy, leader):
    incident = file(staff, category)
    sla.sweep(now=incident.created_at + timedelta(minutes=55))  # the worker was down past 50 % and 80 %
    keys = set(reminders(incident).values_list("dedupe_key", flat=True))
    assert keys == {f"sla:{incident.pk}:acknowledge-80"}

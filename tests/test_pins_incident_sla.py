"""Pins of the deadline clocks and the escalation chain (issue 13), as the office would check them.

Every claim re-reads the database: the incident's row, its timeline, the notifications and their
deliveries. The clock is frozen (`clock`), so each sweep runs at a known minute after filing.

The service level used throughout: acknowledge within 60 minutes (reminders at 30 and 48),
resolve within 24 hours (reminders at 720 and 1152 minutes). The chain: level 1 the Deputy Chief
in charge (30 minutes to acknowledge), level 2 the Chief of Office (60 minutes).
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from incidents import escalation, services, sla
from incidents.models import EscalationLevel, Incident, IncidentEvent, Severity, SlaPolicy, Status
from incidents.services import Conflict
from notifications.models import Channel, Delivery, Notification

START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # Monday 08:00 in Hà Nội
ACK_50, ACK_80, ACK_DUE = 30, 48, 60
RESOLVE_50, RESOLVE_80, RESOLVE_DUE = 720, 1152, 1440
LEVEL_1_WITHIN, LEVEL_2_WITHIN = 30, 60

Event = IncidentEvent.Action


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


class Clock:
    """timezone.now() for the services and the sweep, moved by hand."""

    def __init__(self):
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def to(self, minutes: float) -> None:
        self.now = at(minutes)


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock()
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@pytest.fixture
def policy(db):
    SlaPolicy.objects.update_or_create(
        severity=Severity.HIGH, defaults={"acknowledge_within": ACK_DUE, "resolve_within": RESOLVE_DUE}
    )


@pytest.fixture
def chain(positions, make_user):
    """The Deputy Chief in charge reads English, the Chief Vietnamese."""
    deputy_chief = make_user("Đặng Thị Thu", position=positions["deputy_chief"], language="en")
    chief = make_user("Nguyễn Quốc Hùng", position=positions["chief"], language="vi")
    EscalationLevel.objects.create(
        order=1, position=positions["deputy_chief"], person_in_charge=deputy_chief, acknowledge_within=LEVEL_1_WITHIN
    )
    EscalationLevel.objects.create(order=2, position=positions["chief"], acknowledge_within=LEVEL_2_WITHIN)
    return {"deputy_chief": deputy_chief, "chief": chief}


def report(staff, category, description: str, severity=Severity.HIGH) -> Incident:
    """A staff member's report, filed now on the frozen clock."""
    return services.file_incident(
        filed_by=staff,
        fields={
            "category": category,
            "occurred_at": at(-10),
            "detected_at": at(-5),
            "description": description,
            "proposed_severity": severity,
        },
    )


@pytest.fixture
def incident(clock, staff, category, policy, leader, deputy, member):
    """A high-severity report filed at START by a staff member; the team (leader, deputy, member) exists."""
    return report(staff, category, "Người lạ vào phòng máy chủ")


def sweep_at(clock: Clock, minutes: float) -> int:
    """The beat's sweep, run at `minutes` after filing (on the frozen clock, as the beat calls it)."""
    clock.to(minutes)
    return sla.sweep()


def fresh(incident: Incident) -> Incident:
    return Incident.objects.get(pk=incident.pk)


def told(incident: Incident, kind: str) -> list:
    """Who received a notice of `kind` about the incident, one entry per notice."""
    notices = Notification.objects.filter(kind=kind, url=incident.get_absolute_url())
    return sorted((n.recipient for n in notices.select_related("recipient")), key=lambda person: person.pk)


def reminders_sent(incident: Incident) -> list[str]:
    keys = Notification.objects.filter(kind="incidents.sla_reminder", dedupe_key__startswith=f"sla:{incident.pk}:")
    return sorted({key.rsplit(":", 1)[1] for key in keys.values_list("dedupe_key", flat=True)})


def timeline(incident: Incident, action: str) -> list[IncidentEvent]:
    return list(IncidentEvent.objects.filter(incident=incident, action=action).order_by("at", "pk"))


def acknowledge_in_time(clock: Clock, incident: Incident, member, minutes: float = 5) -> None:
    clock.to(minutes)
    services.transition(incident_id=incident.pk, name="acknowledge", actor=member, version=fresh(incident).version)


def escalate_by_hand(clock: Clock, incident: Incident, leader, minutes: float = 5, reason="Cần lãnh đạo chỉ đạo"):
    clock.to(minutes)
    services.transition(
        incident_id=incident.pk, name="escalate", actor=leader, version=fresh(incident).version, reason=reason
    )


# --- the reminders: when, to whom, once ------------------------------------------------------------


@pytest.mark.parametrize("assigned", [True, False], ids=["assigned", "unassigned"])
@pytest.mark.parametrize(
    "minute, what, acknowledged",
    [
        (ACK_50, "acknowledge-50", False),
        (ACK_80, "acknowledge-80", False),
        (RESOLVE_50, "resolve-50", True),
        (RESOLVE_80, "resolve-80", True),
    ],
)
def test_each_reminder_goes_to_the_team_leaders_and_the_assignee_only(
    clock, incident, minute, what, acknowledged, assigned, leader, deputy, member, staff, make_user, chain
):
    other_member = make_user("Vũ Thị Mai")
    if assigned:
        clock.to(1)
        services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=fresh(incident).version)
    if acknowledged:
        acknowledge_in_time(clock, incident, leader)
    Notification.objects.all().delete()  # the filing's and the assignment's notices

    sweep_at(clock, minute)

    expected = [leader, deputy, *([member] if assigned else [])]
    assert told(incident, "incidents.sla_reminder") == sorted(expected, key=lambda person: person.pk)
    assert not {staff, other_member, chain["deputy_chief"], chain["chief"]} & set(
        told(incident, "incidents.sla_reminder")
    )
    assert reminders_sent(incident) == [what]
    [entry] = timeline(incident, Event.REMINDER)
    assert (entry.new_value, entry.actor) == (what, None)


def test_the_resolve_reminders_come_at_50_and_80_percent_once_each(clock, incident, member, deputy):
    deputy.language = "en"
    deputy.save()
    acknowledge_in_time(clock, incident, member)

    assert sweep_at(clock, RESOLVE_50 - 1) == 0
    assert reminders_sent(incident) == []
    sweep_at(clock, RESOLVE_50)
    sweep_at(clock, RESOLVE_50 + 1)  # a duplicated beat tick
    assert reminders_sent(incident) == ["resolve-50"]
    assert fresh(incident).sla_check_at == at(RESOLVE_80)
    notice = Notification.objects.get(kind="incidents.sla_reminder", recipient=deputy)
    assert notice.title == f"Incident {incident.reference} is not resolved yet"
    assert "must be resolved by" in notice.body and notice.url == incident.get_absolute_url()
    assert "04/03/2025 08:00" in notice.body  # the resolve deadline, a day after filing at 08:00

    assert sweep_at(clock, RESOLVE_80 - 1) == 0
    sweep_at(clock, RESOLVE_80)
    sweep_at(clock, RESOLVE_80 + 1)
    assert reminders_sent(incident) == ["resolve-50", "resolve-80"]
    assert [entry.new_value for entry in timeline(incident, Event.REMINDER)] == ["resolve-50", "resolve-80"]
    assert fresh(incident).sla_check_at == at(RESOLVE_DUE)
    assert fresh(incident).status == Status.ACKNOWLEDGED  # reminders change nothing else


def test_in_one_batch_only_the_reminders_that_told_someone_reach_the_timeline(clock, incident, staff, category):
    clock.to(1)
    later = report(staff, category, "Cửa kho không khoá")
    sweep_at(clock, ACK_50)  # the first incident's 50 % reminder; the later one is not due yet
    Incident.objects.filter(pk=incident.pk).update(sla_check_at=START)  # its clock put back (a restore)
    assert sweep_at(clock, ACK_50 + 1) == 2  # one batch: the first one again, the later one for real
    assert [entry.new_value for entry in timeline(incident, Event.REMINDER)] == ["acknowledge-50"]
    assert [entry.new_value for entry in timeline(later, Event.REMINDER)] == ["acknowledge-50"]
    assert reminders_sent(later) == ["acknowledge-50"]


def test_a_long_backlog_calls_for_help_once_not_after_every_batch(clock, incident, staff, category, monkeypatch):
    for n in range(6):
        report(staff, category, f"Mất điện tầng {n}")
    monkeypatch.setattr(sla, "SWEEP_BATCH", 2)  # seven due: four batches
    calls = []
    clock.to(ACK_50)
    assert sla.sweep(on_backlog=lambda: calls.append(clock.now)) == 7
    assert calls == [at(ACK_50)]  # after the first full batch; the helpers share the rest
    assert Incident.objects.filter(sla_check_at=at(ACK_80)).count() == 7  # and every batch was handled


# --- the breach of each clock escalates, once -------------------------------------------------------


@pytest.mark.parametrize(
    "acknowledged, breach, reason_en, reason_vi",
    [
        (
            False,
            ACK_DUE,
            "Nobody acknowledged the incident in time.",
            "Không có ai tiếp nhận vụ việc trong thời hạn.",
        ),
        (True, RESOLVE_DUE, "The incident was not resolved in time.", "Vụ việc không được giải quyết trong thời hạn."),
    ],
    ids=["acknowledge-deadline", "resolve-deadline"],
)
def test_a_missed_deadline_escalates_to_level_1_with_its_reason(
    clock, incident, chain, member, leader, acknowledged, breach, reason_en, reason_vi
):
    if acknowledged:
        acknowledge_in_time(clock, incident, member)
    before = fresh(incident).version

    assert sweep_at(clock, breach - 1) == 1  # the 80 % reminder only
    assert fresh(incident).status != Status.ESCALATED
    sweep_at(clock, breach)

    escalated = fresh(incident)
    assert (escalated.status, escalated.escalation_level) == (Status.ESCALATED, 1)
    assert escalated.escalation_due_at == at(breach + LEVEL_1_WITHIN)
    assert escalated.escalation_acknowledged_at is None and escalated.escalation_acknowledged_by is None
    assert escalated.sla_check_at == at(breach + LEVEL_1_WITHIN)  # the level's own deadline comes first
    assert escalated.version == before + 1
    assert escalated.updated_at == at(breach)
    # The Deputy Chief in charge is told why, in her language (English), by email too.
    assert told(incident, "incidents.escalated") == [chain["deputy_chief"]]
    notice = Notification.objects.get(kind="incidents.escalated", recipient=chain["deputy_chief"])
    assert notice.title == f"Escalated to you: incident {escalated.reference} (Trộm cắp, mất tài sản)"
    assert f"Reason: {reason_en}" in notice.body and "Người lạ vào phòng máy chủ" in notice.body
    assert notice.deliveries.filter(channel=Channel.EMAIL).exists()
    # The timeline says who was told and why, in the office's language, done by TựQuản itself.
    [entry] = timeline(incident, Event.ESCALATED)
    assert (entry.actor, entry.field, entry.new_value, entry.text) == (
        None,
        "escalation_level",
        str(chain["deputy_chief"]),
        reason_vi,
    )


def test_the_chain_is_climbed_level_by_level_each_after_its_own_timeout(clock, incident, chain):
    sweep_at(clock, ACK_DUE)
    sweep_at(clock, ACK_DUE + LEVEL_1_WITHIN - 1)  # level 1 still has a minute
    assert fresh(incident).escalation_level == 1
    assert told(incident, "incidents.escalated") == [chain["deputy_chief"]]

    sweep_at(clock, ACK_DUE + LEVEL_1_WITHIN)
    climbed = fresh(incident)
    assert (climbed.status, climbed.escalation_level) == (Status.ESCALATED, 2)
    assert climbed.escalation_due_at == climbed.sla_check_at == at(ACK_DUE + LEVEL_1_WITHIN + LEVEL_2_WITHIN)
    assert Notification.objects.filter(kind="incidents.escalated", recipient=chain["chief"]).count() == 1
    assert Notification.objects.filter(kind="incidents.escalated", recipient=chain["deputy_chief"]).count() == 1
    to_chief = Notification.objects.get(kind="incidents.escalated", recipient=chain["chief"])
    assert climbed.reference in to_chief.title and climbed.reference in to_chief.body
    assert "Lý do: Vụ việc chuyển cấp không được tiếp nhận trong thời hạn." in to_chief.body
    first, second = timeline(incident, Event.ESCALATED)
    assert (second.new_value, second.text) == (
        str(chain["chief"]),
        "Vụ việc chuyển cấp không được tiếp nhận trong thời hạn.",
    )
    assert first.new_value == str(chain["deputy_chief"])


def test_one_sweep_sends_each_incident_to_its_own_level(clock, incident, chain, staff, category):
    """A sweep handles incidents at different levels at once: each level's people hear of their own only."""
    sweep_at(clock, ACK_DUE)  # the first incident goes to level 1
    clock.to(LEVEL_1_WITHIN)  # the second is filed so that its deadline falls when level 1's runs out
    second = report(staff, category, "Cửa kho không khoá")
    Notification.objects.all().delete()

    sweep_at(clock, ACK_DUE + LEVEL_1_WITHIN)  # the first climbs to level 2, the second breaches into level 1

    assert fresh(incident).escalation_level == 2 and fresh(second).escalation_level == 1
    assert told(incident, "incidents.escalated") == [chain["chief"]]
    assert told(second, "incidents.escalated") == [chain["deputy_chief"]]
    assert timeline(incident, Event.ESCALATED)[-1].new_value == str(chain["chief"])
    assert timeline(second, Event.ESCALATED)[-1].new_value == str(chain["deputy_chief"])


def test_a_late_sweep_both_reminds_and_climbs(clock, incident, chain, leader):
    """The worker was down across a reminder and a level's deadline: it catches up on both at once."""
    escalate_by_hand(clock, incident, leader, minutes=RESOLVE_50 - 20)  # level 1 until RESOLVE_50 + 10
    sweep_at(clock, RESOLVE_50 + 15)
    late = fresh(incident)
    assert (late.escalation_level, late.escalation_due_at) == (2, at(RESOLVE_50 + 15 + LEVEL_2_WITHIN))
    assert told(incident, "incidents.escalated") == sorted([chain["deputy_chief"], chain["chief"]], key=lambda p: p.pk)
    assert reminders_sent(incident) == ["resolve-50"]


@pytest.mark.parametrize(
    "minutes, level",
    [(ACK_DUE, 1), (ACK_DUE + LEVEL_1_WITHIN, 2)],
    ids=["into-level-1", "into-level-2"],
)
def test_two_sweeps_in_a_row_escalate_once(clock, incident, chain, minutes, level):
    sweep_at(clock, ACK_DUE)
    sweep_at(clock, minutes)
    version = fresh(incident).version
    sweep_at(clock, minutes + 0.5)  # the next beat tick, or a second worker
    again = fresh(incident)
    assert (again.escalation_level, again.version) == (level, version)
    assert len(timeline(incident, Event.ESCALATED)) == level
    assert len(told(incident, "incidents.escalated")) == level  # one notice per level


def test_sla_check_at_always_names_the_next_checkpoint(clock, incident, chain):
    """Re-read after each sweep: the next check is the next deadline or reminder; nothing due leaves it alone."""
    assert fresh(incident).sla_check_at == at(ACK_50)
    steps = [
        # sweep at, next check, escalation level
        (ACK_50 - 1, ACK_50, 0),  # nothing due: unchanged
        (ACK_50, ACK_80, 0),
        (ACK_80, ACK_DUE, 0),
        (ACK_DUE, ACK_DUE + LEVEL_1_WITHIN, 1),
        (ACK_DUE + LEVEL_1_WITHIN, ACK_DUE + LEVEL_1_WITHIN + LEVEL_2_WITHIN, 2),
        (ACK_DUE + LEVEL_1_WITHIN + LEVEL_2_WITHIN, RESOLVE_50, 2),  # no level 3: it stays with the Chief
        (RESOLVE_50, RESOLVE_80, 2),
        (RESOLVE_80, RESOLVE_DUE, 2),
        (RESOLVE_DUE, None, 2),  # already at the top: nothing left to watch
    ]
    for minute, next_check, level in steps:
        sweep_at(clock, minute)
        seen = fresh(incident)
        assert (seen.sla_check_at, seen.escalation_level) == (at(next_check) if next_check else None, level), minute
    assert len(timeline(incident, Event.ESCALATED)) == 2
    assert reminders_sent(incident) == ["acknowledge-50", "acknowledge-80", "resolve-50", "resolve-80"]
    assert sweep_at(clock, RESOLVE_DUE + 60 * 24 * 7) == 0  # a week later the sweep does not even look at it


def test_an_incident_without_a_service_level_is_never_swept(clock, policy, staff, category):
    SlaPolicy.objects.filter(severity=Severity.LOW).delete()
    unmeasured = report(staff, category, "Bóng đèn hành lang hỏng", Severity.LOW)
    seen = fresh(unmeasured)
    assert (seen.acknowledge_due_at, seen.resolve_due_at, seen.sla_check_at) == (None, None, None)
    sweep_at(clock, RESOLVE_DUE * 3)
    assert fresh(unmeasured).status == Status.NEW
    assert not timeline(unmeasured, Event.REMINDER) and not timeline(unmeasured, Event.ESCALATED)


def test_a_resolved_incident_leaves_the_sweep_alone(clock, incident, member):
    acknowledge_in_time(clock, incident, member)
    clock.to(10)
    services.transition(incident_id=incident.pk, name="start", actor=member, version=fresh(incident).version)
    services.transition(
        incident_id=incident.pk, name="resolve", actor=member, version=fresh(incident).version, reason="Đã xử lý"
    )
    assert fresh(incident).sla_check_at is None
    Incident.objects.filter(pk=incident.pk).update(sla_check_at=at(RESOLVE_50))  # even if a check were left
    assert sweep_at(clock, RESOLVE_DUE + 1) == 0
    assert fresh(incident).status == Status.RESOLVED
    assert reminders_sent(incident) == [] and not timeline(incident, Event.ESCALATED)


# --- acknowledging an escalation ----------------------------------------------------------------------


WHO = ["deputy_chief", "chief", "leader", "deputy", "member", "staff"]


def person(name, chain, request):
    return chain[name] if name in chain else request.getfixturevalue(name)


@pytest.mark.parametrize(
    "level, allowed",
    [
        # The Deputy Chief in charge, or anyone higher up; the team leader is a Deputy Chief too, but not in charge.
        (1, {"deputy_chief", "chief"}),
        (2, {"chief"}),  # level 1 had its chance
    ],
    ids=["level-1", "level-2"],
)
@pytest.mark.parametrize("name", WHO)
def test_who_may_acknowledge_at_each_level(clock, incident, chain, request, name, level, allowed, leader, member):
    clock.to(1)
    services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=fresh(incident).version)
    sweep_at(clock, ACK_DUE)
    if level == 2:
        sweep_at(clock, ACK_DUE + LEVEL_1_WITHIN)
    actor = person(name, chain, request)
    version = fresh(incident).version
    moment = ACK_DUE + 10 if level == 1 else ACK_DUE + LEVEL_1_WITHIN + 10  # within the level's own time
    clock.to(moment)
    if name not in allowed:
        with pytest.raises(PermissionDenied):
            escalation.acknowledge(incident_id=incident.pk, actor=actor, version=version)
        unchanged = fresh(incident)
        assert (unchanged.escalation_acknowledged_at, unchanged.escalation_acknowledged_by) == (None, None)
        assert unchanged.version == version and not timeline(incident, Event.ESCALATION_ACK)
        assert not told(incident, "incidents.escalation_acknowledged")
        return
    escalation.acknowledge(incident_id=incident.pk, actor=actor, version=version)
    taken = fresh(incident)
    assert taken.escalation_acknowledged_by == actor
    assert taken.escalation_acknowledged_at == at(moment)
    assert (taken.status, taken.escalation_level, taken.version) == (Status.ESCALATED, level, version + 1)
    assert taken.sla_check_at == at(RESOLVE_50)  # the level's deadline no longer matters
    [entry] = timeline(incident, Event.ESCALATION_ACK)
    assert (entry.actor, entry.new_value, entry.audience) == (actor, str(actor), IncidentEvent.Audience.TEAM)
    team = [request.getfixturevalue("leader"), request.getfixturevalue("deputy"), member]
    assert told(incident, "incidents.escalation_acknowledged") == sorted(team, key=lambda p: p.pk)
    to_assignee = Notification.objects.get(kind="incidents.escalation_acknowledged", recipient=member)
    assert to_assignee.title.startswith(f"Đ/c {actor} đã tiếp nhận vụ việc chuyển cấp")
    sweep_at(clock, ACK_DUE + LEVEL_1_WITHIN + LEVEL_2_WITHIN + 1)  # past every level's deadline
    assert fresh(incident).escalation_level == level  # acknowledged: it climbs no further


@pytest.mark.parametrize("name", WHO)
def test_the_acknowledge_button_is_shown_to_exactly_those_who_may_press_it(
    client, clock, incident, chain, request, name
):
    sweep_at(clock, ACK_DUE)
    client.force_login(person(name, chain, request))
    response = client.get(reverse("incidents:detail", args=[incident.pk]))
    assert response.status_code == 200
    shown = b'data-testid="acknowledge-escalation"' in response.content
    assert shown == (name in {"deputy_chief", "chief"})


def test_an_escalation_is_acknowledged_once(clock, incident, chain, leader):
    sweep_at(clock, ACK_DUE)
    clock.to(ACK_DUE + 5)
    escalation.acknowledge(incident_id=incident.pk, actor=chain["deputy_chief"], version=None)
    first = fresh(incident)
    notices = Notification.objects.filter(kind="incidents.escalation_acknowledged").count()
    assert notices > 0

    clock.to(ACK_DUE + 6)
    for again in (chain["deputy_chief"], chain["chief"]):
        with pytest.raises(PermissionDenied):
            escalation.acknowledge(incident_id=incident.pk, actor=again, version=first.version)
    second = fresh(incident)
    assert (second.escalation_acknowledged_by, second.escalation_acknowledged_at, second.version) == (
        chain["deputy_chief"],
        at(ACK_DUE + 5),
        first.version,
    )
    assert len(timeline(incident, Event.ESCALATION_ACK)) == 1
    assert Notification.objects.filter(kind="incidents.escalation_acknowledged").count() == notices


NOT_YOURS = "Đồng chí không phải là người cần tiếp nhận vụ việc chuyển cấp này."
STALE = "Trong lúc đồng chí đang xem, vụ việc này đã được người khác cập nhật."


def press_acknowledge(client, user, incident: Incident, version: int) -> str:
    client.force_login(user)
    url = reverse("incidents:acknowledge_escalation", args=[incident.pk])
    response = client.post(url, {"action": "acknowledge_escalation", "version": version}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_on_the_page_the_second_to_press_acknowledge_is_told_why_nothing_happened(client, clock, incident, chain):
    sweep_at(clock, ACK_DUE)
    seen = fresh(incident).version  # both open the page
    clock.to(ACK_DUE + 5)
    press_acknowledge(client, chain["deputy_chief"], incident, seen)
    assert fresh(incident).escalation_acknowledged_by == chain["deputy_chief"]

    assert STALE in press_acknowledge(client, chain["chief"], incident, seen)
    page = press_acknowledge(client, chain["chief"], incident, seen + 1)  # he reloads and presses again
    assert NOT_YOURS in page and 'data-testid="acknowledge-escalation"' not in page
    after = fresh(incident)
    assert (after.escalation_acknowledged_by, after.escalation_acknowledged_at, after.version) == (
        chain["deputy_chief"],
        at(ACK_DUE + 5),
        seen + 1,
    )
    assert len(timeline(incident, Event.ESCALATION_ACK)) == 1


def test_a_stale_acknowledgement_is_refused_and_changes_nothing(clock, incident, chain):
    sweep_at(clock, ACK_DUE)
    seen = fresh(incident).version  # the Chief opens the page at level 1
    clock.to(ACK_DUE + 5)
    escalation.acknowledge(incident_id=incident.pk, actor=chain["deputy_chief"], version=seen)
    with pytest.raises(Conflict):
        escalation.acknowledge(incident_id=incident.pk, actor=chain["chief"], version=seen)
    after = fresh(incident)
    assert (after.escalation_acknowledged_by, after.version) == (chain["deputy_chief"], seen + 1)
    assert len(timeline(incident, Event.ESCALATION_ACK)) == 1


def test_a_page_opened_before_the_sweep_climbed_cannot_acknowledge(clock, incident, chain):
    sweep_at(clock, ACK_DUE)
    seen = fresh(incident).version  # the Chief reads it at level 1...
    sweep_at(clock, ACK_DUE + LEVEL_1_WITHIN)  # ...the sweep moves it to level 2 meanwhile
    with pytest.raises(Conflict):
        escalation.acknowledge(incident_id=incident.pk, actor=chain["chief"], version=seen)
    after = fresh(incident)
    assert (after.escalation_level, after.escalation_acknowledged_at, after.version) == (2, None, seen + 1)
    assert not timeline(incident, Event.ESCALATION_ACK)


def test_a_stale_escalation_by_hand_is_refused_and_tells_nobody(clock, incident, chain, leader, member):
    seen = fresh(incident).version
    acknowledge_in_time(clock, incident, member)
    with pytest.raises(Conflict):
        services.transition(
            incident_id=incident.pk, name="escalate", actor=leader, version=seen, reason="Cần lãnh đạo chỉ đạo"
        )
    after = fresh(incident)
    assert (after.status, after.escalation_level, after.version) == (Status.ACKNOWLEDGED, 0, seen + 1)
    assert not timeline(incident, Event.ESCALATED) and not told(incident, "incidents.escalated")


def test_an_escalation_by_hand_carries_the_leaders_reason_to_the_notice_and_the_timeline(
    clock, incident, chain, leader
):
    escalate_by_hand(clock, incident, leader, reason="  Cần lãnh đạo chỉ đạo gấp ")
    escalated = fresh(incident)
    assert (escalated.status, escalated.escalation_level) == (Status.ESCALATED, 1)
    assert escalated.escalation_due_at == escalated.sla_check_at == at(5 + LEVEL_1_WITHIN)
    assert told(incident, "incidents.escalated") == [chain["deputy_chief"]]
    notice = Notification.objects.get(kind="incidents.escalated")
    assert "Reason: Cần lãnh đạo chỉ đạo gấp\n" in notice.body
    assert Delivery.objects.filter(notification=notice, channel=Channel.EMAIL).exists()
    [entry] = timeline(incident, Event.ESCALATED)
    assert (entry.actor, entry.new_value, entry.text) == (
        leader,
        str(chain["deputy_chief"]),
        "Cần lãnh đạo chỉ đạo gấp",
    )


# --- no chain configured: the whole office leadership -------------------------------------------------


@pytest.fixture
def leadership(make_user, positions, chief, leader):
    """The office leadership with no escalation chain: the Chief, the team leader (a Deputy Chief) and one more."""
    other_deputy_chief = make_user("Phan Đức Long", position=positions["deputy_chief"])
    make_user("Chánh Văn phòng cũ", position=positions["chief"], is_active=False)
    return sorted([chief, leader, other_deputy_chief], key=lambda p: p.pk)


@pytest.mark.parametrize("by_hand", [True, False], ids=["by-hand", "by-the-sweep"])
def test_without_a_chain_the_whole_leadership_is_told_once(clock, incident, leadership, leader, by_hand):
    assert not EscalationLevel.objects.exists()
    if by_hand:
        escalate_by_hand(clock, incident, leader)
    else:
        sweep_at(clock, ACK_DUE)
    escalated = fresh(incident)
    assert (escalated.status, escalated.escalation_level, escalated.escalation_due_at) == (Status.ESCALATED, 0, None)
    assert told(incident, "incidents.escalated") == leadership
    [entry] = timeline(incident, Event.ESCALATED)
    assert set(entry.new_value.split(", ")) == {str(person) for person in leadership}

    for minute in (ACK_DUE + 1, RESOLVE_DUE, RESOLVE_DUE + 1):
        sweep_at(clock, minute)
    assert told(incident, "incidents.escalated") == leadership  # nothing was told twice
    assert fresh(incident).escalation_level == 0 and len(timeline(incident, Event.ESCALATED)) == 1


@pytest.mark.parametrize(
    "name, allowed",
    [("chief", True), ("leader", True), ("deputy", False), ("member", False), ("staff", False)],
)
def test_without_a_chain_the_office_leadership_and_only_it_may_acknowledge(
    clock, incident, leadership, leader, request, name, allowed
):
    escalate_by_hand(clock, incident, leader)
    actor = request.getfixturevalue(name)
    version = fresh(incident).version
    if not allowed:
        with pytest.raises(PermissionDenied):
            escalation.acknowledge(incident_id=incident.pk, actor=actor, version=version)
        assert fresh(incident).escalation_acknowledged_by is None
        return
    escalation.acknowledge(incident_id=incident.pk, actor=actor, version=version)
    assert fresh(incident).escalation_acknowledged_by == actor

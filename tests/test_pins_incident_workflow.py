"""The incident workflow as the team states it, checked against what is saved and what each person sees.

The expected tables below are written from the rules as the team states them (issue 13), not read from
incidents.workflow.TRANSITIONS: acknowledging and starting are for any team member;
escalating, closing, rejecting and reopening for the leader or the deputy only; resolving for any team
member; escalating, resolving, rejecting and reopening need a reason. Staff (the reporter) and the
office leadership who are not on the team move nothing.

Every check re-reads the database: the question is what was saved, not what a service returned.
"""

from datetime import timedelta
from typing import NamedTuple

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from core.access import visible
from incidents import services
from incidents.models import (
    Attachment,
    EscalationLevel,
    ExternalReport,
    Incident,
    IncidentEvent,
    Severity,
    SlaPolicy,
    Status,
)
from incidents.workflow import allowed_transitions
from notifications.models import Notification
from team import services as team_services
from team.models import Membership
from team.roles import roles_of
from tests.conftest import appoint
from tests.support import realistic

S = Status
REASON = "Cần lãnh đạo chỉ đạo xử lý"
ROLES = ("staff", "member", "deputy", "leader", "chief")  # chief: office leadership, not on the team
TEAM = frozenset({"member", "deputy", "leader"})
COMMAND = frozenset({"deputy", "leader"})


class Rule(NamedTuple):
    sources: tuple[str, ...]
    target: str
    who: frozenset[str]
    needs_reason: bool


RULES = {
    "acknowledge": Rule((S.NEW,), S.ACKNOWLEDGED, TEAM, False),
    "start": Rule((S.NEW, S.ACKNOWLEDGED), S.IN_PROGRESS, TEAM, False),
    "escalate": Rule((S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS), S.ESCALATED, COMMAND, True),
    "resolve": Rule((S.ACKNOWLEDGED, S.IN_PROGRESS, S.ESCALATED), S.RESOLVED, TEAM, True),
    "close": Rule((S.RESOLVED,), S.CLOSED, COMMAND, False),
    "reject": Rule((S.NEW, S.ACKNOWLEDGED), S.REJECTED, COMMAND, True),
    "reopen": Rule((S.RESOLVED, S.CLOSED, S.REJECTED, S.DUPLICATE), S.IN_PROGRESS, COMMAND, True),
}


def expected_buttons(role: str, status: str) -> set[str]:
    return {name for name, rule in RULES.items() if status in rule.sources and role in rule.who}


@pytest.fixture(autouse=True)
def service_level(db):
    """Medium incidents: acknowledge within 8 hours, resolve within 3 days (made here: transactional tests
    elsewhere in the suite flush the rows the data migration wrote)."""
    SlaPolicy.objects.update_or_create(
        severity=Severity.MEDIUM, defaults={"acknowledge_within": 8 * 60, "resolve_within": 3 * 24 * 60}
    )


@pytest.fixture
def people(staff, member, deputy, leader, chief):
    return {"staff": staff, "member": member, "deputy": deputy, "leader": leader, "chief": chief}


def file(staff, category, uploads=(), **extra) -> Incident:
    now = timezone.now()
    fields = {
        "category": category,
        "occurred_at": now - timedelta(minutes=30),
        "detected_at": now - timedelta(minutes=10),
        "description": "Mất xe máy ở bãi xe",
        "proposed_severity": Severity.MEDIUM,
        **extra,
    }
    return services.file_incident(filed_by=staff, fields=fields, uploads=uploads)


def put_in(incident: Incident, status: str, **fields) -> Incident:
    """The incident as it would be after earlier steps: the row changed directly, then read afresh."""
    Incident.objects.filter(pk=incident.pk).update(status=status, **fields)
    return Incident.objects.get(pk=incident.pk)


def saved(incident: Incident) -> Incident:
    return Incident.objects.get(pk=incident.pk)


def move(incident: Incident, name: str, actor, reason: str = REASON) -> Incident:
    services.transition(incident_id=incident.pk, name=name, actor=actor, version=incident.version, reason=reason)
    return saved(incident)


def told(person, kind: str) -> int:
    return Notification.objects.filter(recipient=person, kind=kind).count()


def timeline_of(person, incident: Incident):
    return visible(person, IncidentEvent.objects.filter(incident=incident))


# --- the table: every status × transition × role ------------------------------------------------


@pytest.mark.parametrize("name", RULES)
def test_who_may_move_an_incident_from_which_status(name, people, staff, category):
    rule = RULES[name]
    incident = file(staff, category)
    wrong = []
    for status in Status.values:
        for role in ROLES:
            before = put_in(incident, status)
            events = before.events.count()
            try:
                after = move(before, name, people[role])
                outcome = after.status if after.version > before.version else f"{after.status}, version kept"
            except PermissionDenied:
                after = saved(before)
                unchanged = (after.status, after.version, after.events.count()) == (status, before.version, events)
                outcome = "refused" if unchanged else "refused, but the row or the timeline changed"
            allowed = status in rule.sources and role in rule.who
            expected = rule.target if allowed else "refused"
            if outcome != expected:
                wrong.append(f"{role} {name} from {status}: {outcome}, expected {expected}")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_the_buttons_each_role_gets_in_each_status(role, people):
    roles = roles_of(people[role])
    shown = {status: {t.name for t in allowed_transitions(roles, status)} for status in Status.values}
    assert shown == {status: expected_buttons(role, status) for status in Status.values}


@pytest.mark.parametrize("role", ROLES)
def test_the_detail_page_shows_each_role_only_his_buttons(role, people, staff, category, client):
    incident = file(staff, category)
    client.force_login(people[role])
    for status in (S.NEW, S.RESOLVED):
        page = client.get(put_in(incident, status).get_absolute_url()).content.decode()
        shown = {name for name in RULES if f'data-testid="action-{name}"' in page}
        assert shown == expected_buttons(role, status), status


def test_the_member_on_duty_gets_a_new_report_and_the_timeline_names_him(staff, member, team, category):
    now = timezone.localtime()
    start, end = now - timedelta(minutes=5), now + timedelta(hours=2)
    team_services.schedule_shift(team=team, day=start.date(), start=start.time(), end=end.time(), member=member)
    incident = saved(file(staff, category))
    assert incident.assignee == member
    assigned = incident.events.get(action=IncidentEvent.Action.ASSIGNED)
    assert (assigned.actor, assigned.new_value) == (None, str(member))  # by TựQuản, from the duty roster


# --- files filed with the report ------------------------------------------------------------------


def test_a_file_is_kept_under_a_random_name_with_its_checked_extension(staff, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    incident = file(staff, category, uploads=[realistic.PDF])
    attachment = Attachment.objects.get(incident=incident)
    assert (attachment.original_name, attachment.extension, attachment.content_type) == (
        "bien-ban.pdf",
        ".pdf",
        "application/pdf",
    )
    assert (attachment.size, attachment.uploaded_by) == (len(realistic.PDF.data), staff)
    assert attachment.file.name.endswith(".pdf") and "bien-ban" not in attachment.file.name
    assert attachment.file.read() == realistic.PDF.data
    event = incident.events.get(action=IncidentEvent.Action.ATTACHMENT)
    assert (event.actor, event.new_value) == (staff, "bien-ban.pdf")


def test_a_file_whose_row_cannot_be_saved_leaves_no_orphan_on_disk(staff, category, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def database_down(*args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(Attachment, "save", database_down)
    with pytest.raises(DatabaseError):
        file(staff, category, uploads=[realistic.PDF])
    assert not Incident.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


# --- reasons --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", RULES)
@pytest.mark.parametrize("blank", ["", "   \n"])
def test_a_reason_is_required_where_the_rules_say(name, blank, leader, staff, category):
    rule = RULES[name]
    incident = put_in(file(staff, category), rule.sources[0])
    if rule.needs_reason:
        with pytest.raises(ValidationError):
            move(incident, name, leader, reason=blank)
        after = saved(incident)
        assert (after.status, after.version) == (incident.status, incident.version)
        assert not after.events.filter(action=IncidentEvent.Action.STATUS).exists()
    else:
        assert move(incident, name, leader, reason=blank).status == rule.target
        assert not incident.events.filter(action=IncidentEvent.Action.NOTE).exists()  # no empty note


@pytest.mark.parametrize("name", ["resolve", "reject", "reopen"])
def test_the_reason_is_kept_on_the_timeline_for_the_team_not_for_the_reporter(name, leader, member, staff, category):
    incident = put_in(file(staff, category), RULES[name].sources[0])
    move(incident, name, leader, reason=f"  {REASON}  ")
    note = incident.events.get(action=IncidentEvent.Action.NOTE)
    assert (note.text, note.actor) == (REASON, leader)
    assert timeline_of(member, incident).filter(pk=note.pk).exists()
    assert not timeline_of(staff, incident).filter(pk=note.pk).exists()  # may name suspects: internal
    status_change = timeline_of(staff, incident).get(action=IncidentEvent.Action.STATUS)
    assert (status_change.old_value, status_change.new_value) == (RULES[name].sources[0], RULES[name].target)


# --- what the reporter sees and is told -----------------------------------------------------------


def test_the_reporter_sees_every_status_change_on_his_timeline_and_is_told_each(staff, member, leader, category):
    incident = file(staff, category)
    incident = move(incident, "acknowledge", member)
    incident = move(incident, "start", member)
    incident = move(incident, "resolve", member)
    move(incident, "close", leader)
    changes = timeline_of(staff, incident).filter(action__in=[IncidentEvent.Action.FILED, IncidentEvent.Action.STATUS])
    assert list(changes.values_list("action", "field", "old_value", "new_value", "actor")) == [
        ("filed", "status", "", S.NEW, staff.pk),
        ("status", "status", S.NEW, S.ACKNOWLEDGED, member.pk),
        ("status", "status", S.ACKNOWLEDGED, S.IN_PROGRESS, member.pk),
        ("status", "status", S.IN_PROGRESS, S.RESOLVED, member.pk),
        ("status", "status", S.RESOLVED, S.CLOSED, leader.pk),
    ]
    notices = Notification.objects.filter(recipient=staff, kind="incidents.status_changed")
    assert notices.count() == 4
    assert set(notices.values_list("url", flat=True)) == {incident.get_absolute_url()}


def test_nobody_is_told_of_his_own_status_change(leader, member, category):
    incident = file(leader, category)  # the leader reports, then handles it himself
    move(incident, "acknowledge", leader)
    assert told(leader, "incidents.status_changed") == 0
    assert told(member, "incidents.status_changed") == 0


def test_an_internal_note_is_neither_shown_nor_sent_to_the_reporter(staff, member, category):
    incident = file(staff, category)
    services.add_note(incident_id=incident.pk, actor=member, text="Nghi vấn người quen", to_reporter=False)
    note = IncidentEvent.objects.get(incident=incident, text="Nghi vấn người quen")
    assert (note.action, note.actor) == (IncidentEvent.Action.NOTE, member)
    assert timeline_of(member, incident).filter(pk=note.pk).exists()
    assert not timeline_of(staff, incident).filter(pk=note.pk).exists()
    assert Notification.objects.filter(recipient=staff).exclude(kind="incidents.filed").count() == 0


def test_a_note_to_the_reporter_is_shown_and_sent_to_him(staff, member, category):
    incident = file(staff, category)
    services.add_note(incident_id=incident.pk, actor=member, text="Chúng tôi đang xử lý", to_reporter=True)
    update = timeline_of(staff, incident).get(text="Chúng tôi đang xử lý")
    assert (update.action, update.actor) == (IncidentEvent.Action.UPDATE, member)
    assert told(staff, "incidents.status_changed") == 1


def test_a_note_on_a_report_from_the_gate_tells_nobody(member, leader, category):
    incident = file(member, category, reporter_name="Khách ở cổng, 0912 345 678")
    assert incident.reporter is None
    services.add_note(incident_id=incident.pk, actor=leader, text="Đã gọi lại cho khách", to_reporter=True)
    assert incident.events.filter(action=IncidentEvent.Action.UPDATE).exists()
    assert not Notification.objects.filter(kind="incidents.status_changed").exists()


def test_what_the_reporter_adds_is_kept_and_the_assignee_is_told(staff, member, leader, category):
    incident = file(staff, category)
    services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=incident.version)
    services.add_info(incident_id=incident.pk, actor=staff, text="Xe màu đỏ, biển 99A")
    info = timeline_of(staff, incident).get(action=IncidentEvent.Action.INFO)
    assert (info.text, info.actor) == ("Xe màu đỏ, biển 99A", staff)
    assert timeline_of(member, incident).filter(pk=info.pk).exists()
    assert told(member, "incidents.info_added") == 1
    assert told(leader, "incidents.info_added") == 0


def test_what_the_reporter_adds_to_an_unassigned_incident_tells_nobody(staff, category):
    incident = file(staff, category)
    services.add_info(incident_id=incident.pk, actor=staff, text="Thêm chi tiết")
    assert incident.events.filter(action=IncidentEvent.Action.INFO, text="Thêm chi tiết").exists()
    assert not Notification.objects.filter(kind="incidents.info_added").exists()


# --- what the transitions save ----------------------------------------------------------------------


def test_acknowledging_is_saved_once_and_stops_the_acknowledge_clock(staff, member, category):
    incident = file(staff, category)
    assert saved(incident).sla_check_at < incident.acknowledge_due_at  # an acknowledge reminder is due first
    before = timezone.now()
    incident = move(incident, "acknowledge", member)
    assert before <= incident.acknowledged_at <= timezone.now()
    assert incident.sla_check_at > incident.acknowledge_due_at  # next: the resolve reminder, no acknowledge breach
    first = incident.acknowledged_at
    assert move(incident, "start", member).acknowledged_at == first


@pytest.mark.parametrize("name", ["start", "escalate"])
def test_leaving_new_in_any_direction_but_rejection_acknowledges(name, staff, leader, category):
    incident = file(staff, category)
    assert move(incident, name, leader).acknowledged_at is not None


def test_a_rejected_report_was_never_acknowledged(staff, leader, category):
    incident = move(file(staff, category), "reject", leader)
    assert incident.status == S.REJECTED and incident.acknowledged_at is None
    assert incident.sla_check_at is None  # nothing more to remind anyone of


def test_closing_saves_when_and_leaves_nothing_to_watch(staff, member, leader, category):
    incident = move(file(staff, category), "start", member)
    incident = move(incident, "resolve", member)
    assert incident.closed_at is None and incident.sla_check_at is None
    before = timezone.now()
    incident = move(incident, "close", leader)
    assert incident.status == S.CLOSED and before <= incident.closed_at <= timezone.now()
    assert incident.sla_check_at is None


@pytest.mark.parametrize("status", RULES["reopen"].sources)
def test_reopening_puts_it_back_in_progress_on_record(status, staff, deputy, category):
    incident = file(staff, category)
    escalated_at = timezone.now() - timedelta(hours=1)
    incident = put_in(incident, status, closed_at=escalated_at, escalation_level=2, escalation_due_at=escalated_at)
    incident = move(incident, "reopen", deputy, reason="Tái diễn, phải xử lý tiếp")
    assert incident.status == S.IN_PROGRESS
    assert (incident.closed_at, incident.escalation_level, incident.escalation_due_at) == (None, 0, None)
    assert incident.sla_check_at is not None  # the clock runs again
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REOPEN)
    assert (entry.actor, entry.object_id) == (deputy, str(incident.pk))
    assert entry.detail == f"{status} -> {S.IN_PROGRESS}: Tái diễn, phải xử lý tiếp"
    change = timeline_of(staff, incident).get(action=IncidentEvent.Action.STATUS)
    assert (change.old_value, change.new_value) == (status, S.IN_PROGRESS)
    assert told(staff, "incidents.status_changed") == 1


def test_an_escalation_goes_to_the_first_level_of_the_chain_with_the_reason(
    staff, leader, chief, make_user, positions, category
):
    in_charge = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    EscalationLevel.objects.create(
        order=1, position=positions["deputy_chief"], person_in_charge=in_charge, acknowledge_within=30
    )
    EscalationLevel.objects.create(order=2, position=positions["chief"], acknowledge_within=60)
    before = timezone.now()
    incident = move(file(staff, category), "escalate", leader)
    assert (incident.status, incident.escalation_level) == (S.ESCALATED, 1)
    assert before + timedelta(minutes=30) <= incident.escalation_due_at <= timezone.now() + timedelta(minutes=30)
    assert (told(in_charge, "incidents.escalated"), told(chief, "incidents.escalated")) == (1, 0)
    escalated = incident.events.get(action=IncidentEvent.Action.ESCALATED)
    assert (escalated.actor, escalated.text) == (leader, REASON)


def test_no_other_transition_is_audited_as_a_reopening(staff, member, leader, category):
    incident = move(file(staff, category), "start", member)
    incident = move(incident, "resolve", member)
    move(incident, "close", leader)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REOPEN).exists()


def test_an_unknown_transition_is_refused(staff, leader, category):
    incident = file(staff, category)
    with pytest.raises(PermissionDenied):
        move(incident, "launch", leader)
    assert saved(incident).version == incident.version


# --- assignment ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("assigner", ["leader", "deputy"])
def test_the_leader_or_deputy_assigns_and_the_assignee_is_told(assigner, people, staff, member, category):
    incident = file(staff, category)
    services.assign(incident_id=incident.pk, assignee=member, actor=people[assigner], version=incident.version)
    after = saved(incident)
    assert (after.assignee, after.version) == (member, incident.version + 1)
    event = after.events.get(action=IncidentEvent.Action.ASSIGNED)
    assert (event.actor, event.field, event.old_value, event.new_value) == (
        people[assigner],
        "assignee",
        "",
        str(member),
    )
    notice = Notification.objects.get(recipient=member, kind="incidents.assigned")
    assert notice.url == incident.get_absolute_url()


def test_reassigning_records_who_had_it_before(staff, member, deputy, leader, category):
    incident = file(staff, category)
    services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=incident.version)
    services.assign(incident_id=incident.pk, assignee=deputy, actor=leader, version=incident.version + 1)
    last = saved(incident).events.filter(action=IncidentEvent.Action.ASSIGNED).last()
    assert (last.old_value, last.new_value) == (str(member), str(deputy))
    assert saved(incident).assignee == deputy


def test_nobody_is_told_he_assigned_himself(staff, leader, category):
    incident = file(staff, category)
    services.assign(incident_id=incident.pk, assignee=leader, actor=leader, version=incident.version)
    assert saved(incident).assignee == leader
    assert told(leader, "incidents.assigned") == 0


@pytest.mark.parametrize("role", ["staff", "member", "chief"])
def test_only_the_leader_or_deputy_may_assign(role, people, staff, member, category):
    incident = file(staff, category)
    with pytest.raises(PermissionDenied):
        services.assign(incident_id=incident.pk, assignee=member, actor=people[role], version=incident.version)
    after = saved(incident)
    assert (after.assignee, after.version) == (None, incident.version)
    assert told(member, "incidents.assigned") == 0


def test_a_closed_incident_is_not_reassigned(staff, member, leader, category):
    incident = put_in(file(staff, category), S.CLOSED)
    with pytest.raises(PermissionDenied):
        services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=incident.version)
    assert saved(incident).assignee is None


# --- marking a duplicate -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.NEW, S.ACKNOWLEDGED])
@pytest.mark.parametrize("who", ["leader", "deputy"])
def test_a_duplicate_is_saved_linked_and_the_reporter_told(status, who, people, staff, category):
    original = file(staff, category)
    copy = put_in(file(staff, category), status)
    services.mark_duplicate(
        incident_id=copy.pk, actor=people[who], version=copy.version, original_reference=f" {original.reference} "
    )
    after = saved(copy)
    assert (after.status, after.duplicate_of, after.version) == (S.DUPLICATE, original, copy.version + 1)
    assert after.sla_check_at is None  # a duplicate is not chased
    change = timeline_of(staff, copy).get(action=IncidentEvent.Action.STATUS)
    assert (change.field, change.old_value, change.new_value, change.text, change.actor) == (
        "status",
        status,
        S.DUPLICATE,
        original.reference,
        people[who],
    )
    assert told(staff, "incidents.status_changed") == 1


@pytest.mark.parametrize("status", [S.IN_PROGRESS, S.ESCALATED, S.RESOLVED, S.CLOSED, S.REJECTED, S.DUPLICATE])
def test_only_new_or_acknowledged_incidents_are_marked_duplicate(status, staff, leader, category):
    original = file(staff, category)
    copy = put_in(file(staff, category), status)
    with pytest.raises(PermissionDenied):
        services.mark_duplicate(
            incident_id=copy.pk, actor=leader, version=copy.version, original_reference=original.reference
        )
    assert (saved(copy).status, saved(copy).duplicate_of) == (status, None)


@pytest.mark.parametrize("role", ["staff", "member", "chief"])
def test_only_the_leader_or_deputy_marks_a_duplicate(role, people, staff, category):
    original, copy = file(staff, category), file(staff, category)
    with pytest.raises(PermissionDenied):
        services.mark_duplicate(
            incident_id=copy.pk, actor=people[role], version=copy.version, original_reference=original.reference
        )
    assert (saved(copy).status, saved(copy).duplicate_of) == (S.NEW, None)


def test_the_reporter_is_not_told_of_his_own_duplicate(leader, category):
    original, copy = file(leader, category), file(leader, category)
    services.mark_duplicate(incident_id=copy.pk, actor=leader, version=None, original_reference=original.reference)
    assert saved(copy).status == S.DUPLICATE
    assert told(leader, "incidents.status_changed") == 0


REFUSALS = {  # role, form, what he sends (names stand for the incidents and people of the test), message
    "unknown original": ("leader", "duplicate", {"original_reference": "VV-1999-0001"}, services.NO_SUCH_REFERENCE),
    "itself": ("leader", "duplicate", {"original_reference": "copy"}, services.DUPLICATE_OF_ITSELF),
    "duplicate by a member": ("member", "duplicate", {"original_reference": "original"}, services.NOT_ALLOWED_MESSAGE),
    "escalation without reason": ("leader", "transition", {"action": "escalate"}, services.REASON_NEEDED_MESSAGE),
    "acknowledged by the reporter": ("staff", "transition", {"action": "acknowledge"}, services.NOT_ALLOWED_MESSAGE),
    "assignment by a member": ("member", "assign", {"assignee": "member"}, services.NOT_ALLOWED_MESSAGE),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_action_tells_the_user_why_on_the_page(case, people, staff, category, client):
    role, url_name, data, message = REFUSALS[case]
    original, copy = file(staff, category), file(staff, category)
    names = {"original": original.reference, "copy": copy.reference, "member": people["member"].pk}
    client.force_login(people[role])
    url = reverse(f"incidents:{url_name}", args=[copy.pk])
    sent = {"version": copy.version, **{key: names.get(value, value) for key, value in data.items()}}
    response = client.post(url, sent, follow=True)
    assert [str(m) for m in response.context["messages"]] == [str(message)]
    after = saved(copy)
    assert (after.status, after.version, after.assignee, after.duplicate_of) == (S.NEW, copy.version, None, None)


# --- TT 124 flags and reports to the authorities (criterion 3) ----------------------------------------

FLAGS = {"tt124_item": "đ", "police_confirmed_serious": True, "force_majeure": False}


def set_flags(incident, actor, values=FLAGS, version=None):
    version = incident.version if version is None else version
    services.set_tt124_flags(incident_id=incident.pk, actor=actor, version=version, values=values)
    return saved(incident)


@pytest.fixture
def plain_leader(team, make_user, positions):
    """A team leader who is not also office leadership (the `leader` fixture is a Deputy Chief)."""
    user = make_user("Đỗ Văn Bình", position=positions["specialist"])
    appoint(team, user, Membership.Role.LEADER)
    return user


@pytest.mark.parametrize("who", ["plain_leader", "chief"])
def test_the_team_leader_or_the_leadership_sets_the_tt124_flags(who, request, staff, member, category):
    actor = request.getfixturevalue(who)
    incident = file(staff, category)
    after = set_flags(incident, actor)
    assert (after.tt124_item, after.police_confirmed_serious, after.force_majeure) == ("đ", True, False)
    assert after.version == incident.version + 1
    events = after.events.filter(action=IncidentEvent.Action.FLAGS)
    assert set(events.values_list("field", "old_value", "new_value", "actor")) == {
        ("tt124_item", "", "đ", actor.pk),
        ("police_confirmed_serious", "False", "True", actor.pk),
    }
    assert timeline_of(member, incident).filter(action=IncidentEvent.Action.FLAGS).count() == 2
    assert not timeline_of(staff, incident).filter(action=IncidentEvent.Action.FLAGS).exists()


def test_setting_the_same_flags_again_changes_nothing(staff, leader, category):
    incident = set_flags(file(staff, category), leader)
    again = set_flags(incident, leader)
    assert again.version == incident.version
    assert again.events.filter(action=IncidentEvent.Action.FLAGS).count() == 2


@pytest.mark.parametrize("role", ["staff", "member", "deputy"])
def test_nobody_else_sets_the_tt124_flags(role, people, staff, category):
    incident = file(staff, category)
    with pytest.raises(PermissionDenied):
        set_flags(incident, people[role])
    after = saved(incident)
    assert (after.tt124_item, after.police_confirmed_serious, after.version) == ("", False, incident.version)
    assert not after.events.filter(action=IncidentEvent.Action.FLAGS).exists()


def report_to_police(incident, actor, **fields):
    notified_at = timezone.make_aware(timezone.datetime(2026, 3, 5, 9, 40))
    values = {"agency": ExternalReport.Agency.WARD_POLICE, "notified_at": notified_at, **fields}
    return services.record_external_report(incident_id=incident.pk, actor=actor, fields=values)


@pytest.mark.parametrize("role", ["member", "deputy", "leader"])
def test_a_team_member_records_a_report_to_the_authorities(role, people, staff, category, english_text):
    incident = file(staff, category)
    report_to_police(incident, people[role], agency_detail="Công an phường 1", case_reference="CA-17")
    report = ExternalReport.objects.get(incident=incident)
    assert (report.agency, report.notified_by) == (ExternalReport.Agency.WARD_POLICE, people[role])
    assert (report.agency_detail, report.case_reference) == ("Công an phường 1", "CA-17")
    event = incident.events.get(action=IncidentEvent.Action.EXTERNAL)
    assert (event.actor, event.new_value, event.text) == (
        people[role],
        "Ward police 05/03/2026 09:40",
        "Công an phường 1 · CA-17",
    )
    assert not timeline_of(staff, incident).filter(pk=event.pk).exists()


def test_a_report_without_details_leaves_no_dangling_separator(staff, member, category):
    incident = file(staff, category)
    report_to_police(incident, member, case_reference="CA-18")
    assert incident.events.get(action=IncidentEvent.Action.EXTERNAL).text == "CA-18"


@pytest.mark.parametrize("role", ["staff", "chief"])
def test_nobody_off_the_team_records_a_report_to_the_authorities(role, people, staff, category):
    incident = file(staff, category)
    with pytest.raises(PermissionDenied):
        report_to_police(incident, people[role])
    assert not ExternalReport.objects.exists()
    assert not incident.events.filter(action=IncidentEvent.Action.EXTERNAL).exists()


# --- stale versions ------------------------------------------------------------------------------------


def _transition(incident, version, *, leader, member, original):
    services.transition(incident_id=incident.pk, name="start", actor=leader, version=version)


def _assign(incident, version, *, leader, member, original):
    services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=version)


def _flags(incident, version, *, leader, member, original):
    services.set_tt124_flags(incident_id=incident.pk, actor=leader, version=version, values=FLAGS)


def _duplicate(incident, version, *, leader, member, original):
    services.mark_duplicate(
        incident_id=incident.pk, actor=leader, version=version, original_reference=original.reference
    )


@pytest.mark.parametrize("change", [_transition, _assign, _flags, _duplicate], ids=lambda f: f.__name__[1:])
def test_a_change_based_on_a_stale_page_is_refused(change, staff, member, leader, category):
    original, incident = file(staff, category), file(staff, category)
    who = {"leader": leader, "member": member, "original": original}
    seen = incident.version
    services.add_note(incident_id=incident.pk, actor=member, text="x", to_reporter=False)  # no version: no bump
    move(incident, "acknowledge", member)  # someone else changed it meanwhile
    with pytest.raises(services.Conflict):
        change(incident, seen, **who)
    after = saved(incident)
    assert (after.status, after.version, after.assignee, after.tt124_item, after.duplicate_of) == (
        S.ACKNOWLEDGED,
        seen + 1,
        None,
        "",
        None,
    )
    change(incident, after.version, **who)  # with the version he now sees, it goes through
    assert saved(incident).version == after.version + 1

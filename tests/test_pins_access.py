"""Who may do what, pinned from the intent (README, the module docstrings), not from running the code.

The fears behind these tests: a staff member reading incidents that are not his, a confidential reporter named
to the wrong person, a rule that answers "yes" to a deactivated account, a new rule nobody thought through.

Personas are named by role. `leader` here leads the team but is NOT in the office leadership (the conftest
leader is also a Deputy Chief, so he would satisfy every branch of a rule at once).
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core import access
from duty import services as duty_services
from evaluations.models import (
    Assessment,
    Commendation,
    DisciplineRecord,
    DocumentKind,
    Draft,
    Evaluation,
    Evidence,
    IssuedDocument,
)
from evaluations.services import cycle
from incidents import services
from incidents.access import reporter_visible
from incidents.models import Category, Incident, IncidentEvent, Status
from reports.models import PeriodicReport
from team import services as team_services
from team.models import DutyShift, Membership, Team, User
from team.roles import Role, forget_roles, roles_of
from tests.conftest import appoint
from tests.evaluation_support import ensure_tt124_data
from tests.support.duty import shift_from, shift_now
from tests.support.incidents import report

VISITOR = "Nguyễn Văn Bình, 0912 345 678"

LIVE = frozenset({"staff", "member", "deputy", "leader", "chief", "deputy_chief", "acting_chief", "admin"})
TEAM = frozenset({"member", "deputy", "leader"})
IN_COMMAND = frozenset({"deputy", "leader"})
LEADERSHIP = frozenset({"chief", "deputy_chief", "acting_chief"})
SIGNERS = frozenset({"chief", "acting_chief"})  # the Chief, or the Deputy Chief acting for him
ADMIN = frozenset({"admin"})
NOBODY = frozenset()


@pytest.fixture
def people(office, team, staff, member, deputy, chief, admin_user, make_user, positions):
    """Every persona, plus two who may never do anything: an anonymous visitor and a deactivated account."""
    leader = make_user("Vũ Đức Thắng", position=positions["specialist"])
    appoint(team, leader, Membership.Role.LEADER)
    deputy_chief = make_user("Đặng Thu Hà", position=positions["deputy_chief"])
    acting_chief = make_user("Bùi Văn Khoa", position=positions["deputy_chief"])
    office.acting_chief = acting_chief
    office.save()
    # Held everything (Chief, administrator, team member) before the account was switched off.
    inactive = make_user("Cựu Chánh Văn phòng", position=positions["chief"], is_staff=True)
    appoint(team, inactive)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    inactive = User.objects.get(pk=inactive.pk)
    return {
        "anonymous": AnonymousUser(),
        "inactive": inactive,
        "staff": staff,
        "member": member,
        "deputy": deputy,
        "leader": leader,
        "chief": chief,
        "deputy_chief": deputy_chief,
        "acting_chief": acting_chief,
        "admin": admin_user,
    }


def file(filed_by, **fields):
    category = Category.objects.get_or_create(code="theft", defaults={"name": "Trộm cắp"})[0]
    return report(filed_by, category, **fields)


def closed(incident):
    Incident.objects.filter(pk=incident.pk).update(status=Status.CLOSED)
    return Incident.objects.get(pk=incident.pk)


# --- the objects the rules are asked about ----------------------------------------------------


def for_staff_in_confidence(p):
    """The member at the gate filed it for a staff member who asked to stay anonymous."""
    return file(p["member"], reporter=p["staff"], confidential_reporter=True)


def visitor_in_confidence(p):
    return file(p["member"], reporter_name=VISITOR, confidential_reporter=True)


def openly_reported(p):
    return file(p["member"], reporter=p["staff"])


def evaluation(status):
    return lambda p: Evaluation(year=2026, status=status)


def assessment(status=Evaluation.Status.PREPARING, result=Assessment.Result.MET, by="member"):
    return lambda p: Assessment(evaluation=Evaluation(year=2026, status=status), result=result, assessed_by=p[by])


def commendation(status, by="member"):
    return lambda p: Commendation(year=2026, status=status, person=p["staff"], proposed_by=p[by])


E, C = Evaluation.Status, Commendation.Status


def members_shift(p):
    return shift_now(Team.objects.get(), p["member"])


def members_shift_tomorrow(p):
    return shift_from(Team.objects.get(), p["member"], timezone.now() + timedelta(days=1))


def handed_to_deputy(p):
    shift = members_shift(p)
    shift_from(Team.objects.get(), p["deputy"], shift.ends_at)
    duty_services.hand_over(shift=shift, actor=p["member"], premises="", instructions="")
    return DutyShift.objects.select_related("handover__next_shift").get(pk=shift.pk)


def taken_over_by_deputy(p):
    handover = handed_to_deputy(p).handover
    return duty_services.receive(handover=handover, actor=p["deputy"])


def by_evaluation_status(allowed_in: dict) -> list:
    return [(f"evaluation {s}", evaluation(s), allowed_in.get(s, NOBODY)) for s in E.values]


def by_commendation_status(allowed_in: dict) -> list:
    return [(f"commendation {s}", commendation(s), allowed_in.get(s, NOBODY)) for s in C.values]


UNLOCKED = (E.PREPARING, E.AWAITING_SIGN_OFF)
LOCKED = (E.SIGNED_OFF, E.SUBMITTED, E.DECIDED)


def visit(state: str):
    """A visitor the staff member registered (and hosts): still awaited, or arrived."""

    def build(p):
        from tests.support.visitors import expected

        registration = expected(p["staff"])
        if state == "arrived":
            registration.checked_in_at, registration.checked_in_by = timezone.now(), p["member"]
        return registration

    return build


def member_on_duty_now(p):
    from tests.support.visitors import put_on_duty

    put_on_duty(p["member"].memberships.first().team, p["member"])
    p["member"].__dict__.pop("_visitors_on_duty", None)  # asked before, off duty, in the same test
    return None


GATE_KEEPERS = [
    ("nobody on duty", None, IN_COMMAND),
    ("the member on duty now", member_on_duty_now, IN_COMMAND | {"member"}),
]


# action -> [(what it is asked about, how to build it (None: no object), who may)]
def periodic_report(status):
    def build(people):
        return PeriodicReport(kind="monthly", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31), status=status)

    return build


EXPECTED = {
    # --- the team roster, the audit log, the second factor, notifications -------------------
    "team.view": [("", None, LIVE)],
    "team.manage_roster": [("", None, ADMIN)],
    "team.manage_duty": [("", None, ADMIN)],
    "audit.view": [("", None, ADMIN)],
    "mfa.reset_for_others": [("", None, ADMIN)],
    "notifications.use_inbox": [("", None, LIVE)],
    "notifications.manage_deliveries": [("", None, ADMIN)],
    # --- campaigns ----------------------------------------------------------------------------
    "campaigns.manage": [("", None, TEAM | ADMIN)],
    "campaigns.view_coverage": [("", None, TEAM | LEADERSHIP | ADMIN)],
    # --- incidents ----------------------------------------------------------------------------
    "incidents.file": [("", None, LIVE)],
    "incidents.file_on_behalf": [("", None, TEAM)],
    "incidents.view_queue": [("", None, TEAM | LEADERSHIP | ADMIN)],
    "incidents.export": [("", None, TEAM | LEADERSHIP | ADMIN)],
    "incidents.see_reporter": [
        ("staff reporter in confidence", for_staff_in_confidence, IN_COMMAND | LEADERSHIP | {"staff", "member"}),
        ("visitor in confidence, filed by member", visitor_in_confidence, IN_COMMAND | LEADERSHIP | {"member"}),
        ("reported openly", openly_reported, LIVE),
    ],
    "incidents.assign": [
        ("open", for_staff_in_confidence, IN_COMMAND),
        ("closed", lambda p: closed(for_staff_in_confidence(p)), NOBODY),
    ],
    "incidents.regrade": [
        ("open", openly_reported, IN_COMMAND),
        ("closed", lambda p: closed(openly_reported(p)), NOBODY),
    ],
    "incidents.write_note": [("open", openly_reported, TEAM | LEADERSHIP)],
    "incidents.add_info": [
        ("open, reported by staff, filed by member", for_staff_in_confidence, {"staff", "member"}),
        ("open, visitor's, filed by member", visitor_in_confidence, {"member"}),
        ("closed", lambda p: closed(for_staff_in_confidence(p)), NOBODY),
    ],
    "incidents.set_tt124_flags": [("open", openly_reported, {"leader"} | LEADERSHIP)],
    "incidents.manage_catalog": [("", None, ADMIN)],
    "incidents.record_external": [("open", openly_reported, TEAM)],
    # --- the annual evaluation ------------------------------------------------------------------
    "evaluations.view": [("", None, TEAM | LEADERSHIP | ADMIN)],
    "evaluations.start_year": [("", None, IN_COMMAND)],
    "evaluations.prepare": by_evaluation_status(dict.fromkeys(UNLOCKED, TEAM)),
    "evaluations.edit_settings": by_evaluation_status(dict.fromkeys(UNLOCKED, IN_COMMAND)),
    "evaluations.plan": by_evaluation_status(dict.fromkeys((*UNLOCKED, E.SIGNED_OFF, E.SUBMITTED), IN_COMMAND)),
    "evaluations.review": [
        ("met, by a member", assessment(), IN_COMMAND | LEADERSHIP),
        ("met, awaiting sign-off", assessment(E.AWAITING_SIGN_OFF), IN_COMMAND | LEADERSHIP),
        ("met, by the deputy: never his own", assessment(by="deputy"), {"leader"} | LEADERSHIP),
        ("not assessed yet", assessment(result=Assessment.Result.PENDING), NOBODY),
        *[(f"met, {s}", assessment(s), NOBODY) for s in LOCKED],
    ],
    "evaluations.send_for_sign_off": by_evaluation_status({E.PREPARING: {"leader"}}),
    "evaluations.sign_off": by_evaluation_status({E.AWAITING_SIGN_OFF: SIGNERS}),
    "evaluations.reopen": by_evaluation_status({E.SIGNED_OFF: SIGNERS, E.SUBMITTED: SIGNERS}),
    "evaluations.record_outcome": by_evaluation_status(dict.fromkeys(LOCKED, IN_COMMAND)),
    "evaluations.score_movement": by_evaluation_status(dict.fromkeys((*UNLOCKED, *LOCKED[:2]), TEAM)),
    "evaluations.rate_units": [
        ("no evaluation that year", None, TEAM | LEADERSHIP),
        *by_evaluation_status(dict.fromkeys(UNLOCKED, TEAM | LEADERSHIP)),
    ],
    "evaluations.see_discipline": [("", None, LEADERSHIP | ADMIN)],
    "evaluations.record_discipline": [("", None, LEADERSHIP | ADMIN)],
    "evaluations.edit_draft": [("", None, TEAM)],
    "evaluations.issue_document": [("", None, IN_COMMAND)],
    "evaluations.view_register": [("", None, TEAM | LEADERSHIP | ADMIN)],
    "evaluations.propose_commendation": [("", None, TEAM)],
    "evaluations.review_commendation": [
        *by_commendation_status({C.PROPOSED: {"leader"}}),
        ("proposed by the leader himself", commendation(C.PROPOSED, by="leader"), NOBODY),
    ],
    "evaluations.decide_commendation": by_commendation_status({C.PROPOSED: SIGNERS, C.REVIEWED: SIGNERS}),
    "evaluations.record_commendation_decision": by_commendation_status({C.APPROVED: IN_COMMAND | SIGNERS}),
    "evaluations.administer": [("", None, ADMIN)],
    # --- the working calendar ----------------------------------------------------------------------
    "workcalendar.manage": [("", None, ADMIN)],
    "dashboard.view": [("", None, IN_COMMAND | LEADERSHIP | ADMIN)],
    # --- visitors at the gate ---------------------------------------------------------------------
    "visitors.register": [("", None, LIVE)],
    "visitors.edit_registration": [("awaited", visit("awaited"), {"staff"}), ("arrived", visit("arrived"), NOBODY)],
    "visitors.view_gate": [("", None, TEAM)],
    "visitors.keep_gate": GATE_KEEPERS,
    "visitors.see_id_number": GATE_KEEPERS,
    "visitors.export": GATE_KEEPERS,
    "visitors.export_id_numbers": [("", None, IN_COMMAND)],
    "visitors.administer": [("", None, ADMIN)],
    "reports.view": [("", None, IN_COMMAND | LEADERSHIP | ADMIN)],
    # --- the duty logbook: the shift's own people write; the command and the leadership read every log
    "duty.my_shift": [("", None, TEAM)],
    "duty.view_log": [
        ("the member's shift", members_shift, {"member"} | IN_COMMAND | LEADERSHIP),
        ("handed over to the deputy's shift", handed_to_deputy, {"member", "deputy"} | IN_COMMAND | LEADERSHIP),
    ],
    "duty.write": [
        ("the member's shift, in progress", members_shift, {"member"}),
        ("a shift of tomorrow", members_shift_tomorrow, NOBODY),
        ("handed over: the log is closed", handed_to_deputy, NOBODY),
    ],
    "duty.hand_over": [
        ("the member's shift, in progress", members_shift, {"member"}),
        ("already handed over", handed_to_deputy, NOBODY),
    ],
    "duty.correct": [("the member's shift", members_shift, {"member"} | IN_COMMAND)],
    "duty.receive": [
        ("handed over to the deputy's shift", lambda p: handed_to_deputy(p).handover, {"deputy"}),
        ("already taken over", taken_over_by_deputy, NOBODY),
    ],
    "duty.daily_log": [("", None, IN_COMMAND | LEADERSHIP)],
    "duty.keys": [("", None, TEAM)],
    "reports.edit": [
        ("", None, IN_COMMAND),
        ("a draft", periodic_report(PeriodicReport.Status.DRAFT), IN_COMMAND),
        ("an issued report is not edited", periodic_report(PeriodicReport.Status.ISSUED), NOBODY),
    ],
    # --- patrol rounds: the command plans, the team walks (the scan then checks who is on duty) ----------
    "patrols.manage": [("", None, IN_COMMAND)],
    "patrols.view_rounds": [("", None, TEAM)],
    "patrols.scan": [("", None, TEAM)],
    "patrols.administer": [("", None, ADMIN)],
}


def test_every_registered_rule_has_a_row_in_the_table():
    """A new rule must be thought through for every persona before it is registered."""
    assert set(EXPECTED) == set(access.registered_actions())


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_who_may_do_what(people, action):
    for label, build, allowed in EXPECTED[action]:
        obj = build(people) if build else None
        may = {name for name, user in people.items() if access.can(user, action, obj)}
        assert may == allowed, (action, label)


# --- incidents filed on someone's behalf: who sees them ---------------------------------------


@pytest.fixture
def other_staff(make_user, positions):
    return make_user("Cao Thị Mai", position=positions["specialist"])


def listed(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("incidents:list")).content.decode()


def opens(client, user, incident) -> int:
    client.force_login(user)
    return client.get(incident.get_absolute_url()).status_code


def test_the_staff_member_sees_the_incident_filed_on_his_behalf_and_no_other_staff_member_does(
    client, member, staff, other_staff
):
    incident = file(member, reporter=staff)
    assert opens(client, staff, incident) == 200
    assert incident.reference in listed(client, staff)
    assert opens(client, member, incident) == 200
    assert incident.reference in listed(client, member)
    assert opens(client, other_staff, incident) == 404
    assert incident.reference not in listed(client, other_staff)


def test_an_incident_a_visitor_reported_is_invisible_to_staff(client, member, staff):
    incident = file(member, reporter_name=VISITOR)
    assert Incident.objects.get(pk=incident.pk).reporter_id is None
    assert opens(client, staff, incident) == 404
    assert incident.reference not in listed(client, staff)
    assert opens(client, member, incident) == 200


def test_a_member_who_filed_for_a_visitor_still_sees_it_after_leaving_the_team(client, member):
    incident = file(member, reporter_name=VISITOR)
    team_services.end_membership(membership=Membership.objects.get(user=member), end_date=date(2025, 1, 1))
    former = User.objects.get(pk=member.pk)
    assert roles_of(former) == {Role.STAFF}
    assert opens(client, former, incident) == 200
    assert incident.reference in listed(client, former)


def test_a_reporter_reads_the_updates_meant_for_him_never_the_internal_notes(member, staff):
    incident = file(member, reporter=staff)
    services.add_note(incident_id=incident.pk, actor=member, text="Đã báo công an phường", to_reporter=True)
    services.add_note(incident_id=incident.pk, actor=member, text="Nghi người nhà", to_reporter=False)

    def texts(user):
        return set(access.visible(user, IncidentEvent.objects.filter(incident=incident)).values_list("text", flat=True))

    assert "Đã báo công an phường" in texts(staff)
    assert "Nghi người nhà" not in texts(staff)
    assert {"Đã báo công an phường", "Nghi người nhà"} <= texts(member)


# --- what each persona sees of the evaluations ---------------------------------------------------


@pytest.fixture
def evaluation_records(people, settings, tmp_path):
    """One row of each kind, as the evaluation's pages list them."""
    settings.MEDIA_ROOT = tmp_path
    ensure_tt124_data()
    year = cycle.start_year(year=2026, actor=people["leader"])
    assessment = year.assessments.get(criterion__code="1")
    evidence = Evidence(evaluation=year, assessment=assessment, title="Biên bản", added_by=people["member"])
    evidence.original_name, evidence.extension, evidence.content_type = "bien-ban.pdf", ".pdf", "application/pdf"
    evidence.file.save("bien-ban.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    draft = Draft.objects.create(evaluation=year, kind=DocumentKind.PLEDGE, summary="Đăng ký", body="x")
    issued = IssuedDocument(draft=draft, version=1, number=1, number_text="01/ĐK-VP", issued_on=date(2026, 3, 1))
    issued.summary, issued.body, issued.issued_by = "x", "x", people["leader"]
    issued.file.save("dang-ky.docx", ContentFile(b"PK\x03\x04"), save=False)
    issued.save()
    DisciplineRecord.objects.create(
        person=people["member"], form=1, decided_on=date(2026, 2, 1), recorded_by=people["chief"]
    )
    for status in (C.PROPOSED, C.APPROVED, C.DECIDED):
        Commendation.objects.create(
            year=2026,
            kind="ad_hoc",
            form="chief_certificate",
            person=people["staff"],
            achievement=status,
            proposed_by=people["member"],
            proposed_at=timezone.now(),
            status=status,
        )
    Commendation.objects.create(
        year=2026,
        kind="ad_hoc",
        form="chief_certificate",
        person=people["deputy_chief"],
        achievement="someone else's",
        proposed_by=people["member"],
        proposed_at=timezone.now(),
        status=C.APPROVED,
    )
    return [Evaluation, Evidence, Draft, IssuedDocument, DisciplineRecord]


def test_the_evaluation_and_its_papers_are_for_the_team_the_leadership_and_administrators(evaluation_records, people):
    for model in evaluation_records:
        allowed = LEADERSHIP | ADMIN if model is DisciplineRecord else TEAM | LEADERSHIP | ADMIN
        sees = {name for name, user in people.items() if access.visible(user, model.objects.all()).exists()}
        assert sees == allowed, model.__name__
        for name in allowed:
            assert access.visible(people[name], model.objects.all()).count() == model.objects.count(), name


def test_a_staff_member_sees_only_the_commendations_naming_him_once_approved(evaluation_records, people):
    def achievements(user):
        return sorted(access.visible(user, Commendation.objects.all()).values_list("achievement", flat=True))

    assert achievements(people["staff"]) == sorted([C.APPROVED, C.DECIDED])  # not someone else's
    for name in TEAM | LEADERSHIP | ADMIN:
        assert achievements(people[name]) == sorted([C.PROPOSED, C.APPROVED, C.DECIDED, "someone else's"]), name
    assert achievements(people["anonymous"]) == achievements(people["inactive"]) == []


# --- a confidential reporter: on the page and in a search -------------------------------------


def reporter_shown(client, user, incident) -> str:
    """What the page says in the "reporter" field."""
    client.force_login(user)
    body = client.get(incident.get_absolute_url()).content.decode()
    field = body.split('data-testid="reporter">', 1)[1]
    return field.split("</dd>", 1)[0]


@pytest.mark.parametrize(
    ("persona", "named"),
    [
        ("staff", True),  # the reporter himself
        ("member", True),  # he filed it
        ("deputy", True),
        ("leader", True),
        ("chief", True),
        ("deputy_chief", True),
        ("plain_member", False),
        ("admin", False),
    ],
)
def test_the_incident_page_names_a_confidential_reporter_only_to_those_allowed(
    client, people, team, make_user, persona, named
):
    plain_member = make_user("Ngô Văn Tư")
    appoint(team, plain_member)
    user = {**people, "plain_member": plain_member}[persona]
    incident = for_staff_in_confidence(people)
    shown = reporter_shown(client, user, incident)
    assert (people["staff"].full_name in shown) is named
    assert ("<em>" in shown) is not named  # "confidential" in its place


@pytest.mark.parametrize("persona", sorted(LIVE))
def test_anyone_who_opens_an_openly_reported_incident_sees_its_reporter(client, people, persona):
    incident = openly_reported(people)
    assert people["staff"].full_name in reporter_shown(client, people[persona], incident)


def test_a_search_by_a_confidential_visitors_name_finds_his_report_only_for_those_allowed(people):
    hidden = visitor_in_confidence(people)
    open_one = file(people["member"], reporter_name="Trần Văn Bình, 0987 654 321")

    def finds(user):
        found = set(Incident.objects.search("van binh", reporter_visible=reporter_visible(user)))
        return {incident.reporter_name for incident in found}

    for name, user in people.items():
        expected = {open_one.reporter_name}
        if name in IN_COMMAND | LEADERSHIP | {"member"}:  # the member filed it
            expected.add(hidden.reporter_name)
        assert finds(user) == expected, name


SEE_REPORTER = EXPECTED["incidents.see_reporter"]


def test_the_queryset_twin_of_see_reporter_agrees_with_the_table(people):
    """Searches and admin filter with reporter_visible(); it must single out the same people."""
    incidents = {label: build(people) for label, build, _allowed in SEE_REPORTER}
    # Filed by the deactivated account while he was still on the team: being its filer no longer counts.
    before_he_left = file(people["inactive"], reporter_name=VISITOR, confidential_reporter=True)
    for name, user in people.items():
        twin = set(Incident.objects.filter(reporter_visible(user)).values_list("pk", flat=True))
        expected = {
            incidents[label].pk
            for label, _build, allowed in SEE_REPORTER
            # Anonymous and deactivated accounts search nothing; the twin still keeps what is not confidential.
            if name in allowed or not incidents[label].confidential_reporter
        }
        if name in IN_COMMAND | LEADERSHIP:
            expected.add(before_he_left.pk)
        assert twin == expected, name
        events = IncidentEvent.objects.filter(reporter_visible(user, "incident__"))
        assert set(events.values_list("incident_id", flat=True)) == expected, name


# --- core.access itself -----------------------------------------------------------------------


@pytest.fixture
def fresh_registry(monkeypatch):
    """Empties the registry for the rest of the test, so rules made up here never leak into the application's.

    A call, not a fixture's setup: filing an incident asks the application's rules, so data comes first.
    """

    def empty():
        monkeypatch.setattr(access, "_rules", {})
        monkeypatch.setattr(access, "_scopes", {})

    return empty


def always(user, obj):
    return "yes"  # truthy, not True: can() must still answer a plain bool


def never(user, obj):
    return False


def test_a_registered_rule_is_asked_and_answers_a_plain_bool(fresh_registry, staff):
    fresh_registry()
    assert access.rule("test.always")(always) is always
    assert access.rule("test.never")(never) is never
    assert access.can(staff, "test.always") is True
    assert access.can(staff, "test.never") is False
    assert access.registered_actions() == ["test.always", "test.never"]


def test_the_rule_gets_the_user_and_the_object(fresh_registry, staff):
    fresh_registry()
    seen = []
    access.rule("test.spy")(lambda user, obj: seen.append((user, obj)) or True)
    access.can(staff, "test.spy", "the object")
    assert seen == [(staff, "the object")]


def test_registering_an_action_twice_with_another_rule_is_refused(fresh_registry):
    fresh_registry()
    access.rule("test.twice")(always)
    access.rule("test.twice")(always)  # the same rule again (a module imported twice) is fine
    with pytest.raises(ImproperlyConfigured, match="test.twice"):
        access.rule("test.twice")(never)
    assert access.can(AnonymousUser(), "test.twice") is False


def test_an_unregistered_action_is_a_programming_error(fresh_registry, staff):
    fresh_registry()
    with pytest.raises(ImproperlyConfigured, match="test.missing"):
        access.can(staff, "test.missing")


@pytest.mark.parametrize("who", ["anonymous", "inactive", "nobody"])
def test_an_anonymous_or_deactivated_user_may_do_nothing_whatever_the_rule(fresh_registry, people, who):
    user = {**people, "nobody": None}[who]
    openly_reported(people)
    fresh_registry()
    access.rule("test.always")(always)
    access.scope(Incident)(lambda user, queryset: queryset)
    assert access.can(user, "test.always") is False
    assert access.visible(user, Incident.objects.all()).count() == 0
    with pytest.raises(PermissionDenied):
        access.require(user, "test.always")


def test_require_lets_the_allowed_through_and_refuses_the_others(fresh_registry, staff):
    fresh_registry()
    access.rule("test.always")(always)
    access.rule("test.never")(never)
    access.rule("test.own")(lambda user, obj: obj == "his")
    assert access.require(staff, "test.always") is None
    assert access.require(staff, "test.own", "his") is None  # the rule is asked about this object
    with pytest.raises(PermissionDenied):
        access.require(staff, "test.never")
    with pytest.raises(PermissionDenied):
        access.require(staff, "test.own", "someone else's")


def test_a_scope_narrows_what_a_user_sees_and_an_invisible_object_is_a_404(fresh_registry, people):
    def own(user, queryset):
        return queryset.filter(reporter=user)

    mine, theirs = openly_reported(people), file(people["deputy"], reporter_name=VISITOR)
    fresh_registry()
    assert access.scope(Incident)(own) is own
    staff = people["staff"]
    assert list(access.visible(staff, Incident.objects.all())) == [mine]
    assert access.get_visible_or_404(staff, Incident.objects.all(), pk=mine.pk) == mine
    with pytest.raises(Http404):
        access.get_visible_or_404(staff, Incident.objects.all(), pk=theirs.pk)


def test_a_model_without_a_scope_is_a_programming_error_not_everything(fresh_registry, staff):
    fresh_registry()
    with pytest.raises(ImproperlyConfigured, match="Incident"):
        access.visible(staff, Incident.objects.all())


# --- team.roles: roles follow from the data ---------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "roles"),
    [
        ("nobody", set()),  # no user at all, e.g. a background job
        ("anonymous", set()),
        ("inactive", set()),
        ("staff", {Role.STAFF}),
        ("member", {Role.STAFF, Role.TEAM_MEMBER}),
        ("deputy", {Role.STAFF, Role.TEAM_MEMBER, Role.DEPUTY_TEAM_LEADER}),
        ("leader", {Role.STAFF, Role.TEAM_MEMBER, Role.TEAM_LEADER}),
        ("chief", {Role.STAFF, Role.LEADERSHIP}),
        ("deputy_chief", {Role.STAFF, Role.LEADERSHIP}),
        ("admin", {Role.STAFF, Role.ADMIN}),
    ],
)
def test_the_roles_each_person_holds(people, persona, roles):
    user = {**people, "nobody": None}[persona]
    if persona not in ("nobody", "anonymous"):
        user = User.objects.get(pk=user.pk)  # as a new request loads him
    assert roles_of(user) == roles


@pytest.mark.parametrize("persona", ["member", "deputy", "leader"])
def test_an_ended_membership_gives_no_team_role(people, persona):
    team_services.end_membership(membership=Membership.objects.get(user=people[persona]), end_date=date(2025, 1, 1))
    assert roles_of(User.objects.get(pk=people[persona].pk)) == {Role.STAFF}


def test_roles_are_kept_for_the_request_until_forgotten(team, staff):
    assert roles_of(staff) == {Role.STAFF}
    appoint(team, staff)
    assert roles_of(staff) == {Role.STAFF}  # the same request: still what it was
    forget_roles(staff)
    assert roles_of(staff) == {Role.STAFF, Role.TEAM_MEMBER}
    forget_roles(staff)
    forget_roles(staff)  # nothing cached: nothing to forget, no error
    assert roles_of(staff) == {Role.STAFF, Role.TEAM_MEMBER}

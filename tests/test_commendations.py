"""Commendation services: each step, who may take it and who may not, stale pages, and who is told (once)."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from campaigns.models import Campaign
from evaluations.models import Commendation
from evaluations.services import commendations as services
from evaluations.services.common import Conflict
from evaluations.services.cycle import start_year
from incidents import services as incident_services
from incidents.models import Severity
from notifications.models import Notification
from team.models import User
from tests.conftest import requires_postgresql

C = Commendation.Status
PROPOSED = "evaluations.commendation_proposed"
REVIEWED = "evaluations.commendation_reviewed"
DECIDED = "evaluations.commendation_decided"
GRANTED = "evaluations.commendation_granted"


# --- helpers shared with the page tests ----------------------------------------------------------


def fresh(user):
    """The same person as a new object: roles and signing rights are cached per request on the object."""
    return User.objects.get(pk=user.pk)


def file_incident(reporter, category, description="Phát hiện đối tượng trộm cắp xe máy tại cổng"):
    now = timezone.now()
    return incident_services.file_incident(
        filed_by=reporter,
        fields={
            "category": category,
            "occurred_at": now - timedelta(hours=2),
            "detected_at": now - timedelta(hours=1),
            "description": description,
            "proposed_severity": Severity.MEDIUM,
        },
    )


def make_campaign(organiser, **extra):
    today = timezone.localdate()
    fields = {
        "title": "Quán triệt Nội quy bảo vệ cơ quan",
        "theme": "internal_rules",
        "starts_on": today - timedelta(days=10),
        "ends_on": today - timedelta(days=3),
        "organiser": organiser,
        "status": Campaign.Status.COMPLETED,
        **extra,
    }
    return Campaign.objects.create(**fields)


def propose(actor, person=None, collective="", incidents=(), **fields):
    return services.propose(
        actor=actor,
        fields={
            "kind": fields.pop("kind", Commendation.Kind.AD_HOC),
            "form": fields.pop("form", Commendation.Form.CHIEF_CERTIFICATE),
            "person": person,
            "collective": collective,
            "achievement": fields.pop("achievement", "Bắt giữ đối tượng trộm cắp tại cổng cơ quan."),
            **fields,
        },
        incidents=incidents,
    )


def kinds_for(user) -> list[str]:
    commendations = Notification.objects.filter(recipient=user, kind__startswith="evaluations.commendation")
    return list(commendations.order_by("pk").values_list("kind", flat=True))


def make_acting(office, deputy_chief, *, until):
    office.acting_chief = deputy_chief
    office.acting_chief_from = timezone.localdate() - timedelta(days=3)
    office.acting_chief_until = until
    office.save()


# --- proposing -----------------------------------------------------------------------------------


def test_a_member_proposes_a_colleague_and_the_team_leader_is_told(member, deputy, leader, category, staff):
    incident = file_incident(staff, category)
    campaign = make_campaign(member)
    commendation = services.propose(
        actor=member,
        fields={
            "kind": Commendation.Kind.AD_HOC,
            "form": Commendation.Form.CHIEF_CERTIFICATE,
            "person": deputy,
            "collective": "",
            "achievement": "  Bắt giữ đối tượng trộm cắp.  ",
        },
        incidents=[incident],
        campaigns=[campaign.pk],
    )
    commendation.refresh_from_db()
    assert commendation.status == C.PROPOSED
    assert commendation.year == timezone.localdate().year  # the year defaults to this one
    assert commendation.proposed_by == member and commendation.proposed_at is not None
    assert commendation.achievement == "Bắt giữ đối tượng trộm cắp."
    assert list(commendation.incidents.all()) == [incident]
    assert list(commendation.campaigns.all()) == [campaign]
    assert kinds_for(leader).count(PROPOSED) == 1
    # Not the nominee (nothing is decided yet), not the proposer.
    assert PROPOSED not in kinds_for(deputy) and PROPOSED not in kinds_for(member)


def test_a_collective_can_be_proposed_for_a_given_year_and_evaluation(member, leader):
    year = timezone.localdate().year
    evaluation = start_year(year=year, actor=leader)
    commendation = propose(
        member,
        collective="Tổ bảo vệ an ninh, trật tự cơ quan",
        kind=Commendation.Kind.REGULAR,
        form=Commendation.Form.PROVINCE_MERIT,
        year=year,
        evaluation=evaluation,
    )
    assert commendation.person is None and commendation.nominee == "Tổ bảo vệ an ninh, trật tự cơ quan"
    assert commendation.evaluation == evaluation


def test_the_evaluation_must_be_the_one_of_the_year(member, leader):
    evaluation = start_year(year=timezone.localdate().year, actor=leader)
    with pytest.raises(ValidationError) as error:
        propose(member, collective="Tổ", year=evaluation.year - 1, evaluation=evaluation)
    assert "evaluation" in error.value.message_dict
    assert not Commendation.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "chief", "admin_user"])
def test_only_the_team_may_propose(request, persona, member):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied) as error:
        propose(actor, person=member)
    assert str(error.value) == str(services.MAY_NOT_PROPOSE)
    assert not Commendation.objects.exists()


def test_unknown_kinds_and_forms_are_refused(member, deputy):
    with pytest.raises(ValidationError) as error:
        propose(member, person=deputy, kind="yearly", form="medal")
    assert {"kind", "form"} <= set(error.value.message_dict)
    assert not Commendation.objects.exists()


def test_exactly_one_of_a_person_or_a_collective(member, deputy):
    with pytest.raises(ValidationError) as both:
        propose(member, person=deputy, collective="Tổ bảo vệ")
    assert both.value.message_dict == {"collective": [str(services.NOMINEE_TWICE)]}
    with pytest.raises(ValidationError) as neither:
        propose(member, collective="   ")
    assert neither.value.message_dict == {"person": [str(services.NOMINEE_MISSING)]}
    assert not Commendation.objects.exists()


def test_an_achievement_is_required_and_a_former_colleague_cannot_be_proposed(member, deputy, make_user):
    with pytest.raises(ValidationError) as empty:
        propose(member, person=deputy, achievement="  ")
    assert "achievement" in empty.value.message_dict
    gone = make_user("Người Đã Nghỉ", is_active=False)
    with pytest.raises(ValidationError) as inactive:
        propose(member, person=gone)
    assert "person" in inactive.value.message_dict
    assert not Commendation.objects.exists()


def test_links_only_to_incidents_and_campaigns_the_proposer_can_see(member, deputy, staff, category):
    incident = file_incident(staff, category)
    missing = incident.pk + 1000  # nothing there: visible() cannot return it
    with pytest.raises(PermissionDenied) as error:
        services.propose(
            actor=member,
            fields={"kind": "ad_hoc", "form": "chief_certificate", "person": deputy, "achievement": "Bắt trộm"},
            incidents=[incident.pk, missing],
        )
    assert str(error.value) == str(services.NOT_YOURS_TO_LINK)
    assert not Commendation.objects.exists()


# --- review --------------------------------------------------------------------------------------


def test_the_leader_reviews_and_the_chief_is_told(member, deputy, leader, chief):
    commendation = propose(member, person=deputy)
    reviewed = services.review(
        commendation_id=commendation.pk, actor=leader, version=commendation.version, note="Đồng ý đề nghị."
    )
    reviewed.refresh_from_db()
    assert reviewed.status == C.REVIEWED
    assert reviewed.reviewed_by == leader and reviewed.reviewed_at is not None
    assert reviewed.review_note == "Đồng ý đề nghị."
    assert reviewed.version == commendation.version + 1
    assert kinds_for(chief) == [REVIEWED]
    assert REVIEWED not in kinds_for(leader)  # he did it
    # A leader who is a Deputy Chief but not acting for the Chief is not asked to decide.
    assert services.deciders() == [chief]


@pytest.mark.parametrize("persona", ["member", "deputy", "staff", "chief"])
def test_only_the_team_leader_reviews(request, persona, leader, member, deputy):
    commendation = propose(leader, collective="Tổ bảo vệ")
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied) as error:
        services.review(commendation_id=commendation.pk, actor=actor, version=commendation.version)
    assert str(error.value) == str(services.MAY_NOT_REVIEW)
    commendation.refresh_from_db()
    assert commendation.status == C.PROPOSED


def test_the_leader_does_not_review_his_own_proposal_the_chief_decides_it(leader, member, chief):
    commendation = propose(leader, person=member)
    with pytest.raises(PermissionDenied) as error:
        services.review(commendation_id=commendation.pk, actor=leader, version=commendation.version)
    assert str(error.value) == str(services.OWN_PROPOSAL)
    assert kinds_for(chief) == [PROPOSED]  # so the Chief is told at once
    approved = services.approve(commendation_id=commendation.pk, actor=chief, version=commendation.version)
    assert approved.status == C.APPROVED


def test_a_team_leader_who_is_the_chief_of_office_decides(leader, member, deputy, positions):
    leader.position = positions["chief"]
    leader.save(update_fields=["position"])
    commendation = propose(member, person=deputy)
    approved = services.approve(commendation_id=commendation.pk, actor=fresh(leader), version=commendation.version)
    assert approved.status == C.APPROVED and approved.decided_by == leader


def test_a_stale_page_is_refused(member, deputy, leader, chief):
    commendation = propose(member, person=deputy)
    services.review(commendation_id=commendation.pk, actor=leader, version=commendation.version)
    with pytest.raises(Conflict):  # the Chief's page still shows the proposal before the review
        services.approve(commendation_id=commendation.pk, actor=chief, version=commendation.version)
    commendation.refresh_from_db()
    assert commendation.status == C.REVIEWED and commendation.decided_by is None


def test_a_step_already_taken_says_so(english_text, member, deputy, leader):
    commendation = propose(member, person=deputy)
    reviewed = services.review(commendation_id=commendation.pk, actor=leader, version=commendation.version)
    with pytest.raises(PermissionDenied) as error:
        services.review(commendation_id=commendation.pk, actor=leader, version=reviewed.version)
    assert "now “" in str(error.value)


# --- the decision of the Chief ---------------------------------------------------------------------


def test_the_chief_approves_and_the_proposer_and_leader_are_told(member, deputy, leader, chief):
    commendation = propose(member, person=deputy)
    reviewed = services.review(commendation_id=commendation.pk, actor=leader, version=commendation.version)
    approved = services.approve(commendation_id=reviewed.pk, actor=chief, version=reviewed.version, note="Đồng ý")
    approved.refresh_from_db()
    assert approved.status == C.APPROVED
    assert approved.decided_by == chief and approved.decided_at is not None and approved.decision_note == "Đồng ý"
    assert kinds_for(member) == [DECIDED]
    assert kinds_for(leader) == [PROPOSED, DECIDED]
    assert kinds_for(deputy) == []  # the nominee hears when it is granted
    body = Notification.objects.get(recipient=member, kind=DECIDED).body
    assert "Trần Thị Lan" in body and "Nguyễn Quốc Hùng" in body


@pytest.mark.parametrize("persona", ["member", "deputy", "leader", "staff", "admin_user"])
def test_only_the_chief_or_his_acting_deputy_decides(request, persona, member, deputy, chief):
    commendation = propose(member, collective="Tổ bảo vệ")
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied) as error:
        services.approve(commendation_id=commendation.pk, actor=actor, version=commendation.version)
    assert str(error.value) == str(services.MAY_NOT_DECIDE)
    with pytest.raises(PermissionDenied):
        services.reject(commendation_id=commendation.pk, actor=actor, version=commendation.version, note="Chưa đủ")
    commendation.refresh_from_db()
    assert commendation.status == C.PROPOSED


def test_the_acting_deputy_chief_decides_during_his_dates_and_not_after(office, leader, member, deputy, chief):
    today = timezone.localdate()
    make_acting(office, leader, until=today + timedelta(days=2))
    commendation = propose(member, person=deputy)
    services.review(commendation_id=commendation.pk, actor=fresh(leader), version=commendation.version)
    # While he acts, the Deputy Chief is asked to decide, together with the Chief.
    assert kinds_for(chief) == [REVIEWED]
    assert set(services.deciders()) == {chief, leader}
    second = propose(member, collective="Tổ bảo vệ")
    approved = services.approve(commendation_id=second.pk, actor=fresh(leader), version=second.version)
    assert approved.status == C.APPROVED and approved.decided_by == leader

    make_acting(office, leader, until=today - timedelta(days=1))
    third = propose(member, collective="Tổ bảo vệ")
    with pytest.raises(PermissionDenied):
        services.approve(commendation_id=third.pk, actor=fresh(leader), version=third.version)
    assert services.deciders() == [chief]


def test_not_approving_needs_a_reason_and_tells_the_proposer(member, deputy, leader, chief):
    commendation = propose(member, person=deputy)
    with pytest.raises(ValidationError) as error:
        services.reject(commendation_id=commendation.pk, actor=chief, version=commendation.version, note=" ")
    assert error.value.message_dict == {"note": [str(services.REASON_MISSING)]}
    rejected = services.reject(
        commendation_id=commendation.pk, actor=chief, version=commendation.version, note="Thành tích chưa đủ."
    )
    rejected.refresh_from_db()
    assert rejected.status == C.REJECTED and rejected.decision_note == "Thành tích chưa đủ."
    assert kinds_for(member) == [DECIDED]
    assert "Thành tích chưa đủ." in Notification.objects.get(recipient=member, kind=DECIDED).body
    with pytest.raises(PermissionDenied):  # nothing follows a refusal
        services.record_decision(
            commendation_id=rejected.pk, actor=leader, version=rejected.version, number="1/QĐ-VP", date=None
        )


# --- the decision that grants it -----------------------------------------------------------------


def approved_one(member, person, chief):
    commendation = propose(member, person=person)
    return services.approve(commendation_id=commendation.pk, actor=chief, version=commendation.version)


def test_recording_the_decision_grants_it_and_tells_nominee_proposer_and_leader(member, staff, deputy, leader, chief):
    approved = approved_one(member, staff, chief)
    today = timezone.localdate()
    granted = services.record_decision(
        commendation_id=approved.pk, actor=deputy, version=approved.version, number=" 12/QĐ-VP ", date=today
    )
    granted.refresh_from_db()
    assert granted.status == C.DECIDED
    assert granted.decision_number == "12/QĐ-VP" and granted.decision_date == today
    assert kinds_for(staff) == [GRANTED]
    assert kinds_for(member) == [DECIDED, GRANTED]
    assert kinds_for(leader) == [PROPOSED, DECIDED, GRANTED]
    assert GRANTED not in kinds_for(deputy) and GRANTED not in kinds_for(chief)
    assert "12/QĐ-VP" in Notification.objects.get(recipient=staff, kind=GRANTED).body


def test_the_nominee_who_records_his_own_decision_is_still_told(member, deputy, chief):
    approved = approved_one(member, deputy, chief)
    services.record_decision(
        commendation_id=approved.pk,
        actor=deputy,
        version=approved.version,
        number="3/QĐ-VP",
        date=timezone.localdate(),
    )
    assert kinds_for(deputy) == [GRANTED]


@pytest.mark.parametrize("persona", ["member", "staff", "admin_user"])
def test_who_may_not_record_the_decision(request, persona, member, deputy, chief):
    approved = approved_one(member, deputy, chief)
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied) as error:
        services.record_decision(
            commendation_id=approved.pk, actor=actor, version=approved.version, number="1", date=timezone.localdate()
        )
    assert str(error.value) == str(services.MAY_NOT_RECORD)


def test_the_chief_may_record_the_decision_himself(member, deputy, chief):
    approved = approved_one(member, deputy, chief)
    granted = services.record_decision(
        commendation_id=approved.pk, actor=chief, version=approved.version, number="7/QĐ-VP", date=timezone.localdate()
    )
    assert granted.status == C.DECIDED


def test_the_decision_date_is_neither_in_the_future_nor_before_the_proposal(member, deputy, leader, chief):
    approved = approved_one(member, deputy, chief)
    today = timezone.localdate()
    for day, message in (
        (today + timedelta(days=1), services.DATE_IN_FUTURE),
        (today - timedelta(days=1), services.DATE_BEFORE_PROPOSAL % {"date": today.strftime("%d/%m/%Y")}),
    ):
        with pytest.raises(ValidationError) as error:
            services.record_decision(
                commendation_id=approved.pk, actor=leader, version=approved.version, number="12/QĐ-VP", date=day
            )
        assert error.value.message_dict == {"date": [str(message)]}
    with pytest.raises(ValidationError) as error:
        services.record_decision(
            commendation_id=approved.pk, actor=leader, version=approved.version, number=" ", date=today
        )
    assert "number" in error.value.message_dict
    approved.refresh_from_db()
    assert approved.status == C.APPROVED and approved.decision_number == ""


def test_each_person_hears_of_each_step_once(member, staff, deputy, leader, chief):
    commendation = propose(member, person=staff)
    step = services.review(commendation_id=commendation.pk, actor=leader, version=commendation.version)
    step = services.approve(commendation_id=step.pk, actor=chief, version=step.version)
    services.record_decision(
        commendation_id=step.pk, actor=deputy, version=step.version, number="12/QĐ-VP", date=timezone.localdate()
    )
    assert kinds_for(leader) == [PROPOSED, DECIDED, GRANTED]
    assert kinds_for(chief) == [REVIEWED]
    assert kinds_for(member) == [DECIDED, GRANTED]
    assert kinds_for(staff) == [GRANTED]
    assert kinds_for(deputy) == []
    assert Notification.objects.filter(url=commendation.get_absolute_url()).count() == 7


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_approving_and_refusing_at_once_one_wins_the_other_is_told(office, member, deputy, leader, chief):
    # The Chief approves on his desktop while the acting Deputy Chief refuses on his phone, both from the
    # same page: the row lock makes the second wait, then see the new version and stop.
    make_acting(office, leader, until=timezone.localdate() + timedelta(days=1))
    commendation = propose(member, person=deputy)
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(name, step, actor, **note):
        try:
            barrier.wait()
            step(commendation_id=commendation.pk, actor=fresh(actor), version=commendation.version, **note)
            outcomes[name] = "done"
        except Conflict:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("chief", services.approve, chief)),
        threading.Thread(target=decide, args=("acting", services.reject, leader), kwargs={"note": "Chưa đủ"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "done"]
    commendation.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "done")
    assert commendation.status == {"chief": C.APPROVED, "acting": C.REJECTED}[winner]
    assert commendation.version == 2
    assert Notification.objects.filter(recipient=member, kind=DECIDED).count() == 1  # the loser told nobody

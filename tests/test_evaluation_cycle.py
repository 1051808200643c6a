"""The annual cycle: criteria as data, starting a year, assessing, sign-off and its lock, reopening, the outcome."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from evaluations.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    DocumentKind,
    Draft,
    Evaluation,
    EvaluationEvent,
    IssuedDocument,
    Stage,
)
from evaluations.results import outcome
from evaluations.services import assessments, cycle, signoff, stages
from evaluations.services.common import LOCKED, Conflict
from notifications.models import Notification
from tests.conftest import requires_postgresql
from tests.evaluation_support import ensure_tt124_data

R = Assessment.Result
S = Evaluation.Status


@pytest.fixture(autouse=True)
def in_english(english_text):
    """The messages below are compared in English, the language of the code."""


@pytest.fixture
def evaluation(db, team, leader, deputy, member, chief):
    ensure_tt124_data()
    return cycle.start_year(year=2026, actor=leader)


def assess_all(evaluation, actor, result=R.MET):
    for assessment in evaluation.assessments.all():
        explanation = "" if result == R.MET else "Không có tổ chức Đảng."
        assessments.assess(assessment_id=assessment.pk, actor=actor, result=result, explanation=explanation)


def version(evaluation) -> int:
    return Evaluation.objects.values_list("version", flat=True).get(pk=evaluation.pk)


# --- criteria as data ------------------------------------------------------------------------------


def test_the_tt124_criteria_are_loaded_in_the_legal_wording(db):
    criteria_set = CriteriaSet.objects.get(code="tt124-2021")
    top = list(criteria_set.criteria.filter(parent=None).order_by("order").values_list("code", flat=True))
    items = list(criteria_set.criteria.exclude(parent=None).order_by("order").values_list("tt124_item", flat=True))
    assert top == ["1", "2", "3", "4", "5"]
    assert items == ["a", "b", "c", "d", "đ", "e", "g", "h"]  # Vietnamese lists skip "f"
    one = criteria_set.criteria.get(code="1")
    assert "100% cán bộ, công chức, viên chức, người lao động được phổ biến quán triệt" in one.text
    assert one.title_en.startswith("Resolution, plan, registration")
    serious = criteria_set.criteria.get(code="3.đ")
    assert serious.text.startswith("Tội phạm nghiêm trọng trở lên (trừ trường hợp bất khả kháng)")
    assert criteria_set.criteria.get(code="5").text.startswith("70% trở lên số đầu mối trực thuộc")


def test_an_evaluation_keeps_the_criteria_set_it_was_made_with(evaluation, leader):
    newer = CriteriaSet.objects.create(
        code="tt124-2027", name="Văn bản mới", legal_basis="x", effective_from=date(2027, 1, 1)
    )
    Criterion.objects.create(criteria_set=newer, code="1", title="Mới", text="Nội dung mới")
    evaluation.refresh_from_db()
    assert evaluation.criteria_set.code == "tt124-2021"
    assert evaluation.assessments.count() == 5
    # The next year copies last year's set: a change of law is a deliberate choice, not a surprise.
    assert cycle.start_year(year=2027, actor=leader).criteria_set.code == "tt124-2021"


def test_a_provinces_criterion_joins_the_open_evaluations_only(evaluation, leader, chief):
    closed = cycle.start_year(year=2025, actor=leader)
    Evaluation.objects.filter(pk=closed.pk).update(status=S.SIGNED_OFF)
    extra = Criterion.objects.create(
        criteria_set=evaluation.criteria_set, code="T1", title="Tiêu chí của tỉnh", text="…", is_provincial=True
    )
    assert cycle.add_criterion_to_open_evaluations(extra) == 1
    assert evaluation.assessments.filter(criterion=extra).exists()
    assert not closed.assessments.filter(criterion=extra).exists()


# --- starting a year ----------------------------------------------------------------------------------


def test_a_first_year_gets_the_default_window_deadlines_and_responsible_people(evaluation, leader, deputy, chief):
    assert (evaluation.window_start, evaluation.window_end) == (date(2025, 11, 16), date(2026, 11, 15))
    assert evaluation.recognising_body == "Ủy ban nhân dân tỉnh Bình An"
    deadlines = {stage.kind: (stage.due_on, stage.responsible) for stage in evaluation.stages.all()}
    assert deadlines[Stage.Kind.REGISTRATION] == (date(2026, 3, 31), leader)
    assert deadlines[Stage.Kind.MEETING] == (date(2026, 11, 10), chief)
    assert deadlines[Stage.Kind.DECISION][0] == date(2026, 11, 19)  # "before 20/11"
    assert deadlines[Stage.Kind.MOVEMENT] == (date(2026, 11, 29), deputy)  # "before 30/11"
    assert evaluation.score_sheet.scores.count() == 4  # lines 1, 2, 3 and 4.a (4 is scored on its sub-line)
    assert evaluation.events.get().action == EvaluationEvent.Action.CREATED


def test_a_new_year_copies_last_years_deadlines_bodies_people_and_participants(evaluation, leader, member):
    Evaluation.objects.filter(pk=evaluation.pk).update(
        receiving_body="Công an tỉnh (PV05)", window_end=date(2026, 11, 10)
    )
    evaluation.stages.filter(kind=Stage.Kind.DOSSIER).update(due_on=date(2026, 11, 5), responsible=member)
    stages.save_meeting(
        evaluation_id=evaluation.pk,
        actor=member,
        fields={"place": "Phòng họp lớn", "chair": leader},
        participants=[{"role": "ward_police", "name": "Lê Văn Hòa", "position": "Công an phường", "present": True}],
    )
    following = cycle.start_year(year=2027, actor=leader)
    assert following.receiving_body == "Công an tỉnh (PV05)"
    assert (following.window_start, following.window_end) == (date(2026, 11, 16), date(2027, 11, 10))
    dossier = following.stages.get(kind=Stage.Kind.DOSSIER)
    assert (dossier.due_on, dossier.responsible, dossier.completed_on) == (date(2027, 11, 5), member, None)
    assert following.meeting.place == "Phòng họp lớn" and following.meeting.chair == leader
    assert list(following.meeting.participants.values_list("name", flat=True)) == ["Lê Văn Hòa"]
    assert following.meeting.starts_at is None  # a new meeting, the same people invited
    assert "2026" in following.events.get().detail


def test_a_year_cannot_be_started_twice_or_by_staff(evaluation, leader, staff, member):
    with pytest.raises(ValidationError, match="already exists"):
        cycle.start_year(year=2026, actor=leader)
    for person in (staff, member):
        with pytest.raises(PermissionDenied):
            cycle.start_year(year=2030, actor=person)


# --- assessing ---------------------------------------------------------------------------------------


def test_a_member_assesses_and_a_changed_result_needs_a_new_review(evaluation, member, leader):
    one = evaluation.assessments.get(criterion__code="1")
    assessments.assess(assessment_id=one.pk, actor=member, result=R.MET, explanation="")
    assessments.review(assessment_id=one.pk, actor=leader)
    one.refresh_from_db()
    assert (one.assessed_by, one.reviewed_by) == (member, leader)
    assessments.assess(
        assessment_id=one.pk,
        actor=member,
        result=R.NOT_MET,
        explanation="Thiếu 2 người.",
        seen=one.assessed_at.isoformat(),
    )
    one.refresh_from_db()
    assert one.result == R.NOT_MET and one.reviewed_by is None


def test_not_met_and_not_applicable_need_an_explanation(evaluation, member):
    one = evaluation.assessments.get(criterion__code="1")
    for result in (R.NOT_MET, R.NOT_APPLICABLE):
        with pytest.raises(ValidationError, match="Explain"):
            assessments.assess(assessment_id=one.pk, actor=member, result=result, explanation="  ")


def test_of_two_people_assessing_at_once_the_second_is_told(evaluation, member, deputy):
    one = evaluation.assessments.get(criterion__code="1")
    assessments.assess(assessment_id=one.pk, actor=member, result=R.MET, explanation="")
    with pytest.raises(Conflict):  # the deputy's page still showed "not assessed"
        assessments.assess(assessment_id=one.pk, actor=deputy, result=R.NOT_MET, explanation="x", seen="")
    assert Assessment.objects.get(pk=one.pk).result == R.MET


def test_nobody_reviews_his_own_assessment_and_staff_cannot_assess(evaluation, deputy, leader, staff):
    one = evaluation.assessments.get(criterion__code="1")
    assessments.assess(assessment_id=one.pk, actor=deputy, result=R.MET, explanation="")
    with pytest.raises(PermissionDenied):
        assessments.review(assessment_id=one.pk, actor=deputy)
    with pytest.raises(PermissionDenied):
        assessments.assess(assessment_id=one.pk, actor=staff, result=R.MET, explanation="")
    assessments.review(assessment_id=one.pk, actor=leader)


# --- the overall result -------------------------------------------------------------------------------


def test_the_office_passes_only_when_every_criterion_holds(evaluation, member):
    assert outcome(evaluation.assessments.all()).passed is None
    assess_all(evaluation, member)
    assert outcome(evaluation.assessments.all()).passed is True
    four = evaluation.assessments.get(criterion__code="4")
    assessments.assess(
        assessment_id=four.pk,
        actor=member,
        result=R.NOT_APPLICABLE,
        explanation="Chưa đủ điều kiện bình xét.",
        seen=four.assessed_at.isoformat(),
    )
    result = outcome(evaluation.assessments.all())
    assert result.passed is True and (result.met, result.not_applicable) == (4, 1)
    five = evaluation.assessments.get(criterion__code="5")
    assessments.assess(
        assessment_id=five.pk,
        actor=member,
        result=R.NOT_MET,
        explanation="Chỉ 60% đầu mối.",
        seen=five.assessed_at.isoformat(),
    )
    assert outcome(evaluation.assessments.all()).passed is False


# --- sign-off, lock, reopening --------------------------------------------------------------------------


def test_the_leader_sends_for_sign_off_only_when_everything_is_assessed(evaluation, leader, member, chief):
    with pytest.raises(ValidationError, match="Still open: 1, 2, 3, 4, 5"):
        signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    assess_all(evaluation, member)
    with pytest.raises(PermissionDenied):
        signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=member, version=version(evaluation))
    signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.AWAITING_SIGN_OFF
    told = Notification.objects.get(kind="evaluations.sign_off_requested")
    assert told.recipient == chief and "5" in told.body


def test_only_the_chief_signs_off_and_signing_locks_the_evaluation(evaluation, leader, member, chief):
    assess_all(evaluation, member)
    signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    with pytest.raises(PermissionDenied):  # the leader is a Deputy Chief, but not acting for the Chief
        signoff.sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    signoff.sign_off(evaluation_id=evaluation.pk, actor=chief, version=version(evaluation))
    evaluation.refresh_from_db()
    assert evaluation.status == S.SIGNED_OFF and evaluation.signed_off_by == chief
    # His sign-off is the review of every criterion nobody reviewed.
    assert set(evaluation.assessments.values_list("reviewed_by", flat=True)) == {chief.pk}
    assert evaluation.stages.get(kind=Stage.Kind.SELF_ASSESSMENT).completed_on == timezone.localdate()
    one = evaluation.assessments.get(criterion__code="1")
    with pytest.raises(PermissionDenied) as refused:
        assessments.assess(
            assessment_id=one.pk, actor=member, result=R.NOT_MET, explanation="x", seen=one.assessed_at.isoformat()
        )
    assert str(refused.value) == str(LOCKED)
    with pytest.raises(PermissionDenied):
        assessments.add_evidence(
            actor=member, evaluation_id=evaluation.pk, target=("assessment", one.pk), title="x", number="1/BC"
        )
    # The certificate arrives after sign-off: stage documents stay open to the leader.
    decision = evaluation.stages.get(kind=Stage.Kind.DECISION)
    assessments.add_evidence(
        actor=leader, evaluation_id=evaluation.pk, target=("stage", decision.pk), title="Giấy công nhận", number="1520"
    )


def test_the_deputy_chief_acting_for_the_chief_signs_off_during_his_dates_only(
    evaluation, leader, member, make_user, positions, office
):
    acting = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    today = timezone.localdate()
    office.acting_chief, office.acting_chief_from, office.acting_chief_until = (
        acting,
        today - timedelta(days=10),
        today - timedelta(days=1),
    )
    office.save()
    assess_all(evaluation, member)
    signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    with pytest.raises(PermissionDenied):
        signoff.sign_off(evaluation_id=evaluation.pk, actor=acting, version=version(evaluation))
    office.acting_chief_until = today + timedelta(days=5)
    office.save()
    acting = type(acting).objects.get(pk=acting.pk)  # roles and signing are cached per request on the object
    signoff.sign_off(evaluation_id=evaluation.pk, actor=acting, version=version(evaluation))
    assert Evaluation.objects.get(pk=evaluation.pk).signed_off_by == acting


def test_the_chief_returns_with_comments_and_the_team_is_told(evaluation, leader, member, chief, deputy):
    assess_all(evaluation, member)
    signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    with pytest.raises(ValidationError):
        signoff.return_for_changes(evaluation_id=evaluation.pk, actor=chief, version=version(evaluation), reason=" ")
    signoff.return_for_changes(
        evaluation_id=evaluation.pk, actor=chief, version=version(evaluation), reason="Bổ sung minh chứng tiêu chí 1."
    )
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.PREPARING
    told = Notification.objects.filter(kind="evaluations.returned")
    assert set(told.values_list("recipient", flat=True)) == {leader.pk, deputy.pk}
    assert "Bổ sung minh chứng tiêu chí 1." in told.first().body


def test_reopening_needs_a_reason_that_stays_in_the_history(evaluation, leader, member, chief):
    assess_all(evaluation, member)
    signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    signoff.sign_off(evaluation_id=evaluation.pk, actor=chief, version=version(evaluation))
    with pytest.raises(PermissionDenied):
        signoff.reopen(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation), reason="x")
    with pytest.raises(ValidationError):
        signoff.reopen(evaluation_id=evaluation.pk, actor=chief, version=version(evaluation), reason="")
    signoff.reopen(
        evaluation_id=evaluation.pk, actor=chief, version=version(evaluation), reason="Công an phường đề nghị bổ sung."
    )
    evaluation.refresh_from_db()
    assert evaluation.status == S.PREPARING and evaluation.signed_off_at is None
    reopened = evaluation.events.get(action=EvaluationEvent.Action.REOPENED)
    assert (reopened.actor, reopened.detail) == (chief, "Công an phường đề nghị bổ sung.")
    one = evaluation.assessments.get(criterion__code="1")
    assessments.assess(
        assessment_id=one.pk, actor=member, result=R.NOT_MET, explanation="x", seen=one.assessed_at.isoformat()
    )


def test_a_stale_page_cannot_sign_off(evaluation, leader, member, chief):
    assess_all(evaluation, member)
    seen = version(evaluation)
    signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=seen)
    with pytest.raises(Conflict):
        signoff.sign_off(evaluation_id=evaluation.pk, actor=chief, version=seen)


def test_history_entries_cannot_be_changed_or_deleted(evaluation):
    entry = evaluation.events.first()
    entry.detail = "sửa"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_assessment_racing_the_sign_off_waits_and_is_then_refused(team, leader, deputy, member, chief):
    ensure_tt124_data()
    evaluation = cycle.start_year(year=2026, actor=leader)
    assess_all(evaluation, member)
    signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    one = evaluation.assessments.get(criterion__code="1")
    seen = one.assessed_at.isoformat()
    holding, outcome_of_assess = threading.Event(), []

    def sign_slowly():
        try:
            with transaction.atomic():
                signoff.sign_off(evaluation_id=evaluation.pk, actor=chief, version=version(evaluation))
                holding.set()
                time.sleep(0.5)  # the member's change arrives while the sign-off is not yet committed
        finally:
            connection.close()

    def assess_meanwhile():
        holding.wait(5)
        try:
            assessments.assess(assessment_id=one.pk, actor=member, result=R.NOT_MET, explanation="x", seen=seen)
            outcome_of_assess.append("changed")
        except PermissionDenied:
            outcome_of_assess.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_slowly), threading.Thread(target=assess_meanwhile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert outcome_of_assess == ["refused"]
    assert Assessment.objects.get(pk=one.pk).result == R.MET


# --- after sign-off: dossier and decision -----------------------------------------------------------------


def issue(evaluation, kind, actor, number):
    draft = Draft.objects.create(evaluation=evaluation, kind=kind, summary="x", body="x")
    IssuedDocument.objects.create(
        draft=draft,
        version=1,
        number=number,
        number_text=f"{number:02d}/X-VP",
        issued_on=timezone.localdate(),
        summary="x",
        body="x",
        file="documents/x.docx",
        issued_by=actor,
    )


def test_the_dossier_goes_out_with_its_documents_and_then_the_decision_is_recorded(evaluation, leader, member, chief):
    assess_all(evaluation, member)
    signoff.send_for_sign_off(evaluation_id=evaluation.pk, actor=leader, version=version(evaluation))
    signoff.sign_off(evaluation_id=evaluation.pk, actor=chief, version=version(evaluation))
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="Record when the dossier was submitted"):
        stages.record_decision(evaluation_id=evaluation.pk, actor=leader, recognised=True, number="1", decided_on=today)
    with pytest.raises(ValidationError, match="Issue the report, the minutes and the submission"):
        stages.record_dossier(
            evaluation_id=evaluation.pk, actor=leader, submitted_on=today, submitted_to="", method="in_person"
        )
    for number, kind in enumerate([DocumentKind.REPORT, DocumentKind.MINUTES, DocumentKind.SUBMISSION], start=1):
        issue(evaluation, kind, leader, number)
    with pytest.raises(PermissionDenied):
        stages.record_dossier(
            evaluation_id=evaluation.pk, actor=member, submitted_on=today, submitted_to="", method="in_person"
        )
    stages.record_dossier(evaluation_id=evaluation.pk, actor=leader, submitted_on=today, submitted_to="", method="post")
    evaluation.refresh_from_db()
    assert evaluation.status == S.SUBMITTED and evaluation.dossier_submitted_to == evaluation.receiving_body
    assert evaluation.stages.get(kind=Stage.Kind.DOSSIER).completed_on == today
    stages.record_decision(
        evaluation_id=evaluation.pk, actor=leader, recognised=True, number="1520/QĐ-UBND", decided_on=today
    )
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.recognised, evaluation.decision_number) == (S.DECIDED, True, "1520/QĐ-UBND")
    with pytest.raises(ValidationError, match="future"):
        stages.record_decision(
            evaluation_id=evaluation.pk, actor=leader, recognised=True, number="1", decided_on=today + timedelta(days=1)
        )


@requires_postgresql
def test_the_database_refuses_to_rewrite_the_history(evaluation):
    from django.db import DatabaseError

    entry = evaluation.events.first()
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE evaluations_evaluationevent SET detail = 'sửa' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM evaluations_evaluationevent WHERE id = %s", [entry.pk])

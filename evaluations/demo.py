"""Demo data of evaluations/: last year's evaluation, recognised, and this year's in progress.

This year's registration documents are recorded, the meeting is prepared, criterion 2 is assessed,
the ratings and the movement scores are entered; criteria 1, 3, 4 and 5 wait for the team leader,
who sees TựQuản's suggestions: the briefing short of 100 % (two people missed the session), the
3.đ theft excused by its prompt handling. Two commendations: one granted last year, one waiting.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from evaluations.models import (
    Assessment,
    Commendation,
    DisciplineRecord,
    Evaluation,
    EvaluationEvent,
    Evidence,
    MeetingParticipant,
    Stage,
    UnitRating,
)
from evaluations.services.cycle import start_year
from incidents.models import Incident
from team.demo import person
from team.models import Department, Team

R = Assessment.Result
K = Stage.Kind
Action = EvaluationEvent.Action

PARTICIPANTS = [
    (MeetingParticipant.Role.LEADERSHIP, "Nguyễn Quốc Hùng", "Chánh Văn phòng"),
    (MeetingParticipant.Role.PARTY_COMMITTEE, "Đặng Thị Thu", "Phó Bí thư Chi bộ"),
    (MeetingParticipant.Role.TRADE_UNION, "Ngô Hoàng Long", "Chủ tịch Công đoàn cơ sở"),
    (MeetingParticipant.Role.YOUTH_UNION, "Phan Hải Linh", "Bí thư Chi đoàn"),
    (MeetingParticipant.Role.TEAM, "Hoàng Văn Minh", "Tổ trưởng Tổ bảo vệ an ninh, trật tự"),
    (MeetingParticipant.Role.WARD_POLICE, "Thiếu tá Lê Văn Hòa", "Phó Trưởng Công an phường Bình An"),
    (MeetingParticipant.Role.MANAGING_AUTHORITY, "Trần Minh Đức", "Phòng PV05, Công an tỉnh"),
]


def seed() -> str:
    year = timezone.localdate().year
    leader = person("minh.hv")
    made = []
    if not Evaluation.objects.filter(year=year - 1).exists():
        _last_year(start_year(year=year - 1, actor=leader))
        made.append(str(year - 1))
    if not Evaluation.objects.filter(year=year).exists():
        _this_year(start_year(year=year, actor=leader))
        made.append(str(year))
    _commendations(year)
    return f"Evaluations: {', '.join(made) or 'already there'}."


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _registration(evaluation: Evaluation, actor) -> None:
    stage = evaluation.stages.get(kind=K.REGISTRATION)
    year = evaluation.year
    for kind, title, number, dated in [
        (Evidence.DocumentKind.PARTY_RESOLUTION, "Nghị quyết lãnh đạo công tác năm", "05-NQ/CB", date(year, 1, 20)),
        (Evidence.DocumentKind.SECURITY_PLAN, "Kế hoạch bảo đảm an ninh, trật tự", "12/KH-VP", date(year, 2, 10)),
        (Evidence.DocumentKind.REGISTRATION_PLEDGE, "Bản đăng ký phấn đấu", "02/ĐK-VP", date(year, 3, 5)),
    ]:
        Evidence.objects.create(
            evaluation=evaluation,
            stage=stage,
            document_kind=kind,
            title=f"{title} {year}",
            number=number,
            dated=dated,
            added_by=actor,
            added_at=_moment(dated, 9),
        )
    stage.completed_on = date(year, 3, 5)
    stage.save(update_fields=["completed_on"])


def _meeting(evaluation: Evaluation, day: date) -> None:
    meeting = evaluation.meeting
    meeting.starts_at, meeting.ends_at = _moment(day, 14), _moment(day, 16, 30)
    meeting.place = "Phòng họp lớn, Nhà A"
    meeting.chair, meeting.secretary = person("hung.nq"), person("lan.tt")
    meeting.save()
    MeetingParticipant.objects.bulk_create(
        MeetingParticipant(meeting=meeting, role=role, name=name, position=position, order=order)
        for order, (role, name, position) in enumerate(PARTICIPANTS)
    )


def _ratings(year: int, actor, good_departments: int) -> None:
    team = Team.objects.first()
    UnitRating.objects.get_or_create(
        year=year,
        team=team,
        defaults={"rating": "good", "advanced_collective": True, "decision_number": "215/QĐ-VP", "recorded_by": actor},
    )
    units = Department.objects.filter(is_subordinate_unit=True).order_by("order")
    for index, department in enumerate(units):
        UnitRating.objects.get_or_create(
            year=year,
            department=department,
            defaults={"rating": "good" if index < good_departments else "completed", "recorded_by": actor},
        )


def _scores(evaluation: Evaluation, actor, points: dict) -> None:
    for score in evaluation.score_sheet.scores.select_related("item"):
        score.self_score, score.scored_by = Decimal(points.get(score.item.code, 0)), actor
        score.save(update_fields=["self_score", "scored_by"])


def _last_year(evaluation: Evaluation) -> None:
    """Recognised by the provincial People's Committee, as the office has been every year."""
    year, leader, chief = evaluation.year, person("minh.hv"), person("hung.nq")
    _registration(evaluation, leader)
    _meeting(evaluation, date(year, 11, 10))
    _ratings(year, leader, good_departments=6)
    _scores(evaluation, person("lan.tt"), {"1": 3, "2": 3, "3": 5, "4.a": 1})
    explanations = {
        "1": "Có Nghị quyết, Kế hoạch, Bản đăng ký trong Quý I; 100% cán bộ được quán triệt Nội quy; Tổ bảo vệ an "
        "ninh, trật tự hoạt động hiệu quả.",
        "2": "Thực hiện đầy đủ Quy chế phối hợp với Công an phường Bình An.",
        "3": "Không để xảy ra trường hợp nào thuộc các điểm a–h.",
        "4": "Tổ đạt danh hiệu Tập thể lao động tiên tiến; không có cá nhân bị kỷ luật.",
        "5": "6/7 đầu mối (85,7%) hoàn thành tốt nhiệm vụ; không có cá nhân bị kỷ luật.",
    }
    signed = _moment(date(year, 11, 11), 16)
    for assessment in evaluation.assessments.select_related("criterion"):
        assessment.result, assessment.explanation = R.MET, explanations.get(assessment.criterion.code, "")
        assessment.assessed_by, assessment.assessed_at = leader, signed - timedelta(days=1)
        assessment.reviewed_by, assessment.reviewed_at = chief, signed
        assessment.save()
    evaluation.status = Evaluation.Status.DECIDED
    evaluation.submitted_for_sign_off_at, evaluation.submitted_for_sign_off_by = signed - timedelta(hours=3), leader
    evaluation.signed_off_at, evaluation.signed_off_by = signed, chief
    evaluation.dossier_submitted_on, evaluation.dossier_submitted_to = date(year, 11, 13), evaluation.receiving_body
    evaluation.dossier_method = Evaluation.Method.IN_PERSON
    evaluation.recognised, evaluation.decision_number = True, "1520/QĐ-UBND"
    evaluation.decision_date = date(year, 11, 18)
    evaluation.save()
    done = {
        K.SELF_ASSESSMENT: date(year, 11, 11),
        K.MEETING: date(year, 11, 10),
        K.DOSSIER: date(year, 11, 13),
        K.DECISION: date(year, 11, 18),
        K.MOVEMENT: date(year, 11, 25),
    }
    for kind, day in done.items():
        evaluation.stages.filter(kind=kind).update(completed_on=day)
    Evidence.objects.create(
        evaluation=evaluation,
        stage=evaluation.stages.get(kind=K.DECISION),
        document_kind=Evidence.DocumentKind.CERTIFICATE,
        title=f"Giấy công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}",
        number="1520/QĐ-UBND",
        dated=date(year, 11, 18),
        added_by=leader,
    )
    for action, actor, detail, at in [
        (Action.SENT_FOR_SIGN_OFF, leader, "", signed - timedelta(hours=3)),
        (Action.SIGNED_OFF, chief, "5/5", signed),
        (Action.DOSSIER_SUBMITTED, leader, evaluation.receiving_body, _moment(date(year, 11, 13), 9)),
        (Action.DECIDED, leader, "1520/QĐ-UBND (18/11): công nhận", _moment(date(year, 11, 19), 8)),
    ]:
        EvaluationEvent.objects.create(evaluation=evaluation, actor=actor, action=action, detail=detail, at=at)


# Days from today for this year's stages whose default deadline has already passed, so the demo shows a
# year in progress on any date: the meeting next week, the dossier after it.
CATCH_UP = {K.SELF_ASSESSMENT: 3, K.MEETING: 5, K.DOSSIER: 7, K.MOVEMENT: 10, K.DECISION: 14}


def _this_year(evaluation: Evaluation) -> None:
    year, leader, deputy = evaluation.year, person("minh.hv"), person("lan.tt")
    today = timezone.localdate()
    for stage in evaluation.stages.filter(kind__in=CATCH_UP):
        stage.due_on = max(stage.due_on, today + timedelta(days=CATCH_UP[stage.kind]))
        stage.save(update_fields=["due_on"])
    _registration(evaluation, leader)
    _meeting(evaluation, evaluation.stages.get(kind=K.MEETING).due_on)
    _ratings(year, leader, good_departments=6)
    _scores(evaluation, deputy, {"1": 3, "2": 3, "3": 4, "4.a": 1})
    criterion_2 = evaluation.assessments.get(criterion__code="2")
    criterion_2.result = R.MET
    criterion_2.explanation = (
        "Triển khai đầy đủ chủ trương, pháp luật về an ninh, trật tự; thực hiện Quy chế phối hợp số 03/QCPH-VP-CAP "
        "với Công an phường Bình An (giao ban hằng quý, trao đổi thông tin)."
    )
    criterion_2.assessed_by, criterion_2.assessed_at = deputy, timezone.now() - timedelta(days=3)
    criterion_2.save()
    Evidence.objects.create(
        evaluation=evaluation,
        assessment=criterion_2,
        document_kind=Evidence.DocumentKind.COORDINATION,
        title="Quy chế phối hợp với Công an phường Bình An",
        number="03/QCPH-VP-CAP",
        dated=date(year - 1, 9, 12),
        added_by=deputy,
    )
    EvaluationEvent.objects.create(evaluation=evaluation, actor=deputy, action=Action.ASSESSED, detail="2: Đạt")
    # A reprimand (not "warning or above") does not count against criteria 4 and 5; it shows that it is seen.
    DisciplineRecord.objects.get_or_create(
        person=person("vinh.kq"),
        decided_on=evaluation.window_start + timedelta(days=120),
        defaults={
            "form": DisciplineRecord.Form.REPRIMAND,
            "decision_number": "45/QĐ-VP",
            "reason": "Vi phạm quy định về giờ làm việc.",
            "recorded_by": person("hung.nq"),
        },
    )


def _commendations(year: int) -> None:
    leader, chief = person("minh.hv"), person("hung.nq")
    last = Evaluation.objects.filter(year=year - 1).first()
    if last and not Commendation.objects.filter(year=year - 1, collective__startswith="Tổ bảo vệ").exists():
        Commendation.objects.create(
            year=year - 1,
            kind=Commendation.Kind.REGULAR,
            form=Commendation.Form.PROVINCE_MERIT,
            collective="Tổ bảo vệ an ninh, trật tự cơ quan",
            achievement="Hoàn thành xuất sắc nhiệm vụ bảo vệ an ninh, trật tự cơ quan; góp phần để Văn phòng được "
            f"công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year - 1}.",
            evaluation=last,
            status=Commendation.Status.DECIDED,
            proposed_by=leader,
            proposed_at=_moment(date(year - 1, 11, 20), 9),
            reviewed_by=leader,
            reviewed_at=_moment(date(year - 1, 11, 20), 9),
            decided_by=chief,
            decided_at=_moment(date(year - 1, 11, 25), 10),
            decision_number="2210/QĐ-UBND",
            decision_date=date(year - 1, 12, 20),
        )
    theft = Incident.objects.filter(tt124_item="đ", police_confirmed_serious=True).order_by("-occurred_at").first()
    nam = person("nam.pv")
    if not Commendation.objects.filter(year=year, person=nam).exists():
        proposal = Commendation.objects.create(
            year=year,
            kind=Commendation.Kind.AD_HOC,
            form=Commendation.Form.CHIEF_CERTIFICATE,
            person=nam,
            achievement="Phát hiện sớm vụ trộm tài sản tại phòng 305, kịp thời bảo vệ hiện trường, trích xuất camera "
            "và báo ngay Công an phường, góp phần để cơ quan Công an làm rõ vụ việc.",
            status=Commendation.Status.REVIEWED,
            proposed_by=person("tuan.la"),
            proposed_at=timezone.now() - timedelta(days=6),
            reviewed_by=leader,
            reviewed_at=timezone.now() - timedelta(days=5),
            review_note="Đề nghị Chánh Văn phòng xem xét, tặng Giấy khen.",
        )
        if theft:
            proposal.incidents.add(theft)

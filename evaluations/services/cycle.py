"""Starting a year's evaluation, from last year's when there is one."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.access import can
from evaluations import calendar
from evaluations.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    Evaluation,
    EvaluationEvent,
    ItemScore,
    Meeting,
    MeetingParticipant,
    ScoreSheet,
    ScoreTemplate,
    Stage,
)
from evaluations.services.common import NOT_ALLOWED, record
from team.models import Membership, Position, User
from team.selectors import current_team

ALREADY_STARTED = _("The evaluation of %(year)s already exists.")
NO_CRITERIA = _("No criteria set is loaded. An administrator must add one first.")
DEFAULT_SCORE_TEMPLATE = "qd510-co-quan"


def _next_year(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def start_year(*, year: int, actor) -> Evaluation:
    """Create the evaluation of `year` with its stages, criteria, meeting and score sheet.

    Copies last year's criteria set, window and deadlines (one year later), bodies, responsible
    people and meeting participants when last year exists; otherwise uses `evaluations.calendar`.
    """
    if not can(actor, "evaluations.start_year"):
        raise PermissionDenied(NOT_ALLOWED)
    previous = Evaluation.objects.filter(year=year - 1).select_related("criteria_set").first()
    try:
        with transaction.atomic():
            evaluation = _evaluation(year, previous)
    except IntegrityError:
        raise ValidationError(ALREADY_STARTED % {"year": year}) from None
    _stages(evaluation, previous)
    add_missing_assessments(evaluation)
    _meeting(evaluation, previous)
    _score_sheet(evaluation, previous)
    detail = str(_("Copied from %(year)s.") % {"year": previous.year}) if previous else ""
    record(evaluation, actor, EvaluationEvent.Action.CREATED, detail)
    return evaluation


def _evaluation(year: int, previous: Evaluation | None) -> Evaluation:
    if previous:
        return Evaluation.objects.create(
            year=year,
            criteria_set=previous.criteria_set,
            window_start=_next_year(previous.window_start),
            window_end=_next_year(previous.window_end),
            receiving_body=previous.receiving_body,
            recognising_body=previous.recognising_body,
        )
    criteria_set = CriteriaSet.objects.filter(effective_from__lte=date(year, 12, 31)).first()
    if criteria_set is None:
        raise ValidationError(NO_CRITERIA)
    team = current_team()
    start, end = calendar.default_window(year)
    return Evaluation.objects.create(
        year=year,
        criteria_set=criteria_set,
        window_start=start,
        window_end=end,
        receiving_body=calendar.DEFAULT_RECEIVING_BODY,
        recognising_body=calendar.default_recognising_body(team.office.managing_body if team else ""),
    )


def _default_responsible() -> dict:
    leaders = dict(
        Membership.objects.active()
        .filter(role__in=[Membership.Role.LEADER, Membership.Role.DEPUTY])
        .values_list("role", "user_id")
    )
    chief = User.objects.filter(is_active=True, position__kind=Position.Kind.CHIEF).order_by("pk").first()
    leader = leaders.get(Membership.Role.LEADER)
    return {
        Stage.Kind.REGISTRATION: leader,
        Stage.Kind.SELF_ASSESSMENT: leader,
        Stage.Kind.MEETING: chief.pk if chief else leader,
        Stage.Kind.DOSSIER: leader,
        Stage.Kind.DECISION: leader,
        Stage.Kind.MOVEMENT: leaders.get(Membership.Role.DEPUTY, leader),
    }


def _stages(evaluation: Evaluation, previous: Evaluation | None) -> None:
    if previous and previous.stages.exists():
        Stage.objects.bulk_create(
            Stage(
                evaluation=evaluation,
                kind=stage.kind,
                order=stage.order,
                due_on=_next_year(stage.due_on),
                responsible_id=stage.responsible_id,
            )
            for stage in previous.stages.all()
        )
        return
    responsible = _default_responsible()
    Stage.objects.bulk_create(
        Stage(
            evaluation=evaluation,
            kind=kind,
            order=order,
            due_on=date(evaluation.year, month, day),
            responsible_id=responsible[kind],
        )
        for order, (kind, (month, day)) in enumerate(calendar.STAGE_DEADLINES, start=1)
    )


def add_missing_assessments(evaluation: Evaluation) -> int:
    """One assessment per top-level criterion in use; criterion 3's items are judged within criterion 3."""
    have = set(evaluation.assessments.values_list("criterion_id", flat=True))
    criteria = Criterion.objects.filter(criteria_set=evaluation.criteria_set, parent=None, is_active=True)
    missing = [
        Assessment(evaluation=evaluation, criterion=criterion) for criterion in criteria if criterion.pk not in have
    ]
    Assessment.objects.bulk_create(missing)
    return len(missing)


def add_criterion_to_open_evaluations(criterion: Criterion) -> int:
    """A province's criterion added in admin joins every evaluation of its set that is not signed off."""
    added = 0
    for evaluation in Evaluation.objects.filter(
        criteria_set=criterion.criteria_set, status=Evaluation.Status.PREPARING
    ):
        added += add_missing_assessments(evaluation)
    return added


def _meeting(evaluation: Evaluation, previous: Evaluation | None) -> None:
    old = Meeting.objects.filter(evaluation=previous).first() if previous else None
    meeting = Meeting.objects.create(
        evaluation=evaluation,
        place=old.place if old else "",
        chair_id=old.chair_id if old else None,
        secretary_id=old.secretary_id if old else None,
    )
    if old:
        MeetingParticipant.objects.bulk_create(
            MeetingParticipant(meeting=meeting, role=p.role, name=p.name, position=p.position, order=p.order)
            for p in old.participants.all()
        )


def _score_sheet(evaluation: Evaluation, previous: Evaluation | None) -> None:
    old = ScoreSheet.objects.filter(evaluation=previous).first() if previous else None
    template = old.template if old else ScoreTemplate.objects.filter(code=DEFAULT_SCORE_TEMPLATE).first()
    if template is None:
        return
    sheet = ScoreSheet.objects.create(evaluation=evaluation, template=template)
    add_missing_item_scores(sheet)


def add_missing_item_scores(sheet: ScoreSheet) -> int:
    """A score row for every line without sub-lines (lines with sub-lines are scored on those)."""
    have = set(sheet.scores.values_list("item_id", flat=True))
    leaves = sheet.template.items.filter(children=None)
    missing = [ItemScore(sheet=sheet, item=item) for item in leaves if item.pk not in have]
    ItemScore.objects.bulk_create(missing)
    return len(missing)

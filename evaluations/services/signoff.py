"""Sending for sign-off, the Chief's sign-off (which locks the evaluation), returning and reopening."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import record as record_audit
from evaluations import notices
from evaluations.models import Assessment, Evaluation, EvaluationEvent, Stage
from evaluations.results import outcome
from evaluations.services.common import bump, locked_for, record
from team.models import Membership, Office, Position, User

S = Evaluation.Status
Action = EvaluationEvent.Action

UNASSESSED = _("Assess every criterion first. Still open: %(codes)s.")
REASON_NEEDED = _("Give the reason, so the team knows what to change.")


def _require_all_assessed(evaluation: Evaluation) -> list[Assessment]:
    assessments = list(evaluation.assessments.select_related("criterion").order_by("criterion__order"))
    open_codes = [a.criterion.code for a in assessments if not a.result]
    if open_codes:
        raise ValidationError(UNASSESSED % {"codes": ", ".join(open_codes)})
    return assessments


def signatories() -> list:
    """Whoever may sign off today: the Chief(s) of Office and the Deputy Chief acting for him."""
    people = list(User.objects.filter(is_active=True, position__kind=Position.Kind.CHIEF))
    office = Office.objects.select_related("acting_chief").first()
    acting = office.acting_chief_on(timezone.localdate()) if office else None
    return people + ([acting] if acting else [])


def team_command() -> list:
    roles = [Membership.Role.LEADER, Membership.Role.DEPUTY]
    return [m.user for m in Membership.objects.active().filter(role__in=roles).select_related("user")]


def _summary(assessments) -> dict:
    result = outcome(assessments)
    return {"met": result.holding, "total": result.total}


@transaction.atomic
def send_for_sign_off(*, evaluation_id: int, actor, version: int | None) -> Evaluation:
    evaluation = locked_for(actor, "evaluations.send_for_sign_off", evaluation_id, version)
    assessments = _require_all_assessed(evaluation)
    evaluation.status = S.AWAITING_SIGN_OFF
    evaluation.submitted_for_sign_off_at, evaluation.submitted_for_sign_off_by = timezone.now(), actor
    bump(evaluation, "status", "submitted_for_sign_off_at", "submitted_for_sign_off_by")
    record(evaluation, actor, Action.SENT_FOR_SIGN_OFF)
    notices.tell(
        signatories(),
        notices.SIGN_OFF_REQUESTED,
        url=evaluation.get_absolute_url(),
        evaluation=evaluation,
        actor=actor,
        summary=_summary(assessments),
    )
    return evaluation


@transaction.atomic
def return_for_changes(*, evaluation_id: int, actor, version: int | None, reason: str) -> Evaluation:
    evaluation = locked_for(actor, "evaluations.sign_off", evaluation_id, version)
    if not reason.strip():
        raise ValidationError(REASON_NEEDED)
    evaluation.status = S.PREPARING
    bump(evaluation, "status")
    record(evaluation, actor, Action.RETURNED, reason.strip())
    notices.tell(
        team_command(),
        notices.RETURNED,
        url=evaluation.get_absolute_url(),
        evaluation=evaluation,
        actor=actor,
        reason=reason.strip(),
    )
    return evaluation


@transaction.atomic
def sign_off(*, evaluation_id: int, actor, version: int | None) -> Evaluation:
    """The Chief's sign-off locks the evaluation. It is his review of every criterion not reviewed yet."""
    evaluation = locked_for(actor, "evaluations.sign_off", evaluation_id, version)
    assessments = _require_all_assessed(evaluation)
    now = timezone.now()
    Assessment.objects.filter(evaluation=evaluation, reviewed_by=None).update(reviewed_by=actor, reviewed_at=now)
    evaluation.status, evaluation.signed_off_at, evaluation.signed_off_by = S.SIGNED_OFF, now, actor
    bump(evaluation, "status", "signed_off_at", "signed_off_by")
    Stage.objects.filter(evaluation=evaluation, kind=Stage.Kind.SELF_ASSESSMENT, completed_on=None).update(
        completed_on=timezone.localdate(now)
    )
    summary = _summary(assessments)
    record(evaluation, actor, Action.SIGNED_OFF, _("%(met)s of %(total)s criteria hold.") % summary)
    notices.tell(
        team_command(), notices.SIGNED_OFF, url=evaluation.get_absolute_url(), evaluation=evaluation, actor=actor
    )
    return evaluation


@transaction.atomic
def reopen(*, evaluation_id: int, actor, version: int | None, reason: str) -> Evaluation:
    """Unlock a signed-off evaluation. The reason stays in its history; it must be signed off again."""
    evaluation = locked_for(actor, "evaluations.reopen", evaluation_id, version)
    if not reason.strip():
        raise ValidationError(REASON_NEEDED)
    evaluation.status = S.PREPARING
    evaluation.signed_off_at, evaluation.signed_off_by = None, None
    bump(evaluation, "status", "signed_off_at", "signed_off_by")
    record(evaluation, actor, Action.REOPENED, reason.strip())
    record_audit(AuditEntry.Action.REOPEN, actor=actor, obj=evaluation, detail=reason.strip())
    notices.tell(
        team_command(),
        notices.REOPENED,
        url=evaluation.get_absolute_url(),
        evaluation=evaluation,
        actor=actor,
        reason=reason.strip(),
    )
    return evaluation

"""The cycle's stages, settings, meeting, and what happens after sign-off: the dossier and the decision."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from evaluations.models import DocumentKind, Evaluation, EvaluationEvent, Meeting, MeetingParticipant, Stage
from evaluations.services.common import NOT_ALLOWED, bump, locked_for, record

S = Evaluation.Status
Action = EvaluationEvent.Action

WINDOW_ORDER = _("The window must end after it starts, and last at most a year and a month.")
FUTURE = _("That date is in the future.")
MEETING_ORDER = _("The meeting cannot end before it starts.")
DOSSIER_DOCUMENTS_FIRST = _(
    "Issue the report, the minutes and the submission before recording that the dossier went out."
)
DECISION_FIELDS = _("Give the decision's number and date.")
DECISION_BEFORE_DOSSIER = _("Record when the dossier was submitted before recording the decision.")


def _not_future(day: date | None) -> None:
    if day and day > timezone.localdate():
        raise ValidationError(FUTURE)


@transaction.atomic
def update_stage(*, stage_id: int, actor, due_on: date, responsible, completed_on: date | None, note: str) -> Stage:
    stage = Stage.objects.select_related("evaluation").get(pk=stage_id)
    evaluation = locked_for(actor, "evaluations.plan", stage.evaluation_id)
    _not_future(completed_on)
    changes = []
    if stage.due_on != due_on:
        changes.append(str(_("deadline %(date)s") % {"date": date_format(due_on, "d/m/Y")}))
    if stage.responsible_id != (responsible.pk if responsible else None):
        changes.append(str(_("responsible: %(person)s") % {"person": responsible or "—"}))
    if stage.completed_on != completed_on:
        done = date_format(completed_on, "d/m/Y") if completed_on else _("not done")
        changes.append(str(_("done: %(date)s") % {"date": done}))
    stage.due_on, stage.responsible, stage.completed_on, stage.note = due_on, responsible, completed_on, note.strip()
    stage.save()
    if changes:
        record(evaluation, actor, Action.STAGE_UPDATED, f"{stage.get_kind_display()}: {'; '.join(changes)}")
    return stage


@transaction.atomic
def update_settings(
    *,
    evaluation_id: int,
    actor,
    version,
    window_start: date,
    window_end: date,
    receiving_body: str,
    recognising_body: str,
) -> Evaluation:
    evaluation = locked_for(actor, "evaluations.edit_settings", evaluation_id, version)
    if window_end <= window_start or (window_end - window_start).days > 400:
        raise ValidationError(WINDOW_ORDER)
    evaluation.window_start, evaluation.window_end = window_start, window_end
    evaluation.receiving_body, evaluation.recognising_body = receiving_body.strip(), recognising_body.strip()
    bump(evaluation, "window_start", "window_end", "receiving_body", "recognising_body")
    detail = (
        f"{date_format(window_start, 'd/m/Y')} – {date_format(window_end, 'd/m/Y')}; "
        f"{evaluation.receiving_body}; {evaluation.recognising_body}"
    )
    record(evaluation, actor, Action.SETTINGS_UPDATED, detail)
    return evaluation


@transaction.atomic
def save_meeting(*, evaluation_id: int, actor, fields: dict, participants: list[dict]) -> Meeting:
    """Save the meeting and replace its list of participants. A meeting that has ended completes its stage."""
    evaluation = locked_for(actor, "evaluations.prepare", evaluation_id)
    meeting, _created = Meeting.objects.select_for_update().get_or_create(evaluation=evaluation)
    for name, value in fields.items():
        setattr(meeting, name, value)
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise ValidationError(MEETING_ORDER)
    meeting.save()
    meeting.participants.all().delete()
    MeetingParticipant.objects.bulk_create(
        MeetingParticipant(meeting=meeting, order=order, **row) for order, row in enumerate(participants)
    )
    if meeting.ends_at and meeting.ends_at <= timezone.now():
        Stage.objects.filter(evaluation=evaluation, kind=Stage.Kind.MEETING, completed_on=None).update(
            completed_on=timezone.localdate(meeting.starts_at)
        )
    record(evaluation, actor, Action.MEETING_UPDATED)
    return meeting


def _issued_kinds(evaluation: Evaluation) -> set[str]:
    return set(evaluation.drafts.filter(issued__isnull=False).values_list("kind", flat=True).distinct())


@transaction.atomic
def record_dossier(*, evaluation_id: int, actor, submitted_on: date, submitted_to: str, method: str) -> Evaluation:
    evaluation = locked_for(actor, "evaluations.record_outcome", evaluation_id)
    _not_future(submitted_on)
    needed = {DocumentKind.REPORT, DocumentKind.MINUTES, DocumentKind.SUBMISSION}
    if needed - _issued_kinds(evaluation):
        raise ValidationError(DOSSIER_DOCUMENTS_FIRST)
    if method not in Evaluation.Method.values:
        raise PermissionDenied(NOT_ALLOWED)
    evaluation.dossier_submitted_on = submitted_on
    evaluation.dossier_submitted_to = submitted_to.strip() or evaluation.receiving_body
    evaluation.dossier_method = method
    if evaluation.status == S.SIGNED_OFF:
        evaluation.status = S.SUBMITTED
    bump(evaluation, "dossier_submitted_on", "dossier_submitted_to", "dossier_method", "status")
    Stage.objects.filter(evaluation=evaluation, kind=Stage.Kind.DOSSIER).update(completed_on=submitted_on)
    method_label = evaluation.get_dossier_method_display()
    detail = f"{date_format(submitted_on, 'd/m/Y')} · {evaluation.dossier_submitted_to} · {method_label}"
    record(evaluation, actor, Action.DOSSIER_SUBMITTED, detail)
    return evaluation


@transaction.atomic
def record_decision(*, evaluation_id: int, actor, recognised: bool, number: str, decided_on: date) -> Evaluation:
    evaluation = locked_for(actor, "evaluations.record_outcome", evaluation_id)
    if evaluation.dossier_submitted_on is None:
        raise ValidationError(DECISION_BEFORE_DOSSIER)
    if not number.strip() or decided_on is None:
        raise ValidationError(DECISION_FIELDS)
    _not_future(decided_on)
    evaluation.recognised, evaluation.decision_number, evaluation.decision_date = recognised, number.strip(), decided_on
    evaluation.status = S.DECIDED
    bump(evaluation, "recognised", "decision_number", "decision_date", "status")
    Stage.objects.filter(evaluation=evaluation, kind=Stage.Kind.DECISION).update(completed_on=decided_on)
    verdict = _("recognised") if recognised else _("not recognised")
    record(
        evaluation,
        actor,
        Action.DECIDED,
        f"{evaluation.decision_number} ({date_format(decided_on, 'd/m/Y')}): {verdict}",
    )
    return evaluation

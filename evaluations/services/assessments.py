"""Judging criteria and attaching evidence: the team's work before the Chief signs off."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import can
from core.files import stored_atomically
from core.uploads import SafeUpload
from evaluations.models import Assessment, EvaluationEvent, Evidence, ItemScore, Stage
from evaluations.services.common import NOT_ALLOWED, Conflict, locked_for, record

Action = EvaluationEvent.Action
R = Assessment.Result

EXPLAIN = _("Explain why the criterion is not met or does not apply.")
CHANGED_MEANWHILE = _(
    "Someone else assessed this criterion while you were looking at it. Here is what it says now: check it and "
    "try again."
)
BAD_LINK = _("A link must point to a page of TựQuản, e.g. /incidents/12/ or the address shown in the browser.")
NOTHING_TO_ATTACH = _("Attach a file, give a link, or enter the document's number.")
FUTURE_DATE = _("The date of a document cannot be in the future.")

# What a piece of evidence belongs to, and who may attach it there: criteria until sign-off, stage
# documents (a certificate arrives after sign-off) for those who plan the cycle, score lines for the team.
TARGET_RULES = {"assessment": "evaluations.prepare", "stage": "evaluations.plan", "item": "evaluations.score_movement"}


@transaction.atomic
def assess(*, assessment_id: int, actor, result: str, explanation: str, seen: str = "") -> Assessment:
    """Record the assessor's result. `seen` is the assessment's `assessed_at` as the person saw it (ISO or "")."""
    evaluation_id = Assessment.objects.values_list("evaluation_id", flat=True).get(pk=assessment_id)
    evaluation = locked_for(actor, "evaluations.prepare", evaluation_id)
    assessment = Assessment.objects.select_for_update().select_related("criterion").get(pk=assessment_id)
    if seen != (assessment.assessed_at.isoformat() if assessment.assessed_at else ""):
        raise Conflict(CHANGED_MEANWHILE)
    explanation = explanation.strip()
    if result not in R.values:
        raise ValidationError(NOT_ALLOWED)
    if result in (R.NOT_MET, R.NOT_APPLICABLE) and not explanation:
        raise ValidationError(EXPLAIN)
    if (assessment.result, assessment.explanation) == (result, explanation):
        return assessment
    assessment.result, assessment.explanation = result, explanation
    assessment.assessed_by, assessment.assessed_at = actor, timezone.now()
    # A changed judgement needs a fresh review.
    assessment.reviewed_by, assessment.reviewed_at = None, None
    assessment.save()
    record(evaluation, actor, Action.ASSESSED, f"{assessment.criterion.code}: {assessment.get_result_display()}")
    return assessment


@transaction.atomic
def review(*, assessment_id: int, actor) -> Assessment:
    evaluation_id = Assessment.objects.values_list("evaluation_id", flat=True).get(pk=assessment_id)
    evaluation = locked_for(actor, "evaluations.view", evaluation_id)
    assessment = Assessment.objects.select_for_update().select_related("criterion", "evaluation").get(pk=assessment_id)
    if not can(actor, "evaluations.review", assessment):
        raise PermissionDenied(NOT_ALLOWED)
    assessment.reviewed_by, assessment.reviewed_at = actor, timezone.now()
    assessment.save(update_fields=["reviewed_by", "reviewed_at"])
    record(evaluation, actor, Action.REVIEWED, f"{assessment.criterion.code}: {assessment.get_result_display()}")
    return assessment


def _target(kind: str, pk: int, evaluation_id: int):
    """The row evidence is attached to, within `evaluation_id` (ObjectDoesNotExist otherwise)."""
    if kind == "item":
        return ItemScore.objects.get(pk=pk, sheet__evaluation_id=evaluation_id)
    model = Assessment if kind == "assessment" else Stage
    return model.objects.get(pk=pk, evaluation_id=evaluation_id)


def site_path(link: str) -> str:
    """The path of a TựQuản page from what a person pasted (a path or a full address of this site)."""
    link = link.strip()
    if link.startswith(settings.SITE_URL.rstrip("/") + "/"):
        link = link[len(settings.SITE_URL.rstrip("/")) :]
    if not link.startswith("/") or link.startswith("//"):
        raise ValidationError(BAD_LINK)
    try:
        resolve(link.split("?")[0].split("#")[0])
    except Resolver404:
        raise ValidationError(BAD_LINK) from None
    return link


def add_evidence(
    *,
    actor,
    evaluation_id: int,
    target: tuple[str, int],
    title: str,
    upload: SafeUpload | None = None,
    link: str = "",
    number: str = "",
    dated: date | None = None,
    document_kind: str = "",
) -> Evidence:
    """Attach a file, a link to a TựQuản record, or a document reference (number and date).

    The file is written inside the transaction and deleted again if anything fails, so a refused
    piece of evidence leaves no orphan file.
    """
    kind, pk = target
    if kind not in TARGET_RULES:
        raise ValidationError(NOT_ALLOWED)
    if not (upload or link.strip() or number.strip()):
        raise ValidationError(NOTHING_TO_ATTACH)
    if dated and dated > timezone.localdate():
        raise ValidationError(FUTURE_DATE)
    link = site_path(link) if link.strip() else ""
    with stored_atomically() as written:
        evaluation = locked_for(actor, TARGET_RULES[kind], evaluation_id)
        owner = _target(kind, pk, evaluation_id)
        evidence = Evidence(
            evaluation=evaluation,
            assessment=owner if kind == "assessment" else None,
            stage=owner if kind == "stage" else None,
            item_score=owner if kind == "item" else None,
            document_kind=document_kind if document_kind in Evidence.DocumentKind.values else "",
            title=title.strip() or (upload.original_name if upload else number or link),
            number=number.strip(),
            dated=dated,
            link=link,
            added_by=actor,
        )
        if upload:
            evidence.original_name, evidence.extension = upload.original_name, upload.extension
            evidence.content_type, evidence.size = upload.content_type, len(upload.data)
            evidence.file.save(upload.original_name, ContentFile(upload.data), save=False)
            written.append(evidence.file.name)
        evidence.save()
        record(evaluation, actor, Action.EVIDENCE_ADDED, evidence.title)
    return evidence


@transaction.atomic
def remove_evidence(*, evidence_id: int, actor) -> Evidence:
    evidence = Evidence.objects.get(pk=evidence_id)
    kind = "assessment" if evidence.assessment_id else "stage" if evidence.stage_id else "item"
    evaluation = locked_for(actor, TARGET_RULES[kind], evidence.evaluation_id)
    evidence = Evidence.objects.select_for_update().get(pk=evidence_id)
    name = evidence.file.name
    evidence.delete()
    record(evaluation, actor, Action.EVIDENCE_REMOVED, evidence.title)
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
    return evidence

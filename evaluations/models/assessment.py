import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Assessment(models.Model):
    """The team's judgement of one criterion in one evaluation: the assessor decides, the code only suggests."""

    class Result(models.TextChoices):
        PENDING = "", _("Not assessed yet")
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    evaluation = models.ForeignKey("evaluations.Evaluation", on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(
        "evaluations.Criterion", on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    result = models.CharField(_("result"), max_length=15, choices=Result.choices, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        ordering = ["evaluation", "criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="assessment_once_per_criterion"),
        ]

    def __str__(self):
        return f"{self.evaluation.year} · {self.criterion.code}"

    @property
    def passes(self) -> bool:
        return self.result in (self.Result.MET, self.Result.NOT_APPLICABLE)


def evidence_file_name(instance, filename):
    # A random name under MEDIA_ROOT, never served directly: the uploader's name is only data.
    return f"evaluations/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Evidence(models.Model):
    """A file or a link that proves something: for a criterion, a stage (its documents) or a score item."""

    class DocumentKind(models.TextChoices):
        OTHER = "", _("Evidence")
        PARTY_RESOLUTION = "party_resolution", _("Party committee resolution")
        SECURITY_PLAN = "security_plan", _("Security-and-order plan")
        REGISTRATION_PLEDGE = "registration_pledge", _("Registration pledge")
        COORDINATION = "coordination", _("Coordination regulation with the police")
        MINUTES = "minutes", _("Signed minutes")
        CERTIFICATE = "certificate", _("Recognition certificate")

    evaluation = models.ForeignKey("evaluations.Evaluation", on_delete=models.CASCADE, related_name="evidence")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    stage = models.ForeignKey(
        "evaluations.Stage", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    item_score = models.ForeignKey(
        "evaluations.ItemScore", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    document_kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices, blank=True)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number and symbol"), max_length=50, blank=True)
    dated = models.DateField(_("dated"), null=True, blank=True)

    file = models.FileField(upload_to=evidence_file_name, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    extension = models.CharField(max_length=10, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    # A link to a record of TựQuản (an incident, a campaign, the team page …): a path on this site.
    link = models.CharField(_("link in TựQuản"), max_length=300, blank=True)

    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link="") | ~Q(number=""), name="evidence_has_file_link_or_number"
            ),
        ]

    def __str__(self):
        return self.title


class EvaluationEvent(models.Model):
    """The evaluation's history: who did what and when. Append-only, like the incident timeline."""

    class Action(models.TextChoices):
        CREATED = "created", _("Evaluation started")
        ASSESSED = "assessed", _("Criterion assessed")
        REVIEWED = "reviewed", _("Assessment reviewed")
        EVIDENCE_ADDED = "evidence_added", _("Evidence added")
        EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
        STAGE_UPDATED = "stage_updated", _("Stage updated")
        MEETING_UPDATED = "meeting_updated", _("Meeting updated")
        SETTINGS_UPDATED = "settings_updated", _("Window or bodies changed")
        SENT_FOR_SIGN_OFF = "sent_for_sign_off", _("Sent for sign-off")
        RETURNED = "returned", _("Returned for changes")
        SIGNED_OFF = "signed_off", _("Signed off")
        REOPENED = "reopened", _("Reopened")
        DOCUMENT_ISSUED = "document_issued", _("Document issued")
        SIGNED_COPY_ADDED = "signed_copy_added", _("Signed copy uploaded")
        DOSSIER_SUBMITTED = "dossier_submitted", _("Dossier submitted")
        DECIDED = "decided", _("Decision recorded")
        SCORES_UPDATED = "scores_updated", _("Movement scores updated")

    evaluation = models.ForeignKey("evaluations.Evaluation", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation history entry")
        verbose_name_plural = _("evaluation history")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["evaluation", "at"], name="evaluation_event_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} · {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Evaluation history entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Evaluation history entries cannot be deleted.")

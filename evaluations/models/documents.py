"""Official documents (Nghị định 30/2020): an editable draft per document, issued versions that never change."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PLEDGE = "pledge", _("Registration pledge")
    REPORT = "report", _("Results report")
    SUBMISSION = "submission", _("Submission for recognition")
    MINUTES = "minutes", _("Minutes of the evaluation meeting")
    SCORE_SHEET = "score_sheet", _("Movement score sheet")
    COMMENDATION = "commendation", _("Commendation proposal")


class DocumentCounter(models.Model):
    """The last number of a yearly series (per issuer and document type). Locked while a number is taken."""

    year = models.PositiveSmallIntegerField()
    issuer = models.CharField(max_length=20)
    type_code = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document number series")
        verbose_name_plural = _("document number series")
        constraints = [
            models.UniqueConstraint(fields=["year", "issuer", "type_code"], name="one_counter_per_series"),
        ]

    def __str__(self):
        return f"{self.year} {self.type_code}-{self.issuer}: {self.last}"


class Draft(models.Model):
    """The text of a document as the team edits it before issuing. Generated from the evidence at first."""

    kind = models.CharField(_("document"), max_length=15, choices=DocumentKind.choices)
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    commendation = models.ForeignKey(
        "evaluations.Commendation", on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    summary = models.CharField(_("subject line"), max_length=300)
    addressees = models.TextField(_("addressed to"), blank=True, help_text=_("One per line (Kính gửi)."))
    body = models.TextField(_("text"))
    # The text as TựQuản last generated it from the records: when the records say something else now,
    # the page warns that the figures in the draft may be out of date.
    generated_body = models.TextField(blank=True, editable=False)
    recipients = models.TextField(_("copies to"), blank=True, help_text=_("One per line (Nơi nhận)."))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signer"),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document draft")
        verbose_name_plural = _("document drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kind"],
                condition=Q(evaluation__isnull=False),
                name="one_draft_per_evaluation_kind",
            ),
            models.UniqueConstraint(
                fields=["commendation", "kind"],
                condition=Q(commendation__isnull=False),
                name="one_draft_per_commendation_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.summary}"


def issued_file_name(instance, filename):
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.docx"


def signed_file_name(instance, filename):
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.signed_extension}"


class IssuedDocument(models.Model):
    """One issued version: its number, the exact text and the generated .docx. Never changed afterwards,
    except that the signed and sealed scan can be uploaded back once."""

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="issued")
    version = models.PositiveSmallIntegerField(_("version"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_text = models.CharField(_("number and symbol"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"))
    summary = models.CharField(_("subject line"), max_length=300)
    body = models.TextField(_("text"))
    file = models.FileField(upload_to=issued_file_name, max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    signed_file = models.FileField(upload_to=signed_file_name, max_length=200, blank=True)
    signed_original_name = models.CharField(max_length=200, blank=True)
    signed_extension = models.CharField(max_length=10, blank=True)
    signed_content_type = models.CharField(max_length=100, blank=True)
    signed_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["draft", "-version"]
        constraints = [models.UniqueConstraint(fields=["draft", "version"], name="issued_version_unique")]

    def __str__(self):
        return self.number_text or f"{self.draft.get_kind_display()} v{self.version}"

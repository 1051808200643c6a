"""The team's periodic reports to the office leadership: monthly, quarterly, six-month and annual.

A report is a period plus the narrative the team leader writes; a draft's figures are read from the records
each time it is downloaded (dashboard.figures), so it is always current. Issuing gives it the next number of
the team's yearly "BC" series and keeps the .docx and .xlsx as issued.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dashboard import periods


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTH = "six_month", _("Six-month")
    ANNUAL = "annual", _("Annual")


# The annual report covers the evaluation year (16/11–15/11), the year the TT 124 evaluation judges.
PERIOD_OF = {
    ReportKind.MONTHLY: periods.this_month,
    ReportKind.QUARTERLY: periods.this_quarter,
    ReportKind.SIX_MONTH: periods.six_months,
    ReportKind.ANNUAL: periods.evaluation_year,
}


def issued_file_name(instance, filename):
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix}"


class PeriodicReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report status", "Draft")
        ISSUED = "issued", _("Issued")

    kind = models.CharField(_("kind of report"), max_length=10, choices=ReportKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    achievements = models.TextField(_("results achieved"), blank=True)
    shortcomings = models.TextField(_("shortcomings and limitations"), blank=True)
    proposals = models.TextField(_("proposals to the office leadership"), blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    number_text = models.CharField(_("number and symbol"), max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    # The files as issued: what the leader signed stays what anyone downloads, whatever changes in the records later.
    document = models.FileField(upload_to=issued_file_name, max_length=200, blank=True, editable=False)
    tables = models.FileField(upload_to=issued_file_name, max_length=200, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["-starts_on", "kind"]
        constraints = [
            # One report per kind and period: the monthly draft is created once, however often beat ticks.
            models.UniqueConstraint(fields=["kind", "starts_on"], name="reports_one_per_kind_and_period"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    @property
    def period(self) -> periods.Period:
        return periods.Period(self.starts_on, self.ends_on)

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Commendation(models.Model):
    """A proposal to commend a person or a collective, from proposal to the decision that grants it.

    A team member proposes, the team leader reviews, the Chief of Office (or the Deputy Chief
    acting for him) decides; the decision number and date close it.
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular (yearly achievements)")
        THEMATIC = "thematic", _("Thematic (a campaign or an event)")
        AD_HOC = "ad_hoc", _("Ad hoc (an outstanding act)")

    class Form(models.TextChoices):
        CHIEF_CERTIFICATE = "chief_certificate", _("Certificate of commendation of the Chief of Office")
        PROVINCE_MERIT = "province_merit", _("Certificate of merit of the provincial People's Committee")
        POLICE_CERTIFICATE = "police_certificate", _("Certificate of commendation of the provincial police director")
        MINISTER_MERIT = "minister_merit", _("Certificate of merit of the Minister of Public Security")
        SECURITY_MEDAL = "security_medal", _("Medal “For the protection of national security”")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        REVIEWED = "reviewed", _("Reviewed by the team leader")
        APPROVED = "approved", _("Approved by the Chief of Office")
        DECIDED = "decided", _("Granted")
        REJECTED = "rejected", _("Not approved")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("person"),
    )
    collective = models.CharField(
        _("collective"), max_length=200, blank=True, help_text=_("E.g. Tổ bảo vệ an ninh, trật tự cơ quan.")
    )
    achievement = models.TextField(_("achievement"))
    incidents = models.ManyToManyField("incidents.Incident", blank=True, related_name="+", verbose_name=_("incidents"))
    campaigns = models.ManyToManyField("campaigns.Campaign", blank=True, related_name="+", verbose_name=_("campaigns"))
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("evaluation"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("team leader's opinion"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    decision_note = models.TextField(_("the Chief's opinion"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["year", "status"], name="commendation_year_idx"),
            models.Index(fields=["person", "year"], name="commendation_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(collective="")) | (Q(person__isnull=True) & ~Q(collective="")),
                name="commendation_names_a_person_or_a_collective",
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.nominee} · {self.get_form_display()}"

    def get_absolute_url(self):
        return reverse("evaluations:commendation", args=[self.pk])

    @property
    def nominee(self) -> str:
        return str(self.person) if self.person_id else self.collective

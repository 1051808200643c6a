from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date


class Theme(models.TextChoices):
    INTERNAL_RULES = "internal_rules", _("Internal protection rules")
    STATE_SECRETS = "state_secrets", _("State-secret protection")
    FIRE_PREVENTION = "fire_prevention", _("Fire prevention")
    FESTIVAL_DAY = "festival_day", _("Festival day of the movement (19/8)")
    LAW = "law", _("Law on security and order")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    ALL_STAFF = "all", _("All staff")
    DEPARTMENTS = "departments", _("Chosen departments")
    PEOPLE = "people", _("Chosen people")
    TEAM = "team", _("The security team")


class Campaign(models.Model):
    """An awareness campaign: what is disseminated, to whom, when, and by whom."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=300)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    description = models.TextField(
        _("what is disseminated"), blank=True, help_text=_("The legal documents and rules, with links if any.")
    )
    starts_on = models.DateField(_("from"), validators=[validate_date])
    ends_on = models.DateField(_("until"), validators=[validate_date])
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.ALL_STAFF)
    departments = models.ManyToManyField("team.Department", blank=True, related_name="+", verbose_name=_("departments"))
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people"))
    counts_for_tt124 = models.BooleanField(
        _("counts as the yearly briefing on internal rules"),
        default=False,
        # xgettext:no-python-format
        help_text=_("TT 124 criterion 1: 100% of staff briefed on the internal rules each year."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "starts_on"], name="campaign_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.SCHEDULED, self.Status.RUNNING)

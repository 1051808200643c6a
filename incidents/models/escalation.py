from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Severity


class EscalationLevel(models.Model):
    """One step of the chain of command an incident climbs (default: the Deputy Chief in charge, then the Chief).

    A level names a position, not a person, so a change of post needs no change here. Where
    several people hold the position, `person_in_charge` picks one; `acting` covers leave.
    """

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    position = models.ForeignKey(
        "team.Position", on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    person_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in charge"),
        help_text=_("Only when several people hold this position, e.g. the Deputy Chief in charge of security."),
    )
    acting = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting substitute"),
    )
    acting_from = models.DateField(_("acting from"), null=True, blank=True)
    acting_until = models.DateField(_("acting until"), null=True, blank=True)
    acknowledge_within = models.PositiveIntegerField(
        _("acknowledge within (minutes)"),
        default=30,
        help_text=_("If nobody at this level acknowledges in time, the incident goes to the next level."),
    )

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation chain")
        ordering = ["order"]

    def __str__(self):
        return f"{self.order}. {self.position}"

    def acting_today(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.acting_id
            and (self.acting_from is None or self.acting_from <= today)
            and (self.acting_until is None or today <= self.acting_until)
        )

    def targets(self, today=None) -> list:
        """Who must acknowledge at this level today."""
        from team.models import User

        if self.acting_today(today):
            return [self.acting]
        if self.person_in_charge_id:
            return [self.person_in_charge]
        # With their position: the page says whom it waits for as "name (position)".
        return list(
            User.objects.filter(position=self.position, is_active=True).select_related("position").order_by("pk")
        )

    @property
    def deadline(self) -> timedelta:
        return timedelta(minutes=self.acknowledge_within)


class SlaPolicy(models.Model):
    """How fast an incident of one severity must be acknowledged and resolved."""

    class Clock(models.TextChoices):
        CALENDAR = "calendar", _("calendar hours")
        WORKING = "working", _("working hours")

    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, unique=True)
    acknowledge_within = models.PositiveIntegerField(_("acknowledge within (minutes)"))
    resolve_within = models.PositiveIntegerField(_("resolve within (minutes)"))
    clock = models.CharField(
        _("counted in"),
        max_length=10,
        choices=Clock.choices,
        default=Clock.CALENDAR,
        help_text=_(
            "Working hours skip nights, the lunch break, weekends, public holidays and the days off of the "
            "working calendar."
        ),
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["-severity"]

    def __str__(self):
        return str(self.get_severity_display())

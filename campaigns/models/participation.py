from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AbsenceReason(models.TextChoices):
    LEAVE = "leave", _("On leave")
    BUSINESS_TRIP = "business_trip", _("On a business trip")
    SICK = "sick", _("Sick")
    OTHER = "other", _("Other reason")


class ParticipantQuerySet(models.QuerySet):
    def people(self):
        """Without system accounts: one invited before being flagged as such is no staff member to brief."""
        return self.filter(user__is_system_account=False)

    def reached(self):
        """Attended a session or acknowledged the materials: briefed, for criterion 1."""
        return self.filter(Q(attended_at__isnull=False) | Q(acknowledged_at__isnull=False))

    def missing(self):
        return self.filter(attended_at__isnull=True, acknowledged_at__isnull=True)


class Participant(models.Model):
    """One person of a campaign's audience: invited, attended, acknowledged, or absent with a reason."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_entries")
    invited_at = models.DateTimeField(_("invited at"))
    attended_session = models.ForeignKey(
        "campaigns.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="attendees"
    )
    attended_at = models.DateTimeField(_("attended at"), null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    absence_reason = models.CharField(_("absent because"), max_length=15, choices=AbsenceReason.choices, blank=True)
    acknowledged_at = models.DateTimeField(_("confirmed reading at"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="participant_once_per_campaign")]
        indexes = [models.Index(fields=["user", "campaign"], name="participant_user_idx")]

    def __str__(self):
        return f"{self.user} · {self.campaign}"

    @property
    def reached(self) -> bool:
        return self.attended_at is not None or self.acknowledged_at is not None

    @property
    def reached_at(self):
        """When the person was first reached (attended or acknowledged), or None."""
        return min((moment for moment in (self.attended_at, self.acknowledged_at) if moment), default=None)


class MaterialOpen(models.Model):
    """Proof that a participant opened a material before acknowledging it."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="opened")
    material = models.ForeignKey("campaigns.Material", on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "material"], name="material_opened_once")]

    def __str__(self):
        return f"{self.participant} · {self.material_id}"

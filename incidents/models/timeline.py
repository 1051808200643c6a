from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    pass


class IncidentEvent(models.Model):
    """One line of an incident's timeline: who did what, when, old and new value. Never edited."""

    class Action(models.TextChoices):
        FILED = "filed", _("Filed")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        FIELD = "field", _("Field changed")
        NOTE = "note", _("Internal note")
        UPDATE = "update", _("Update to the reporter")
        INFO = "info", _("Information added by the reporter")
        ATTACHMENT = "attachment", _("Attachment added")
        ESCALATED = "escalated", _("Escalated")
        ESCALATION_ACK = "escalation_ack", _("Escalation acknowledged")
        REMINDER = "reminder", _("Deadline reminder")
        EXTERNAL = "external", _("Reported to the authorities")
        FLAGS = "flags", _("TT 124 assessment")

    class Audience(models.TextChoices):
        TEAM = "team", _("Team only")
        REPORTER = "reporter", _("Reporter and team")

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="events")
    # NULL for what TựQuản did by itself (reminders, automatic escalation).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20, choices=Action.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.TEAM)
    field = models.CharField(max_length=50, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["incident", "at", "id"], name="incidentevent_timeline_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Timeline entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Timeline entries cannot be deleted.")

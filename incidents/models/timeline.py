from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from incidents.models.catalog import tt124_label
from incidents.models.incident import Incident, Status

# Flags stored as "True"/"False" (incidents.services.set_tt124_flags): shown as the flag's name and yes/no.
YES_NO_FIELDS = ("police_confirmed_serious", "force_majeure")
YES, NO = _("yes"), _("no")


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
        indexes = [
            models.Index(fields=["incident", "at", "id"], name="incidentevent_timeline_idx"),
            # When each incident was first resolved (the dashboard's time to resolve): one probe of a
            # small index per incident instead of a walk through its timeline (0.24 s for 100,000, not 0.47 s).
            models.Index(
                fields=["incident", "at"],
                condition=models.Q(action="status", new_value="resolved"),
                name="incidentevent_resolved_idx",
            ),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Timeline entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Timeline entries cannot be deleted.")

    @property
    def old_label(self) -> str:
        """The value before the change, as a reader says it; empty when there was none worth showing."""
        if self.field in YES_NO_FIELDS or not self.old_value:
            return ""
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        """The value after the change, as a reader says it (codes are stored, so each reader gets his language)."""
        if self.field in YES_NO_FIELDS:
            name = Incident._meta.get_field(self.field).verbose_name
            return f"{capfirst(name)}: {YES if self.new_value == 'True' else NO}"
        return self._label(self.new_value) if self.new_value else ("—" if self.old_value else "")

    def _label(self, value: str) -> str:
        if self.field == "status":
            return str(Status(value).label) if value in Status.values else value
        if self.field == "tt124_item":
            return tt124_label(value)
        return value

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExternalReport(models.Model):
    """Who told the police, the fire service or an ambulance, when and how: the record TT 124 criterion 3.đ asks for."""

    class Agency(models.TextChoices):
        POLICE_113 = "113", _("Police hotline 113")
        FIRE_114 = "114", _("Fire and rescue 114")
        AMBULANCE_115 = "115", _("Ambulance 115")
        WARD_POLICE = "ward_police", _("Ward police")
        PROVINCIAL_POLICE = "provincial_police", _("Provincial police unit")
        OTHER = "other", _("Other authority")

    class Method(models.TextChoices):
        PHONE = "phone", _("By phone")
        IN_PERSON = "in_person", _("In person")
        WRITTEN = "written", _("In writing")

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="external_reports")
    agency = models.CharField(_("authority"), max_length=20, choices=Agency.choices)
    agency_detail = models.CharField(_("unit or officer"), max_length=200, blank=True)
    notified_at = models.DateTimeField(_("notified at"), default=timezone.now)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices, default=Method.PHONE)
    case_reference = models.CharField(_("their case reference"), max_length=100, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("notified by")
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("report to the authorities")
        verbose_name_plural = _("reports to the authorities")
        ordering = ["notified_at", "id"]

    def __str__(self):
        return f"{self.get_agency_display()} · {self.notified_at:%d/%m/%Y %H:%M}"

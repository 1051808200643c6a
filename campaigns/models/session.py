import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date

# People open the check-in page a little before the briefing starts.
CHECK_IN_EARLY = timedelta(minutes=15)


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


class Session(models.Model):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In-person briefing")
        SELF_STUDY = "self_study", _("Self-study of the materials")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.IN_PERSON)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_date])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_date])
    place = models.CharField(_("place"), max_length=200, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presenter"),
    )
    check_in_code = models.CharField(_("check-in code"), max_length=6, default=new_code, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_idx")]

    def __str__(self):
        return f"{self.campaign} · {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    def check_in_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at - CHECK_IN_EARLY <= now <= self.ends_at


def material_name(instance, filename):
    return f"campaigns/{uuid.uuid4().hex}{instance.extension}"


class Material(models.Model):
    """A document or link disseminated by the campaign. Files are checked like incident attachments."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(upload_to=material_name, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    extension = models.CharField(max_length=10, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    link = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title

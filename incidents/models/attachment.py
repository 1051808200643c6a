import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def stored_name(instance, filename):
    # A random name under MEDIA_ROOT (never served directly): the uploader's name is only data.
    return f"incidents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=stored_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def conceals_in_audit(self, person) -> bool:
        return self.incident.conceals_in_audit(person)

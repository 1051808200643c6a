from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    """One counted attempt at something rate-limited (see core/ratelimit.py): a wrong check-in code, a
    password reset request. Kept in the database so the limit holds across every worker process."""

    # "<limit name>:<HMAC of the subject>": the table holds no e-mail or network address.
    key = models.CharField(_("key"), max_length=100)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("counted attempt")
        verbose_name_plural = _("counted attempts")
        indexes = [models.Index(fields=["key", "at"], name="attempt_key_at_idx")]

    def __str__(self):
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One event an inspector would ask about: who did what, to which object, when, from which address.

    Append-only: the model refuses changes, and in PostgreSQL a trigger refuses UPDATE and DELETE
    except for the retention purge (audit/retention.py), which itself leaves an entry.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGOUT = "logout", _("Logged out")
        LOGIN_FAILED = "login_failed", _("Failed log-in")
        SECOND_FACTOR = "second_factor", _("Second factor")
        REPORTER_VIEWED = "reporter_viewed", _("Viewed a confidential reporter")
        EXPORT = "export", _("Exported a list")
        DOWNLOAD = "download", _("Downloaded a file")
        ADMIN_CHANGE = "admin_change", _("Changed in the administration")
        ROLE_CHANGE = "role_change", _("Team role changed")
        REOPEN = "reopen", _("Reopened a locked record")
        PURGE = "purge", _("Old entries purged")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The name as it was: accounts are renamed, and a failed log-in may name no account at all.
    actor_name = models.CharField(_("name"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("kind of object"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # The actor is the confidential reporter of the incident concerned (he downloaded his own photo, say):
    # the log keeps his name, but only those who may see reporters read it (audit/admin.py).
    conceals_actor = models.BooleanField(_("actor is a confidential reporter"), default=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx"),
            models.Index(fields=["action", "-at"], name="audit_action_idx"),
        ]

    def __str__(self):
        # Admin prints this (checkboxes, titles): a concealed actor is never named here.
        who = "…" if self.conceals_actor else (self.actor_name or "—")
        return f"{self.at:%d/%m/%Y %H:%M} · {who} · {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are removed only by the retention purge.")

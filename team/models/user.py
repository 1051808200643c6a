from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.names import name_sort_key


class User(AbstractUser):
    """A staff member of the office. Everyone who logs in is one.

    Vietnamese names are written whole ("Hoàng Văn Minh"), so there is one full-name field
    instead of Django's first/last name.
    """

    first_name = None
    last_name = None

    full_name = models.CharField(_("full name"), max_length=150)
    # Vietnamese order (given name, family name, middle names; core/names.py), kept in step with full_name on save.
    name_sort_key = models.CharField(max_length=500, editable=False, default="")
    department = models.ForeignKey(
        "team.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )
    position = models.ForeignKey(
        "team.Position",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holders",
        verbose_name=_("position"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="vi",
        help_text=_("Language of the pages and of the notifications this person receives."),
    )

    REQUIRED_FIELDS = ["email", "full_name"]

    history = HistoricalRecords(excluded_fields=["password", "last_login", "name_sort_key"])

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["name_sort_key", "pk"]
        # A plain index: db_index would add a LIKE index on PostgreSQL that nothing uses.
        indexes = [models.Index(fields=["name_sort_key"], name="user_name_sort_key_idx")]

    def save(self, *args, **kwargs):
        self.name_sort_key = name_sort_key(self.full_name or self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_sort_key"}
        super().save(*args, **kwargs)

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        # The given name is the last word of a Vietnamese full name.
        return self.full_name.split()[-1] if self.full_name else self.username

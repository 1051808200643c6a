"""The register of visitors at the gate (sổ theo dõi khách ra, vào cơ quan): one row per visit.

A visit starts as a staff member's pre-registration (expected_at) or is typed at the gate; the member on
duty checks it in and out. The identity number is personal data (Luật BVDLCN 2025): it is erased after
settings.VISITOR_ID_RETENTION_DAYS by visitors.retention, while the rest of the record stays.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.text import fold

MASK = "•"


def masked(number: str) -> str:
    """What everyone who may not read an identity number sees of it: its last four characters at most."""
    if not number:
        return ""
    shown = number[-4:] if len(number) > 6 else ""
    return MASK * (len(number) - len(shown)) + shown


def as_recorded(number: str) -> str:
    """What the register keeps of a document number the guard typed, under settings.VISITOR_ID_NUMBERS."""
    policy = settings.VISITOR_ID_NUMBERS
    if policy == "none":
        return ""
    return masked(number) if policy == "last4" else number


def compact_plate(plate: str) -> str:
    # "30A-123.45" and "30A 12345" are the same plate: the guard types what he reads, the search what he hears.
    return re.sub(r"[\s.\-]", "", fold(plate))


class VisitQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("host", "checked_in_by", "checked_out_by", "registered_by")

    def expected_between(self, start, end):
        """Pre-registered for the period, not arrived, not cancelled."""
        return self.filter(
            expected_at__gte=start, expected_at__lt=end, checked_in_at__isnull=True, cancelled_at__isnull=True
        )

    def inside(self):
        return self.filter(checked_in_at__isnull=False, checked_out_at__isnull=True)

    def arrived_between(self, start, end):
        return self.filter(checked_in_at__gte=start, checked_in_at__lt=end)

    def left_between(self, start, end):
        return self.filter(checked_out_at__gte=start, checked_out_at__lt=end)

    def matching(self, text: str):
        """Every word of `text`, without diacritics, in the name, organisation or plate."""
        for word in re.findall(r"\w+", fold(text)):
            self = self.filter(search_text__contains=word)
        return self


class Visit(models.Model):
    class IdDocument(models.TextChoices):
        CCCD = "cccd", _("Citizen identity card (CCCD)")
        PASSPORT = "passport", _("Passport")
        SERVICE_CARD = "service_card", _("Service card or letter of introduction")
        OTHER = "other", _("Other identity paper")
        NOT_CHECKED = "not_checked", _("Not checked")

    visitor_name = models.CharField(_("visitor's full name"), max_length=150)
    organisation = models.CharField(_("organisation or address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    purpose = models.CharField(_("purpose of the visit"), max_length=255)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_visits",
        verbose_name=_("host"),
        help_text=_("The colleague the visitor comes to see; told when the visitor arrives."),
    )
    # When the visitor asks for a room or for someone who has no account ("Phòng Tổng hợp").
    host_detail = models.CharField(_("to see (person or room)"), max_length=150, blank=True)
    expected_at = models.DateTimeField(_("expected at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("time in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    id_document_type = models.CharField(_("identity document"), max_length=20, choices=IdDocument.choices, blank=True)
    id_number = models.CharField(_("document number"), max_length=30, blank=True)
    id_erased_at = models.DateTimeField(_("document number erased at"), null=True, blank=True)
    vehicle_plate = models.CharField(_("vehicle plate"), max_length=20, blank=True)
    badge_number = models.CharField(_("visitor badge number"), max_length=20, blank=True)
    note = models.TextField(_("belongings and notes"), blank=True)
    checked_out_at = models.DateTimeField(_("time out"), null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked out by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Folded name, organisation and plate (with and without separators), for searches without diacritics.
    search_text = models.TextField(_("search text"), editable=False, default="")

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-registered_at"]
        indexes = [
            models.Index(fields=["expected_at"], name="visit_expected_idx"),
            models.Index(fields=["checked_in_at"], name="visit_checked_in_idx"),
            models.Index(fields=["checked_out_at"], name="visit_checked_out_idx"),
            # The gate's "inside now" and the evening sweep: a handful of rows among years of visits.
            models.Index(
                fields=["checked_in_at"],
                condition=Q(checked_in_at__isnull=False, checked_out_at__isnull=True),
                name="visit_inside_idx",
            ),
            # The nightly erasure looks only at visits that still hold a number.
            models.Index(fields=["registered_at"], condition=~Q(id_number=""), name="visit_id_held_idx"),
            models.Index(fields=["registered_by", "expected_at"], name="visit_registered_by_idx"),
        ]

    def __str__(self):
        return self.visitor_name

    def save(self, *args, **kwargs):
        self.search_text = self.document()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("visitors:detail", args=[self.pk])

    def document(self) -> str:
        parts = [self.visitor_name, self.organisation, self.vehicle_plate, compact_plate(self.vehicle_plate)]
        return fold(" ".join(part for part in parts if part))

    @property
    def is_pending(self) -> bool:
        """Pre-registered and still awaited: the one who registered it may change or cancel it."""
        return self.checked_in_at is None and self.cancelled_at is None

    @property
    def is_inside(self) -> bool:
        return self.checked_in_at is not None and self.checked_out_at is None

    @property
    def masked_id_number(self) -> str:
        return masked(self.id_number)

    @property
    def whom(self) -> str:
        """The "Đến gặp" column: the host's name, the room or person typed, or both."""
        names = [str(self.host) if self.host_id else "", self.host_detail]
        return " – ".join(name for name in names if name)


class StillInsideFlag(models.Model):
    """Visitors still inside after a working day were flagged to the member on duty: once a day."""

    day = models.DateField(_("day"), unique=True)
    flagged_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    visitors = models.PositiveIntegerField(_("visitors still inside"), default=0)

    class Meta:
        verbose_name = _("visitors-still-inside flag")
        verbose_name_plural = _("visitors-still-inside flags")

    def __str__(self):
        return f"{self.day:%d/%m/%Y}"

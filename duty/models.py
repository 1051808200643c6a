"""The duty logbook (sổ nhật ký ca trực) and the handover between shifts (sổ giao nhận ca).

A shift's log is the team roster's DutyShift plus what was written during it. Entries may be
edited until the shift is handed over; after that the log is closed and a correction is a new
entry pointing at the one it corrects, as on paper and as on the incident timeline.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def photo_name(instance, filename):
    # A random name under MEDIA_ROOT (never served directly): the uploader's name is only data.
    return f"duty/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.photo_extension}"


class LogEntryQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("occurred_at", "pk")

    def with_details(self):
        return self.select_related("author", "place", "place__parent", "place__parent__parent", "incident", "corrects")


class LogEntry(models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", _("Entry")
        CORRECTION = "correction", _("Correction")
        PATROL = "patrol", _("Patrol round")
        VISITORS = "visitors", _("Visitors")

    shift = models.ForeignKey(
        "team.DutyShift", on_delete=models.PROTECT, related_name="log_entries", verbose_name=_("duty shift")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NOTE)
    # Empty for what TựQuản itself writes (a missed checkpoint, visitors still inside).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    written_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)
    text = models.TextField(_("what was seen or done"))
    place = models.ForeignKey(
        "incidents.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
    )
    to_hand_over = models.BooleanField(
        _("to hand over"), default=False, help_text=_("Listed in the handover to the next shift.")
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    incident = models.OneToOneField(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entry",
        verbose_name=_("incident"),
    )
    photo = models.FileField(_("photo"), upload_to=photo_name, max_length=200, blank=True)
    photo_extension = models.CharField(max_length=10, blank=True)
    photo_content_type = models.CharField(max_length=100, blank=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["shift", "occurred_at"], name="logentry_shift_time_idx")]

    def __str__(self):
        return f"{timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M} · {self.text[:60]}"


class Handover(models.Model):
    """One shift handing over to the next. Confirmed when the incoming member accepts it."""

    shift = models.OneToOneField(
        "team.DutyShift", on_delete=models.PROTECT, related_name="handover", verbose_name=_("shift handed over")
    )
    next_shift = models.ForeignKey(
        "team.DutyShift",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_received",
        verbose_name=_("next shift"),
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handed over by")
    )
    handed_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    premises = models.TextField(
        _("state of the premises"),
        blank=True,
        help_text=_("Doors and locks, seals, power, water, fire equipment, cameras."),
    )
    instructions = models.TextField(_("instructions and unfinished work"), blank=True)
    # What was open when it was handed over, as it was then: incidents, visitors, keys, entries.
    open_items = models.JSONField(_("open items"), default=list, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    receiver_remarks = models.TextField(_("remarks of the one taking over"), blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-handed_at"]

    def __str__(self):
        return str(self.shift)

    @property
    def is_confirmed(self) -> bool:
        return self.received_at is not None


class MissingHandoverFlag(models.Model):
    """A shift whose handover was not confirmed in time was flagged to the leader: never twice."""

    shift = models.OneToOneField("team.DutyShift", on_delete=models.CASCADE, related_name="+")
    flagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("missing handover flag")
        verbose_name_plural = _("missing handover flags")

    def __str__(self):
        return str(self.shift_id)


class KeyLoan(models.Model):
    """A key handed out at the gate (sổ giao nhận chìa khóa): open until it comes back."""

    key = models.CharField(_("key"), max_length=120, help_text=_("e.g. Phòng 201, Kho lưu trữ"))
    holder = models.CharField(_("handed to"), max_length=200)
    lent_at = models.DateTimeField(_("handed out at"), default=timezone.now)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handed out by")
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken back by"),
    )

    class Meta:
        verbose_name = _("key handed out")
        verbose_name_plural = _("keys handed out")
        ordering = ["-lent_at"]
        indexes = [models.Index(fields=["returned_at"], name="keyloan_open_idx")]

    def __str__(self):
        return f"{self.key} → {self.holder}"

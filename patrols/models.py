"""Patrol rounds (sổ tuần tra): checkpoints with a printed QR code, rounds planned per duty shift, and the
visits the member on duty records by scanning each checkpoint.

A checkpoint is one of incidents' places (one checkpoint per place). A round belongs to a duty shift and
lists checkpoints in order (RoundStop); a stop is visited once, or marked missed when the round's window
has ended (patrols.sweep), which also writes the round's line in the shift's log.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    # Unguessable: the printed code is the only thing that proves someone stood at the checkpoint.
    return secrets.token_urlsafe(18)


PLACE_RELATED = ("place", "place__parent", "place__parent__parent")


class CheckpointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_order(self):
        return self.select_related(*PLACE_RELATED).order_by("place__order", "place__name", "pk")


class Checkpoint(models.Model):
    place = models.OneToOneField(
        "incidents.Place", on_delete=models.PROTECT, related_name="checkpoint", verbose_name=_("place")
    )
    token = models.CharField(_("code in the QR"), max_length=40, unique=True, default=new_token, editable=False)
    instruction = models.CharField(
        _("what to check"), max_length=200, blank=True, help_text=_("e.g. Doors locked, lights off, no smell of smoke.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["pk"]

    def __str__(self):
        return str(self.place)

    def get_scan_url(self) -> str:
        return reverse("patrols:scan", args=[self.token])


class RoundQuerySet(models.QuerySet):
    def with_details(self):
        return self.select_related("shift", "shift__member", "shift__backup", "planned_by")

    def with_counts(self):
        """Each round's number of stops and of visited stops, in the same query (lists stay constant)."""
        return self.annotate(
            stop_count=models.Count("stops", distinct=True),
            visited_count=models.Count("stops", filter=Q(stops__visited_at__isnull=False), distinct=True),
        )

    def due_for_check(self, now):
        """Rounds whose window has ended and whose missed checkpoints were not counted yet."""
        return self.filter(checked_at__isnull=True, ends_at__lte=now)


class Round(models.Model):
    """One patrol round of a duty shift: the checkpoints to visit, in order, within a window."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        MISSED = "missed", _("checkpoints missed")

    # A shift taken off the roster takes its planned rounds with it. A shift that was worked cannot be deleted:
    # its log (duty.LogEntry, PROTECT), where every ended round leaves its line, holds it.
    shift = models.ForeignKey(
        "team.DutyShift", on_delete=models.CASCADE, related_name="patrol_rounds", verbose_name=_("duty shift")
    )
    starts_at = models.DateTimeField(_("window opens at"))
    ends_at = models.DateTimeField(_("window closes at"))
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by")
    )
    planned_at = models.DateTimeField(_("planned at"), default=timezone.now, editable=False)
    # Set once by the sweep, in the transaction that writes the log entry and the notice: never twice.
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)
    missed_count = models.PositiveSmallIntegerField(_("checkpoints missed"), null=True, blank=True, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["checked_at", "ends_at"], name="round_due_idx"),  # the sweep
            models.Index(fields=["starts_at"], name="round_start_idx"),  # the rounds list
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="round_ends_after_start")
        ]

    def __str__(self):
        local = timezone.localtime
        return f"{local(self.starts_at):%d/%m/%Y %H:%M}–{local(self.ends_at):%H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:round", args=[self.pk])

    @property
    def window(self) -> str:
        local = timezone.localtime
        return f"{local(self.starts_at):%H:%M}–{local(self.ends_at):%H:%M}"

    def is_open(self, now) -> bool:
        return self.starts_at <= now < self.ends_at

    def status(self, now, *, visited: int, total: int) -> str:
        if now < self.starts_at:
            return self.Status.NOT_STARTED
        if visited >= total:
            return self.Status.COMPLETED
        if now < self.ends_at:
            return self.Status.IN_PROGRESS
        return self.Status.MISSED


class RoundStop(models.Model):
    """A checkpoint of a round: visited (when, by whom), missed, or still to visit."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stops", verbose_name=_("patrol round"))
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="stops", verbose_name=_("checkpoint")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visited by"),
    )
    missed = models.BooleanField(_("missed"), default=False)

    class Meta:
        verbose_name = _("checkpoint of a round")
        verbose_name_plural = _("checkpoints of a round")
        ordering = ["round", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "checkpoint"], name="roundstop_once_per_round")]

    def __str__(self):
        return f"{self.position}. {self.checkpoint}"

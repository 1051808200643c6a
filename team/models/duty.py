from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import DATE_OUT_OF_RANGE, RANGE, date_in_range
from team.models.membership import Membership
from team.models.team import Team

MAX_SHIFT_LENGTH = timedelta(days=1)

OVERLAP_MESSAGE = _("%(person)s already has a duty shift from %(start)s to %(end)s that overlaps this one.")
NOT_A_MEMBER_MESSAGE = _("%(person)s is not an active member of the team.")
SAME_PERSON_MESSAGE = _("The backup must be a different person from the member on duty.")


class DutyShiftQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("member", "backup")

    def covering(self, moment: datetime):
        """Shifts in progress at `moment` (start inclusive, end exclusive)."""
        # A shift ends at most one day after it starts (see compute_period), so bounding the
        # start keeps this an index range of one day instead of the whole history.
        return self.filter(starts_at__gt=moment - MAX_SHIFT_LENGTH, starts_at__lte=moment, ends_at__gt=moment)

    def overlapping(self, start: datetime, end: datetime):
        return self.filter(starts_at__gt=start - MAX_SHIFT_LENGTH, starts_at__lt=end, ends_at__gt=start)

    def involving(self, people):
        return self.filter(Q(member__in=people) | Q(backup__in=people))


class DutyShift(models.Model):
    """One duty shift (ca trực) of the duty roster.

    An end time at or before the start time means the shift runs past midnight
    (e.g. 17:00 → 07:30 the next morning). `starts_at`/`ends_at` are derived from the
    date and times on save, so "who is on duty at T" is one indexed range query.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="duty_shifts", verbose_name=_("team"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"), help_text=_("An end time before the start time means the next day."))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        verbose_name=_("on duty"),
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="backup_shifts",
        verbose_name=_("backup"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("starts at"), editable=False)
    ends_at = models.DateTimeField(_("ends at"), editable=False)

    objects = DutyShiftQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["starts_at", "ends_at"], name="dutyshift_period_idx"),
            models.Index(fields=["date", "start_time"], name="dutyshift_date_idx"),  # team page, admin
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="dutyshift_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(member=models.F("backup")),
                name="dutyshift_backup_differs",
                violation_error_message=SAME_PERSON_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M} · {self.member}"

    def save(self, *args, **kwargs):
        self.compute_period()
        super().save(*args, **kwargs)

    def compute_period(self) -> None:
        tz = timezone.get_default_timezone()
        self.starts_at = datetime.combine(self.date, self.start_time, tzinfo=tz)
        end_day = self.date if self.end_time > self.start_time else self.date + timedelta(days=1)
        self.ends_at = datetime.combine(end_day, self.end_time, tzinfo=tz)

    def people(self):
        return [person for person in (self.member, self.backup) if person is not None]

    def clean(self):
        if self.date is None or self.start_time is None or self.end_time is None or not self.member_id:
            return  # field errors are already reported
        if not date_in_range(self.date):
            # Before compute_period(): a shift past midnight on 31/12/9999 would end in a year that does not exist.
            raise ValidationError({"date": ValidationError(DATE_OUT_OF_RANGE, params=RANGE)})
        self.compute_period()
        with transaction.atomic():
            # Serialise roster changes per team so two overlapping shifts saved at the same
            # moment cannot both pass the overlap check.
            Team.objects.select_for_update().filter(pk=self.team_id).first()
            self._check_people_are_members()
            self._check_no_overlap()

    def _check_people_are_members(self):
        active_ids = set(
            Membership.objects.active()
            .filter(team_id=self.team_id, user__in=self.people())
            .values_list("user_id", flat=True)
        )
        errors = {}
        for field in ("member", "backup"):
            person = getattr(self, field)
            if person is not None and person.pk not in active_ids:
                errors[field] = NOT_A_MEMBER_MESSAGE % {"person": person}
        if errors:
            raise ValidationError(errors)

    def _check_no_overlap(self):
        clash = (
            DutyShift.objects.exclude(pk=self.pk)
            .overlapping(self.starts_at, self.ends_at)
            .involving(self.people())
            .with_people()
            .first()
        )
        if clash is None:
            return
        person = next(p for p in self.people() if p in clash.people())
        local = timezone.localtime
        raise ValidationError(
            OVERLAP_MESSAGE
            % {
                "person": person,
                "start": local(clash.starts_at).strftime("%d/%m/%Y %H:%M"),
                "end": local(clash.ends_at).strftime("%d/%m/%Y %H:%M"),
            },
            code="overlap",
        )

"""Year-end ratings of units and discipline records of staff: the inputs of TT 124 criteria 4 and 5."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """A collective's year-end rating of duty performance."""

    EXCELLENT = "excellent", _("Excellently completed duties")
    GOOD = "good", _("Well completed duties")
    COMPLETED = "completed", _("Completed duties")
    NOT_COMPLETED = "not_completed", _("Did not complete duties")


QUALIFYING_RATINGS = (Rating.EXCELLENT, Rating.GOOD)


class UnitRating(models.Model):
    """The year-end result of the security team or of a department (TT 124 criteria 4 and 5).

    A unit qualifies with the title "Tập thể lao động tiên tiến" or a rating of "Hoàn thành tốt
    nhiệm vụ" or better.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    team = models.ForeignKey(
        "team.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("security team")
    )
    department = models.ForeignKey(
        "team.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("department"),
    )
    rating = models.CharField(_("rating"), max_length=15, choices=Rating.choices, blank=True)
    advanced_collective = models.BooleanField(_("title “Advanced labour collective”"), default=False)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit rating")
        verbose_name_plural = _("unit ratings")
        ordering = ["year", "department__order", "department__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=True, department__isnull=False)
                | Q(team__isnull=False, department__isnull=True),
                name="rating_for_the_team_or_a_department",
            ),
            models.UniqueConstraint(fields=["year", "team"], name="one_team_rating_a_year"),
            models.UniqueConstraint(fields=["year", "department"], name="one_department_rating_a_year"),
        ]

    def __str__(self):
        return f"{self.year} · {self.team or self.department} · {self.get_rating_display()}"

    @property
    def qualifies(self) -> bool:
        return self.advanced_collective or self.rating in QUALIFYING_RATINGS


class DisciplineRecord(models.Model):
    """A disciplinary measure against a staff member. Personal data: only the leadership and administrators see it."""

    class Form(models.IntegerChoices):
        # Ordered by gravity: "cảnh cáo trở lên" (warning or above) is form >= WARNING.
        REPRIMAND = 1, _("Reprimand")
        WARNING = 2, _("Warning")
        SALARY_DEMOTION = 3, _("Salary-grade demotion")
        DEMOTION = 4, _("Demotion")
        REMOVAL = 5, _("Removal from post")
        DISMISSAL = 6, _("Forced dismissal")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="discipline", verbose_name=_("staff member")
    )
    form = models.PositiveSmallIntegerField(_("form"), choices=Form.choices)
    decided_on = models.DateField(_("decided on"))
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    social_evils = models.BooleanField(
        _("for social evils"),
        default=False,
        help_text=_("Drugs, gambling, prostitution …: at warning or above it also falls under criterion 3.h."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["decided_on", "form"], name="discipline_window_idx")]

    def __str__(self):
        return f"{self.person} · {self.get_form_display()} · {self.decided_on:%d/%m/%Y}"

    @property
    def disqualifies(self) -> bool:
        return self.form >= self.Form.WARNING

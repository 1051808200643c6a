"""The days on which the office's own calendar differs from the national one the `holidays` package knows."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date


class DayOverride(models.Model):
    """A swapped day the Government announces for the year, or a day the Office itself takes off."""

    class Kind(models.TextChoices):
        SWAPPED_WORKING_DAY = "swapped-working", _("Swapped working day (Government)")
        SWAPPED_DAY_OFF = "swapped-off", _("Swapped day off (Government)")
        OFFICE_DAY_OFF = "office-off", _("Office day off")

    day = models.DateField(_("date"), unique=True, validators=[validate_date])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("For example the decision or notice that announced it.")
    )

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"

    @property
    def is_working_day(self) -> bool:
        return self.kind == self.Kind.SWAPPED_WORKING_DAY

    def clean(self):
        from workcalendar import days

        if self.day is None or not self.kind:
            return
        national = days.national_working_day(self.day)
        if self.is_working_day and national:
            raise ValidationError({"kind": _("This day is already a working day.")})
        if not self.is_working_day and not national:
            raise ValidationError({"kind": _("This day is already a day off (weekend or public holiday).")})

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import DateInput
from dashboard.figures import Filters
from dashboard.periods import PERIODS, Period
from incidents.models import Category, Place
from team.models import Department

CUSTOM = "custom"
DEFAULT_PERIOD = "month"
PERIOD_CHOICES = [
    ("month", _("This month")),
    ("quarter", _("This quarter")),
    ("six_months", _("These six months")),
    ("year", _("Evaluation year (16/11–15/11)")),
    (CUSTOM, _("From … until …")),
]
# A longer span says nothing a year does not, and costs a scan of the whole history.
LONGEST_DAYS = 3 * 366
BOTH_DATES = _("Enter both dates of the period, as dd/mm/yyyy.")
ENDS_BEFORE_START = _("The period ends before it starts.")
TOO_LONG = _("Choose a period of at most three years.")


class DashboardFilter(SelectPromptsMixin, BoundedDatesMixin, forms.Form):
    is_filter = True
    period = forms.ChoiceField(label=_("Period"), required=False, choices=PERIOD_CHOICES)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=Category.objects.all())
    place = forms.ModelChoiceField(
        label=_("Place"), required=False, queryset=Place.objects.select_related("parent__parent")
    )
    department = forms.ModelChoiceField(
        label=_("Reporter's department"), required=False, queryset=Department.objects.all()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            form_field.widget.attrs["class"] = (
                "form-control form-control-sm" if name in ("since", "until") else "form-select form-select-sm"
            )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if data.get("period") == CUSTOM or since or until:
            if "since" in self.errors or "until" in self.errors:
                return data
            if not (since and until):
                raise forms.ValidationError(BOTH_DATES)
            if until < since:
                self.add_error("until", ENDS_BEFORE_START)
            elif (until - since).days > LONGEST_DAYS:
                self.add_error("until", TOO_LONG)
            data["period"] = CUSTOM
        return data

    def chosen_period(self, today: date) -> tuple[str, Period]:
        """The period asked for; the default one (this month) when nothing or something wrong was asked."""
        if self.is_bound and self.is_valid():
            kind = self.cleaned_data["period"] or DEFAULT_PERIOD
            if kind == CUSTOM:
                return kind, Period(self.cleaned_data["since"], self.cleaned_data["until"])
            return kind, PERIODS[kind](today)
        return DEFAULT_PERIOD, PERIODS[DEFAULT_PERIOD](today)

    def as_chosen(self) -> "DashboardFilter":
        """The form to show: with its errors when something was wrong; else what was chosen, dates as the
        date pickers take them (a typed 01/06/2026 would show as an empty picker)."""
        if self.is_bound and not self.is_valid():
            return self
        kind, period = self.chosen_period(date.today())
        data = self.cleaned_data if self.is_bound else {}
        initial = {name: data.get(name) for name in ("category", "place", "department")}
        initial["period"] = kind
        if kind == CUSTOM:
            initial.update(since=period.start, until=period.end)
        return DashboardFilter(initial=initial)

    def chosen_filters(self) -> Filters:
        if not (self.is_bound and self.is_valid()):
            return Filters()
        data = self.cleaned_data
        return Filters(
            **{name: data[name].pk for name in ("category", "place", "department") if data[name] is not None}
        )

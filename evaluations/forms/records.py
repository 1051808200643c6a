from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import DateInput
from evaluations import calendar
from evaluations.models import DisciplineRecord
from evaluations.models.records import Rating
from evaluations.services.records import FUTURE_DECISION
from team.models import User


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(FUTURE_DECISION)
    return day


class UnitRatingForm(SelectPromptsMixin, BoundedDatesMixin, forms.Form):
    """The year-end result of one unit: one row of the ratings table (prefixed by the unit)."""

    rating = forms.ChoiceField(label=_("Rating"), choices=[("", "—"), *Rating.choices], required=False)
    advanced_collective = forms.BooleanField(label=_("Advanced labour collective"), required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)
    decision_date = forms.DateField(
        label=_("Decision date"),
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["decision_number"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["advanced_collective"].widget.attrs["class"] = "form-check-input"
        for field in self.fields.values():
            # The page carries what the person saw, so that only the rows he changed are saved.
            field.show_hidden_initial = True

    def clean_decision_date(self):
        return _not_in_future(self.cleaned_data.get("decision_date"))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person} — {person.department}" if person.department_id else str(person)


class DisciplineForm(SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    class Meta:
        model = DisciplineRecord
        fields = ["person", "form", "decided_on", "decision_number", "reason", "social_evils"]
        field_classes = {"person": PersonChoiceField}
        widgets = {
            "decided_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.filter(is_active=True).select_related("department").order_by("name_sort_key", "pk")
        )
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_decided_on(self):
        return _not_in_future(self.cleaned_data.get("decided_on"))


class DisciplineFilter(SelectPromptsMixin, forms.Form):
    """Which evaluation year's window to list; anything unreadable falls back to the current year's."""

    is_filter = True

    year = forms.TypedChoiceField(label=_("Evaluation year"), coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["year"].initial = calendar.evaluation_year_of(timezone.localdate())

    def chosen_year(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return calendar.evaluation_year_of(timezone.localdate())

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import AbsenceReason, Campaign, Session
from core.dates import FIRST_YEAR, LAST_YEAR, BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import DateInput, LocalDateTimeInput
from team.models import Department, User
from team.selectors import active_members

PERIOD_BACKWARDS = _("The campaign cannot end before it starts.")
FILE_OR_LINK = _("Attach a file or give a link.")


class CampaignForm(SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "theme",
            "description",
            "starts_on",
            "ends_on",
            "organiser",
            "audience",
            "departments",
            "people",
            "counts_for_tt124",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = active_members().order_by("name_sort_key")
        self.fields["departments"].queryset = Department.objects.all()
        self.fields["people"].queryset = User.objects.filter(is_active=True).order_by("name_sort_key")
        self.fields["people"].required = False
        self.fields["departments"].required = False

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", PERIOD_BACKWARDS)
        return data


class SessionForm(SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["kind", "starts_at", "ends_at", "place", "presenter"]
        widgets = {"starts_at": LocalDateTimeInput(), "ends_at": LocalDateTimeInput()}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, office documents or photos, 10 MB at most.")
    )
    link = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("link"):
            raise forms.ValidationError(FILE_OR_LINK)
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown in the room"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "class": "form-control form-control-lg text-center",
            }
        ),
    )


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Copy to year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


ABSENCE_CHOICES = [("", "—"), *AbsenceReason.choices]

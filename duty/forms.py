from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import LocalDateTimeInput
from duty.models import Handover, KeyLoan, LogEntry
from incidents.forms import CLOCK_SKEW, IN_THE_FUTURE
from incidents.models import Place

# An entry may be written a little after the fact, but belongs to its shift: not hours before it began.
EARLIEST_BEFORE_SHIFT = timedelta(hours=1)
BEFORE_SHIFT = _("This time is before the shift began (%(start)s).")


class EntryForm(SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
        help_text=_("One photo of up to 10 MB (JPEG, PNG, WebP)."),
    )

    class Meta:
        model = LogEntry
        fields = ["occurred_at", "text", "place", "to_hand_over"]
        widgets = {"occurred_at": LocalDateTimeInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, shift=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shift = shift
        self.fields["place"].queryset = Place.objects.filter(is_active=True).select_related("parent__parent")
        self.fields["place"].required = False
        if not self.is_bound and not self.instance.pk:
            self.initial["occurred_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_occurred_at(self):
        moment = self.cleaned_data["occurred_at"]
        if moment > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError(IN_THE_FUTURE)
        if self.shift is not None and moment < self.shift.starts_at - EARLIEST_BEFORE_SHIFT:
            start = timezone.localtime(self.shift.starts_at).strftime("%H:%M %d/%m/%Y")
            raise forms.ValidationError(BEFORE_SHIFT, params={"start": start})
        return moment

    def entry_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The entry stays as it was written; the correction is added below it with the time."),
    )


class HandoverForm(forms.ModelForm):
    class Meta:
        model = Handover
        fields = ["premises", "instructions"]
        widgets = {
            "premises": forms.Textarea(attrs={"rows": 3}),
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }


class ReceiveForm(forms.Form):
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Anything missing or different from what was handed over."),
    )


class KeyLoanForm(forms.ModelForm):
    class Meta:
        model = KeyLoan
        fields = ["key", "holder"]


class DayForm(forms.Form):
    """The day of the logbook to read: dd/mm/yyyy."""

    day = forms.DateField(label=_("Day"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])

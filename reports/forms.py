from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SelectPromptsMixin
from core.widgets import DateInput
from reports.models import PeriodicReport, ReportKind


class NewReportForm(SelectPromptsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=[("", "")] + list(ReportKind.choices))
    day = forms.DateField(
        label=_("A day of the period"),
        widget=DateInput(),
        help_text=_("The report covers the month, quarter, half-year or evaluation year this day falls in."),
    )


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = PeriodicReport
        fields = ["achievements", "shortcomings", "proposals"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}
        help_texts = {
            "achievements": _("What went well in the period."),
            "shortcomings": _("What is left to do, and why."),
            "proposals": _("What the team asks of the office leadership."),
        }

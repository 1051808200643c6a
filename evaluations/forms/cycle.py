"""Forms of the annual cycle: settings, stages, meeting, assessments, evidence, sign-off and outcome."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.dates import LAST_YEAR, BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import DateInput, LocalDateTimeInput
from evaluations.models import Assessment, Evaluation, Evidence, Meeting, MeetingParticipant, Stage
from team.models import User


def staff_choices():
    return User.objects.filter(is_active=True).select_related("department").order_by("name_sort_key")


class StartYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2022, max_value=LAST_YEAR, widget=forms.NumberInput(attrs={"class": "form-control"})
    )


class SettingsForm(BoundedDatesMixin, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["window_start", "window_end", "receiving_body", "recognising_body"]
        widgets = {"window_start": DateInput(), "window_end": DateInput()}
        help_texts = {
            "window_start": _("TT 124 Điều 8.2.b: from 16/11 of the previous year."),
            "window_end": _("Until 15/11 of the evaluation year."),
            "receiving_body": _("Who receives the dossier (changed by TT 48/2025; check the province's guidance)."),
            "recognising_body": _("Who decides (TT 124 Điều 10: the provincial People's Committee)."),
        }


class StageForm(SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    responsible = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("responsible"))

    class Meta:
        model = Stage
        fields = ["due_on", "responsible", "completed_on", "note"]
        widgets = {"due_on": DateInput(), "completed_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff_choices()


class MeetingForm(SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    chair = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("chair"))
    secretary = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("secretary"))

    class Meta:
        model = Meeting
        fields = [
            "starts_at",
            "ends_at",
            "place",
            "chair",
            "secretary",
            "opinions",
            "vote_method",
            "votes_for",
            "votes_against",
            "abstentions",
            "conclusion",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "opinions": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = self.fields["secretary"].queryset = staff_choices()


class ParticipantForm(SelectPromptsMixin, forms.Form):
    """One participant. A row without a name is ignored, so the empty rows left for additions do no harm."""

    role = forms.ChoiceField(label=_("representing"), choices=MeetingParticipant.Role.choices)
    name = forms.CharField(label=_("name"), max_length=150, required=False)
    position = forms.CharField(label=_("position and unit"), max_length=200, required=False)
    present = forms.BooleanField(label=_("present"), required=False, initial=True)


ParticipantFormSet = formset_factory(ParticipantForm, extra=3, can_delete=True)


class AssessForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[c for c in Assessment.Result.choices if c[0]], widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What shows it: the documents, the figures above, what was done. Required when not met."),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class EvidenceForm(SelectPromptsMixin, BoundedDatesMixin, forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    document_kind = forms.ChoiceField(label=_("Document"), choices=Evidence.DocumentKind.choices, required=False)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    number = forms.CharField(label=_("Number and symbol"), max_length=50, required=False)
    dated = forms.DateField(label=_("Dated"), required=False, widget=DateInput())
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A photo (JPEG, PNG, WebP), a PDF or an office document, up to 10 MB."),
    )
    link = forms.CharField(
        label=_("Or a link to a page of TựQuản"),
        max_length=300,
        required=False,
        help_text=_("E.g. an incident, a campaign or the team page: paste its address."),
    )

    def target_key(self) -> tuple[str, int] | None:
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        return (kind, int(pk)) if pk.isdigit() else None


class ReasonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DossierForm(SelectPromptsMixin, BoundedDatesMixin, forms.Form):
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput())
    submitted_to = forms.CharField(label=_("Submitted to"), max_length=300, required=False)
    method = forms.ChoiceField(label=_("How"), choices=Evaluation.Method.choices)


class DecisionForm(BoundedDatesMixin, forms.Form):
    recognised = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Recognised as “An toàn về an ninh, trật tự”")), ("0", _("Not recognised"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    number = forms.CharField(label=_("Decision number"), max_length=50)
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput())

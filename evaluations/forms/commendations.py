"""Forms of the commendations: the proposal, the steps after it, and the register's filters."""

from datetime import timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign
from core.access import visible
from core.dates import BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import DateInput
from evaluations.models import Commendation, Evaluation
from evaluations.services.commendations import (
    ACHIEVEMENT_MISSING,
    NOMINEE_MISSING,
    NOMINEE_TWICE,
    REASON_MISSING,
    WRONG_EVALUATION,
)
from incidents.models import Incident
from incidents.text import fold
from team.models import User
from team.selectors import current_team

ALL_YEARS = "all"
LINKABLE_DAYS = 2 * 366  # incidents and campaigns of the last two years can be linked


class IncidentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, incident):
        happened = formats.date_format(timezone.localtime(incident.occurred_at), "d/m/Y")
        return f"{incident.reference} · {incident.category} · {happened}"


class CampaignChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, campaign):
        return f"{campaign.title} · {formats.date_format(campaign.starts_on, 'd/m/Y')}"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person} · {person.department}" if person.department_id else str(person)


class ProposalForm(SelectPromptsMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    kind = forms.ChoiceField(
        label=pgettext_lazy("commendation", "Kind"), choices=Commendation.Kind.choices, widget=forms.RadioSelect
    )
    form = forms.ChoiceField(label=_("Form of commendation"), choices=Commendation.Form.choices)
    person = PersonChoice(
        label=_("Person"),
        required=False,
        queryset=User.objects.none(),
        empty_label="—",
        help_text=_("A staff member. Leave empty to commend a collective."),
    )
    collective = forms.CharField(label=_("or a collective"), required=False, max_length=200)
    achievement = forms.CharField(
        label=_("Achievement"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done, when, and with what result; give numbers where you can."),
        error_messages={"required": ACHIEVEMENT_MISSING},
    )
    incidents = IncidentChoices(
        label=_("Incidents behind it"),
        required=False,
        queryset=Incident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    campaigns = CampaignChoices(
        label=_("Campaigns behind it"),
        required=False,
        queryset=Campaign.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    evaluation = forms.ModelChoiceField(
        label=_("Evaluation behind it"), required=False, queryset=Evaluation.objects.none(), empty_label="—"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        since = today - timedelta(days=LINKABLE_DAYS)
        self.fields["year"].choices = [(today.year, today.year), (today.year - 1, today.year - 1)]
        self.fields["year"].initial = today.year
        self.fields["person"].queryset = User.objects.filter(is_active=True).select_related("department")
        team = current_team()
        example = team.name if team else "Tổ bảo vệ an ninh, trật tự cơ quan"
        self.fields["collective"].help_text = _("E.g. “%(name)s”. Leave empty when you name a person.") % {
            "name": example
        }
        self.fields["incidents"].queryset = visible(
            user, Incident.objects.filter(occurred_at__date__gte=since).select_related("category")
        ).order_by("-occurred_at", "-pk")
        self.fields["campaigns"].queryset = visible(
            user,
            Campaign.objects.filter(ends_on__gte=since).exclude(
                status__in=(Campaign.Status.DRAFT, Campaign.Status.CANCELLED)
            ),
        )
        self.fields["evaluation"].queryset = visible(user, Evaluation.objects.filter(year__gte=today.year - 1))

    def clean(self):
        data = super().clean()
        person, collective = data.get("person"), (data.get("collective") or "").strip()
        if person and collective:
            self.add_error("collective", NOMINEE_TWICE)
        elif not person and not collective and "person" not in self.errors:
            self.add_error("person", NOMINEE_MISSING)
        evaluation, year = data.get("evaluation"), data.get("year")
        if evaluation and year and evaluation.year != year:
            self.add_error("evaluation", WRONG_EVALUATION % {"year": year})
        return data

    def proposal(self) -> dict:
        """The keyword arguments of services.commendations.propose()."""
        data = self.cleaned_data
        fields = {
            name: data[name] for name in ("year", "kind", "form", "person", "collective", "achievement", "evaluation")
        }
        return {"fields": fields, "incidents": list(data["incidents"]), "campaigns": list(data["campaigns"])}


class StepForm(forms.Form):
    """Review, approve or reject: the version the person saw and his opinion."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Opinion"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(StepForm):
    note = forms.CharField(
        label=_("Why not"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": REASON_MISSING},
    )


class DecisionForm(BoundedDatesMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.CharField(label=_("Decision number"), max_length=50, help_text=_("E.g. 12/QĐ-VP."))
    date = forms.DateField(label=_("Decision date"), widget=DateInput())


class RegisterFilter(SelectPromptsMixin, forms.Form):
    is_filter = True
    year = forms.ChoiceField(label=_("Year"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *Commendation.Status.choices])
    kind = forms.ChoiceField(
        label=pgettext_lazy("commendation", "Kind"), required=False, choices=[("", "—"), *Commendation.Kind.choices]
    )
    form = forms.ChoiceField(
        label=_("Form of commendation"), required=False, choices=[("", "—"), *Commendation.Form.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, params, *, years, default_year):
        """`params`: the query string; without a year in it the register shows `default_year`."""
        data = params.copy()
        if "year" not in data:
            data["year"] = str(default_year)
        super().__init__(data)
        self.fields["year"].choices = [(ALL_YEARS, _("All years")), *((str(y), str(y)) for y in years)]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            )
        self.fields["q"].widget.attrs["placeholder"] = _("Name or achievement")

    def apply(self, queryset):
        """The filtered register. A value that does not validate is ignored, never an error page."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("year") and data["year"] != ALL_YEARS:
            queryset = queryset.filter(year=int(data["year"]))
        for name in ("status", "kind", "form"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("q", "").strip():
            queryset = matching(queryset, data["q"])
        return queryset


def matching(queryset, words: str):
    """Rows whose nominee or achievement contain every word, with or without diacritics.

    Folded in Python (incidents.text.fold on both sides): the register holds tens of rows a year, and one
    narrow query of the candidates keeps the page's query count constant.
    """
    needles = fold(words).split()
    candidates = queryset.values_list("pk", "person__full_name", "collective", "achievement")
    keep = [
        pk
        for pk, name, collective, achievement in candidates
        if all(needle in fold(f"{name or ''} {collective} {achievement}") for needle in needles)
    ]
    return queryset.filter(pk__in=keep)

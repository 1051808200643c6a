from datetime import timedelta

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import DateInput, LocalDateTimeInput
from incidents.access import reporter_visible
from incidents.models import Category, ExternalReport, Incident, Place, Severity
from incidents.models.catalog import Tt124Item
from team.models import Department, User
from team.selectors import active_members

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
DETECTED_BEFORE_OCCURRED = _("It cannot have been detected before it happened.")
IN_THE_FUTURE = _("This time is in the future.")
REPORTER_TWICE = _("Choose a staff member or type a name, not both.")
FILES_NOT_SENT = _("The files you chose were not sent; please choose them again.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the content checks happen in core.uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,.pdf,.doc,.docx,.xls,.xlsx,.pptx,.odt,.ods"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class AttachmentsMixin:
    """A form with an `attachments` field. A browser never fills a file field again, so when the form
    comes back with an error the files chosen are gone: say so next to the field rather than let the
    person believe they were sent."""

    def mention_lost_files(self) -> None:
        if self.errors and self.files.getlist(self.add_prefix("attachments")):
            self.add_error("attachments", FILES_NOT_SENT)


class IncidentForm(AttachmentsMixin, SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    select_prompts = {"reporter": _("— Choose a staff member —")}
    attachments = MultipleFileField(
        label=_("Photos and documents"),
        required=False,
        help_text=_("Up to 10 files of 10 MB: photos (JPEG, PNG, WebP), PDF or office documents."),
    )

    class Meta:
        model = Incident
        fields = [
            "category",
            "occurred_at",
            "detected_at",
            "place",
            "place_detail",
            "description",
            "people_involved",
            "injuries_damage",
            "immediate_actions",
            "proposed_severity",
            "confidential_reporter",
        ]
        widgets = {
            "occurred_at": LocalDateTimeInput(),
            "detected_at": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "people_involved": forms.Textarea(attrs={"rows": 2}),
            "injuries_damage": forms.Textarea(attrs={"rows": 2}),
            "immediate_actions": forms.Textarea(attrs={"rows": 2}),
            "proposed_severity": forms.RadioSelect,
        }

    def __init__(self, *args, on_behalf_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        # A place prints its parents (room › floor › building): both levels in the same query.
        self.fields["place"].queryset = Place.objects.filter(is_active=True).select_related("parent__parent")
        self.fields["proposed_severity"].choices = Severity.choices  # no empty "---------" radio
        self.fields["proposed_severity"].initial = Severity.MEDIUM
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        self.fields["occurred_at"].initial = self.fields["detected_at"].initial = now
        if on_behalf_allowed:
            self.fields["reporter"] = forms.ModelChoiceField(
                label=_("Reported by (staff member)"),
                required=False,
                queryset=User.objects.people().order_by("name_sort_key"),
                help_text=_("When you file for someone else. Leave both empty if you report yourself."),
            )
            self.fields["reporter_name"] = forms.CharField(
                label=_("Reported by (not on staff)"),
                required=False,
                max_length=200,
                help_text=_("Name and phone of a visitor or caller."),
            )

    def clean(self):
        data = super().clean()
        occurred, detected = data.get("occurred_at"), data.get("detected_at")
        latest = timezone.now() + CLOCK_SKEW
        if occurred and occurred > latest:
            self.add_error("occurred_at", IN_THE_FUTURE)
        if detected and detected > latest:
            self.add_error("detected_at", IN_THE_FUTURE)
        if occurred and detected and detected < occurred:
            self.add_error("detected_at", DETECTED_BEFORE_OCCURRED)
        if data.get("reporter") and data.get("reporter_name"):
            self.add_error("reporter_name", REPORTER_TWICE)
        return data

    def incident_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        for name in ("reporter", "reporter_name"):
            if self.cleaned_data.get(name):
                fields[name] = self.cleaned_data[name]
        return fields


class TransitionForm(forms.Form):
    action = forms.CharField()
    version = forms.IntegerField()
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason")
    )
    # Sent to the reporter in the one notice he gets about the change (incidents.services.transition).
    message = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Message to the reporter")
    )


class RegradeForm(SelectPromptsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    severity = forms.TypedChoiceField(
        label=_("Severity"), coerce=int, choices=Severity.choices, widget=forms.RadioSelect
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when lowering the severity. The reporter sees a new category with this reason; "
            "a new severity only the team sees."
        ),
    )

    def __init__(self, *args, incident: Incident, **kwargs):
        kwargs.setdefault("auto_id", "regrade-%s")
        super().__init__(*args, **kwargs)
        # An incident filed under a category since retired keeps it until someone picks another.
        self.fields["category"].queryset = Category.objects.filter(Q(is_active=True) | Q(pk=incident.category_id))


class AssignForm(SelectPromptsMixin, forms.Form):
    select_prompts = {"assignee": _("— Choose a team member —")}
    version = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=active_members().order_by("name_sort_key"),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    to_reporter = forms.BooleanField(label=_("Send to the reporter (otherwise the team only)"), required=False)


class InfoForm(AttachmentsMixin, forms.Form):
    text = forms.CharField(label=_("Add information"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(
        label=_("Photos and documents"),
        required=False,
        help_text=_("Up to 10 files of 10 MB: photos (JPEG, PNG, WebP), PDF or office documents."),
    )


class QueueFilter(SelectPromptsMixin, BoundedDatesMixin, forms.Form):
    is_filter = True
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("e.g. trom cap nha A"),
                "title": _(
                    "Words in any order, with or without diacritics: reference, category, place, "
                    "place details, what happened, people involved."
                ),
            }
        ),
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("newest", _("Newest first")), ("oldest", _("Oldest first")), ("severity", _("Most severe first"))],
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=Category.objects.all())
    severity = forms.TypedChoiceField(
        label=_("Severity"), required=False, coerce=int, choices=[("", "—"), *Severity.choices]
    )
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"),
        required=False,
        queryset=active_members().order_by("name_sort_key"),
    )
    place = forms.ModelChoiceField(
        label=_("Place"), required=False, queryset=Place.objects.select_related("parent__parent")
    )
    # The dashboard's figures link here: the reporter's department, the level reached, who was told.
    department = forms.ModelChoiceField(
        label=_("Reporter's department"), required=False, queryset=Department.objects.all()
    )
    escalation_level = forms.IntegerField(
        label=_("Escalation level reached"), required=False, min_value=1, max_value=99
    )
    agency = forms.ChoiceField(
        label=_("Reported to"), required=False, choices=[("", "—"), *ExternalReport.Agency.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    reported_by_me = forms.BooleanField(label=_("Reported by me"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        from incidents.models import Status

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "—"), ("open", _("All open")), *Status.choices]
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-select form-select-sm"
            if isinstance(field, forms.CharField | forms.DateField) and not isinstance(field, forms.ChoiceField):
                css = "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def apply(self, queryset, user):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.search(data["q"], reporter_visible=reporter_visible(user))
        if data["status"] == "open":
            queryset = queryset.open()
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["overdue"]:
            queryset = queryset.overdue()
        if data["reported_by_me"]:
            queryset = queryset.filter(Q(reporter=user) | Q(filed_by=user))
        for name in ("category", "severity", "assignee", "place", "escalation_level"):
            if data[name] not in (None, ""):
                queryset = queryset.filter(**{name: data[name]})
        if data["department"]:
            queryset = queryset.filter(reporter__department=data["department"])
        if data["agency"]:
            # Exists, not a join: an incident reported twice to the police is listed once.
            queryset = queryset.filter(
                Exists(ExternalReport.objects.filter(incident=OuterRef("pk"), agency=data["agency"]))
            )
        if data["since"]:
            queryset = queryset.filter(created_at__date__gte=data["since"])
        if data["until"]:
            queryset = queryset.filter(created_at__date__lte=data["until"])
        return queryset


class ExternalReportForm(SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    class Meta:
        model = ExternalReport
        fields = ["agency", "agency_detail", "notified_at", "method", "case_reference"]
        widgets = {"notified_at": LocalDateTimeInput()}

    def clean_notified_at(self):
        value = self.cleaned_data["notified_at"]
        if value > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError(IN_THE_FUTURE)
        return value


class Tt124Form(SelectPromptsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    tt124_item = forms.ChoiceField(label=_("TT 124 criterion"), required=False, choices=[("", "—"), *Tt124Item.choices])
    police_confirmed_serious = forms.BooleanField(label=_("Police confirmed a serious or worse crime"), required=False)
    force_majeure = forms.BooleanField(label=_("Force majeure"), required=False)


class DuplicateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    original_reference = forms.CharField(
        label=_("Duplicate of (reference)"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "VV-2026-0001"}),
    )


def chosen_order(filters: QueueFilter) -> str:
    if not filters.is_valid():
        return "newest"
    return filters.cleaned_data.get("sort") or "newest"

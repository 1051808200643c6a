import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import DateInput, LocalDateTimeInput
from team.models import User
from visitors.models import Visit

CCCD_DIGITS = 12
CCCD_INVALID = _("A citizen identity card (CCCD) number has 12 digits.")
NUMBER_WITHOUT_DOCUMENT = _("Choose the kind of document this number belongs to, or leave the number empty.")
NUMBER_NOT_CHECKED = _("The document was not checked: leave its number empty.")
LAST_FOUR_KEPT = _("Type the whole number to check it; only its last four characters are kept.")
HOST_NEEDED = _("Choose the colleague the visitor comes to see, or type the room or person.")


class HostField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name()} – {user.department}" if user.department_id else user.get_full_name()


def host_field() -> HostField:
    people = User.objects.filter(is_active=True).select_related("department").order_by("full_name", "username")
    return HostField(people, required=False, label=_("Host"), help_text=Visit._meta.get_field("host").help_text)


class RegistrationForm(SelectPromptsMixin, BoundedDatesMixin, forms.ModelForm):
    """A colleague's pre-registration: who comes, from where, why, when, to see whom."""

    host = host_field()

    class Meta:
        model = Visit
        fields = ["visitor_name", "organisation", "phone", "purpose", "expected_at", "host", "host_detail"]
        widgets = {"expected_at": LocalDateTimeInput()}

    def __init__(self, *args, registering=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_at"].required = True
        if registering is not None and not self.instance.pk and not self.is_bound:
            self.initial.setdefault("host", registering.pk)  # usually the visitor comes to see whoever registers him

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("host") and not cleaned.get("host_detail"):
            self.add_error("host", HOST_NEEDED)
        return cleaned


class CheckInForm(SelectPromptsMixin, forms.ModelForm):
    """At the gate: the visitor (pre-filled from a pre-registration), the document, the plate and the badge."""

    host = host_field()

    class Meta:
        model = Visit
        fields = [
            "visitor_name",
            "organisation",
            "phone",
            "purpose",
            "host",
            "host_detail",
            "id_document_type",
            "id_number",
            "vehicle_plate",
            "badge_number",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_document_type"].required = True
        if settings.VISITOR_ID_NUMBERS == "none":
            del self.fields["id_number"]  # the office records that a document was checked, never its number
        else:
            self.fields["id_number"].widget.attrs.update(autocomplete="off", inputmode="text")
        if settings.VISITOR_ID_NUMBERS == "last4":
            self.fields["id_number"].help_text = LAST_FOUR_KEPT
        self.fields["vehicle_plate"].widget.attrs.update(autocomplete="off", placeholder="30A-123.45")

    def clean_id_number(self):
        return re.sub(r"\s", "", self.cleaned_data["id_number"]).upper()

    def clean_vehicle_plate(self):
        return " ".join(self.cleaned_data["vehicle_plate"].split()).upper()

    def clean(self):
        cleaned = super().clean()
        kind, number = cleaned.get("id_document_type"), cleaned.get("id_number")
        if number and kind == Visit.IdDocument.NOT_CHECKED:
            self.add_error("id_number", NUMBER_NOT_CHECKED)
        elif number and not kind:
            self.add_error("id_number", NUMBER_WITHOUT_DOCUMENT)
        elif number and kind == Visit.IdDocument.CCCD and not (number.isdigit() and len(number) == CCCD_DIGITS):
            self.add_error("id_number", CCCD_INVALID)
        return cleaned


class GateFilter(BoundedDatesMixin, forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput(attrs={"class": "form-control"}))
    q = forms.CharField(
        label=_("Name or plate"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "placeholder": _("e.g. nguyen van an, 30A12345")}
        ),
    )

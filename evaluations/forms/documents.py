"""Forms of the document pages: the draft's text, the regeneration's confirmation, the signed copy."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SelectPromptsMixin
from evaluations.models import DocumentKind
from evaluations.services.documents import BODY_MISSING, SIGNER_NOT_LEADERSHIP, SUMMARY_MISSING
from team.models import Position, User

MAX_BODY = 100_000

BODY_HELP = _(
    "One paragraph per line. Lines starting with “Căn cứ” at the top are the legal bases (printed in italics). "
    "“I. …”, “II. …” start a section heading; “## ” makes a bold paragraph; lines starting with “|” form a table "
    "(the first row is the header); “- ” starts a list item. End the text with “./.”."
)


class SignerChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} · {user.position}"


class DraftForm(SelectPromptsMixin, forms.Form):
    summary = forms.CharField(label=_("Subject line"), max_length=300, error_messages={"required": SUMMARY_MISSING})
    addressees = forms.CharField(
        label=_("Addressed to (Kính gửi)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, with its punctuation: “;” after each but the last, “.” after the last."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace", "spellcheck": "true"}),
        help_text=BODY_HELP,
        error_messages={"required": BODY_MISSING},
    )
    recipients = forms.CharField(
        label=_("Copies to (Nơi nhận)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; the last is “Lưu: VT, …”."),
    )
    signer = SignerChoice(
        label=_("Signed by"),
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": SIGNER_NOT_LEADERSHIP},
        help_text=_("A Deputy Chief signs “KT. CHÁNH VĂN PHÒNG”."),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, with_signer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_signer:
            self.fields["signer"].queryset = (
                User.objects.filter(is_active=True, position__kind__in=Position.LEADERSHIP_KINDS)
                .select_related("position")
                .order_by("position__kind", "name_sort_key")
            )
        else:
            # Minutes are signed by the meeting's secretary and chair.
            del self.fields["signer"]

    def clean_seen(self) -> datetime | None:
        value = self.cleaned_data["seen"]
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None

    @classmethod
    def for_draft(cls, draft, data=None):
        initial = {
            "summary": draft.summary,
            "addressees": draft.addressees,
            "body": draft.body,
            "recipients": draft.recipients,
            "signer": draft.signer_id,
            "seen": draft.updated_at.isoformat(),
        }
        return cls(data, initial=initial, with_signer=draft.kind != DocumentKind.MINUTES)


class RegenerateForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the text above, with any edits, is replaced by a text generated from today’s data."),
        error_messages={"required": _("Tick the box to confirm that your edits may be replaced.")},
    )


class SignedCopyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed and sealed copy"),
        help_text=_("A scan as PDF or photo, or the signed Word file. It can be uploaded once per version."),
    )

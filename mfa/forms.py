import re

from django import forms
from django.utils.translation import gettext_lazy as _

SIX_DIGITS = _("Enter the 6 digits your authenticator app shows.")
CODE_OR_RECOVERY = _("Enter the 6 digits your authenticator app shows, or a recovery code (8 letters and digits).")

_SEPARATORS = re.compile(r"[\s\-]+")
_RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


def _code_input(numeric: bool) -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric" if numeric else "text",
            "autocapitalize": "off",
            "spellcheck": "false",
            "class": "font-monospace",
        }
    )


class _CodeFormBase(forms.Form):
    def __init__(self, *args, autofocus: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True


class AuthenticatorCodeForm(_CodeFormBase):
    """The first code of a new authenticator: six digits, spaces allowed ("123 456")."""

    code = forms.CharField(label=_("Code from the app"), max_length=20, widget=_code_input(numeric=True))

    def clean_code(self):
        code = _SEPARATORS.sub("", self.cleaned_data["code"])
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(SIX_DIGITS)
        return code


class CodeForm(_CodeFormBase):
    """A code from the authenticator or a recovery code; case, spaces and dashes do not matter."""

    code = forms.CharField(
        label=_("Code from the app or a recovery code"), max_length=32, widget=_code_input(numeric=False)
    )

    def clean_code(self):
        code = _SEPARATORS.sub("", self.cleaned_data["code"]).lower()
        if not ((len(code) == 6 and code.isdigit()) or _RECOVERY_CODE.fullmatch(code)):
            raise forms.ValidationError(CODE_OR_RECOVERY)
        return code

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import bound_date_field
from core.forms import SelectPromptsMixin
from team.models import Membership, User


class AppointCommandForm(SelectPromptsMixin, forms.Form):
    """A new team leader or deputy under one decision (admin: Team › Appoint a new team leader or deputy)."""

    select_prompts = {"person": _("— Choose a person —")}

    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Membership.Role.LEADER, Membership.Role.LEADER.label),
            (Membership.Role.DEPUTY, Membership.Role.DEPUTY.label),
        ],
    )
    person = forms.ModelChoiceField(label=_("Person appointed"), queryset=User.objects.filter(is_active=True))
    decision_number = forms.CharField(
        label=_("Decision number and symbol"), max_length=50, help_text=_("E.g. 125/QĐ-VP.")
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=AdminDateWidget)
    signer_name = forms.CharField(label=_("Signer"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)
    start_date = forms.DateField(
        label=_("With effect from"),
        widget=AdminDateWidget,
        help_text=_("The previous holder's role ends and the new one starts on this day."),
    )
    previous_holder_stays = forms.BooleanField(
        label=_("The previous holder stays in the team as a member"),
        required=False,
        help_text=_("Leave unticked when the previous holder leaves the team."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["signed_on"].initial = today
        self.fields["start_date"].initial = today
        for name in ("signed_on", "start_date"):
            bound_date_field(self.fields[name])

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.forms import SelectPromptsMixin
from core.widgets import LocalDateTimeInput
from incidents.models import Place
from patrols import services
from patrols.models import Checkpoint
from team.models import DutyShift

# How far ahead the planning form offers shifts.
PLANNING_HORIZON_DAYS = 14


class CheckpointForm(SelectPromptsMixin, forms.Form):
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    instruction = forms.CharField(
        label=_("What to check there"),
        max_length=200,
        required=False,
        help_text=_("A short instruction shown when the code is scanned, e.g. “Doors locked, lights off”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Places in use that are not checkpoints yet (one checkpoint per place).
        self.fields["place"].queryset = (
            Place.objects.filter(is_active=True, checkpoint__isnull=True)
            .select_related("parent", "parent__parent")
            .order_by("order", "name")
        )


class RoundForm(SelectPromptsMixin, BoundedDatesMixin, forms.Form):
    shift = forms.ModelChoiceField(label=_("Duty shift"), queryset=DutyShift.objects.none())
    starts_at = forms.DateTimeField(label=_("Window opens at"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Window closes at"), widget=LocalDateTimeInput())
    checkpoints = forms.ModelMultipleChoiceField(
        label=_("Checkpoints, visited in this order"),
        queryset=Checkpoint.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": services.NO_CHECKPOINTS},
    )
    whole_week = forms.BooleanField(
        label=_("Plan the same round for every shift of this week at the same hours"), required=False
    )

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["shift"].queryset = (
            DutyShift.objects.filter(
                ends_at__gt=self.now, starts_at__lt=self.now + timedelta(days=PLANNING_HORIZON_DAYS)
            )
            .with_people()
            .order_by("starts_at")
        )
        self.fields["checkpoints"].queryset = Checkpoint.objects.active().in_order()

    def clean(self):
        data = super().clean()
        shift, starts_at, ends_at = data.get("shift"), data.get("starts_at"), data.get("ends_at")
        if shift and starts_at and ends_at:
            for error in services.window_errors(shift, starts_at, ends_at, self.now):
                self.add_error("ends_at" if ends_at <= starts_at else "starts_at", error)
        return data

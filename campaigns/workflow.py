"""Which campaign status may follow which: the one table the services, the pages and the sweep share.

    draft ──schedule──▶ scheduled ──start──▶ running ──complete──▶ completed
      │                     │                   │
      └───────cancel────────┴──────cancel───────┴──────────────▶ cancelled

`schedule`, `complete` and `cancel` are buttons for those who run campaigns. `start` is the sweep's, on the
first day (scheduling a campaign whose first day has come starts it at once), and the sweep also completes a
running campaign the day after its last one. Completed and cancelled are final: a recurring briefing is
copied to a new draft instead.

What may change in each status:
- the campaign itself (title, period, audience, whether it counts for TT 124): while it is a draft or
  scheduled. Once it runs, people have been invited to that period and audience; once it is over, its
  figures are the evidence of TT 124 criterion 1.
- sessions and materials: until it is over (a make-up session for those who missed the first one).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign

S = Campaign.Status

NOT_ALLOWED = _("“%(action)s” is not possible for a campaign that is “%(status)s”.")
NOT_EDITABLE = _(
    "A campaign that is “%(status)s” can no longer be edited: only a draft or a scheduled one can. "
    "Copy it to prepare another one."
)
CLOSED = _("This campaign is closed.")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: tuple[str, ...]
    target: str
    by_hand: bool  # a button on the campaign's page; otherwise only the sweep (or scheduling) does it


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("schedule", _("Schedule and invite"), (S.DRAFT,), S.SCHEDULED, by_hand=True),
        Transition("start", _("Start"), (S.SCHEDULED,), S.RUNNING, by_hand=False),
        Transition("complete", _("Complete"), (S.RUNNING,), S.COMPLETED, by_hand=True),
        Transition("cancel", _("Cancel"), (S.DRAFT, S.SCHEDULED, S.RUNNING), S.CANCELLED, by_hand=True),
    )
}

EDITABLE = (S.DRAFT, S.SCHEDULED)
OPEN = (S.DRAFT, S.SCHEDULED, S.RUNNING)


def buttons(campaign: Campaign) -> list[Transition]:
    """The transitions a person may choose now, in the order of the table."""
    return [t for t in TRANSITIONS.values() if t.by_hand and campaign.status in t.sources]


def check(campaign: Campaign, name: str) -> Transition:
    """The transition `name`, or ValidationError when the campaign's status does not allow it."""
    transition = TRANSITIONS[name]
    if campaign.status not in transition.sources:
        raise ValidationError(
            NOT_ALLOWED % {"action": transition.label, "status": campaign.get_status_display()}, code="not_allowed"
        )
    return transition


def is_editable(campaign: Campaign) -> bool:
    return campaign.status in EDITABLE


def check_editable(campaign: Campaign) -> None:
    if not is_editable(campaign):
        raise ValidationError(NOT_EDITABLE % {"status": campaign.get_status_display()}, code="not_editable")


def is_open(campaign: Campaign) -> bool:
    """Sessions and materials may still be added."""
    return campaign.status in OPEN


def check_open(campaign: Campaign) -> None:
    if not is_open(campaign):
        raise ValidationError(CLOSED, code="closed")

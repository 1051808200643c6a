"""What campaigns tell people (through notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.services import notify_many

INVITED = register(Kind("campaigns.invited", _("Invitation to an awareness campaign"), personal=False))
SESSION_REMINDER = register(Kind("campaigns.session_reminder", _("Reminder of a briefing session"), personal=False))
CHASE = register(Kind("campaigns.chase", _("Reminder: campaign not yet followed"), personal=False))
WEEKLY_SUMMARY = register(Kind("campaigns.weekly_summary", _("Weekly campaign summary (organiser)"), personal=False))


def tell(recipients, kind: Kind, campaign, *, key: str, **context) -> list:
    """Tell each recipient once per `key`."""
    return notify_many(
        recipients=list(recipients),
        kind=kind.code,
        context={"campaign": campaign, **context},
        url=campaign.get_absolute_url(),
        dedupe_key=key,
    )

"""What the register of visitors tells people."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.services import notify

ARRIVED = register(Kind("visitors.arrived", _("Your visitor has arrived at the gate")))
STILL_INSIDE = register(Kind("visitors.still_inside", _("Visitors still inside after working hours (on duty)")))


def visitor_arrived(visit) -> None:
    """Tell the host; called inside the check-in's transaction."""
    notify(
        recipient=visit.host,
        kind=ARRIVED.code,
        context={"visit": visit, "person": visit.checked_in_by.get_full_name()},
        url=visit.get_absolute_url(),
        dedupe_key=f"visitor-arrived:{visit.pk}",
    )


def still_inside(*, recipient, visits: list, day, url: str) -> None:
    notify(
        recipient=recipient,
        kind=STILL_INSIDE.code,
        context={"visits": visits, "day": day},
        url=url,
        dedupe_key=f"visitors-still-inside:{day:%Y-%m-%d}",
    )

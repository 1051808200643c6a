"""What the evaluation cycle and commendations tell people (through notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.services import notify_many

DEADLINE = register(Kind("evaluations.deadline", _("Deadline of the annual evaluation"), personal=False))
SIGN_OFF_REQUESTED = register(Kind("evaluations.sign_off_requested", _("Evaluation sent for sign-off"), personal=False))
SIGNED_OFF = register(Kind("evaluations.signed_off", _("Evaluation signed off"), personal=False))
RETURNED = register(Kind("evaluations.returned", _("Evaluation returned for changes"), personal=False))
REOPENED = register(Kind("evaluations.reopened", _("Evaluation reopened"), personal=False))
COMMENDATION_PROPOSED = register(Kind("evaluations.commendation_proposed", _("Commendation proposed"), personal=False))
COMMENDATION_REVIEWED = register(
    Kind("evaluations.commendation_reviewed", _("Commendation reviewed by the team leader"), personal=False)
)
COMMENDATION_DECIDED = register(
    Kind("evaluations.commendation_decided", _("Commendation approved or not"), personal=False)
)
COMMENDATION_GRANTED = register(Kind("evaluations.commendation_granted", _("Commendation granted"), personal=False))


def tell(recipients, kind: Kind, *, url: str, key: str = "", **context) -> list:
    """Tell each recipient (once per `key`, when given) in the business action's transaction."""
    return notify_many(
        recipients=[person for person in recipients if person is not None],
        kind=kind.code,
        context=context,
        url=url,
        dedupe_key=key,
    )

"""What the incidents module tells people (through notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.services import notify_many
from team.models import Membership, Position, User

FILED = register(Kind("incidents.filed", _("New incident reported"), personal=False))
CRITICAL_FILED = register(
    Kind("incidents.critical_filed", _("Critical incident reported"), critical=True, personal=False)
)
ASSIGNED = register(Kind("incidents.assigned", _("Incident assigned to you"), personal=False))
ESCALATED = register(
    Kind("incidents.escalated", _("Incident escalated to the office leadership"), critical=True, personal=False)
)
STATUS_CHANGED = register(Kind("incidents.status_changed", _("Status of your report changed"), personal=False))
INFO_ADDED = register(Kind("incidents.info_added", _("The reporter added information"), personal=False))
ESCALATION_ACKNOWLEDGED = register(
    Kind("incidents.escalation_acknowledged", _("Escalation acknowledged"), personal=False)
)
SLA_REMINDER = register(Kind("incidents.sla_reminder", _("Incident deadline reminders"), personal=False))


def team_leaders():
    return User.objects.filter(
        memberships__end_date__isnull=True, memberships__role__in=[Membership.Role.LEADER, Membership.Role.DEPUTY]
    )


def office_leadership():
    return User.objects.filter(is_active=True, position__kind__in=Position.LEADERSHIP_KINDS)


def tell(recipients, kind: Kind, incident, **context) -> None:
    notify_many(
        recipients=list(recipients),
        kind=kind.code,
        context={"incident": incident, **context},
        url=incident.get_absolute_url(),
    )


def tell_once(recipients, kind: Kind, incident, *, key: str, **context) -> list:
    """Like tell(), but a second call with the same key tells nobody again."""
    return notify_many(
        recipients=list(recipients),
        kind=kind.code,
        context={"incident": incident, **context},
        url=incident.get_absolute_url(),
        dedupe_key=key,
    )

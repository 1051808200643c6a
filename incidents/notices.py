"""What the incidents module tells people (through notifications/)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.services import Send, notify_many
from team.models import Membership, Position, User

FILED = register(Kind("incidents.filed", _("New incident reported"), personal=False))
CRITICAL_FILED = register(
    Kind("incidents.critical_filed", _("Critical incident reported"), critical=True, personal=False)
)
ASSIGNED = register(Kind("incidents.assigned", _("Incident assigned to you"), personal=False))
ESCALATED = register(
    Kind("incidents.escalated", _("Incident escalated to the office leadership"), critical=True, personal=False)
)
STATUS_CHANGED = register(
    Kind("incidents.status_changed", _("Status of your report changed"), personal=False, confidential=True)
)
# Re-grading the severity is the team's judgement and stays internal; a new category changes what the
# reporter's own report says it is about, so the reporter is told (templates quote old and new).
RECATEGORISED = register(
    Kind("incidents.recategorised", _("Category of your report changed"), personal=False, confidential=True)
)
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


def message(recipients, kind: Kind, incident, *, key: str = "", url: str = "", **context) -> Send:
    """What tell() would send (with a `key`, once only per person), for notifications.services.notify_bulk().

    `url`: the incident's page when the caller already has it (see detail_urls()).
    """
    return Send(
        recipients=list(recipients),
        kind=kind.code,
        context={"incident": incident, **context},
        url=url or incident.get_absolute_url(),
        dedupe_key=key,
    )


def detail_urls():
    """A function from an incident's id to its page, for callers that need thousands of them.

    reverse() costs about 90 µs, nine seconds for a sweep of 100,000 incidents; this reverses
    once, with a marker id, and puts each id in its place.
    """
    marker = "9876543210"
    before, after = reverse("incidents:detail", args=[int(marker)]).split(marker)
    return lambda pk: f"{before}{pk}{after}"

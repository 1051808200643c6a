"""Escalation up the chain of command, and its acknowledgement. Called inside a locked incident transaction."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents import notices, sla
from incidents.models import EscalationLevel, Incident, IncidentEvent, Status

NOT_YOURS_MESSAGE = _("This escalation is not waiting for you.")


def level(order: int) -> EscalationLevel | None:
    return EscalationLevel.objects.select_related("position", "person_in_charge", "acting").filter(order=order).first()


def enter_level(incident: Incident, target: EscalationLevel | None, *, actor, reason: str, now: datetime) -> None:
    """Put the incident at `target` (None: no chain is configured, tell the whole office leadership)."""
    incident.status = Status.ESCALATED
    incident.escalation_acknowledged_at = None
    incident.escalation_acknowledged_by = None
    if target is None:
        recipients = list(notices.office_leadership())
        incident.escalation_level, incident.escalation_due_at = 0, None
    else:
        recipients = target.targets(timezone.localdate(now))
        incident.escalation_level, incident.escalation_due_at = target.order, now + target.deadline
    sla.schedule(incident, now)
    incident.version += 1
    incident.save(
        update_fields=[
            "status",
            "escalation_level",
            "escalation_due_at",
            "escalation_acknowledged_at",
            "escalation_acknowledged_by",
            "sla_check_at",
            "version",
        ]
    )
    IncidentEvent.objects.create(
        incident=incident,
        actor=actor,
        action=IncidentEvent.Action.ESCALATED,
        field="escalation_level",
        new_value=", ".join(str(person) for person in recipients),
        text=reason,
    )
    notices.tell(recipients, notices.ESCALATED, incident, reason=reason)


def may_acknowledge(user, incident: Incident) -> bool:
    if incident.status != Status.ESCALATED or incident.escalation_acknowledged_at:
        return False
    if incident.escalation_level == 0:
        return user in notices.office_leadership()
    # The level waiting now, or anyone higher up the chain, may take it.
    return any(
        user in step.targets()
        for step in EscalationLevel.objects.filter(order__gte=incident.escalation_level).select_related(
            "acting", "person_in_charge"
        )
    )


@transaction.atomic
def acknowledge(*, incident_id: int, actor, version: int | None) -> Incident:
    from incidents.services import _locked

    incident = _locked(incident_id, version)
    if not may_acknowledge(actor, incident):
        raise PermissionDenied(NOT_YOURS_MESSAGE)
    now = timezone.now()
    incident.escalation_acknowledged_at, incident.escalation_acknowledged_by = now, actor
    sla.schedule(incident, now)
    incident.version += 1
    incident.save(update_fields=["escalation_acknowledged_at", "escalation_acknowledged_by", "sla_check_at", "version"])
    IncidentEvent.objects.create(
        incident=incident,
        actor=actor,
        action=IncidentEvent.Action.ESCALATION_ACK,
        audience=IncidentEvent.Audience.TEAM,
        new_value=str(actor),
    )
    notices.tell(
        {*notices.team_leaders(), *([incident.assignee] if incident.assignee else [])},
        notices.ESCALATION_ACKNOWLEDGED,
        incident,
        person=actor,
    )
    return incident

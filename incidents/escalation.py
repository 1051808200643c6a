"""Escalation up the chain of command, and its acknowledgement. Called inside a locked incident transaction."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from incidents import notices, sla
from incidents.models import EscalationLevel, Incident, IncidentEvent, Status

NOT_YOURS_MESSAGE = _("This escalation is not waiting for you.")


def level(order: int) -> EscalationLevel | None:
    return EscalationLevel.objects.select_related("position", "person_in_charge", "acting").filter(order=order).first()


# What entering a level changes on the incident (saved by enter_level, or by the sweep for a whole batch).
ENTERED_FIELDS = [
    "status",
    "escalation_level",
    "escalation_due_at",
    "escalation_acknowledged_at",
    "escalation_acknowledged_by",
    "sla_check_at",
    "version",
]


def recipients_of(target: EscalationLevel | None, now: datetime) -> list:
    """Who must acknowledge at `target` (None: no chain is configured, the whole office leadership)."""
    return list(notices.office_leadership()) if target is None else target.targets(timezone.localdate(now))


def move_to(incident: Incident, target: EscalationLevel | None, now: datetime) -> None:
    """Put the incident at `target` in memory only; the caller saves it, records the event and tells people."""
    incident.status = Status.ESCALATED
    incident.escalation_acknowledged_at = None
    incident.escalation_acknowledged_by = None
    if target is None:
        incident.escalation_level, incident.escalation_due_at = 0, None
    else:
        incident.escalation_level, incident.escalation_due_at = target.order, now + target.deadline
    sla.schedule(incident, now)
    incident.version += 1


def escalated_event(incident: Incident, recipients: list, *, actor, reason: str) -> IncidentEvent:
    """The timeline entry of an escalation (not saved)."""
    return IncidentEvent(
        incident=incident,
        actor=actor,
        action=IncidentEvent.Action.ESCALATED,
        field="escalation_level",
        new_value=", ".join(str(person) for person in recipients),
        text=reason,
    )


def enter_level(incident: Incident, target: EscalationLevel | None, *, actor, reason: str, now: datetime) -> None:
    """Put the incident at `target` (None: no chain is configured, tell the whole office leadership)."""
    recipients = recipients_of(target, now)
    move_to(incident, target, now)
    incident.save(update_fields=ENTERED_FIELDS)
    escalated_event(incident, recipients, actor=actor, reason=reason).save()
    notices.tell(recipients, notices.ESCALATED, incident, reason=reason, escalated_by=actor)


def waiting_for(incident: Incident) -> list:
    """Who must acknowledge the escalation now: [] when it is acknowledged or not escalated."""
    if incident.status != Status.ESCALATED or incident.escalation_acknowledged_at:
        return []
    if incident.escalation_level == 0:
        return list(notices.office_leadership().select_related("position").order_by("pk"))
    step = (
        EscalationLevel.objects.select_related("person_in_charge__position", "acting__position", "position")
        .filter(order=incident.escalation_level)
        .first()
    )
    return step.targets() if step else []


def addressed(people) -> str:
    """People as the office addresses them: "đ/c Đặng Thị Thu (Phó Chánh Văn phòng), …"."""
    return ", ".join(
        pgettext("addressing a colleague", "%(name)s (%(position)s)") % {"name": person, "position": person.position}
        if person.position_id
        else pgettext("addressing a colleague", "%(name)s") % {"name": person}
        for person in people
    )


def reason_once(events) -> list[IncidentEvent]:
    """The timeline without the internal note that repeats the reason of the escalation right after it.

    Escalations recorded before the reason moved onto the escalation entry alone carry both.
    """
    events = list(events)
    return [
        event
        for event, following in zip(events, [*events[1:], None], strict=True)
        if not (
            following is not None
            and event.action == IncidentEvent.Action.NOTE
            and following.action == IncidentEvent.Action.ESCALATED
            and (event.actor_id, event.text) == (following.actor_id, following.text)
        )
    ]


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

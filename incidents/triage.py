"""Re-grading an incident after filing: the team leader's or deputy's severity and category.

The reporter's proposal is a first guess; whoever commands the team judges it. A change is one
transaction: the incident, one timeline entry per changed value, the service-level clocks for the
new severity, and, for a new category only, a word to the reporter (see incidents.notices).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import can
from incidents import notices, sla
from incidents.models import Category, IncidentEvent
from incidents.services import NOT_ALLOWED_MESSAGE, _bump, _event, _locked
from incidents.workflow import FINISHED

FINISHED_MESSAGE = _(
    "This incident is closed, rejected or a duplicate: its severity and category can no longer be changed. "
    "Reopen it first if it must be handled again."
)
LOWERING_NEEDS_REASON = _("Please say why the severity is lowered.")


@dataclass(frozen=True)
class Regrade:
    """What a re-grade changed: (old, new) per changed value, None when unchanged."""

    severity: tuple[int, int] | None = None
    category: tuple[Category, Category] | None = None

    @property
    def changed(self) -> bool:
        return bool(self.severity or self.category)


@transaction.atomic
def regrade(*, incident_id: int, actor, version: int | None, severity: int, category: Category, reason: str = ""):
    """Set the incident's severity and category; returns the incident and a Regrade saying what changed."""
    incident = _locked(incident_id, version)
    if incident.status in FINISHED:  # said before the rule's plain "not possible", which also refuses it
        raise ValidationError(FINISHED_MESSAGE)
    if not can(actor, "incidents.regrade", incident):
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)
    reason = reason.strip()
    change = Regrade(
        severity=(incident.severity, severity) if severity != incident.severity else None,
        category=(incident.category, category) if category.pk != incident.category_id else None,
    )
    if not change.changed:
        return incident, change
    if change.severity and severity < incident.severity and not reason:
        raise ValidationError(LOWERING_NEEDS_REASON)
    fields = []
    if change.severity:
        incident.severity = severity
        sla.reapply_policy(incident, timezone.now())
        fields += ["severity", *sla.DEADLINE_FIELDS]
        # The team's judgement, with its reason, is internal.
        _event(
            incident,
            actor,
            IncidentEvent.Action.FIELD,
            field="severity",
            old_value=str(change.severity[0]),
            new_value=str(severity),
            text=reason,
        )
    if change.category:
        incident.category = category
        fields.append("category")
        _event(
            incident,
            actor,
            IncidentEvent.Action.FIELD,
            audience=IncidentEvent.Audience.REPORTER,
            field="category",
            old_value=change.category[0].name,
            new_value=category.name,
            text=reason,
        )
        if incident.reporter_id and incident.reporter_id != actor.pk:
            notices.tell(
                [incident.reporter],
                notices.RECATEGORISED,
                incident,
                old_category=change.category[0].name,
                reason=reason,
            )
    _bump(incident, *fields)
    return incident, change

"""Service-level clocks: reminders before a deadline, automatic escalation when one passes.

Each incident carries `sla_check_at`, the next moment something may be due. The sweep (every
minute) reads only open incidents whose moment has come, through a partial index, so its cost
does not grow with closed incidents. Everything it does is idempotent: reminders carry
deduplication keys and escalation moves on only from the level the incident is still at.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident, IncidentEvent, SlaPolicy, Status

REMIND_AT = (0.5, 0.8)
SWEEP_BATCH = 500
BREACH_REASONS = {
    "acknowledge-breach": _("Nobody acknowledged the incident in time."),
    "resolve-breach": _("The incident was not resolved in time."),
    "escalation": _("The escalation was not acknowledged in time."),
}


def apply_policy(incident: Incident, now: datetime) -> None:
    """Set the deadlines of a new incident from the service level of its severity."""
    policy = SlaPolicy.objects.filter(severity=incident.severity).first()
    if policy:
        incident.acknowledge_due_at = now + timedelta(minutes=policy.acknowledge_within)
        incident.resolve_due_at = now + timedelta(minutes=policy.resolve_within)
    schedule(incident, now)


def checkpoints(incident: Incident) -> list[tuple[datetime, str]]:
    """Every moment at which the sweep has something to do for this incident, and what."""
    points = []
    start = incident.created_at
    if incident.acknowledged_at is None and incident.acknowledge_due_at:
        span = incident.acknowledge_due_at - start
        points += [(start + span * share, f"acknowledge-{int(share * 100)}") for share in REMIND_AT]
        points.append((incident.acknowledge_due_at, "acknowledge-breach"))
    if incident.resolve_due_at:
        span = incident.resolve_due_at - start
        points += [(start + span * share, f"resolve-{int(share * 100)}") for share in REMIND_AT]
        points.append((incident.resolve_due_at, "resolve-breach"))
    if incident.escalation_due_at and incident.escalation_acknowledged_at is None:
        points.append((incident.escalation_due_at, f"escalation-{incident.escalation_level}-breach"))
    return sorted(points)


def schedule(incident: Incident, now: datetime) -> None:
    upcoming = [moment for moment, _what in checkpoints(incident) if moment > now]
    incident.sla_check_at = min(upcoming) if incident.is_open and upcoming else None


def sweep(now: datetime | None = None) -> int:
    """Handle every incident whose checkpoint has come. Returns how many incidents were looked at."""
    now = now or timezone.now()
    handled = 0
    while True:
        with transaction.atomic():
            due = list(
                Incident.objects.open()
                .filter(sla_check_at__lte=now)
                .select_related("assignee", "category")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("sla_check_at")[:SWEEP_BATCH]
            )
            for incident in due:
                _handle(incident, now)
        handled += len(due)
        if len(due) < SWEEP_BATCH:
            return handled


def _handle(incident: Incident, now: datetime) -> None:
    from incidents import notices

    for what in _latest_due(incident, now):
        if what.endswith("breach"):
            _breach(incident, what, now)
            continue
        told = notices.tell_once(
            {*notices.team_leaders(), *([incident.assignee] if incident.assignee else [])},
            notices.SLA_REMINDER,
            incident,
            key=f"sla:{incident.pk}:{what}",
            what=what,
        )
        if told:
            IncidentEvent.objects.create(
                incident=incident, actor=None, action=IncidentEvent.Action.REMINDER, new_value=what
            )
    schedule(incident, now)
    Incident.objects.filter(pk=incident.pk).update(sla_check_at=incident.sla_check_at)


def _latest_due(incident: Incident, now: datetime) -> list[str]:
    """Per clock (acknowledge, resolve, escalation), only the latest checkpoint that has passed.

    A sweep that runs late (the worker was down) must not send the 50 % and the 80 % reminder
    and the escalation all at once: the latest one says everything the earlier ones would.
    """
    latest: dict[str, str] = {}
    for moment, what in checkpoints(incident):
        if moment <= now:
            latest[what.split("-")[0]] = what
    return list(latest.values())


def _breach(incident: Incident, what: str, now: datetime) -> None:
    from incidents import escalation

    if what in ("acknowledge-breach", "resolve-breach"):
        if incident.escalation_level == 0 and incident.status != Status.ESCALATED:
            escalation.enter_level(incident, escalation.level(1), actor=None, reason=str(BREACH_REASONS[what]), now=now)
        return
    # escalation-<n>-breach: level n did not acknowledge in time; go one up, once.
    current = int(what.split("-")[1])
    if incident.escalation_level == current and incident.escalation_acknowledged_at is None:
        following = escalation.level(current + 1)
        if following is not None:
            escalation.enter_level(incident, following, actor=None, reason=str(BREACH_REASONS["escalation"]), now=now)

"""Service-level clocks: reminders before a deadline, automatic escalation when one passes.

Each incident carries `sla_check_at`, the next moment something may be due. The sweep (every
minute) reads only open incidents whose moment has come, through a partial index, so its cost
does not grow with closed incidents. Everything it does is idempotent: reminders carry
deduplication keys and escalation moves on only from the level the incident is still at.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import bulk
from incidents import notices
from incidents.models import EscalationLevel, Incident, IncidentEvent, SlaPolicy, Status
from notifications.services import Send, notify_bulk
from workcalendar.days import WorkingCalendar

REMIND_AT = (0.5, 0.8)
# What apply_policy and reapply_policy set, for the save that follows.
DEADLINE_FIELDS = ["acknowledge_due_at", "resolve_due_at", "sla_in_working_hours", "sla_check_at"]
# Reminders are placed in the national calendar's working time, without a query: the days recorded in
# admin are already in the deadline, and a reminder is always placed before it.
NATIONAL_CALENDAR = WorkingCalendar({})
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
        incident.acknowledge_due_at, incident.resolve_due_at = deadlines(policy, now)
    incident.sla_in_working_hours = _counts_working_hours(policy)
    schedule(incident, now)


def _counts_working_hours(policy: SlaPolicy | None) -> bool:
    return policy is not None and policy.clock == SlaPolicy.Clock.WORKING


def deadlines(policy: SlaPolicy, start: datetime) -> tuple[datetime, datetime]:
    """When an incident filed at `start` must be acknowledged and resolved, in the level's hours.

    Computed once, when the incident is filed or re-graded, and stored: the sweep and its reminders
    read the stored moments, and a later change of the calendar or of the level moves no deadline.
    """
    if policy.clock == SlaPolicy.Clock.WORKING:
        calendar = WorkingCalendar.load(timezone.localtime(start, timezone.get_default_timezone()).date())
        return (
            calendar.add_working_minutes(start, policy.acknowledge_within),
            calendar.add_working_minutes(start, policy.resolve_within),
        )
    return start + timedelta(minutes=policy.acknowledge_within), start + timedelta(minutes=policy.resolve_within)


def reapply_policy(incident: Incident, now: datetime) -> None:
    """Deadlines for a changed severity, counted from the filing time as if it had been filed with it.

    A clock already met stays met (an acknowledged incident is not asked to be acknowledged again;
    a resolved one is not watched). A clock the new deadline has already passed, and the old one
    had not, is due at once: the next sweep escalates it as it would have at the new deadline.
    """
    running = {"acknowledge_due_at": incident.acknowledged_at is None, "resolve_due_at": incident.is_open}
    before = {name: getattr(incident, name) for name in running}
    policy = SlaPolicy.objects.filter(severity=incident.severity).first()
    incident.acknowledge_due_at, incident.resolve_due_at = (
        deadlines(policy, incident.created_at) if policy else (None, None)
    )
    incident.sla_in_working_hours = _counts_working_hours(policy)
    schedule(incident, now)
    newly_overdue = any(
        still and _passed(getattr(incident, name), now) and not _passed(before[name], now)
        for name, still in running.items()
    )
    if newly_overdue:
        incident.sla_check_at = now


def _passed(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment <= now


def checkpoints(incident: Incident) -> list[tuple[datetime, str]]:
    """Every moment at which the sweep has something to do for this incident, and what."""
    points = []
    if incident.acknowledged_at is None and incident.acknowledge_due_at:
        due = incident.acknowledge_due_at
        points += [(moment, f"acknowledge-{share}") for moment, share in _reminders(incident, due)]
        points.append((due, "acknowledge-breach"))
    if incident.resolve_due_at:
        due = incident.resolve_due_at
        points += [(moment, f"resolve-{share}") for moment, share in _reminders(incident, due)]
        points.append((due, "resolve-breach"))
    if incident.escalation_due_at and incident.escalation_acknowledged_at is None:
        points.append((incident.escalation_due_at, f"escalation-{incident.escalation_level}-breach"))
    return sorted(points)


def _reminders(incident: Incident, due: datetime) -> list[tuple[datetime, int]]:
    """When each share of the time to the deadline has passed (and the share in %): of the working time,
    if the deadline counts it."""
    start = incident.created_at
    if incident.sla_in_working_hours:
        moments = _in_working_time(start, due, tuple(settings.WORKING_HOURS))
    else:
        moments = [start + (due - start) * share for share in REMIND_AT]
    return [(moment, int(share * 100)) for moment, share in zip(moments, REMIND_AT, strict=True)]


@lru_cache(maxsize=4096)
def _in_working_time(start: datetime, due: datetime, _working_hours: tuple) -> tuple[datetime, ...]:
    # Cached: the sweep asks twice per incident (what is due, then the next checkpoint). The working hours
    # are part of the key so that a changed setting (tests) is not answered from the cache.
    working = NATIONAL_CALENDAR.working_minutes_between(start, due)
    if working <= 0:
        return tuple(start + (due - start) * share for share in REMIND_AT)
    return tuple(NATIONAL_CALENDAR.add_working_minutes(start, working * share) for share in REMIND_AT)


def schedule(incident: Incident, now: datetime) -> None:
    upcoming = [moment for moment, _what in checkpoints(incident) if moment > now]
    incident.sla_check_at = min(upcoming) if incident.is_open and upcoming else None


def sweep(now: datetime | None = None, *, on_backlog: Callable[[], object] | None = None) -> int:
    """Handle every incident whose checkpoint has come. Returns how many incidents were looked at.

    Set-based, one batch at a time, because a broker or beat outage over a long weekend can leave
    100,000 incidents due at once and they must be handled in seconds, not minutes:

    1. claim a batch with SELECT … FOR UPDATE SKIP LOCKED: a second sweep running at the same
       time takes other rows, so no incident is escalated twice;
    2. decide in memory what is due for each incident (reminders, escalations);
    3. write it in a number of statements that does not grow with the batch: the notifications
       and their deliveries (notify_bulk: reminders once only by their deduplication key,
       deliveries published after commit, left pending for the outbox sweep if the broker is
       down), the timeline entries, and one UPDATE that reschedules the batch.

    Who is told (the team leaders, the escalation chain) is read once per sweep. `on_backlog` is
    called once, after a first full batch, when more may be due: the Celery task starts helper
    sweeps in other worker processes with it, and they share the backlog by taking other batches.
    """
    now = now or timezone.now()
    people: _People | None = None
    handled = 0
    while True:
        with transaction.atomic():
            due = list(
                Incident.objects.open()
                .filter(sla_check_at__lte=now)
                # The place too: an escalation notice lists the facts (templates/notifications/_incident_facts.txt).
                .select_related("assignee", "category", "place__parent__parent")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("sla_check_at")[:SWEEP_BATCH]
            )
            if due:
                people = people or _People(now)
                _handle(due, now, people)
        handled += len(due)
        if len(due) < SWEEP_BATCH:
            return handled
        if on_backlog is not None and handled == SWEEP_BATCH:
            on_backlog()


class _People:
    """Whom the sweep tells, read once per sweep: the team leaders and the escalation chain."""

    def __init__(self, now: datetime):
        self.now = now
        self.leaders = list(notices.team_leaders())
        self.levels = {
            step.order: step
            for step in EscalationLevel.objects.select_related("position", "person_in_charge", "acting")
        }
        self._targets: dict[int | None, list] = {}
        self.url = notices.detail_urls()

    def targets(self, target: EscalationLevel | None) -> list:
        from incidents import escalation

        key = target.order if target else None
        if key not in self._targets:
            self._targets[key] = escalation.recipients_of(target, self.now)
        return self._targets[key]


# A breach whose escalation has already happened (or has nowhere to go) changes nothing.
STAY = object()


def _handle(due: list[Incident], now: datetime, people: _People) -> None:
    from incidents import escalation

    sends: list[Send] = []
    # The batch's timeline entries in order, each with the send it depends on (a reminder is
    # recorded only if someone was told; None: recorded anyway).
    entries: list[tuple[IncidentEvent, int | None]] = []
    escalated = False
    for incident in due:
        for what in _latest_due(incident, now):
            if not what.endswith("breach"):
                recipients = {*people.leaders, *([incident.assignee] if incident.assignee else [])}
                key = f"sla:{incident.pk}:{what}"
                url = people.url(incident.pk)
                sends.append(notices.message(recipients, notices.SLA_REMINDER, incident, key=key, url=url, what=what))
                entries.append(
                    (
                        IncidentEvent(
                            incident=incident, actor=None, action=IncidentEvent.Action.REMINDER, new_value=what
                        ),
                        len(sends) - 1,
                    )
                )
                continue
            target = _breach_target(incident, what, people)
            if target is STAY:
                continue
            # The clock that breached decides the reason; "escalation-<n>-breach" reads as "escalation".
            reason = BREACH_REASONS.get(what, BREACH_REASONS["escalation"])
            recipients = people.targets(target)
            escalation.move_to(incident, target, now)
            incident.updated_at = timezone.now()
            escalated = True
            # The timeline keeps it in the office's language; the notice is rendered in each reader's.
            entries.append((escalation.escalated_event(incident, recipients, actor=None, reason=str(reason)), None))
            url = people.url(incident.pk)
            sends.append(notices.message(recipients, notices.ESCALATED, incident, url=url, reason=reason))
        schedule(incident, now)
    told = notify_bulk(sends)
    fields = bulk.writable_fields(IncidentEvent)
    recorded = [bulk.values(entry, fields) for entry, send in entries if send is None or told[send]]
    bulk.insert(IncidentEvent, recorded, returning=["id"])
    bulk.update(Incident, due, [*escalation.ENTERED_FIELDS, "updated_at"] if escalated else ["sla_check_at"])


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


def _breach_target(incident: Incident, what: str, people: _People):
    """The level a breach sends the incident to (None: the office leadership), or STAY."""
    if what in ("acknowledge-breach", "resolve-breach"):
        if incident.escalation_level == 0 and incident.status != Status.ESCALATED:
            return people.levels.get(1)
        return STAY
    # escalation-<n>-breach: level n did not acknowledge in time; go one up, once.
    current = int(what.split("-")[1])
    if incident.escalation_level == current and incident.escalation_acknowledged_at is None:
        return people.levels.get(current + 1, STAY)
    return STAY

"""Reads of incidents for the home page: a person's own reports, what waits for him, the queue's counts.

Each function runs a fixed number of queries whatever the number of incidents, and narrows
through core.access.visible: a count never includes an incident its reader may not open.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Case, Count, DateTimeField, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import visible
from incidents.access import sees_every_incident
from incidents.models import EscalationLevel, Incident, Severity, Status
from incidents.models.incident import OPEN_STATUSES
from team.roles import Role, roles_of

# A deadline this close is shown as "near" on a team member's home page.
NEAR_DEADLINE = timedelta(hours=2)
HOME_LIST_LENGTH = 5


def queue_url(**params) -> str:
    """The queue with these filters (see incidents.forms.QueueFilter for the names it accepts)."""
    return f"{reverse('incidents:list')}?{urlencode(params)}" if params else reverse("incidents:list")


def _reported_by(user) -> Q:
    return Q(reporter=user) | Q(filed_by=user)


@dataclass
class Listing:
    """The first few rows of a list, how many there are in all, and where the whole list is."""

    rows: list
    total: int
    url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def my_open_reports(user, limit: int = HOME_LIST_LENGTH) -> Listing:
    """The open incidents `user` reported or filed, newest first. Two queries."""
    mine = visible(user, Incident.objects.open().filter(_reported_by(user)))
    rows = list(mine.select_related("category")[:limit])
    total = mine.count()
    return Listing(rows, total, queue_url(status="open", reported_by_me="on"))


def _overdue(now: datetime) -> Q:
    """IncidentQuerySet.overdue's condition, for counting beside other figures in one query."""
    return Q(acknowledged_at__isnull=True, acknowledge_due_at__lt=now) | Q(resolve_due_at__lt=now)


def _next_deadline():
    """The deadline the incident is racing now: acknowledgement until acknowledged, then resolution."""
    return Case(
        When(acknowledged_at__isnull=True, acknowledge_due_at__isnull=False, then=F("acknowledge_due_at")),
        default=F("resolve_due_at"),
        output_field=DateTimeField(),
    )


@dataclass
class WaitingForMe:
    unacknowledged: int
    overdue: int
    near: int
    rows: list
    urls: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows)


def waiting_for_member(user, now: datetime | None = None, limit: int = HOME_LIST_LENGTH) -> WaitingForMe:
    """A team member's assigned incidents that need him now. Two queries.

    Unacknowledged (still new), overdue (a deadline passed), or near (the deadline it races comes
    within NEAR_DEADLINE). Each row carries `deadline` and `reason`: "overdue", "near" or "new".
    """
    now = now or timezone.now()
    soon = now + NEAR_DEADLINE
    overdue = _overdue(now)
    near = ~overdue & (Q(acknowledged_at__isnull=True, acknowledge_due_at__lt=soon) | Q(resolve_due_at__lt=soon))
    new = Q(status=Status.NEW)
    assigned = visible(user, Incident.objects.open().filter(assignee=user))
    counts = assigned.aggregate(
        unacknowledged=Count("pk", filter=new), overdue=Count("pk", filter=overdue), near=Count("pk", filter=near)
    )
    rows = list(
        assigned.filter(new | overdue | near)
        .annotate(deadline=_next_deadline())
        .select_related("category")
        .order_by(F("deadline").asc(nulls_last=True), "pk")[:limit]
    )
    for incident in rows:
        incident.reason = _reason(incident, now, soon)
    mine = {"assignee": str(user.pk)}
    urls = {
        "unacknowledged": queue_url(**mine, status=Status.NEW.value),
        "overdue": queue_url(**mine, overdue="on"),
        "all": queue_url(**mine, status="open"),
    }
    total = counts["unacknowledged"] + counts["overdue"] + counts["near"]
    return WaitingForMe(**counts, rows=rows if total else [], urls=urls)


def _reason(incident: Incident, now: datetime, soon: datetime) -> str:
    deadlines = [incident.resolve_due_at]
    if incident.acknowledged_at is None:
        deadlines.append(incident.acknowledge_due_at)
    deadlines = [moment for moment in deadlines if moment is not None]
    if any(moment < now for moment in deadlines):
        return "overdue"
    if any(moment < soon for moment in deadlines):
        return "near"
    return "new"


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str
    testid: str
    warn: bool = False


def queue_figures(user, now: datetime | None = None) -> list[Figure] | None:
    """The queue's counts, each with the link to the queue filtered to exactly those incidents. One query.

    None for someone who does not see the whole queue (a staff member's counts would be of his own).
    """
    if not visible_queue(user):
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_day = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    incidents = visible(user, Incident.objects.filter(Q(status__in=OPEN_STATUSES) | Q(created_at__gte=start_of_day)))
    is_open = Q(status__in=OPEN_STATUSES)
    counts = incidents.aggregate(
        **{f"severity_{level}": Count("pk", filter=is_open & Q(severity=level)) for level in Severity.values},
        overdue=Count("pk", filter=is_open & _overdue(now)),
        escalated=Count("pk", filter=Q(status=Status.ESCALATED)),
        unacknowledged=Count("pk", filter=Q(status=Status.NEW)),
        new_today=Count("pk", filter=Q(created_at__date=today)),
    )
    day = today.isoformat()
    figures = [
        Figure(_("Overdue"), counts["overdue"], queue_url(overdue="on"), "overdue", warn=True),
        Figure(_("Escalated"), counts["escalated"], queue_url(status=Status.ESCALATED.value), "escalated", warn=True),
        Figure(_("Not acknowledged"), counts["unacknowledged"], queue_url(status=Status.NEW.value), "unacknowledged"),
        Figure(_("New today"), counts["new_today"], queue_url(since=day, until=day), "new-today"),
    ]
    by_severity = [
        Figure(
            level.label,
            counts[f"severity_{level.value}"],
            queue_url(status="open", severity=level.value),
            f"severity-{level.value}",
            warn=level >= Severity.HIGH,
        )
        for level in sorted(Severity, reverse=True)
    ]
    return figures + by_severity


def visible_queue(user) -> bool:
    return sees_every_incident(roles_of(user))


def escalation_orders_of(user, today) -> set[int]:
    """The levels of the escalation chain that wait for `user` today (0: the office leadership). One query.

    The same rule as EscalationLevel.targets, decided in memory so the home page needs no query per level.
    """
    orders = {0} if Role.LEADERSHIP in roles_of(user) else set()
    for step in EscalationLevel.objects.all():
        if step.acting_today(today):
            waits_for_user = step.acting_id == user.pk
        elif step.person_in_charge_id:
            waits_for_user = step.person_in_charge_id == user.pk
        else:
            waits_for_user = user.is_active and user.position_id == step.position_id
        if waits_for_user:
            orders.add(step.order)
    return orders


def escalations_waiting_for(user, now: datetime | None = None, limit: int = HOME_LIST_LENGTH) -> Listing:
    """Escalated incidents whose acknowledgement waits for `user` now (incidents.escalation.waiting_for)."""
    now = now or timezone.now()
    orders = escalation_orders_of(user, timezone.localdate(now))
    if not orders:
        return Listing([], 0, queue_url(status=Status.ESCALATED.value))
    waiting = visible(
        user,
        Incident.objects.filter(
            status=Status.ESCALATED, escalation_acknowledged_at__isnull=True, escalation_level__in=orders
        ),
    )
    rows = list(waiting.select_related("category").order_by(F("escalation_due_at").asc(nulls_last=True), "pk")[:limit])
    total = waiting.count()
    return Listing(rows, total, queue_url(status=Status.ESCALATED.value))

"""The office's figures for a period: plain functions of (period, filters, viewer) that return data.

The dashboard draws them; the periodic reports print them. Each figure is one aggregate query
(GROUP BY in the database), whatever the number of incidents, and starts from what the viewer may
see (core.access.visible). Months are office months (Asia/Ho_Chi_Minh), not UTC ones.

Figures return codes and ids, never translated labels: a page puts them in its reader's words,
and the figures can be cached for everyone who reads the same language or another.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.access import can, visible
from dashboard.periods import Period
from incidents.models import EscalationLevel, ExternalReport, Incident, IncidentEvent, SlaPolicy, Status
from incidents.models.incident import OPEN_STATUSES
from team.models import DutyShift


@dataclass(frozen=True)
class Filters:
    """What the figures are narrowed to (ids; None: all)."""

    category: int | None = None
    place: int | None = None
    department: int | None = None

    def queue_params(self) -> dict:
        """The same narrowing as the incident queue's query string (incidents.forms.QueueFilter)."""
        return {name: value for name, value in vars(self).items() if value is not None}


def incidents(period: Period, filters: Filters, viewer):
    """The incidents filed in the period that the viewer may see, narrowed by the filters."""
    start, end = period.moments
    queryset = visible(viewer, Incident.objects.all()).filter(created_at__gte=start, created_at__lt=end)
    if filters.category is not None:
        queryset = queryset.filter(category=filters.category)
    if filters.place is not None:
        queryset = queryset.filter(place=filters.place)
    if filters.department is not None:
        queryset = queryset.filter(reporter__department=filters.department)
    return queryset.order_by()


# --- counts --------------------------------------------------------------------------------------------------


@dataclass
class Summary:
    filed: int
    open: int
    overdue: int
    escalated: int
    unacknowledged: int


def summary(period: Period, filters: Filters, viewer, *, now: datetime | None = None) -> Summary:
    """Filed in the period, and of those: still open, overdue now, escalated now, never acknowledged."""
    now = now or timezone.now()
    overdue = Q(acknowledged_at__isnull=True, acknowledge_due_at__lt=now) | Q(resolve_due_at__lt=now)
    row = incidents(period, filters, viewer).aggregate(
        filed=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES) & overdue),
        escalated=Count("pk", filter=Q(status=Status.ESCALATED)),
        unacknowledged=Count("pk", filter=Q(status=Status.NEW)),
    )
    return Summary(**row)


@dataclass
class Month:
    month: date  # its first day
    count: int
    last_year: int  # the same month a year before


def by_month(period: Period, filters: Filters, viewer) -> list[Month]:
    """Incidents per office month of the period, beside the same months a year before. One query for both."""
    before = period.year_before()
    queryset = incidents(period, filters, viewer) | incidents(before, filters, viewer)
    tz = timezone.get_default_timezone()
    # The two ranges may share a month (16/11–15/11 shares November) and, typed longer than a year, days:
    # each row says which range it falls in, and a row in both counts for both.
    in_period = _flag(Q(created_at__gte=period.moments[0]))
    in_before = _flag(Q(created_at__lt=before.moments[1]))
    rows = (
        queryset.annotate(month=TruncMonth("created_at", tzinfo=tz), in_period=in_period, in_before=in_before)
        .values("month", "in_period", "in_before")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    now, then = Counter(), Counter()
    for row in rows:
        first = _first_day(row["month"])
        if row["in_period"]:
            now[first] += row["count"]
        if row["in_before"]:
            then[first] += row["count"]
    return [Month(first, now[first], then[_year_back(first)]) for first in period.months()]


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _first_day(moment) -> date:
    # SQLite hands back a naive datetime in the office's time, PostgreSQL an aware one.
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment.replace(day=1)


def _year_back(first: date) -> date:
    return first.replace(year=first.year - 1)


@dataclass
class Share:
    key: int | str | None
    name: str
    count: int


def by_category(period: Period, filters: Filters, viewer) -> list[Share]:
    rows = (
        incidents(period, filters, viewer)
        .values("category", "category__name", "category__order")
        .annotate(count=Count("pk"))
        .order_by("-count", "category__order", "category__name")
    )
    return [Share(row["category"], row["category__name"], row["count"]) for row in rows]


def by_place(period: Period, filters: Filters, viewer) -> list[Share]:
    """Per place as filed (a room, a gate), named with its floor and building; None: no place given."""
    rows = (
        incidents(period, filters, viewer)
        .values("place", "place__name", "place__parent__name", "place__parent__parent__name")
        .annotate(count=Count("pk"))
        .order_by("-count", F("place__name").asc(nulls_last=True))
    )
    return [Share(row["place"], _place_name(row), row["count"]) for row in rows]


def _place_name(row) -> str:
    names = [row["place__parent__parent__name"], row["place__parent__name"], row["place__name"]]
    return " › ".join(name for name in names if name)


def by_severity(period: Period, filters: Filters, viewer) -> list[Share]:
    """Per severity, most severe first; severities without an incident count 0. Names are left to the page."""
    counts = dict(
        incidents(period, filters, viewer).values_list("severity").annotate(count=Count("pk")).order_by("severity")
    )
    return [Share(value, "", counts.get(value, 0)) for value in sorted(_severities(), reverse=True)]


def _severities() -> list[int]:
    from incidents.models import Severity

    return list(Severity.values)


def escalations_by_level(period: Period, filters: Filters, viewer) -> list[Share]:
    """Incidents of the period by the highest level of the escalation chain they reached."""
    rows = (
        incidents(period, filters, viewer)
        .filter(escalation_level__gt=0)
        .values("escalation_level")
        .annotate(count=Count("pk"))
        .order_by("escalation_level")
    )
    counts = {row["escalation_level"]: row["count"] for row in rows}
    # The chain is a handful of rows kept in admin; a level since removed still shows by its number.
    names = {level.order: str(level.position) for level in EscalationLevel.objects.select_related("position")}
    levels = sorted(set(names) | set(counts))
    return [Share(level, names.get(level, ""), counts.get(level, 0)) for level in levels]


def authority_reports(period: Period, filters: Filters, viewer) -> list[Share]:
    """Incidents of the period reported to each authority (an incident told twice to the police counts once)."""
    rows = (
        ExternalReport.objects.filter(incident__in=incidents(period, filters, viewer))
        .values("agency")
        .annotate(count=Count("incident", distinct=True))
        .order_by("-count", "agency")
    )
    return [Share(row["agency"], "", row["count"]) for row in rows]


# --- response times ------------------------------------------------------------------------------------------


@dataclass
class Clock:
    """One clock (acknowledge or resolve) of a group of incidents, in minutes."""

    count: int = 0  # how many stopped it
    median: float | None = None
    p90: float | None = None
    decided: int = 0  # stopped, or past their deadline without stopping: the ones a service level judges
    in_time: int = 0
    target: int | None = None  # the service level, in minutes

    @property
    def percent_in_time(self) -> float | None:
        return round(100 * self.in_time / self.decided, 1) if self.decided else None


@dataclass
class Times:
    severity: int | None  # None: every severity together
    acknowledge: Clock = field(default_factory=Clock)
    resolve: Clock = field(default_factory=Clock)


def response_times(period: Period, filters: Filters, viewer, *, now: datetime | None = None) -> list[Times]:
    """Time to acknowledge and to resolve, per severity and overall: median, 90th percentile, the share
    within the service level, against the service level itself.

    Both clocks run from the filing. An incident is resolved when it first entered "resolved" (its
    timeline says when). The share counts the incidents whose clock stopped or whose deadline passed
    (a still-open incident before its deadline is not yet judged); rejected and duplicate reports
    that were never resolved are not judged on resolving.
    """
    now = now or timezone.now()
    resolved_at = Subquery(
        IncidentEvent.objects.filter(
            incident=OuterRef("pk"), action=IncidentEvent.Action.STATUS, new_value=Status.RESOLVED
        )
        .order_by("at")
        .values("at")[:1]
    )
    rows = incidents(period, filters, viewer).annotate(resolved_at=resolved_at)
    columns = ("severity", "status", "created_at", "acknowledged_at", "acknowledge_due_at")
    rows = rows.values(*columns, "resolved_at", "resolve_due_at")
    if connection.vendor == "postgresql":
        groups = _times_in_postgresql(rows, now)
    else:
        groups = _times_in_python(rows, now)
    targets = {policy.severity: policy for policy in SlaPolicy.objects.all()}
    for times in groups:
        if (policy := targets.get(times.severity)) is not None:
            times.acknowledge.target, times.resolve.target = policy.acknowledge_within, policy.resolve_within
    return groups


def _times_in_postgresql(rows, now: datetime) -> list[Times]:
    """One query: the filtered rows as a derived table, percentiles per severity and overall (ROLLUP)."""
    inner, params = rows.query.sql_with_params()
    open_statuses = [str(status) for status in OPEN_STATUSES]
    sql = f"""
        SELECT severity,
               count(acknowledged_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at)),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at)),
               count(*) FILTER (WHERE acknowledge_due_at IS NOT NULL
                                  AND (acknowledged_at IS NOT NULL OR acknowledge_due_at < %s)),
               count(*) FILTER (WHERE acknowledged_at <= acknowledge_due_at),
               count(resolved_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)),
               count(*) FILTER (WHERE resolve_due_at IS NOT NULL
                                  AND (resolved_at IS NOT NULL OR (status = ANY(%s) AND resolve_due_at < %s))),
               count(*) FILTER (WHERE resolved_at <= resolve_due_at)
        FROM ({inner}) AS rows
        GROUP BY ROLLUP (severity)
    """  # noqa: S608 (the inner query is Django's own, with its parameters passed separately)
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, open_statuses, now, *params])
        fetched = cursor.fetchall()
    return _ordered(
        Times(
            severity=row[0],
            acknowledge=Clock(row[1], _minutes(row[2]), _minutes(row[3]), row[4], row[5]),
            resolve=Clock(row[6], _minutes(row[7]), _minutes(row[8]), row[9], row[10]),
        )
        for row in fetched
    )


def _minutes(seconds) -> float | None:
    return None if seconds is None else round(float(seconds) / 60, 1)


def _times_in_python(rows, now: datetime) -> list[Times]:
    """SQLite has no percentile_cont: the same figures from the rows (one query), for development and tests."""
    groups: dict[int | None, list[dict]] = {None: []}
    for row in rows:
        groups.setdefault(row["severity"], []).append(row)
        groups[None].append(row)
    return _ordered(
        Times(
            severity=severity,
            acknowledge=_clock(members, "acknowledged_at", "acknowledge_due_at", now, lambda row: True),
            resolve=_clock(members, "resolved_at", "resolve_due_at", now, lambda row: row["status"] in OPEN_STATUSES),
        )
        for severity, members in groups.items()
    )


def _clock(rows: list[dict], stopped: str, due: str, now: datetime, still_running) -> Clock:
    spans = sorted((row[stopped] - row["created_at"]).total_seconds() for row in rows if row[stopped])
    decided = [
        row
        for row in rows
        if row[due] is not None and (row[stopped] is not None or (still_running(row) and row[due] < now))
    ]
    in_time = [row for row in rows if row[stopped] is not None and row[due] is not None and row[stopped] <= row[due]]
    return Clock(
        count=len(spans),
        median=_minutes(percentile_cont(spans, 0.5)),
        p90=_minutes(percentile_cont(spans, 0.9)),
        decided=len(decided),
        in_time=len(in_time),
    )


def percentile_cont(ordered: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: the value at `fraction` of the sorted values, interpolated linearly."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _ordered(groups) -> list[Times]:
    """Most severe first, the overall row last."""
    return sorted(groups, key=lambda times: (times.severity is None, -(times.severity or 0)))


# --- campaigns and duty --------------------------------------------------------------------------------------


def coverage_by_department(period: Period, filters: Filters, viewer, *, today: date | None = None) -> list:
    """Staff briefed in the period per department (TT 124 criterion 1), by campaigns/coverage.py's rules:
    the people on staff on the period's last day (or today), reached by a counting campaign in the period."""
    from campaigns.coverage import window_by_department

    if not can(viewer, "campaigns.view_coverage"):
        return []
    today = today or timezone.localdate()
    start, end = period.moments
    return window_by_department(start, end, min(period.end, today), department=filters.department)


def days_without_duty(period: Period, filters: Filters, viewer) -> list[date]:
    """The days of the period on which no duty shift starts: nobody is on duty for the team that day."""
    shifts = visible(viewer, DutyShift.objects.all()).filter(date__range=(period.start, period.end))
    staffed = set(shifts.values_list("date", flat=True).distinct().order_by())
    return [day for day in period.days() if day not in staffed]


# --- everything at once --------------------------------------------------------------------------------------

FIGURES = {
    "summary": summary,
    "by_month": by_month,
    "by_category": by_category,
    "by_place": by_place,
    "by_severity": by_severity,
    "response_times": response_times,
    "escalations": escalations_by_level,
    "authorities": authority_reports,
    "coverage": coverage_by_department,
    "duty_gaps": days_without_duty,
}


def all_figures(period: Period, filters: Filters, viewer) -> dict:
    return {name: figure(period, filters, viewer) for name, figure in FIGURES.items()}

"""Who was reached: per campaign, per department, per year, and over an evaluation window (TT 124 criterion 1)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import Campaign, Participant
from team.models import User

REACHED = Q(attended_at__isnull=False) | Q(acknowledged_at__isnull=False)


@dataclass
class Figures:
    invited: int
    attended: int
    acknowledged: int
    reached: int

    @property
    def missing(self) -> int:
        return self.invited - self.reached

    @property
    def percent(self) -> float:
        return round(100 * self.reached / self.invited, 1) if self.invited else 0.0


def _figures(rows) -> Figures:
    return Figures(
        invited=rows["invited"], attended=rows["attended"], acknowledged=rows["acknowledged"], reached=rows["reached"]
    )


AGGREGATES = {
    "invited": Count("pk"),
    "attended": Count("pk", filter=Q(attended_at__isnull=False)),
    "acknowledged": Count("pk", filter=Q(acknowledged_at__isnull=False)),
    "reached": Count("pk", filter=REACHED),
}


def campaign_figures(campaign: Campaign) -> Figures:
    return _figures(campaign.participants.people().aggregate(**AGGREGATES))


def by_department(campaign: Campaign) -> list[tuple[str, Figures]]:
    rows = (
        campaign.participants.people()
        .values("user__department__name")
        .annotate(**AGGREGATES)
        .order_by("user__department__name")
    )
    return [(row["user__department__name"] or "—", _figures(row)) for row in rows]


def missing_people(campaign: Campaign):
    return (
        campaign.participants.people()
        .missing()
        .select_related("user", "user__department")
        .order_by("user__department__name", "user__name_sort_key")
    )


@dataclass
class YearFigures:
    year: int
    staff: int
    briefed: int

    @property
    def percent(self) -> float:
        return round(100 * self.briefed / self.staff, 1) if self.staff else 0.0


def _reached_rows(year: int):
    return Participant.objects.filter(REACHED, campaign__counts_for_tt124=True, campaign__starts_on__year=year).exclude(
        campaign__status=Campaign.Status.CANCELLED
    )


def _briefed_ids(year: int):
    return _reached_rows(year).values("user_id")


def year_figures(year: int) -> YearFigures:
    """Share of today's active staff briefed on the internal rules in `year` (TT 124 criterion 1)."""
    staff = User.objects.people()
    return YearFigures(year=year, staff=staff.count(), briefed=staff.filter(pk__in=_briefed_ids(year)).count())


def year_by_department(year: int) -> list[tuple[str, YearFigures]]:
    """`year_figures` per department, in the departments' display order. One query."""
    rows = (
        User.objects.people()
        .values("department__order", "department__name")
        .annotate(staff=Count("pk"), briefed=Count("pk", filter=Q(pk__in=_briefed_ids(year))))
        .order_by("department__order", "department__name")
    )
    return [
        (row["department__name"] or "—", YearFigures(year=year, staff=row["staff"], briefed=row["briefed"]))
        for row in rows
    ]


def year_people(year: int):
    """Today's staff with `briefed_at`: when each was first reached in `year` (None if not yet)."""
    first_reach = (
        Participant.objects.filter(pk__in=_reached_rows(year), user=OuterRef("pk"))
        .annotate(at=Coalesce("attended_at", "acknowledged_at"))
        .order_by("at")
        .values("at")[:1]
    )
    return (
        User.objects.people()
        .annotate(briefed_at=Subquery(first_reach))
        .select_related("department", "position")
        .order_by("department__order", "department__name", "name_sort_key", "pk")
    )


def year_missing(year: int):
    return (
        User.objects.people()
        .exclude(pk__in=_briefed_ids(year))
        .select_related("department")
        .order_by("department__name", "name_sort_key")
    )


# --- over an evaluation window (TT 124 criterion 1, evaluations/evidence/briefing.py) ---------------------------


def percent_down(part: int, whole: int) -> float:
    """`part` of `whole` in percent, rounded down to one decimal: 1999 of 2000 is 99.9, never 100.0.

    Rounded down because the figure is compared with a legal threshold (100 %, 70 %): a share that
    falls short must never be printed as if it reached it. 0.0 when `whole` is 0.
    """
    return (part * 1000 // whole) / 10 if whole else 0.0


def counted_staff(population_day: date):
    """The people who must be briefed: active staff (no system account), joined on or before `population_day`
    (office time).

    Someone who joined during the window counts like everyone else. An account deactivated before
    the figures are computed is out: TựQuản does not record the day a person left.
    """
    joined_by = datetime.combine(population_day + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone())
    return User.objects.people().filter(date_joined__lt=joined_by)


def _reached_between(prefix: str, start: datetime, end: datetime) -> Q:
    return Q(**{f"{prefix}attended_at__gte": start, f"{prefix}attended_at__lt": end}) | Q(
        **{f"{prefix}acknowledged_at__gte": start, f"{prefix}acknowledged_at__lt": end}
    )


def reached_between(start: datetime, end: datetime):
    """Participant rows of campaigns that count for TT 124 (not cancelled) reached in [start, end).

    What counts is the moment of the reach (attendance or acknowledgement), not the campaign's
    dates: a campaign running across 15/11 briefs some people for one year and the rest for the next.
    """
    return Participant.objects.filter(_reached_between("", start, end), campaign__counts_for_tt124=True).exclude(
        campaign__status=Campaign.Status.CANCELLED
    )


@dataclass
class WindowFigures:
    staff: int
    briefed: int

    @property
    def missing(self) -> int:
        return self.staff - self.briefed

    @property
    def percent(self) -> float:
        return percent_down(self.briefed, self.staff)


def window_figures(start: datetime, end: datetime, population_day: date) -> WindowFigures:
    """How many of the staff counted on `population_day` were reached in [start, end). One query.

    Unlike `year_figures` (campaigns started in a calendar year, today's staff), this follows the
    evaluation window of TT 124 Điều 8.2.b; the year coverage page can switch to it.
    """
    row = counted_staff(population_day).aggregate(
        staff=Count("pk"), briefed=Count("pk", filter=Q(pk__in=reached_between(start, end).values("user_id")))
    )
    return WindowFigures(staff=row["staff"], briefed=row["briefed"])


def window_missing(start: datetime, end: datetime, population_day: date):
    """The people counted on `population_day` not reached in [start, end), by department then name."""
    return (
        counted_staff(population_day)
        .exclude(pk__in=reached_between(start, end).values("user_id"))
        .select_related("department")
        .order_by("department__name", "name_sort_key", "pk")
    )


def window_campaigns(start: datetime, end: datetime, population_day: date | None = None):
    """Counting campaigns with at least one reach in [start, end), each annotated with `reached` (that count).

    With `population_day`, only the reaches of the staff counted on that day: the numbers then add
    up to the window's briefed figure (less the people reached by more than one campaign).
    """
    reached = _reached_between("participants__", start, end)
    if population_day is not None:
        reached &= Q(participants__user__in=counted_staff(population_day).values("pk"))
    return (
        Campaign.objects.filter(counts_for_tt124=True)
        .exclude(status=Campaign.Status.CANCELLED)
        .annotate(reached=Count("participants", filter=reached))
        .filter(reached__gt=0)
        .order_by("starts_on", "pk")
    )


def window_by_department(start: datetime, end: datetime, population_day: date, *, department=None) -> list:
    """`window_figures` per department, in the departments' display order (the dashboard). One query.

    `department` (an id) keeps one department only.
    """
    staff = counted_staff(population_day)
    if department is not None:
        staff = staff.filter(department=department)
    rows = (
        staff.values("department", "department__order", "department__name")
        .annotate(
            staff=Count("pk"), briefed=Count("pk", filter=Q(pk__in=reached_between(start, end).values("user_id")))
        )
        .order_by("department__order", "department__name")
    )
    return [
        (row["department"], row["department__name"] or "—", WindowFigures(staff=row["staff"], briefed=row["briefed"]))
        for row in rows
    ]

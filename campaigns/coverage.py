"""Who was reached: per campaign, per department, per year (the figure TT 124 criterion 1 needs)."""

from dataclasses import dataclass

from django.db.models import Count, Q

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
    return _figures(campaign.participants.aggregate(**AGGREGATES))


def by_department(campaign: Campaign) -> list[tuple[str, Figures]]:
    rows = (
        campaign.participants.values("user__department__name").annotate(**AGGREGATES).order_by("user__department__name")
    )
    return [(row["user__department__name"] or "—", _figures(row)) for row in rows]


def missing_people(campaign: Campaign):
    return (
        campaign.participants.missing()
        .select_related("user", "user__department")
        .order_by("user__department__name", "user__full_name")
    )


@dataclass
class YearFigures:
    year: int
    staff: int
    briefed: int

    @property
    def percent(self) -> float:
        return round(100 * self.briefed / self.staff, 1) if self.staff else 0.0


def _briefed_ids(year: int):
    return (
        Participant.objects.filter(REACHED, campaign__counts_for_tt124=True, campaign__starts_on__year=year)
        .exclude(campaign__status=Campaign.Status.CANCELLED)
        .values("user_id")
    )


def year_figures(year: int) -> YearFigures:
    """Share of today's active staff briefed on the internal rules in `year` (TT 124 criterion 1)."""
    staff = User.objects.filter(is_active=True)
    return YearFigures(year=year, staff=staff.count(), briefed=staff.filter(pk__in=_briefed_ids(year)).count())


def year_missing(year: int):
    return (
        User.objects.filter(is_active=True)
        .exclude(pk__in=_briefed_ids(year))
        .select_related("department")
        .order_by("department__name", "full_name")
    )

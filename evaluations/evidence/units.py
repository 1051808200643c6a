"""TT 124 criteria 4 and 5: year-end ratings of the security team and of the departments, and discipline.

A unit qualifies with the title "Tập thể lao động tiên tiến" or a rating of "Hoàn thành tốt nhiệm
vụ" or better (`UnitRating.qualifies`); the rating year is the evaluation's year. Criterion 5
counts the departments marked as subordinate units (`Department.is_subordinate_unit`), so groupings
such as the office leadership stay out of the 70 %. A rating row that records neither a rating nor
the title counts as unrated.

Discipline disqualifies from "cảnh cáo" (warning) up, decided within the window. Criterion 4 looks
at people whose membership of the team overlaps the window, criterion 5 at all staff. The records
name people: the caller shows them only to the office leadership and administrators.
"""

from dataclasses import dataclass

from django.db.models import Q

from campaigns.coverage import percent_down
from evaluations.models import DisciplineRecord, UnitRating
from team.models import Department, Membership
from team.selectors import current_team


def meets_share(qualifying: int, total: int, percent: int = 70) -> bool:
    """At least `percent` % of `total`, in integers (69.9 % is not 70 %). False when there is nothing to count."""
    return total > 0 and qualifying * 100 >= percent * total


def is_rated(rating) -> bool:
    return rating is not None and bool(rating.rating or rating.advanced_collective)


def disqualifying_discipline(evaluation):
    """Discipline at warning level or above decided in the window, newest last. One query when evaluated."""
    return (
        DisciplineRecord.objects.filter(
            form__gte=DisciplineRecord.Form.WARNING,
            decided_on__range=(evaluation.window_start, evaluation.window_end),
        )
        .select_related("person", "person__department")
        .order_by("decided_on", "pk")
    )


@dataclass
class ForceFigures:
    rating: object | None
    disciplined: list
    qualifies: bool | None
    team: object = None


@dataclass
class UnitFigures:
    units: list
    total: int
    qualifying: int
    percent: float
    unrated: int
    disciplined: list
    meets: bool | None


def protection_force(evaluation) -> ForceFigures:
    """Criterion 4: the team's rating of the year and its members' discipline. Three queries."""
    team = current_team()
    rating = UnitRating.objects.filter(year=evaluation.year, team=team).order_by().first() if team else None
    # Members at any time of the window: someone who left in March was still the team's in February.
    members = Membership.objects.filter(start_date__lte=evaluation.window_end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=evaluation.window_start)
    )
    if team is not None:
        members = members.filter(team=team)
    disciplined = list(disqualifying_discipline(evaluation).filter(person__in=members.values("user_id")))
    return ForceFigures(
        rating=rating,
        disciplined=disciplined,
        qualifies=rating.qualifies if is_rated(rating) else None,
        team=team,
    )


def subordinate_units(evaluation) -> UnitFigures:
    """Criterion 5: every subordinate department with its rating of the year, and all staff's discipline.

    Three queries: departments, the year's ratings, discipline records.
    """
    departments = list(Department.objects.filter(is_subordinate_unit=True).order_by("order", "name", "pk"))
    ratings = {
        rating.department_id: rating
        for rating in UnitRating.objects.filter(year=evaluation.year, department__is_subordinate_unit=True).order_by()
    }
    units = [(department, ratings.get(department.pk)) for department in departments]
    total = len(units)
    qualifying = sum(1 for _department, rating in units if rating is not None and rating.qualifies)
    unrated = sum(1 for _department, rating in units if not is_rated(rating))
    if meets_share(qualifying, total):
        meets = True
    else:
        meets = None if unrated else False
    return UnitFigures(
        units=units,
        total=total,
        qualifying=qualifying,
        percent=percent_down(qualifying, total),
        unrated=unrated,
        disciplined=list(disqualifying_discipline(evaluation)),
        meets=meets,
    )

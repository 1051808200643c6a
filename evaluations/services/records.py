"""Year-end ratings of the units (TT 124 criteria 4 and 5) and discipline records of staff.

Ratings are entered for all units at once, once the year-end decisions are out; discipline records
one by one, by the office leadership (personal data). Records are corrected or deleted only by an
administrator in admin.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import can
from evaluations import calendar
from evaluations.evidence.units import meets_share
from evaluations.models import DisciplineRecord, Evaluation, UnitRating
from evaluations.models.records import Rating
from evaluations.services.common import LOCKED, NOT_ALLOWED
from team.models import Department

NOT_STARTED = _("The evaluation of %(year)s has not been started.")
NOT_A_UNIT = _("A rating must name either the security team or one department.")
UNKNOWN_RATING = _("“%(value)s” is not one of the ratings.")
FUTURE_DECISION = _("The decision cannot be dated in the future.")
INACTIVE_PERSON = _("Only a current staff member can be recorded.")

# Criterion 5: at least seven in ten subordinate units qualify (TT 124 Điều 6.5).
SHARE_REQUIRED = 70
RATING_FIELDS = ("rating", "advanced_collective", "decision_number", "decision_date")


@dataclass(frozen=True)
class UnitShare:
    """Criterion 5's figure: qualifying subordinate units out of all of them."""

    qualifying: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.qualifying / self.total, 1) if self.total else None

    @property
    def met(self) -> bool:
        # In integers, so that 7 of 10 is exactly 70 % and no float rounding decides the criterion.
        return meets_share(self.qualifying, self.total, SHARE_REQUIRED)


def share_from(departments, ratings: dict) -> UnitShare:
    """Criterion 5 from loaded data: `ratings` maps a department pk to its UnitRating of the year."""
    counted = [department for department in departments if department.is_subordinate_unit]
    qualifying = sum(1 for department in counted if (r := ratings.get(department.pk)) is not None and r.qualifies)
    return UnitShare(qualifying=qualifying, total=len(counted))


def unit_share(year: int) -> UnitShare:
    """Criterion 5 from the saved ratings of `year`. Two queries, whatever the number of departments."""
    ratings = {r.department_id: r for r in UnitRating.objects.filter(year=year, department__isnull=False)}
    return share_from(Department.objects.all(), ratings)


def _empty(row: dict) -> bool:
    return not (row.get("rating") or row.get("advanced_collective") or row.get("decision_number"))


@transaction.atomic
def save_ratings(*, year: int, actor, rows: list[dict]) -> int:
    """Store the ratings of `year`, one row per unit; returns how many units were written.

    Each row names `team_id` or `department_id` and gives `rating`, `advanced_collective`,
    `decision_number` and `decision_date`. A unit that has a rating is updated (also when the
    row is now empty: the blank is what the team saw and saved); a unit without one gets one
    only when the row says something. Unchanged rows are not written.
    """
    # The evaluation row is the year's lock: two people saving at once are taken one after the other,
    # so neither trips over the other's new rows (one rating per unit and year), and a sign-off that
    # commits first closes the ratings.
    evaluation = Evaluation.objects.select_for_update().filter(year=year).first()
    if evaluation is None:
        raise ValidationError(NOT_STARTED % {"year": year})
    if not can(actor, "evaluations.rate_units", evaluation):
        raise PermissionDenied(LOCKED if evaluation.is_locked else NOT_ALLOWED)
    existing = {(r.team_id, r.department_id): r for r in UnitRating.objects.filter(year=year)}
    created, updated = [], []
    for row in rows:
        team_id, department_id = row.get("team_id"), row.get("department_id")
        if bool(team_id) == bool(department_id):
            raise ValidationError(NOT_A_UNIT)
        values = {
            "rating": row.get("rating") or "",
            "advanced_collective": bool(row.get("advanced_collective")),
            "decision_number": (row.get("decision_number") or "").strip(),
            "decision_date": row.get("decision_date"),
        }
        if values["rating"] and values["rating"] not in Rating.values:
            raise ValidationError(UNKNOWN_RATING % {"value": values["rating"]})
        if values["decision_date"] and values["decision_date"] > timezone.localdate():
            raise ValidationError(FUTURE_DECISION)
        rating = existing.get((team_id, department_id))
        if rating is None:
            if not _empty(values):
                created.append(
                    UnitRating(year=year, team_id=team_id, department_id=department_id, recorded_by=actor, **values)
                )
            continue
        if all(getattr(rating, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(rating, name, value)
        rating.recorded_by = actor
        rating.recorded_at = timezone.now()  # bulk_update does not touch auto_now fields
        updated.append(rating)
    UnitRating.objects.bulk_create(created)
    UnitRating.objects.bulk_update(updated, [*RATING_FIELDS, "recorded_by", "recorded_at"])
    return len(created) + len(updated)


# --- discipline -----------------------------------------------------------------------------


def window_of(year: int) -> tuple[date, date]:
    """The evaluation window of `year`: the evaluation's own when it exists, else the default one."""
    evaluation = Evaluation.objects.filter(year=year).only("window_start", "window_end").first()
    if evaluation:
        return evaluation.window_start, evaluation.window_end
    return calendar.default_window(year)


@transaction.atomic
def record_discipline(
    *,
    actor,
    person,
    form: int,
    decided_on: date,
    decision_number: str = "",
    reason: str = "",
    social_evils: bool = False,
) -> DisciplineRecord:
    if not can(actor, "evaluations.record_discipline"):
        raise PermissionDenied(NOT_ALLOWED)
    if decided_on > timezone.localdate():
        raise ValidationError(FUTURE_DECISION)
    if not person.is_active:
        raise ValidationError(INACTIVE_PERSON)
    return DisciplineRecord.objects.create(
        person=person,
        form=form,
        decided_on=decided_on,
        decision_number=decision_number.strip(),
        reason=reason.strip(),
        social_evils=social_evils,
        recorded_by=actor,
    )

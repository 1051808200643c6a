"""Reads of the evaluations app that several views share."""

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils import timezone

from core.access import can, get_visible_or_404, visible
from evaluations import calendar, results
from evaluations.models import Evaluation, Stage
from evaluations.progress import NextStep, next_step
from evaluations.results import Outcome


def evaluation_for(user, year: int, *related: str) -> Evaluation:
    """The evaluation of `year` if `user` may see it, else 404 (never a hint that it exists)."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_visible_or_404(user, Evaluation.objects.select_related("criteria_set", *related), year=year)


@dataclass
class YearProgress:
    """Where this year's evaluation stands, for the home page."""

    year: int
    evaluation: Evaluation | None
    result: Outcome | None = None
    next: NextStep | None = None
    next_stage: Stage | None = None
    days_left: int | None = None

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None else 0


def year_progress(user, today: date | None = None) -> YearProgress | None:
    """The evaluation of the window `today` falls in, its next step and its next open deadline.

    None for someone who may not see evaluations; `evaluation` None when nobody has started that
    year yet. Three queries (and those of the rules next_step asks), whatever the year holds.
    """
    if not can(user, "evaluations.view"):
        return None
    today = today or timezone.localdate()
    year = calendar.evaluation_year_of(today)
    evaluation = visible(user, Evaluation.objects.select_related("signed_off_by")).filter(year=year).first()
    if evaluation is None:
        return YearProgress(year, None)
    assessments = list(evaluation.assessments.select_related("criterion").order_by("criterion__order"))
    result = results.outcome(assessments)
    open_codes = [assessment.criterion.code for assessment in assessments if not assessment.result]
    stage = evaluation.stages.filter(completed_on__isnull=True).order_by("due_on", "order").first()
    return YearProgress(
        year,
        evaluation,
        result,
        next_step(evaluation, user, result, open_codes),
        stage,
        stage.days_left(today) if stage else None,
    )

"""Reads of the evaluations app that several views share."""

from django.http import Http404

from core.access import get_visible_or_404
from evaluations.models import Evaluation


def evaluation_for(user, year: int, *related: str) -> Evaluation:
    """The evaluation of `year` if `user` may see it, else 404 (never a hint that it exists)."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_visible_or_404(user, Evaluation.objects.select_related("criteria_set", *related), year=year)

"""What every evaluation write shares: the row lock, the permission check and the history entry."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.access import can
from evaluations.models import Evaluation, EvaluationEvent

NOT_ALLOWED = _("That is not possible for this evaluation now.")
LOCKED = _("The evaluation is signed off. It must be reopened, with a reason, before it can be changed.")
STALE = _(
    "Someone else changed this evaluation while you were looking at it. Here is what it looks like now: "
    "check it and try again."
)


class Conflict(Exception):
    pass


def locked_for(actor, action: str, evaluation_id: int, version: int | None = None) -> Evaluation:
    """Lock the evaluation row, then check `action` in core.access on what is now committed.

    Every write that depends on the evaluation's state takes this lock first, so a change cannot
    slip in between the Chief's sign-off and its commit.
    """
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation_id)
    if version is not None and evaluation.version != version:
        raise Conflict(STALE)
    if not can(actor, action, evaluation):
        raise PermissionDenied(LOCKED if evaluation.is_locked else NOT_ALLOWED)
    return evaluation


def bump(evaluation: Evaluation, *fields: str) -> None:
    evaluation.version += 1
    evaluation.save(update_fields=[*fields, "version"])


def record(evaluation: Evaluation, actor, action: str, detail: str = "") -> EvaluationEvent:
    return EvaluationEvent.objects.create(evaluation=evaluation, actor=actor, action=action, detail=detail)

"""Deadline reminders of the annual evaluation: 30, 7 and 1 days before a stage is due, and once overdue.

Run daily by beat (07:05) and by `manage.py evaluations_sweep`. Everything is recomputed from the
stages each time and every reminder carries a deduplication key, so running it twice sends nothing
twice. The key holds the deadline, so a stage whose deadline is moved is reminded again for the new
one. A sweep that runs late sends only the latest checkpoint that applies, as incidents/sla.py does:
five days before the deadline that is the 7-day reminder, not also the 30-day one.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from evaluations import notices
from evaluations.models import Evaluation, Stage
from team.models import Membership

CHECKPOINTS = (30, 7, 1)  # days before the deadline, earliest first
OVERDUE = "overdue"


def checkpoint(due_on: date, today: date) -> str | None:
    """The latest checkpoint reached on `today` ("30", "7", "1" or "overdue"), or None if none yet."""
    days = (due_on - today).days
    if days < 0:
        return OVERDUE
    reached = [str(before) for before in CHECKPOINTS if days <= before]
    return reached[-1] if reached else None


def dedupe_key(stage: Stage, point: str) -> str:
    return f"evaluation-deadline:{stage.pk}:{stage.due_on:%Y%m%d}:{point}"


def sweep(now: datetime | None = None) -> dict:
    """Remind the responsible person and the team leader of every open stage at its checkpoint.

    Reads only stages not completed (the partial index `stage_open_due_idx`) that are due within
    30 days or overdue, of evaluations not yet decided. Returns how many stages were due and how
    many reminders went out.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    stages = list(
        Stage.objects.filter(completed_on__isnull=True, due_on__lte=today + timedelta(days=max(CHECKPOINTS)))
        .exclude(evaluation__status=Evaluation.Status.DECIDED)
        .select_related("evaluation", "responsible")
        .order_by("due_on", "pk")
    )
    done = {"due": len(stages), "reminders": 0}
    if not stages:
        return done
    leader = _team_leader()
    for stage in stages:
        point = checkpoint(stage.due_on, today)
        with transaction.atomic():
            told = notices.tell(
                [stage.responsible, leader],
                notices.DEADLINE,
                url=stage.evaluation.get_absolute_url(),
                key=dedupe_key(stage, point),
                stage=stage,
                days=stage.days_left(today),
                overdue=point == OVERDUE,
            )
        done["reminders"] += len(told)
    return done


def _team_leader():
    membership = (
        Membership.objects.active().filter(role=Membership.Role.LEADER).select_related("user").order_by("pk").first()
    )
    return membership.user if membership else None

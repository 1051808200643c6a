"""The end of a round's window: missed checkpoints are recorded, written in the shift's log and told to the
command. Run every few minutes by Celery beat (patrols.tasks) or `manage.py patrols_sweep`.

Idempotent: a round is checked once, under a row lock, and `checked_at` is set in the transaction that writes
the log entry and the notices, so running the sweep twice (or two sweeps at once) adds nothing.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duty.models import LogEntry
from duty.services import write_system_entry
from notifications.services import notify_many
from patrols.models import PLACE_RELATED, Round
from patrols.notices import MISSED
from team.models import Membership
from team.models.membership import COMMAND_ROLES

# Rounds checked per run; more wait for the next run, a few minutes later.
BATCH = 200


def check_ended_rounds(now: datetime | None = None) -> int:
    """Check every round whose window has ended. Returns how many were checked now."""
    now = now or timezone.now()
    due = list(Round.objects.due_for_check(now).order_by("ends_at").values_list("pk", flat=True)[:BATCH])
    return sum(check_round(round_id, now) for round_id in due)


@transaction.atomic
def check_round(round_id: int, now: datetime) -> bool:
    """Count the missed stops of one ended round and record them. False when it was already checked."""
    round_ = (
        Round.objects.select_for_update(of=("self",))
        .filter(pk=round_id, checked_at__isnull=True, ends_at__lte=now)
        .select_related("shift", "shift__member")
        .first()
    )
    if round_ is None:
        return False  # checked by another run meanwhile, or not over
    stops = list(round_.stops.select_related(*(f"checkpoint__{name}" for name in PLACE_RELATED)))
    missed = [stop for stop in stops if stop.visited_at is None]
    round_.stops.filter(pk__in=[stop.pk for stop in missed]).update(missed=True)
    round_.checked_at, round_.missed_count = now, len(missed)
    round_.save(update_fields=["checked_at", "missed_count"])
    if not stops:
        return True  # every checkpoint was taken out of use: there was nothing to walk
    places = [str(stop.checkpoint.place) for stop in missed]
    write_system_entry(
        shift=round_.shift,
        kind=LogEntry.Kind.PATROL,
        text=_log_text(round_, len(missed), len(stops), places),
        place=missed[0].checkpoint.place if len(missed) == 1 else None,
        occurred_at=round_.ends_at,
    )
    if missed:
        notify_many(
            recipients=_command_of(round_.shift.team_id),
            kind=MISSED.code,
            context={
                "round": round_,
                "shift": round_.shift,
                "missed": len(missed),
                "total": len(stops),
                "places": places,
            },
            url=round_.get_absolute_url(),
            dedupe_key=f"patrols-missed:{round_.pk}",
        )
    return True


def _log_text(round_: Round, missed: int, total: int, places: list[str]) -> str:
    # The logbook is one shared paper-like record: written in the office's language, whoever reads it later.
    with translation.override(settings.LANGUAGE_CODE):
        if missed:
            return _("Patrol round %(window)s: missed %(missed)s/%(total)s checkpoints: %(places)s.") % {
                "window": round_.window,
                "missed": missed,
                "total": total,
                "places": "; ".join(places),
            }
        return _("Patrol round %(window)s: completed, %(total)s/%(total)s checkpoints visited.") % {
            "window": round_.window,
            "total": total,
        }


def _command_of(team_id: int) -> list:
    memberships = Membership.objects.active().filter(team_id=team_id, role__in=COMMAND_ROLES).select_related("user")
    return [membership.user for membership in memberships]

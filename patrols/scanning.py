"""What a scan of a checkpoint's QR code may record, and recording it.

The phone's camera opens /patrols/scan/<token>/. A bare GET shows the checkpoint and what a press of the
button would do (`verdict`); only the POST records, through `record_visit`, which asks the same question
again with the stop locked, so the member and the backup pressing together record one visit.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duty.selectors import shift_of
from patrols.models import Checkpoint, RoundStop

DEACTIVATED = gettext_lazy(
    "This checkpoint is no longer in use, so nothing is recorded. Tell the team leader if its code is still posted."
)
NOT_ON_DUTY = gettext_lazy(
    "You are not on duty now: only the member on duty and the backup of a shift record its patrol rounds."
)
NOT_IN_ROUND = gettext_lazy(
    "%(place)s is not in a patrol round of your shift. The rounds of your shift are on “My duty shift”."
)
NOT_YET = gettext_lazy("The patrol round %(window)s has not started yet: it opens at %(time)s.")
CLOSED = gettext_lazy(
    "The patrol round %(window)s closed at %(time)s, so this visit can no longer be recorded. "
    "Write what you found in the shift's log."
)
ALREADY = gettext_lazy("%(place)s was already recorded at %(time)s by %(person)s.")


@dataclass(frozen=True)
class Verdict:
    """What pressing "record" would do: record `stop`, or refuse for `refusal`."""

    stop: RoundStop | None = None
    refusal: str = ""
    stops: list = field(default_factory=list)  # this checkpoint in the scanner's rounds, for the page


def _hhmm(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def verdict(user, checkpoint: Checkpoint, now: datetime, *, lock: bool = False) -> Verdict:
    if not checkpoint.is_active:
        return Verdict(refusal=str(DEACTIVATED))
    shift = shift_of(user, now)
    if shift is None:
        return Verdict(refusal=str(NOT_ON_DUTY))
    stops = (
        RoundStop.objects.filter(round__shift=shift, checkpoint=checkpoint)
        .select_related("round", "visited_by")
        .order_by("round__starts_at", "pk")
    )
    if lock:
        stops = stops.select_for_update(of=("self",))
    stops = list(stops)
    if not stops:
        return Verdict(refusal=str(NOT_IN_ROUND) % {"place": checkpoint.place})
    open_now = [stop for stop in stops if stop.round.is_open(now)]
    to_record = [stop for stop in open_now if stop.visited_at is None]
    if to_record:
        return Verdict(stop=to_record[0], stops=stops)
    if open_now:
        done = open_now[0]
        text = ALREADY % {"place": checkpoint.place, "time": _hhmm(done.visited_at), "person": done.visited_by}
        return Verdict(refusal=text, stops=stops)
    upcoming = [stop for stop in stops if now < stop.round.starts_at]
    if upcoming:
        round_ = upcoming[0].round
        return Verdict(refusal=NOT_YET % {"window": round_.window, "time": _hhmm(round_.starts_at)}, stops=stops)
    round_ = stops[-1].round
    return Verdict(refusal=CLOSED % {"window": round_.window, "time": _hhmm(round_.ends_at)}, stops=stops)


@dataclass(frozen=True)
class Visit:
    stop: RoundStop
    visited: int  # stops of its round visited, this one included
    total: int

    def message(self) -> str:
        return _("Checkpoint %(place)s recorded at %(time)s (%(visited)s/%(total)s checkpoints).") % {
            "place": self.stop.checkpoint.place,
            "time": _hhmm(self.stop.visited_at),
            "visited": self.visited,
            "total": self.total,
        }


@transaction.atomic
def record_visit(*, user, checkpoint: Checkpoint, now: datetime | None = None) -> Visit:
    """Record that `user` stood at `checkpoint` now. Raises ValidationError with the reason it may not."""
    now = now or timezone.now()
    found = verdict(user, checkpoint, now, lock=True)
    if found.stop is None:
        raise ValidationError(found.refusal, code="refused")
    stop = found.stop
    stop.visited_at, stop.visited_by = now, user
    stop.save(update_fields=["visited_at", "visited_by"])
    stop.checkpoint = checkpoint
    stops = RoundStop.objects.filter(round_id=stop.round_id)
    return Visit(stop=stop, visited=stops.filter(visited_at__isnull=False).count(), total=stops.count())

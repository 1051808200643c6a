"""Writing the duty logbook. Each business action is one transaction."""

from django.db import transaction
from django.utils import timezone

from duty.models import LogEntry


@transaction.atomic
def write_system_entry(*, shift, text: str, kind: str, place=None, to_hand_over: bool = False, occurred_at=None):
    """An entry TựQuản itself writes in a shift's log (no author): a missed checkpoint, visitors still inside.

    Written whether or not the shift was handed over: it records a fact, it corrects nothing.
    """
    return LogEntry.objects.create(
        shift=shift,
        kind=kind,
        text=text,
        place=place,
        to_hand_over=to_hand_over,
        occurred_at=occurred_at or timezone.now(),
    )

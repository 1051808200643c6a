"""Visitors still inside at the end of the working day: flagged once a day to the member on duty and the backup.

The flag is claimed by inserting the day's StillInsideFlag row in the same transaction as the
notification and the log entry, so a second run (or a second worker) finds it and does nothing.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from duty.models import LogEntry
from duty.services import write_system_entry
from team.models import DutyShift
from visitors import notices
from visitors.models import StillInsideFlag, Visit
from workcalendar.days import is_working_day


def end_of_working_day(now: datetime) -> datetime:
    local = timezone.localtime(now)
    last_period_end = max(end for _start, end in settings.WORKING_HOURS)
    return local.replace(hour=last_period_end.hour, minute=last_period_end.minute, second=0, microsecond=0)


def flag_visitors_still_inside(now: datetime | None = None) -> int:
    """After the working day, tell the shift on duty who is still inside; how many visitors were flagged.

    Nothing happens before the end of the working day, on a day off, when nobody is inside (a later run
    may still flag a visitor who arrives in the evening) or when nobody is on duty (the next run retries).
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    if now < end_of_working_day(now) or StillInsideFlag.objects.filter(day=day).exists():
        return 0
    if not is_working_day(day):
        return 0
    visits = list(Visit.objects.inside().select_related("host").order_by("checked_in_at", "pk"))
    shift = DutyShift.objects.covering(now).with_people().order_by("starts_at").first()
    if not visits or shift is None:
        return 0
    try:
        with transaction.atomic():
            StillInsideFlag.objects.create(day=day, flagged_at=now, visitors=len(visits))
            _flag(shift=shift, visits=visits, day=day, now=now)
    except IntegrityError:
        return 0  # another run flagged the day first
    return len(visits)


def _flag(*, shift, visits, day, now) -> None:
    names = ", ".join(visit.visitor_name for visit in visits)
    text = ngettext(
        "After working hours, %(count)d visitor is still inside: %(names)s.",
        "After working hours, %(count)d visitors are still inside: %(names)s.",
        len(visits),
    ) % {"count": len(visits), "names": names}
    write_system_entry(shift=shift, text=text, kind=LogEntry.Kind.VISITORS, to_hand_over=True, occurred_at=now)
    for person in shift.people():
        notices.still_inside(recipient=person, visits=visits, day=day, url=reverse("visitors:gate"))

"""The evaluation window as instants, and the day whose staff count.

TT 124 Điều 8.2.b: an agency's window runs from 16/11 of the previous year to 15/11, both days
whole, in the office's time (Asia/Ho_Chi_Minh, settings.TIME_ZONE). Timestamps are stored in UTC,
so the window is compared as the half-open interval [00:00 of window_start, 00:00 of the day after
window_end): 15/11 23:59 local is in, 16/11 00:00 local already belongs to the next year.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def day_start(day: date) -> datetime:
    """00:00 of `day` in the office's time zone (Vietnam has no daylight saving, so this always exists)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def window_bounds(evaluation) -> tuple[datetime, datetime]:
    """[start, end) of the evaluation's window as aware datetimes: filter with __gte start and __lt end."""
    return day_start(evaluation.window_start), day_start(evaluation.window_end + timedelta(days=1))


def population_day(evaluation, today: date | None = None) -> date:
    """The day whose staff must all be briefed: the window's last day once it closed, else today."""
    today = today or timezone.localdate()
    return min(today, evaluation.window_end)

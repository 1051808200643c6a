"""The office's working calendar: which days are working days, and deadlines counted in working hours.

Weekends and public holidays, the lunar ones included (Tết Nguyên Đán, Giỗ Tổ Hùng Vương), come from the
`holidays` package, which also knows some of the Government's swapped days. The days an administrator records
in admin (DayOverride: the Government's swapped days of the year, the Office's own days off) take precedence.
Times are the office's (settings.TIME_ZONE, Asia/Ho_Chi_Minh, which has no daylight saving time).
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

from core.dates import LATEST
from workcalendar.models import DayOverride


@lru_cache(maxsize=16)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


@lru_cache(maxsize=4096)
def national_working_day(day: date) -> bool:
    """A working day by the national calendar alone (no weekend, no public holiday, or a swapped Saturday)."""
    return _national(day.year).is_working_day(day)


class WorkingCalendar:
    """The national calendar with the recorded changes of the days from `since` on, read in one query."""

    def __init__(self, changes: dict[date, bool]):
        self.changes = changes

    @classmethod
    def load(cls, since: date) -> "WorkingCalendar":
        changes = DayOverride.objects.filter(day__gte=since).values_list("day", "kind")
        return cls({day: kind == DayOverride.Kind.SWAPPED_WORKING_DAY for day, kind in changes})

    def is_working_day(self, day: date) -> bool:
        if day in self.changes:
            return self.changes[day]
        return national_working_day(day)

    def working_days(self, start: date):
        day = start
        while day <= LATEST:
            if self.is_working_day(day):
                yield day
            day += timedelta(days=1)

    def first_working_day(self, year: int, month: int) -> date:
        return next(self.working_days(date(year, month, 1)))

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment `minutes` of working time after `start`: nights, lunch, weekends and days off don't count.

        Time outside working hours counts from the next working period; a deadline that falls exactly at the
        end of a period stays there (11:30, not 13:30).
        """
        local = timezone.localtime(start, timezone.get_default_timezone())
        left = timedelta(minutes=minutes)
        for day in self.working_days(local.date()):
            for period_start, period_end in _day_periods(day, _periods()):
                if local >= period_end:
                    continue
                counted_from = max(local, period_start)
                if counted_from + left <= period_end:
                    return counted_from + left
                left -= period_end - counted_from
        raise ValueError("No working time left in the calendar's range.")

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """How much working time lies between two moments, in minutes."""
        zone = timezone.get_default_timezone()
        start, end = timezone.localtime(start, zone), timezone.localtime(end, zone)
        total = timedelta()
        for day in self.working_days(start.date()):
            if day > end.date():
                break
            for period_start, period_end in _day_periods(day, _periods()):
                total += max(min(end, period_end) - max(start, period_start), timedelta())
        return total.total_seconds() / 60


def _periods() -> tuple[tuple[time, time], ...]:
    return tuple(settings.WORKING_HOURS)


@lru_cache(maxsize=4096)
def _day_periods(day: date, periods: tuple[tuple[time, time], ...]) -> list[tuple[datetime, datetime]]:
    # Cached: the SLA sweep places the reminders of hundreds of incidents at a time.
    zone = timezone.get_default_timezone()
    return [
        (
            timezone.make_aware(datetime.combine(day, begins), zone),
            timezone.make_aware(datetime.combine(day, ends), zone),
        )
        for begins, ends in periods
    ]


def add_working_hours(start: datetime, hours: float) -> datetime:
    """`hours` of working time after `start` (one query for the recorded changes)."""
    return WorkingCalendar.load(timezone.localtime(start, timezone.get_default_timezone()).date()).add_working_minutes(
        start, round(hours * 60)
    )


def first_working_day(year: int, month: int) -> date:
    """The first working day of a month, e.g. when the monthly report's draft is due."""
    return WorkingCalendar.load(date(year, month, 1)).first_working_day(year, month)


def is_working_day(day: date) -> bool:
    return WorkingCalendar.load(day).is_working_day(day)

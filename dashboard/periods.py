"""The periods the dashboard (and the periodic reports) speak of: a month, a quarter, six months, the
evaluation year (16/11–15/11, TT 124 Điều 8.2.b), or dates someone typed.

A period is a pair of office dates, both included. Its moments are office midnights (Asia/Ho_Chi_Minh),
so an incident filed at 23:30 on the 31st counts for that month even though it is the 31st at 16:30 UTC.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from evaluations.calendar import default_window, evaluation_year_of


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def moments(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: from the first office midnight to the one after the last day."""
        tz = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return months

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def year_before(self) -> "Period":
        return Period(_year_back(self.start), _year_back(self.end))

    def clip(self, start: date, end: date) -> tuple[date, date]:
        """The part of [start, end] inside the period."""
        return max(start, self.start), min(end, self.end)


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02 of a leap year
        return day.replace(year=day.year - 1, day=28)


def month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def this_month(today: date) -> Period:
    first = today.replace(day=1)
    return Period(first, month_end(first))


def this_quarter(today: date) -> Period:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return Period(first, month_end(date(first.year, first.month + 2, 1)))


def six_months(today: date) -> Period:
    """The half-year the day falls in (January–June or July–December), as the six-month report counts it."""
    if today.month <= 6:
        return Period(date(today.year, 1, 1), date(today.year, 6, 30))
    return Period(date(today.year, 7, 1), date(today.year, 12, 31))


def evaluation_year(today: date) -> Period:
    return Period(*default_window(evaluation_year_of(today)))


PERIODS = {"month": this_month, "quarter": this_quarter, "six_months": six_months, "year": evaluation_year}

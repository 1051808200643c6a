"""What the gate page lists for a day: expected, inside, left. One query each, whatever the register holds."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from core.access import visible
from visitors.models import Visit
from visitors.panels import day_bounds


@dataclass
class GateDay:
    day: date
    expected: list
    inside: list
    left: list

    @property
    def is_today(self) -> bool:
        return self.day == timezone.localdate()


def gate_day(user, day: date, search: str = "") -> GateDay:
    """The day's expected visitors not arrived, those inside (checked in by the end of the day and not out),
    and those who left that day; narrowed to the visitors matching `search`."""
    start, end = day_bounds(day)
    visits = visible(user, Visit.objects.with_people()).matching(search)
    return GateDay(
        day=day,
        expected=list(visits.expected_between(start, end).order_by("expected_at", "pk")),
        inside=list(visits.inside().filter(checked_in_at__lt=end).order_by("checked_in_at", "pk")),
        left=list(visits.left_between(start, end).order_by("-checked_out_at", "-pk")),
    )


def register_of_day(user, day: date):
    """The visits of the day's register (sổ theo dõi khách): everyone who came in that day, in order."""
    start, end = day_bounds(day)
    return visible(user, Visit.objects.with_people()).arrived_between(start, end).order_by("checked_in_at", "pk")


def my_registrations(user):
    """What a colleague registered, and the visits where he is the host, the latest first."""
    return Visit.objects.with_people().filter(Q(registered_by=user) | Q(host=user)).order_by("-registered_at", "-pk")

"""Reading rounds: with their stops, their counts and their status, in a constant number of queries."""

from datetime import datetime, timedelta

from django.core.paginator import Paginator
from django.db.models import Prefetch

from core.access import get_visible_or_404, visible
from patrols.models import PLACE_RELATED, Round, RoundStop

# The rounds list shows this far back and ahead.
LIST_PAST = timedelta(days=14)
LIST_AHEAD = timedelta(days=14)
PAGE_SIZE = 50


def stops_in_order():
    return RoundStop.objects.select_related(*(f"checkpoint__{name}" for name in PLACE_RELATED), "visited_by").order_by(
        "position", "pk"
    )


def with_status(round_: Round, now: datetime, *, visited: int, total: int) -> Round:
    """Attach what the pages show: visited and total stops, the status, how many were missed."""
    round_.visited, round_.total = visited, total
    round_.current_status = round_.status(now, visited=visited, total=total)
    round_.missed_now = total - visited if round_.current_status == Round.Status.MISSED else 0
    return round_


def rounds_of_shift(shift, now: datetime) -> list[Round]:
    """The rounds of one shift with their stops (two queries)."""
    rounds = Round.objects.filter(shift=shift).prefetch_related(Prefetch("stops", queryset=stops_in_order()))
    result = []
    for round_ in rounds.order_by("starts_at", "pk"):
        stops = list(round_.stops.all())
        visited = sum(stop.visited_at is not None for stop in stops)
        result.append(with_status(round_, now, visited=visited, total=len(stops)))
    return result


def recent_and_upcoming(user, now: datetime):
    """The rounds `user` may read from two weeks back to two weeks ahead, latest first, with their counts."""
    rounds = visible(user, Round.objects.with_details().with_counts())
    return rounds.filter(starts_at__gte=now - LIST_PAST, starts_at__lte=now + LIST_AHEAD).order_by("-starts_at", "-pk")


def rounds_page(user, now: datetime, number):
    """One page of recent_and_upcoming(), each round with its status (two queries: the count and the page)."""
    page = Paginator(recent_and_upcoming(user, now), PAGE_SIZE).get_page(number)
    for round_ in page.object_list:
        with_status(round_, now, visited=round_.visited_count, total=round_.stop_count)
    return page


def round_detail(user, pk: int, now: datetime) -> tuple[Round, list[RoundStop]]:
    round_ = get_visible_or_404(user, Round.objects.with_details(), pk=pk)
    stops = list(stops_in_order().filter(round=round_))
    visited = sum(stop.visited_at is not None for stop in stops)
    return with_status(round_, now, visited=visited, total=len(stops)), stops

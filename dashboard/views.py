from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

from core.access import require_or_404
from dashboard import board, figures
from dashboard.forms import DashboardFilter


def dashboard(request):
    require_or_404(request.user, "dashboard.view")  # a forbidden page is a 404, as for any object not to be seen
    form = DashboardFilter(request.GET or None)
    kind, period = form.chosen_period(timezone.localdate())
    filters = form.chosen_filters()
    context = {
        "form": form.as_chosen(),
        "kind": kind,
        "board": board.build(cached_figures(period, filters, request.user), period, filters),
    }
    return render(request, "dashboard/dashboard.html", context)


def cached_figures(period, filters, viewer) -> dict:
    """The figures, kept a short while: a leader who flips between periods or comes back to the page does
    not run the aggregates again. Keyed by the viewer, since the figures count only what he may see."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return figures.all_figures(period, filters, viewer)
    key = f"dashboard:{viewer.pk}:{period.start}:{period.end}:{filters.category}:{filters.place}:{filters.department}"
    found = cache.get(key)
    if found is None:
        found = figures.all_figures(period, filters, viewer)
        cache.set(key, found, seconds)
    return found

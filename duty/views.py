from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.access import can
from duty import selectors
from patrols.panels import shift_panel as patrol_panel
from visitors.panels import shift_panel as visitor_panel


def _require_team(user) -> None:
    # Outside the team the logbook does not exist (404), like every page the reader may not see.
    if not can(user, "duty.my_shift"):
        raise Http404


def my_shift(request):
    """ "Ca trực của tôi": the shift the member works now, its log, the gate and the round, and the handover."""
    _require_team(request.user)
    user, now = request.user, timezone.now()
    shift = selectors.shift_of(user, now) or selectors.unhanded_shift_of(user, now)
    context = {
        "now": now,
        "shift": shift,
        "next_shift": None if shift else selectors.next_shift_of(user, now),
        "visitors_panel": visitor_panel(user, shift, now),
        "patrols_panel": patrol_panel(user, shift, now),
    }
    return render(request, "duty/my_shift.html", context)

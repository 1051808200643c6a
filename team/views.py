from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import can, require, visible
from core.clientip import client_ip
from team import passwords, selectors

WEEK_NOT_UNDERSTOOD = _("“%(value)s” is not a week (e.g. 2026-W49 or 02/12/2026): showing this week.")


def team_page(request):
    """The roster with roles and contacts, today's duty, the viewer's coming shifts and a week's duty
    (this week, or the one `?week=` names: "2026-W49" or a date in it)."""
    require(request.user, "team.view")
    team = selectors.current_team()
    today = selectors.today()
    week_start, week_end = selectors.week_of(_asked_day(request) or today)
    context = {
        "team": team,
        "today": today,
        "week_start": week_start,
        "week_end": week_end,
        "this_week": week_start <= today <= week_end,
        "week_number": week_start.isocalendar().week,
        "previous_week": selectors.iso_week(week_start - timedelta(days=7)),
        "next_week": selectors.iso_week(week_start + timedelta(days=7)),
    }
    if team is not None:
        week_shifts = list(visible(request.user, selectors.shifts_between(week_start, week_end)))
        roster = list(visible(request.user, selectors.active_roster(team)))
        context.update(
            roster=roster,
            is_on_team=any(membership.user_id == request.user.pk for membership in roster),
            regulation=team.current_regulation(),
            command_warnings=selectors.roster_command_warnings(team, roster),
            can_appoint=can(request.user, "team.manage_roster"),
            my_shifts=list(visible(request.user, selectors.upcoming_shifts_of(request.user, timezone.now()))),
            today_shifts=_today_shifts(request.user, today, week_shifts, context["this_week"]),
            week_shifts=week_shifts,
        )
    return render(request, "team/team_page.html", context)


def _today_shifts(user, today, week_shifts, this_week: bool):
    """Today's duty stays on the page whichever week is shown: taken from that week when it is this one."""
    if this_week:
        return [shift for shift in week_shifts if shift.date == today]
    return list(visible(user, selectors.shifts_between(today, today)))


def _asked_day(request):
    value = request.GET.get("week")
    if not value:
        return None
    day = selectors.day_in_week(value)
    if day is None:
        messages.warning(request, WEEK_NOT_UNDERSTOOD % {"value": value[:20]})
    return day


@login_not_required
def password_reset(request):
    """Django's "forgot password" page; the request only counts itself and hands the address to the worker."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.request_reset(email=form.cleaned_data["email"], client=client_ip(request))
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import redirect, render

from core.access import require, visible
from core.clientip import client_ip
from team import passwords, selectors


def team_page(request):
    """The roster with roles and contacts, today's duty and this week's duty."""
    require(request.user, "team.view")
    team = selectors.current_team()
    today = selectors.today()
    week_start, week_end = selectors.week_of(today)
    context = {"team": team, "today": today, "week_start": week_start, "week_end": week_end}
    if team is not None:
        week_shifts = list(visible(request.user, selectors.shifts_between(week_start, week_end)))
        context.update(
            roster=visible(request.user, selectors.active_roster(team)),
            regulation=team.current_regulation(),
            today_shifts=[shift for shift in week_shifts if shift.date == today],
            week_shifts=week_shifts,
        )
    return render(request, "team/team_page.html", context)


@login_not_required
def password_reset(request):
    """Django's "forgot password" page; the request only counts itself and hands the address to the worker."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.request_reset(email=form.cleaned_data["email"], client=client_ip(request))
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})

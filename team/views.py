from django.shortcuts import render

from core.access import require, visible
from team import selectors


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

"""Who sees the dashboard (registered in core.access): the team's command, the office leadership, administrators."""

from core.access import rule
from team.roles import Role, roles_of

DASHBOARD_ROLES = {Role.TEAM_LEADER, Role.DEPUTY_TEAM_LEADER, Role.LEADERSHIP, Role.ADMIN}


@rule("dashboard.view")
def may_view_dashboard(user, obj):
    # Members and staff work from the queue and their own reports; the figures of the whole office are a
    # picture for those who answer for it.
    return bool(DASHBOARD_ROLES & roles_of(user))

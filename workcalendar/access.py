"""Authorization for the working calendar (registered in core.access)."""

from core.access import rule
from team.roles import Role, roles_of


@rule("workcalendar.manage")
def may_manage_calendar(user, obj):
    # The calendar moves every deadline counted in working hours: administrators keep it.
    return Role.ADMIN in roles_of(user)

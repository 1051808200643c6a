"""Who reads and who writes the periodic reports (registered in core.access)."""

from core.access import rule
from team.roles import Role, roles_of

READERS = {Role.TEAM_LEADER, Role.DEPUTY_TEAM_LEADER, Role.LEADERSHIP, Role.ADMIN}
WRITERS = {Role.TEAM_LEADER, Role.DEPUTY_TEAM_LEADER}


@rule("reports.view")
def may_view_reports(user, obj):
    # The reports go to the office leadership; members and staff are not their readers.
    return bool(READERS & roles_of(user))


@rule("reports.edit")
def may_edit_reports(user, obj):
    # The team's command writes and issues them; an issued report is not edited any more.
    if obj is not None and obj.is_issued:
        return False
    return bool(WRITERS & roles_of(user))

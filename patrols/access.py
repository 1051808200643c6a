"""Who plans, walks and reads patrol rounds (registered in core.access).

The command (leader, deputy) manages checkpoints and plans rounds; every team member may scan, and the
scan itself then checks that he is on duty in the round's shift (a refusal he can read, not a 404). A
member reads the rounds of the shifts he worked; the command reads them all; nobody outside the team
learns that rounds exist (404).
"""

from django.db.models import Q

from core.access import rule, scope
from incidents.workflow import in_command, on_team
from patrols.models import Checkpoint, Round
from team.roles import Role, roles_of


@rule("patrols.manage")
def may_manage(user, obj):
    """Checkpoints, their QR sheet and the planning of rounds."""
    return in_command(roles_of(user))


@rule("patrols.view_rounds")
def may_view_rounds(user, obj):
    return on_team(roles_of(user))


@rule("patrols.scan")
def may_scan(user, obj):
    return on_team(roles_of(user))


@rule("patrols.administer")
def may_administer(user, obj):
    """The admin pages of checkpoints and rounds, like the place list they come from."""
    return Role.ADMIN in roles_of(user)


@scope(Round)
def rounds_visible(user, queryset):
    roles = roles_of(user)
    if in_command(roles):
        return queryset
    if not on_team(roles):
        return queryset.none()
    return queryset.filter(Q(shift__member=user) | Q(shift__backup=user))


@scope(Checkpoint)
def checkpoints_visible(user, queryset):
    return queryset if on_team(roles_of(user)) else queryset.none()

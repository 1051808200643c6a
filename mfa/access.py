"""Authorization for the second factor (registered in core.access)."""

from core.access import rule
from team.roles import Role, roles_of


@rule("mfa.reset_for_others")
def may_reset_for_others(user, obj):
    # An administrator removes a colleague's second factor when the phone is lost; the colleague enrols again.
    return Role.ADMIN in roles_of(user)

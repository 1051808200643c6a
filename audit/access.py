"""Only administrators read the audit log (registered in core.access)."""

from core.access import rule
from team.roles import Role, roles_of


@rule("audit.view")
def may_view_audit(user, obj):
    return Role.ADMIN in roles_of(user)

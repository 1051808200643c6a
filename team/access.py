"""Authorization rules for the office and the team roster (registered in core.access)."""

from core.access import rule, scope
from team.models import DutyShift, Membership, OperatingRegulation, User
from team.roles import Role, roles_of


@rule("team.view")
def may_view_team(user, obj):
    # The roster, contacts and duty schedule are for every staff member: they must know
    # whom to call when something happens.
    return Role.STAFF in roles_of(user)


@rule("team.manage_roster")
def may_manage_roster(user, obj):
    # Appointments follow a signed decision; the administrator records them in admin.
    return Role.ADMIN in roles_of(user)


@rule("team.manage_duty")
def may_manage_duty(user, obj):
    return Role.ADMIN in roles_of(user)


@scope(Membership)
@scope(DutyShift)
@scope(OperatingRegulation)
def everyone_on_staff(user, queryset):
    return queryset if Role.STAFF in roles_of(user) else queryset.none()


@scope(User)
def active_staff(user, queryset):
    return queryset.filter(is_active=True) if Role.STAFF in roles_of(user) else queryset.none()

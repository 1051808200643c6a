"""Roles follow from the data: active memberships, positions and the admin flag.

Nobody ticks a "team leader" box: appoint someone through a membership and they are one;
end the membership and they are not.
"""

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from team.models import Membership, Position, User


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    TEAM_MEMBER = "team_member", _("Team member")
    DEPUTY_TEAM_LEADER = "deputy_team_leader", _("Deputy team leader")
    TEAM_LEADER = "team_leader", _("Team leader")
    LEADERSHIP = "leadership", _("Office leadership")
    ADMIN = "admin", _("Administrator")


_MEMBERSHIP_ROLES = {
    "leader": {Role.TEAM_MEMBER, Role.TEAM_LEADER},
    "deputy": {Role.TEAM_MEMBER, Role.DEPUTY_TEAM_LEADER},
    "member": {Role.TEAM_MEMBER},
}

_CACHE_ATTR = "_tuquan_roles"


def roles_of(user) -> frozenset[Role]:
    """The roles `user` holds now. One query, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached

    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            team_role=Subquery(Membership.objects.active().filter(user=OuterRef("pk")).order_by().values("role")[:1]),
        )
        .values("team_role", "position__kind")
        .first()
    ) or {}
    roles = {Role.STAFF}
    roles |= _MEMBERSHIP_ROLES.get(row.get("team_role"), set())
    if row.get("position__kind") in Position.LEADERSHIP_KINDS:
        roles.add(Role.LEADERSHIP)
    if user.is_staff:
        roles.add(Role.ADMIN)
    result = frozenset(roles)
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_roles(user) -> None:
    """Drop the cached roles, e.g. after changing a membership within one request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)

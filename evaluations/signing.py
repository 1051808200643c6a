"""Who signs for the office: the Chief of Office, or the Deputy Chief acting for him (Office.acting_chief)."""

from django.utils import timezone

from team.models import Office, Position
from team.roles import Role, roles_of

CHIEF = "chief"
ACTING = "acting"
_CACHE_ATTR = "_tuquan_signing_role"


def signing_role(user) -> str | None:
    """CHIEF, ACTING or None for `user` today. Two small queries at most, cached on the user for the request."""
    if Role.LEADERSHIP not in roles_of(user):
        return None
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    role = None
    if Position.objects.filter(holders=user, kind=Position.Kind.CHIEF).exists():
        role = CHIEF
    else:
        office = Office.objects.filter(acting_chief=user).first()
        if office and office.acting_chief_on(timezone.localdate()) == user:
            role = ACTING
    setattr(user, _CACHE_ATTR, role)
    return role


def signs_for_the_office(user) -> bool:
    return signing_role(user) is not None

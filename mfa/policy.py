"""Who must have a second factor.

Administrators always, while it is enforced (`MFA_ENFORCED`); with `MFA_FOR_REPORTER_READERS` also
everyone who may see the identity of confidential reporters: the team leader, the deputy and the office
leadership. A stolen password of theirs would expose the people who reported in confidence.
"""

from django.conf import settings

from incidents.access import sees_every_reporter
from team.roles import roles_of


def enforced() -> bool:
    return bool(settings.MFA_ENFORCED)


def required(user) -> bool:
    if not enforced() or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return True
    # The same predicate as the rule `incidents.see_reporter`, so the two can never drift apart.
    return bool(settings.MFA_FOR_REPORTER_READERS) and sees_every_reporter(roles_of(user))

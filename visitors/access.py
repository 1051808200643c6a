"""Who may use the register of visitors (registered in core.access).

- Any colleague pre-registers the visitors he expects and reads his own registrations and the visits
  where he is the host; nobody else's (404).
- The team reads the gate page and every visit (a member off duty looks up who is inside before taking
  over), but only the member on duty now (or the backup) and the command check visitors in and out.
- Identity numbers are personal data: shown in full only to those who keep the gate now and to the
  command; everyone else sees them masked. Only the command may export them, and that is audited.
"""

from django.db.models import Q
from django.utils import timezone

from core.access import rule, scope
from duty.selectors import shift_of
from incidents.workflow import in_command, on_team
from team.roles import Role, roles_of
from visitors.models import Visit


def on_duty_now(user) -> bool:
    # Cached on the user object for the request, like team.roles.roles_of: the gate page asks three rules.
    cached = getattr(user, "_visitors_on_duty", None)
    if cached is None:
        cached = shift_of(user, timezone.now()) is not None
        user._visitors_on_duty = cached
    return cached


def keeps_the_gate(user) -> bool:
    roles = roles_of(user)
    return on_team(roles) and (in_command(roles) or on_duty_now(user))


@rule("visitors.register")
def may_register(user, obj):
    return True  # every live account (core.access refuses anonymous and deactivated ones)


@rule("visitors.edit_registration")
def may_edit_registration(user, visit):
    """The colleague who registered the visit, until the visitor arrives or it is cancelled."""
    return visit is not None and visit.registered_by_id == user.pk and visit.is_pending


@rule("visitors.view_gate")
def may_view_gate(user, obj):
    return on_team(roles_of(user))


@rule("visitors.keep_gate")
def may_keep_gate(user, obj):
    """Check in, check out, type a new visitor: the member on duty now or the backup, and the command."""
    return keeps_the_gate(user)


@rule("visitors.see_id_number")
def may_see_id_number(user, visit):
    return keeps_the_gate(user)


@rule("visitors.export")
def may_export(user, obj):
    return keeps_the_gate(user)


@rule("visitors.export_id_numbers")
def may_export_id_numbers(user, obj):
    # Only on a lawful request, which the command answers; every such export is in the audit log.
    return in_command(roles_of(user))


@scope(Visit)
def visits_visible(user, queryset):
    if on_team(roles_of(user)):
        return queryset
    return queryset.filter(Q(registered_by=user) | Q(host=user))


@rule("visitors.administer")
def may_administer(user, obj):
    # The register in Django admin, read-only and with masked numbers: for the administrators.
    return Role.ADMIN in roles_of(user)

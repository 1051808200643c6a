"""Authorization for incidents (registered in core.access): what each role sees and may do."""

from django.db.models import Q

from core.access import rule, scope
from incidents.models import Attachment, Incident, IncidentEvent
from incidents.workflow import FINISHED, in_command, on_team
from team.roles import Role, roles_of


def sees_every_incident(roles) -> bool:
    return bool({Role.TEAM_MEMBER, Role.LEADERSHIP, Role.ADMIN} & roles)


@scope(Incident)
def incidents_visible(user, queryset):
    # Staff see the incidents they reported or filed; everyone else's is a 404, not a 403.
    if sees_every_incident(roles_of(user)):
        return queryset
    return queryset.filter(Q(reporter=user) | Q(filed_by=user))


@scope(Attachment)
def attachments_visible(user, queryset):
    return queryset.filter(incident__in=incidents_visible(user, Incident.objects.all()))


@scope(IncidentEvent)
def events_visible(user, queryset):
    if sees_every_incident(roles_of(user)):
        return queryset
    # A reporter sees the updates meant for him, never internal notes.
    return queryset.filter(audience=IncidentEvent.Audience.REPORTER)


@rule("incidents.file")
def may_file(user, obj):
    return Role.STAFF in roles_of(user)


@rule("incidents.file_on_behalf")
def may_file_on_behalf(user, obj):
    return on_team(roles_of(user))


@rule("incidents.view_queue")
def may_view_queue(user, obj):
    return sees_every_incident(roles_of(user))


@rule("incidents.export")
def may_export(user, obj):
    # An export copies the queue out of the office's hands; a staff member reads his own reports on the page.
    return sees_every_incident(roles_of(user))


def sees_every_reporter(roles) -> bool:
    return in_command(roles) or Role.LEADERSHIP in roles


@rule("incidents.see_reporter")
def may_see_reporter(user, incident):
    if not incident.confidential_reporter:
        return True
    return sees_every_reporter(roles_of(user)) or user.pk in (incident.reporter_id, incident.filed_by_id)


def reporter_visible(user, prefix: str = "") -> Q:
    """The queryset twin of `incidents.see_reporter`: the incidents whose reporter `user` may see.

    `prefix` reaches the incident through a relation (e.g. "incident__" from a timeline entry).
    Searches and admin pages filter with it, so that nothing identifying a confidential reporter
    matches or shows for anyone the rule above excludes.
    """
    if sees_every_reporter(roles_of(user)):
        # Always true. Not Q(): an empty Q vanishes when OR-ed with another condition.
        return Q(**{f"{prefix}pk__isnull": False})
    visible = Q(**{f"{prefix}confidential_reporter": False})
    if user.is_authenticated and user.is_active:  # an anonymous pk of None would match reporter IS NULL
        visible |= Q(**{f"{prefix}reporter": user.pk}) | Q(**{f"{prefix}filed_by": user.pk})
    return visible


@rule("incidents.assign")
def may_assign(user, incident):
    return in_command(roles_of(user)) and incident.is_open


@rule("incidents.regrade")
def may_regrade(user, incident):
    return in_command(roles_of(user)) and incident.status not in FINISHED


@rule("incidents.write_note")
def may_write_note(user, incident):
    return on_team(roles_of(user)) or Role.LEADERSHIP in roles_of(user)


@rule("incidents.add_info")
def may_add_info(user, incident):
    return user.pk in (incident.reporter_id, incident.filed_by_id) and incident.is_open


@rule("incidents.set_tt124_flags")
def may_set_tt124_flags(user, incident):
    roles = roles_of(user)
    return Role.TEAM_LEADER in roles or Role.LEADERSHIP in roles


@rule("incidents.manage_catalog")
def may_manage_catalog(user, obj):
    return Role.ADMIN in roles_of(user)


@rule("incidents.record_external")
def may_record_external(user, incident):
    return on_team(roles_of(user))

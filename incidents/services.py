"""Incident operations. Each is one transaction: the change, its timeline entries and its notifications."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import record as record_audit
from core.access import can
from core.files import stored_atomically
from core.uploads import SafeUpload
from incidents import escalation, notices, sla
from incidents.models import Attachment, ExternalReport, Incident, IncidentEvent, Severity, Status
from incidents.numbering import next_reference
from incidents.workflow import TRANSITIONS, in_command
from team.roles import roles_of
from team.selectors import shifts_covering

Event = IncidentEvent.Action
CONFLICT_MESSAGE = _(
    "Someone else changed this incident while you were looking at it. Here is what it looks like "
    "now: check it and try again."
)
NOT_ALLOWED_MESSAGE = _("That action is not possible for this incident now.")
REASON_NEEDED_MESSAGE = _("Please give a reason.")


class Conflict(Exception):
    pass


def _event(incident, actor, action, *, audience=IncidentEvent.Audience.TEAM, **fields) -> IncidentEvent:
    return IncidentEvent.objects.create(incident=incident, actor=actor, action=action, audience=audience, **fields)


def _locked(incident_id: int, version: int | None) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    if version is not None and incident.version != version:
        raise Conflict(CONFLICT_MESSAGE)
    return incident


def _locked_for(actor, action: str, incident_id: int, version: int | None = None) -> Incident:
    """Lock the incident, check the version the actor saw, and check `action` in core.access."""
    incident = _locked(incident_id, version)
    if not can(actor, action, incident):
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)
    return incident


def _bump(incident: Incident, *fields: str) -> None:
    incident.version += 1
    incident.save(update_fields=[*fields, "version"])


def file_incident(*, filed_by, fields: dict, uploads: list[SafeUpload] = ()) -> Incident:
    """Record a new incident, number it, give it to the member on duty and tell the team.

    Files are written inside the transaction; if anything fails they are deleted again, so a
    failed filing leaves neither a row nor an orphan file.
    """
    with stored_atomically() as written:  # storage names, recorded the moment each file exists
        now = timezone.now()
        incident = Incident(filed_by=filed_by, created_at=now, **fields)
        if incident.reporter is None and not incident.reporter_name:
            incident.reporter = filed_by
        incident.severity = incident.proposed_severity
        incident.reference = next_reference(timezone.localdate(now).year)
        on_duty = [shift.member for shift in shifts_covering(now)]
        incident.assignee = _first_assignee(incident, on_duty)
        sla.apply_policy(incident, now)
        incident.full_clean()
        incident.save()
        _event(
            incident,
            filed_by,
            Event.FILED,
            audience=IncidentEvent.Audience.REPORTER,
            field="status",
            new_value=incident.status,
        )
        if incident.assignee:  # by TựQuản itself, from the duty roster
            _event(incident, None, Event.ASSIGNED, new_value=str(incident.assignee))
        for upload in uploads:
            _store(incident, filed_by, upload, written)
        _announce_new(incident, on_duty)
    return incident


def _first_assignee(incident: Incident, on_duty: list):
    """The member on duty, but never the confidential reporter himself: the assignee is shown to the whole
    team, so a member on duty who reports confidentially is passed over for the next one (or nobody)."""
    hidden = {incident.reporter_id, incident.filed_by_id} if incident.confidential_reporter else set()
    return next((member for member in on_duty if member.pk not in hidden), None)


def _store(
    incident, actor, upload: SafeUpload, written: list[str], *, audience=IncidentEvent.Audience.TEAM
) -> Attachment:
    attachment = Attachment(
        incident=incident,
        original_name=upload.original_name,
        extension=upload.extension,
        content_type=upload.content_type,
        size=len(upload.data),
        uploaded_by=actor,
    )
    attachment.file.save(upload.original_name, ContentFile(upload.data), save=False)
    written.append(attachment.file.name)
    attachment.save()
    _event(incident, actor, Event.ATTACHMENT, audience=audience, new_value=upload.original_name)
    return attachment


def _announce_new(incident: Incident, on_duty) -> None:
    facts = {"assignee_on_duty": incident.assignee in on_duty}
    notices.tell({*on_duty, *notices.team_leaders()}, notices.FILED, incident, **facts)
    if incident.severity == Severity.CRITICAL:
        notices.tell({*notices.team_leaders(), *notices.office_leadership()}, notices.CRITICAL_FILED, incident, **facts)


def _tell_reporter(incident: Incident, actor, *, status_changed: bool, message: str = "") -> None:
    """One notice to the reporter per action, quoting what was written to him, if anything."""
    if incident.reporter_id and incident.reporter_id != actor.pk:
        notices.tell(
            [incident.reporter],
            notices.STATUS_CHANGED,
            incident,
            status_changed=status_changed,
            message=message,
            sender=actor,
        )


@transaction.atomic
def transition(
    *, incident_id: int, name: str, actor, version: int | None, reason: str = "", message: str = ""
) -> Incident:
    """Move the incident on. `reason` stays with the team; `message` goes to the reporter, in the one
    notice he gets about the change."""
    spec = TRANSITIONS.get(name)
    incident = _locked(incident_id, version)
    if spec is None or incident.status not in spec.sources or not spec.allowed(roles_of(actor)):
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)
    if spec.needs_reason and not reason.strip():
        raise ValidationError(REASON_NEEDED_MESSAGE)
    now = timezone.now()
    old = incident.status
    incident.status = spec.target
    incident.closed_at = now if spec.target == Status.CLOSED else None
    if incident.acknowledged_at is None and spec.target != Status.REJECTED:
        incident.acknowledged_at = now  # leaving "new" in any direction but rejection acknowledges it
    if spec.name == "reopen":
        incident.escalation_level, incident.escalation_due_at = 0, None
        record_audit(AuditEntry.Action.REOPEN, actor=actor, obj=incident, detail=f"{old} -> {spec.target}: {reason}")
    sla.schedule(incident, now)
    _bump(incident, "status", "closed_at", "acknowledged_at", "escalation_level", "escalation_due_at", "sla_check_at")
    _event(
        incident,
        actor,
        Event.STATUS,
        audience=IncidentEvent.Audience.REPORTER,
        field="status",
        old_value=old,
        new_value=incident.status,
    )
    if reason.strip() and spec.target != Status.ESCALATED:  # an escalation carries its reason itself
        _event(incident, actor, Event.NOTE, text=reason.strip())
    message = message.strip() if incident.reporter_id else ""
    if message:
        _event(incident, actor, Event.UPDATE, audience=IncidentEvent.Audience.REPORTER, text=message)
    _tell_reporter(incident, actor, status_changed=True, message=message)
    if spec.target == Status.ESCALATED:
        escalation.enter_level(incident, escalation.level(1), actor=actor, reason=reason.strip(), now=now)
    return incident


@transaction.atomic
def assign(*, incident_id: int, assignee, actor, version: int | None) -> Incident:
    incident = _locked_for(actor, "incidents.assign", incident_id, version)
    old = str(incident.assignee or "")
    incident.assignee = assignee
    _bump(incident, "assignee")
    _event(incident, actor, Event.ASSIGNED, field="assignee", old_value=old, new_value=str(assignee))
    if assignee.pk != actor.pk:
        on_duty = assignee in [shift.member for shift in shifts_covering(timezone.now())]
        notices.tell([assignee], notices.ASSIGNED, incident, assigned_by=actor, assignee_on_duty=on_duty)
    return incident


@transaction.atomic
def add_note(*, incident_id: int, actor, text: str, to_reporter: bool) -> IncidentEvent:
    incident = _locked_for(actor, "incidents.write_note", incident_id)
    audience = IncidentEvent.Audience.REPORTER if to_reporter else IncidentEvent.Audience.TEAM
    event = _event(incident, actor, Event.UPDATE if to_reporter else Event.NOTE, audience=audience, text=text)
    if to_reporter:
        _tell_reporter(incident, actor, status_changed=False, message=text)
    return event


def add_info(*, incident_id: int, actor, text: str, uploads: list[SafeUpload] = ()) -> IncidentEvent:
    """The reporter adds what he learnt later, with photos or documents if he has them.

    As in file_incident(), files written before a failure are deleted again.
    """
    with stored_atomically() as written:
        incident = _locked_for(actor, "incidents.add_info", incident_id)
        event = _event(incident, actor, Event.INFO, audience=IncidentEvent.Audience.REPORTER, text=text)
        for upload in uploads:
            # On the reporter's own timeline too: he sees what he sent arrive.
            _store(incident, actor, upload, written, audience=IncidentEvent.Audience.REPORTER)
        if incident.assignee_id:
            files = [upload.original_name for upload in uploads]
            notices.tell([incident.assignee], notices.INFO_ADDED, incident, text=text, files=files)
    return event


@transaction.atomic
def record_external_report(*, incident_id: int, actor, fields: dict) -> ExternalReport:
    incident = _locked_for(actor, "incidents.record_external", incident_id)
    report = ExternalReport.objects.create(incident=incident, notified_by=actor, **fields)
    details = [report.agency_detail, report.case_reference]
    _event(
        incident,
        actor,
        Event.EXTERNAL,
        new_value=f"{report.get_agency_display()} {timezone.localtime(report.notified_at):%d/%m/%Y %H:%M}",
        text=" · ".join(d for d in details if d),
    )
    return report


TT124_FIELDS = ("tt124_item", "police_confirmed_serious", "force_majeure")


@transaction.atomic
def set_tt124_flags(*, incident_id: int, actor, version: int | None, values: dict) -> Incident:
    incident = _locked_for(actor, "incidents.set_tt124_flags", incident_id, version)
    changed = [name for name in TT124_FIELDS if getattr(incident, name) != values[name]]
    for name in changed:
        _event(
            incident,
            actor,
            Event.FLAGS,
            field=name,
            old_value=str(getattr(incident, name)),
            new_value=str(values[name]),
        )
        setattr(incident, name, values[name])
    if changed:
        _bump(incident, *changed)
    return incident


DUPLICATE_OF_ITSELF = _("An incident cannot duplicate itself.")
NO_SUCH_REFERENCE = _("There is no incident with that reference.")


@transaction.atomic
def mark_duplicate(*, incident_id: int, actor, version: int | None, original_reference: str) -> Incident:
    """Close `incident` as a duplicate of another one, linked, so nothing is handled twice."""
    incident = _locked(incident_id, version)
    if incident.status not in (Status.NEW, Status.ACKNOWLEDGED) or not in_command(roles_of(actor)):
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)
    original = Incident.objects.filter(reference=original_reference.strip().upper()).first()
    if original is None:
        raise ValidationError(NO_SUCH_REFERENCE)
    if original.pk == incident.pk:
        raise ValidationError(DUPLICATE_OF_ITSELF)
    old = incident.status
    incident.status, incident.duplicate_of = Status.DUPLICATE, original
    sla.schedule(incident, timezone.now())
    _bump(incident, "status", "duplicate_of", "sla_check_at")
    _event(
        incident,
        actor,
        Event.STATUS,
        audience=IncidentEvent.Audience.REPORTER,
        field="status",
        old_value=old,
        new_value=incident.status,
        text=original.reference,
    )
    _tell_reporter(incident, actor, status_changed=True)
    return incident

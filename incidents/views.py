from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from audit.services import record, record_export
from core.access import can, get_visible_or_404, require, visible
from core.files import download, protected_file
from core.spreadsheets import XLSX
from core.uploads import inspect_uploads
from duty.selectors import SOURCE_ENTRY, source_entry
from incidents import escalation, exports, printing, services, triage
from incidents.forms import (
    AssignForm,
    DuplicateForm,
    ExternalReportForm,
    IncidentForm,
    InfoForm,
    NoteForm,
    QueueFilter,
    RegradeForm,
    TransitionForm,
    Tt124Form,
    chosen_order,
)
from incidents.models import Attachment, Incident, IncidentEvent, Severity
from incidents.pagination import keyset_page, ordering
from incidents.quick_tabs import active_tab, extra_filter_count, quick_tabs
from incidents.workflow import TRANSITIONS, allowed_transitions, in_command, next_step
from team.roles import roles_of


def new_incident(request):
    require(request.user, "incidents.file")
    on_behalf = can(request.user, "incidents.file_on_behalf")
    form = IncidentForm(request.POST or None, request.FILES or None, on_behalf_allowed=on_behalf)
    if request.method == "POST" and form.is_valid():
        try:
            uploads = inspect_uploads(form.cleaned_data["attachments"])
        except ValidationError as error:
            form.add_error("attachments", error)
        else:
            incident = services.file_incident(filed_by=request.user, fields=form.incident_fields(), uploads=uploads)
            messages.success(
                request,
                _("Incident %(reference)s was reported. The team on duty has been told.")
                % {"reference": incident.reference},
            )
            return redirect(incident)
    if form.is_bound:
        form.mention_lost_files()
    return render(request, "incidents/incident_form.html", {"form": form})


def incident_list(request):
    """The team's queue for the team and the leadership; a staff member's own reports for everyone else."""
    queue = can(request.user, "incidents.view_queue")
    filters = QueueFilter(request.GET or None)
    # visible() already narrows a staff member to his own reports.
    incidents = filters.apply(visible(request.user, Incident.objects.for_list()), request.user)
    page = keyset_page(incidents, request.GET.get("after"), chosen_order(filters))
    context = {"page": page, "filters": filters, "queue": queue, "may_export": can(request.user, "incidents.export")}
    if queue:
        tabs = quick_tabs(request.user)
        tab = active_tab(tabs, request.GET)
        context.update(tabs=tabs, active_tab=tab, extra_filters=extra_filter_count(request.GET, tab))
    return render(request, "incidents/incident_list.html", context)


def incident_detail(request, pk, *, info_form=None):
    """The incident page; `info_form`: the reporter's "add information" form that came back with an error."""
    incident = get_visible_or_404(
        request.user, Incident.objects.for_list().select_related("reporter", "filed_by", SOURCE_ENTRY), pk=pk
    )
    roles = roles_of(request.user)
    show_reporter = _shows_reporter(request, incident)
    events = visible(request.user, IncidentEvent.objects.filter(incident=incident).select_related("actor"))
    attachments = list(incident.attachments.all())
    transitions = allowed_transitions(roles, incident.status)
    primary = next_step(transitions)
    context = {
        "incident": incident,
        "events": escalation.reason_once(events),
        "attachments": attachments,
        # The timeline names each file it received; this finds the file to link to.
        "attachment_named": {attachment.original_name: attachment for attachment in attachments},
        "now": timezone.now(),
        "primary": primary,
        # Reject has its own confirmation; the rest are the secondary actions.
        "transitions": [t for t in transitions if t is not primary and t.name != "reject"],
        "reject": next((t for t in transitions if t.name == "reject"), None),
        "waiting_for": escalation.addressed(escalation.waiting_for(incident)),
        "regrade_form": RegradeForm(
            incident=incident,
            initial={"version": incident.version, "severity": incident.severity, "category": incident.category_id},
        )
        if can(request.user, "incidents.regrade", incident)
        else None,
        "show_reporter": show_reporter,
        # The timeline names who did what; for a confidential reporter that would give him away.
        "hidden_actors": set() if show_reporter else {incident.reporter_id, incident.filed_by_id},
        "assign_form": AssignForm(initial={"version": incident.version, "assignee": incident.assignee_id})
        if can(request.user, "incidents.assign", incident)
        else None,
        "note_form": NoteForm() if can(request.user, "incidents.write_note", incident) else None,
        "info_form": (info_form or InfoForm()) if can(request.user, "incidents.add_info", incident) else None,
        "external_form": ExternalReportForm() if can(request.user, "incidents.record_external", incident) else None,
        "external_reports": incident.external_reports.select_related("notified_by"),
        "tt124_form": Tt124Form(
            initial={
                "version": incident.version,
                "tt124_item": incident.tt124_item,
                "police_confirmed_serious": incident.police_confirmed_serious,
                "force_majeure": incident.force_majeure,
            }
        )
        if can(request.user, "incidents.set_tt124_flags", incident)
        else None,
        "may_acknowledge_escalation": escalation.may_acknowledge(request.user, incident),
        "log_entry": source_entry(request.user, incident),
        "duplicate_form": DuplicateForm(initial={"version": incident.version})
        if incident.status in ("new", "acknowledged") and in_command(roles)
        else None,
    }
    return render(request, "incidents/incident_detail.html", context)


def _shows_reporter(request, incident) -> bool:
    """Whether the page may name the reporter; naming a confidential one to someone else is put on record."""
    shown = can(request.user, "incidents.see_reporter", incident)
    if shown and incident.confidential_reporter and request.user.pk not in (incident.reporter_id, incident.filed_by_id):
        # Nghị định 13/2023: who learnt the identity of someone who reported in confidence is on record.
        record(AuditEntry.Action.REPORTER_VIEWED, request=request, obj=incident)
    return shown


def incident_print(request, pk):
    """ "Phiếu báo cáo vụ việc": the incident on an A4 sheet, as its reader may see it, without the action forms."""
    incident = get_visible_or_404(
        request.user, Incident.objects.for_list().select_related("reporter", "filed_by"), pk=pk
    )
    show_reporter = _shows_reporter(request, incident)
    context = {
        "incident": incident,
        "sheet": printing.sheet_header(timezone.localdate()),
        "events": escalation.reason_once(
            visible(request.user, IncidentEvent.objects.filter(incident=incident).select_related("actor"))
        ),
        "show_reporter": show_reporter,
        "hidden_actors": set() if show_reporter else {incident.reporter_id, incident.filed_by_id},
        "external_reports": incident.external_reports.select_related("notified_by"),
        "printed_by": request.user,
    }
    return render(request, "incidents/incident_print.html", context)


def _act(request, pk, form_class, action, *, with_incident: bool = False):
    """Shared wiring of the POST actions: fetch through the access layer, validate, act, say what happened.

    `action(incident, cleaned_data)` returns the message saying what it did, or None when nothing changed.
    """
    incident = get_visible_or_404(request.user, Incident.objects.all(), pk=pk)
    form = form_class(request.POST, incident=incident) if with_incident else form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was not filled in correctly."))
        return redirect(incident)
    try:
        done = action(incident, form.cleaned_data)
    except services.Conflict as error:
        messages.error(request, str(error))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if done is None:
            messages.info(request, _("Nothing was changed."))
        else:
            messages.success(request, done)
    return redirect(incident)


def _moved(incident, name: str) -> str:
    if name == "escalate" and (waiting := escalation.addressed(escalation.waiting_for(incident))):
        return _("Reported %(reference)s to the office leadership: %(people)s.") % {
            "reference": incident.reference,
            "people": waiting,
        }
    return _("Moved %(reference)s to the status %(status)s.") % {
        "reference": incident.reference,
        "status": incident.get_status_display(),
    }


@require_POST
def incident_transition(request, pk):
    def act(incident, data):
        moved = services.transition(
            incident_id=incident.pk,
            name=data["action"],
            actor=request.user,
            version=data["version"],
            reason=data["reason"],
            message=data["message"],
        )
        return _moved(moved, data["action"])

    return _act(request, pk, TransitionForm, act)


def incident_reject(request, pk):
    """The confirmation step of a rejection, for a browser without the dialog (the detail page opens one)."""
    incident = get_visible_or_404(request.user, Incident.objects.for_list(), pk=pk)
    reject = TRANSITIONS["reject"]
    if reject not in allowed_transitions(roles_of(request.user), incident.status):
        messages.error(request, services.NOT_ALLOWED_MESSAGE)
        return redirect(incident)
    return render(request, "incidents/incident_reject.html", {"incident": incident, "reject": reject})


@require_POST
def incident_assign(request, pk):
    def act(incident, data):
        services.assign(incident_id=incident.pk, assignee=data["assignee"], actor=request.user, version=data["version"])
        return _("Assigned %(reference)s to %(person)s.") % {
            "reference": incident.reference,
            "person": data["assignee"],
        }

    return _act(request, pk, AssignForm, act)


@require_POST
def incident_note(request, pk):
    def act(incident, data):
        to_reporter = data["to_reporter"]
        services.add_note(incident_id=incident.pk, actor=request.user, text=data["text"], to_reporter=to_reporter)
        if to_reporter:
            return _("Sent the update on %(reference)s to the reporter.") % {"reference": incident.reference}
        return _("Added an internal note to %(reference)s.") % {"reference": incident.reference}

    return _act(request, pk, NoteForm, act)


@require_POST
def incident_info(request, pk):
    """The reporter adds information, with files checked as when filing; an error shows the form again."""
    incident = get_visible_or_404(request.user, Incident.objects.all(), pk=pk)
    form = InfoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            uploads = inspect_uploads(form.cleaned_data["attachments"])
        except ValidationError as error:
            form.add_error("attachments", error)
        else:
            try:
                services.add_info(
                    incident_id=incident.pk, actor=request.user, text=form.cleaned_data["text"], uploads=uploads
                )
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("Your information was added to %(reference)s.") % {"reference": incident.reference}
                )
            return redirect(incident)
    form.mention_lost_files()
    return incident_detail(request, pk, info_form=form)


def attachment_download(request, pk):
    """Files only through here: the same visibility check as the incident, and headers that stop sniffing."""
    attachment = get_visible_or_404(request.user, Attachment.objects.select_related("incident"), pk=pk)
    return protected_file(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=attachment.content_type.startswith("image/"),
        obj=attachment,
    )


@require_POST
def incident_acknowledge_escalation(request, pk):
    def act(incident, data):
        escalation.acknowledge(incident_id=incident.pk, actor=request.user, version=data["version"])
        return _("You acknowledged the escalation of %(reference)s.") % {"reference": incident.reference}

    return _act(request, pk, TransitionForm, act)


@require_POST
def incident_external_report(request, pk):
    def act(incident, data):
        report = services.record_external_report(incident_id=incident.pk, actor=request.user, fields=data)
        return _("Recorded the report to %(agency)s.") % {"agency": report.get_agency_display()}

    return _act(request, pk, ExternalReportForm, act)


@require_POST
def incident_tt124(request, pk):
    def act(incident, data):
        version = data.pop("version")
        saved = services.set_tt124_flags(incident_id=incident.pk, actor=request.user, version=version, values=data)
        if saved.version == version:
            return None
        return _("Saved the TT 124 assessment of %(reference)s.") % {"reference": incident.reference}

    return _act(request, pk, Tt124Form, act)


def incident_export(request, kind):
    """The filtered list as CSV or Excel: the same visible() rows and filters as the page."""
    require(request.user, "incidents.export")
    filters = QueueFilter(request.GET or None)
    incidents = filters.apply(visible(request.user, Incident.objects.all()), request.user)
    incidents = incidents.order_by(*ordering(chosen_order(filters)))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "xlsx":
        body, content_type = (
            exports.as_xlsx(request.user, incidents),
            XLSX,
        )
    else:
        body, content_type = exports.as_csv(request.user, incidents), "text/csv; charset=utf-8"
    rows = min(incidents.count(), exports.MAX_ROWS)
    record_export(request, object_type="incidents.incident", rows=rows)
    return download(body, filename=f"su-co-{stamp}.{kind}", content_type=content_type)


@require_POST
def incident_duplicate(request, pk):
    def act(incident, data):
        marked = services.mark_duplicate(
            incident_id=incident.pk,
            actor=request.user,
            version=data["version"],
            original_reference=data["original_reference"],
        )
        return _("Marked %(reference)s as a duplicate of %(original)s.") % {
            "reference": incident.reference,
            "original": marked.duplicate_of.reference,
        }

    return _act(request, pk, DuplicateForm, act)


@require_POST
def incident_regrade(request, pk):
    def act(incident, data):
        regraded, change = triage.regrade(
            incident_id=incident.pk,
            actor=request.user,
            version=data["version"],
            severity=data["severity"],
            category=data["category"],
            reason=data["reason"],
        )
        return _regraded(regraded, change)

    return _act(request, pk, RegradeForm, act, with_incident=True)


def _regraded(incident, change: triage.Regrade) -> str | None:
    values = {"reference": incident.reference}
    if change.severity:
        values["old_severity"], values["new_severity"] = (Severity(value).label for value in change.severity)
    if change.category:
        values["old_category"], values["new_category"] = (category.name for category in change.category)
    if change.severity and change.category:
        return (
            _(
                "Changed the severity of %(reference)s from %(old_severity)s to %(new_severity)s and its category "
                "from %(old_category)s to %(new_category)s."
            )
            % values
        )
    if change.severity:
        return _("Changed the severity of %(reference)s from %(old_severity)s to %(new_severity)s.") % values
    if change.category:
        return _("Changed the category of %(reference)s from %(old_category)s to %(new_category)s.") % values
    return None

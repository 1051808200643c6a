"""The annual cycle's pages: the years, one year's overview, settings, stages, meeting, sign-off, outcome."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import can, require, visible
from evaluations import calendar, results
from evaluations.evidence import Evidence as Figures
from evaluations.forms.cycle import (
    DecisionForm,
    DossierForm,
    EvidenceForm,
    MeetingForm,
    ParticipantFormSet,
    ReasonForm,
    SettingsForm,
    StageForm,
    StartYearForm,
)
from evaluations.models import Criterion, Evaluation, Evidence, IssuedDocument, Stage
from evaluations.progress import next_step
from evaluations.selectors import evaluation_for
from evaluations.services import cycle, signoff, stages
from evaluations.services.common import Conflict

# Which documents belong to which stage (the others are free evidence).
STAGE_DOCUMENTS = {
    Stage.Kind.REGISTRATION: [
        Evidence.DocumentKind.PARTY_RESOLUTION,
        Evidence.DocumentKind.SECURITY_PLAN,
        Evidence.DocumentKind.REGISTRATION_PLEDGE,
    ],
    Stage.Kind.MEETING: [Evidence.DocumentKind.MINUTES],
    Stage.Kind.DECISION: [Evidence.DocumentKind.CERTIFICATE],
}


def _error(request, error) -> None:
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))


def index(request):
    require(request.user, "evaluations.view")
    evaluations = list(
        visible(request.user, Evaluation.objects.all()).prefetch_related("assessments").order_by("-year")
    )
    rows = [(evaluation, results.outcome(evaluation.assessments.all())) for evaluation in evaluations]
    this_year = timezone.localdate().year
    years = {evaluation.year for evaluation in evaluations}
    next_year = this_year if this_year not in years else max(years) + 1
    return render(
        request,
        "evaluations/index.html",
        {
            "rows": rows,
            "this_year": this_year,
            "window_year": calendar.evaluation_year_of(timezone.localdate()),
            "start_form": StartYearForm(initial={"year": next_year})
            if can(request.user, "evaluations.start_year")
            else None,
            "may_see_discipline": can(request.user, "evaluations.see_discipline"),
        },
    )


@require_POST
def start_year(request):
    require(request.user, "evaluations.start_year")
    form = StartYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a year between 2022 and 2100."))
        return redirect("evaluations:index")
    try:
        evaluation = cycle.start_year(year=form.cleaned_data["year"], actor=request.user)
    except ValidationError as error:
        _error(request, error)
        return redirect("evaluations:index")
    previous = Evaluation.objects.filter(year=evaluation.year - 1).exists()
    if previous:
        text = _(
            "Started the %(year)s evaluation from %(previous)s: criteria, deadlines and responsible people copied."
        )
    else:
        text = _("Started the %(year)s evaluation with the default deadlines.")
    messages.success(request, text % {"year": evaluation.year, "previous": evaluation.year - 1})
    return redirect(evaluation)


def detail(request, year):
    evaluation = evaluation_for(request.user, year, "signed_off_by", "submitted_for_sign_off_by")
    assessments = list(
        evaluation.assessments.select_related("criterion", "assessed_by", "reviewed_by")
        .annotate(evidence_count=Count("evidence"))
        .order_by("criterion__order", "criterion__code")
    )
    items = Criterion.objects.filter(criteria_set=evaluation.criteria_set, parent__isnull=False).order_by("order")
    figures = Figures(evaluation)
    by_item = figures.incidents.by_item
    criteria_items = [
        (item, len(flagged), sum(entry.disqualifies for entry in flagged))
        for item, flagged in ((item, by_item.get(item.tt124_item, [])) for item in items)
    ]
    result = results.outcome(assessments)
    open_codes = [a.criterion.code for a in assessments if not a.result]
    stage_rows = list(evaluation.stages.select_related("responsible").annotate(evidence_count=Count("evidence")))
    today = timezone.localdate()
    context = {
        "evaluation": evaluation,
        "tab": "overview",
        "rows": [(a, figures.suggestion(a.criterion)) for a in assessments],
        "criteria_items": criteria_items,
        "result": result,
        "next": next_step(evaluation, request.user, result, open_codes),
        "stages": [
            (stage, stage.days_left(today), -stage.days_left(today), stage.is_late(today)) for stage in stage_rows
        ],
        "late": [stage for stage in stage_rows if stage.is_late(today)],
        "issued": IssuedDocument.objects.filter(draft__evaluation=evaluation).select_related("draft")[:20],
        "reason_form": ReasonForm(initial={"version": evaluation.version}),
        "may": {
            action: can(request.user, f"evaluations.{action}", evaluation)
            for action in ("prepare", "send_for_sign_off", "sign_off", "reopen", "edit_settings", "plan")
        },
    }
    return render(request, "evaluations/detail.html", context)


def edit_settings(request, year):
    evaluation = evaluation_for(request.user, year)
    require(request.user, "evaluations.edit_settings", evaluation)
    form = SettingsForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            stages.update_settings(
                evaluation_id=evaluation.pk,
                actor=request.user,
                version=int(request.POST.get("version") or 0) or None,
                **form.cleaned_data,
            )
        except (ValidationError, Conflict, PermissionDenied) as error:
            _error(request, error)
        else:
            messages.success(request, _("Saved the window and the bodies of the %(year)s evaluation.") % {"year": year})
            return redirect(evaluation)
    return render(request, "evaluations/settings.html", {"evaluation": evaluation, "tab": "overview", "form": form})


def history(request, year):
    evaluation = evaluation_for(request.user, year)
    events = evaluation.events.select_related("actor").order_by("-at", "-id")[:500]
    return render(request, "evaluations/history.html", {"evaluation": evaluation, "tab": "history", "events": events})


def stage(request, year, kind):
    evaluation = evaluation_for(request.user, year)
    if kind not in Stage.Kind.values:
        raise Http404
    stage = evaluation.stages.select_related("responsible").filter(kind=kind).first()
    if stage is None:
        raise Http404
    may_plan = can(request.user, "evaluations.plan", evaluation)
    form = StageForm(request.POST or None, instance=stage, prefix="stage")
    if request.method == "POST":
        require(request.user, "evaluations.plan", evaluation)
        if form.is_valid():
            try:
                stages.update_stage(stage_id=stage.pk, actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                _error(request, error)
            else:
                messages.success(request, _("Saved the stage “%(stage)s”.") % {"stage": stage.get_kind_display()})
                return redirect("evaluations:stage", year, kind)
    document_kinds = STAGE_DOCUMENTS.get(kind, [])
    evidence_form = EvidenceForm(
        initial={"target": f"stage:{stage.pk}", "next": request.path},
    )
    evidence_form.fields["document_kind"].choices = [("", _("Other document"))] + [
        (value, label) for value, label in Evidence.DocumentKind.choices if value in document_kinds
    ]
    context = {
        "evaluation": evaluation,
        "tab": "overview",
        "stage": stage,
        "form": form,
        "may_plan": may_plan,
        "evidence": stage.evidence.select_related("added_by"),
        "evidence_form": evidence_form if may_plan else None,
        "dossier_form": None,
        "decision_form": None,
    }
    if can(request.user, "evaluations.record_outcome", evaluation):
        if kind == Stage.Kind.DOSSIER:
            context["dossier_form"] = DossierForm(
                initial={
                    "submitted_on": evaluation.dossier_submitted_on or timezone.localdate(),
                    "submitted_to": evaluation.dossier_submitted_to or evaluation.receiving_body,
                    "method": evaluation.dossier_method or Evaluation.Method.IN_PERSON,
                }
            )
        if kind == Stage.Kind.DECISION:
            context["decision_form"] = DecisionForm(
                initial={
                    "recognised": "1" if evaluation.recognised is not False else "0",
                    "number": evaluation.decision_number,
                    "decided_on": evaluation.decision_date,
                }
            )
    return render(request, "evaluations/stage.html", context)


def meeting(request, year):
    evaluation = evaluation_for(request.user, year)
    meeting = getattr(evaluation, "meeting", None)
    may_edit = can(request.user, "evaluations.prepare", evaluation)
    initial_rows = (
        [
            {"role": p.role, "name": p.name, "position": p.position, "present": p.present}
            for p in meeting.participants.all()
        ]
        if meeting
        else []
    )
    form = MeetingForm(request.POST or None, instance=meeting, prefix="meeting")
    formset = ParticipantFormSet(request.POST or None, initial=initial_rows, prefix="people")
    if request.method == "POST":
        require(request.user, "evaluations.prepare", evaluation)
        if form.is_valid() and formset.is_valid():
            rows = [
                {key: row[key] for key in ("role", "name", "position", "present")}
                for row in formset.cleaned_data
                if row and row.get("name") and not row.get("DELETE")
            ]
            try:
                stages.save_meeting(
                    evaluation_id=evaluation.pk, actor=request.user, fields=form.cleaned_data, participants=rows
                )
            except (ValidationError, PermissionDenied) as error:
                _error(request, error)
            else:
                messages.success(
                    request, _("Saved the evaluation meeting with %(count)d participants.") % {"count": len(rows)}
                )
                return redirect("evaluations:meeting", year)
    return render(
        request,
        "evaluations/meeting.html",
        {
            "evaluation": evaluation,
            "tab": "meeting",
            "meeting": meeting,
            "form": form,
            "formset": formset,
            "may_edit": may_edit,
            "participants": meeting.participants.all() if meeting else [],
        },
    )


@require_POST
def sign_off(request, year, action):
    evaluation = evaluation_for(request.user, year)
    form = ReasonForm(request.POST)
    form.is_valid()
    version = form.cleaned_data.get("version")
    reason = form.cleaned_data.get("reason", "")
    kwargs = {"evaluation_id": evaluation.pk, "actor": request.user, "version": version}
    try:
        if action == "send":
            signoff.send_for_sign_off(**kwargs)
            text = _("Sent the %(year)s evaluation to the Chief of Office for sign-off.")
        elif action == "sign":
            signoff.sign_off(**kwargs)
            text = _("Signed off the %(year)s evaluation. It is now locked.")
        elif action == "return":
            signoff.return_for_changes(**kwargs, reason=reason)
            text = _("Returned the %(year)s evaluation to the team with your comments.")
        else:
            signoff.reopen(**kwargs, reason=reason)
            text = _("Reopened the %(year)s evaluation. It must be signed off again.")
    except (ValidationError, Conflict, PermissionDenied) as error:
        _error(request, error)
    else:
        messages.success(request, text % {"year": evaluation.year})
    return redirect(evaluation)


@require_POST
def outcome(request, year, step):
    evaluation = evaluation_for(request.user, year)
    form = DossierForm(request.POST) if step == "dossier" else DecisionForm(request.POST)
    if not form.is_valid():
        labels = [str(form.fields[name].label) for name in form.errors if name in form.fields]
        messages.error(request, _("Fill in every field: %(fields)s.") % {"fields": ", ".join(labels)})
        return redirect("evaluations:stage", year, step)
    data = form.cleaned_data
    try:
        if step == "dossier":
            stages.record_dossier(evaluation_id=evaluation.pk, actor=request.user, **data)
            text = _("Recorded that the dossier went to %(body)s on %(date)s.") % {
                "body": data["submitted_to"] or evaluation.receiving_body,
                "date": date_format(data["submitted_on"], "d/m/Y"),
            }
        else:
            stages.record_decision(evaluation_id=evaluation.pk, actor=request.user, **data)
            text = _("Recorded decision %(number)s of %(date)s.") % {
                "number": data["number"],
                "date": date_format(data["decided_on"], "d/m/Y"),
            }
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
        return redirect("evaluations:stage", year, step)
    messages.success(request, text)
    return redirect(evaluation)

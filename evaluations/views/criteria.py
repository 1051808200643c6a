"""One criterion of a year: its wording, the figures behind TựQuản's suggestion, the evidence and the judgement."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import can, get_visible_or_404
from core.files import protected_file
from core.uploads import inspect_upload
from evaluations.evidence import Evidence as Figures
from evaluations.forms.cycle import AssessForm, EvidenceForm
from evaluations.models import Assessment, Criterion, Evidence
from evaluations.selectors import evaluation_for
from evaluations.services import assessments as services
from evaluations.services.common import Conflict

# An office has a handful of flagged incidents a year; a page listing thousands would help nobody.
LISTED_PER_ITEM = 50

# The lists behind each kind of computed evidence, rendered by one partial each.
FIGURE_PARTIALS = {
    Criterion.Evidence.BRIEFING: "evaluations/figures/briefing.html",
    Criterion.Evidence.INCIDENTS: "evaluations/figures/incidents.html",
    Criterion.Evidence.PROTECTION_FORCE: "evaluations/figures/force.html",
    Criterion.Evidence.UNITS: "evaluations/figures/units.html",
}


def _assessment(request, year, pk) -> Assessment:
    evaluation = evaluation_for(request.user, year)
    assessment = evaluation.assessments.select_related("criterion", "assessed_by", "reviewed_by").filter(pk=pk).first()
    if assessment is None:
        raise Http404
    assessment.evaluation = evaluation
    return assessment


def assessment(request, year, pk):
    assessment = _assessment(request, year, pk)
    evaluation, criterion = assessment.evaluation, assessment.criterion
    may_prepare = can(request.user, "evaluations.prepare", evaluation)
    seen = assessment.assessed_at.isoformat() if assessment.assessed_at else ""
    form = AssessForm(
        request.POST or None,
        initial={"result": assessment.result or None, "explanation": assessment.explanation, "seen": seen},
    )
    if request.method == "POST":
        if not may_prepare:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.assess(assessment_id=assessment.pk, actor=request.user, **form.cleaned_data)
            except (ValidationError, Conflict, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                updated = Assessment.objects.get(pk=assessment.pk)
                messages.success(
                    request,
                    _("Criterion %(code)s assessed: %(result)s.")
                    % {"code": criterion.code, "result": updated.get_result_display()},
                )
            return redirect("evaluations:assessment", year, pk)
    figures = Figures(evaluation)
    siblings = list(evaluation.assessments.order_by("criterion__order", "criterion__code").values_list("pk", flat=True))
    position = siblings.index(assessment.pk)
    context = {
        "evaluation": evaluation,
        "tab": "overview",
        "assessment": assessment,
        "criterion": criterion,
        "item_rows": [
            (item, flagged[:LISTED_PER_ITEM], len(flagged))
            for item, flagged in (
                (item, figures.incidents.by_item.get(item.tt124_item, [])) for item in criterion.items.order_by("order")
            )
        ],
        "suggestion": figures.suggestion(criterion),
        "figures": figures,
        "figures_partial": FIGURE_PARTIALS.get(criterion.evidence),
        "may_see_discipline": can(request.user, "evaluations.see_discipline"),
        "form": form if may_prepare else None,
        "may_prepare": may_prepare,
        "may_review": can(request.user, "evaluations.review", assessment),
        "evidence": assessment.evidence.select_related("added_by"),
        "evidence_form": EvidenceForm(initial={"target": f"assessment:{assessment.pk}", "next": request.path})
        if may_prepare
        else None,
        "previous_pk": siblings[position - 1] if position > 0 else None,
        "next_pk": siblings[position + 1] if position + 1 < len(siblings) else None,
    }
    return render(request, "evaluations/assessment.html", context)


@require_POST
def review(request, year, pk):
    assessment = _assessment(request, year, pk)
    try:
        services.review(assessment_id=assessment.pk, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("That is not possible for this evaluation now."))
    else:
        messages.success(
            request, _("Reviewed the assessment of criterion %(code)s.") % {"code": assessment.criterion.code}
        )
    return redirect("evaluations:assessment", year, pk)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def evidence_add(request, year):
    evaluation = evaluation_for(request.user, year)
    form = EvidenceForm(request.POST, request.FILES)
    back = _back(request, evaluation.get_absolute_url())
    if not form.is_valid() or form.target_key() is None:
        messages.error(request, _("The evidence was not filled in correctly."))
        return redirect(back)
    data = form.cleaned_data
    try:
        upload = inspect_upload(data["file"]) if data["file"] else None
        evidence = services.add_evidence(
            actor=request.user,
            evaluation_id=evaluation.pk,
            target=form.target_key(),
            title=data["title"],
            upload=upload,
            link=data["link"],
            number=data["number"],
            dated=data["dated"],
            document_kind=data["document_kind"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    except ObjectDoesNotExist:
        raise Http404 from None
    else:
        messages.success(request, _("Added “%(title)s”.") % {"title": evidence.title})
    return redirect(back)


def evidence_file(request, pk):
    evidence = get_visible_or_404(request.user, Evidence.objects.all(), pk=pk)
    if not evidence.file:
        if evidence.link:
            return redirect(evidence.link)
        raise Http404
    return protected_file(
        evidence.file,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=evidence.content_type.startswith(("image/", "application/pdf")),
        obj=evidence,
    )


@require_POST
def evidence_remove(request, pk):
    evidence = get_visible_or_404(request.user, Evidence.objects.select_related("evaluation"), pk=pk)
    back = _back(request, evidence.evaluation.get_absolute_url())
    try:
        services.remove_evidence(evidence_id=evidence.pk, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("That is not possible for this evaluation now."))
    else:
        messages.success(request, _("Removed “%(title)s”.") % {"title": evidence.title})
    return redirect(back)

"""Commendations: the yearly register and its exports, the proposal form, the detail page and its steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_export
from campaigns.models import Campaign
from core.access import can, get_visible_or_404, require, visible
from core.files import download
from core.spreadsheets import XLSX
from evaluations import exports
from evaluations.access import leads_team
from evaluations.forms.commendations import ALL_YEARS, DecisionForm, ProposalForm, RegisterFilter, RejectForm, StepForm
from evaluations.models import Commendation
from evaluations.services import commendations as services
from evaluations.services.common import Conflict
from incidents.models import Incident

PER_PAGE = 50

# action in the URL -> (rule in core.access, form)
STEPS = {
    "review": ("evaluations.review_commendation", StepForm),
    "approve": ("evaluations.decide_commendation", StepForm),
    "reject": ("evaluations.decide_commendation", RejectForm),
    "record": ("evaluations.record_commendation_decision", DecisionForm),
}


def _filtered(request) -> tuple[RegisterFilter, object, bool]:
    """The register's filter form and the commendations it selects, within what the user may see."""
    whole = can(request.user, "evaluations.view_register")
    seen = visible(request.user, Commendation.objects.all())
    this_year = timezone.localdate().year
    years = sorted({this_year, *seen.values_list("year", flat=True).distinct().order_by()}, reverse=True)
    # A staff member's own list is short: all his years at once.
    filters = RegisterFilter(request.GET, years=years, default_year=this_year if whole else ALL_YEARS)
    listed = filters.apply(seen.select_related("person", "proposed_by"))
    return filters, listed, whole


def register(request):
    filters, listed, whole = _filtered(request)
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluations/commendations/register.html",
        {
            "filters": filters,
            "page": page,
            "whole": whole,
            "query": query.urlencode(),
            "may_propose": can(request.user, "evaluations.propose_commendation"),
        },
    )


def export(request, kind):
    filters, listed, _whole = _filtered(request)
    year = filters.cleaned_data.get("year") or ALL_YEARS
    if kind == "xlsx":
        body, content_type = exports.as_xlsx(listed), XLSX
    else:
        body, content_type = exports.as_csv(listed), "text/csv; charset=utf-8"
    rows = len(listed) if isinstance(listed, list) else listed.count()
    record_export(request, object_type="evaluations.commendation", rows=min(rows, exports.MAX_ROWS))
    name = "tat-ca" if year == ALL_YEARS else year
    return download(body, filename=f"khen-thuong-{name}.{kind}", content_type=content_type)


def propose(request):
    require(request.user, "evaluations.propose_commendation")
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            commendation = services.propose(actor=request.user, **form.proposal())
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            told = (
                _("The Chief of Office has been told.")
                if leads_team(request.user)
                else _("The team leader has been told.")
            )
            done = _("Proposed %(nominee)s for a %(form)s.") % {
                "nominee": commendation.nominee,
                "form": commendation.get_form_display(),
            }
            messages.success(request, f"{done} {told}")
            return redirect(commendation)
    return render(request, "evaluations/commendations/propose.html", {"form": form})


def _detail_context(request, commendation, bound=None) -> dict:
    """Everything the detail page shows; `bound` = (action, form) re-shown with its errors."""
    user = request.user
    steps = {}
    for action, (rule, form_class) in STEPS.items():
        if can(user, rule, commendation):
            initial = {"version": commendation.version}
            if action == "record":
                initial["date"] = timezone.localdate()
            steps[action] = form_class(initial=initial, prefix=action)
    if bound and bound[0] in steps:
        steps[bound[0]] = bound[1]
    return {
        "c": commendation,
        "incidents": visible(user, Incident.objects.filter(pk__in=commendation.incidents.values("pk"))).select_related(
            "category"
        ),
        "campaigns": visible(user, Campaign.objects.filter(pk__in=commendation.campaigns.values("pk"))),
        "show_evaluation": commendation.evaluation_id and can(user, "evaluations.view"),
        "steps": steps,
        "may_edit_document": can(user, "evaluations.edit_draft", commendation),
    }


def _fetch(request, pk) -> Commendation:
    related = ("person__department", "proposed_by", "reviewed_by", "decided_by", "evaluation")
    return get_visible_or_404(request.user, Commendation.objects.select_related(*related), pk=pk)


def detail(request, pk):
    commendation = _fetch(request, pk)
    return render(request, "evaluations/commendations/detail.html", _detail_context(request, commendation))


def _done(action: str, commendation: Commendation) -> str:
    nominee, form = commendation.nominee, commendation.get_form_display()
    if action == "review":
        done = _("Reviewed the proposal for %(nominee)s.") % {"nominee": nominee}
        return f"{done} {_('The Chief of Office has been told.')}"
    if action == "approve":
        return _("Approved the commendation of %(nominee)s: %(form)s.") % {"nominee": nominee, "form": form}
    if action == "reject":
        return _("Did not approve the commendation of %(nominee)s. The proposer has been told why.") % {
            "nominee": nominee
        }
    return _("Recorded decision %(number)s of %(date)s for %(nominee)s: %(form)s.") % {
        "number": commendation.decision_number,
        "date": formats.date_format(commendation.decision_date, "d/m/Y"),
        "nominee": nominee,
        "form": form,
    }


@require_POST
def act(request, pk, action):
    commendation = _fetch(request, pk)
    rule, form_class = STEPS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        data, common = form.cleaned_data, {"commendation_id": commendation.pk, "actor": request.user}
        try:
            if action == "record":
                done = services.record_decision(
                    **common, version=data["version"], number=data["number"], date=data["date"]
                )
            else:
                step = {"review": services.review, "approve": services.approve, "reject": services.reject}[action]
                done = step(**common, version=data["version"], note=data["note"])
        except Conflict as error:
            messages.error(request, str(error))
            return redirect(commendation)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("That is not possible for this commendation now."))
            return redirect(commendation)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _done(action, done))
            return redirect(done)
    if not can(request.user, rule, commendation):
        messages.error(request, _("That is not possible for this commendation now."))
        return redirect(commendation)
    # Show the page again with what was typed and the errors in place.
    context = _detail_context(request, commendation, bound=(action, form))
    return render(request, "evaluations/commendations/detail.html", context)

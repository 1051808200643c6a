from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_export
from core.access import can, get_visible_or_404, require_or_404
from core.files import download
from core.spreadsheets import XLSX
from evaluations.documents.layout import place_date_line
from team.models import Office
from team.selectors import current_team
from visitors import exports, selectors, services
from visitors.forms import CheckInForm, GateFilter, RegistrationForm
from visitors.models import Visit

PAGE_SIZE = 25


def _hhmm(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


def gate(request):
    """ "Khách ra vào": the day's expected visitors, those inside and those who left, for the team."""
    require_or_404(request.user, "visitors.view_gate")
    filters = GateFilter(request.GET or None)
    day, search = timezone.localdate(), ""
    if filters.is_valid():
        day, search = filters.cleaned_data["day"] or day, filters.cleaned_data["q"]
    context = {
        "filters": filters,
        "gate_day": selectors.gate_day(request.user, day, search),
        "search": search,
        "may_keep": can(request.user, "visitors.keep_gate"),
        "show_ids": can(request.user, "visitors.see_id_number"),
        "may_export": can(request.user, "visitors.export"),
        "may_export_ids": can(request.user, "visitors.export_id_numbers"),
        "privacy_notice": exports.privacy_notice(),
    }
    return render(request, "visitors/gate.html", context)


def mine(request):
    """ "Đăng ký khách": a colleague's pre-registrations and the visits he hosts."""
    require_or_404(request.user, "visitors.register")
    page = Paginator(selectors.my_registrations(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "visitors/mine.html", {"page": page})


def register(request):
    require_or_404(request.user, "visitors.register")
    form = RegistrationForm(request.POST or None, registering=request.user)
    if request.method == "POST" and form.is_valid():
        visit = services.register(by=request.user, fields=form.cleaned_data)
        messages.success(
            request,
            _("Visitor %(visitor)s is registered, expected at %(time)s. The gate will tell you when he arrives.")
            % {"visitor": visit.visitor_name, "time": _day(visit.expected_at)},
        )
        return redirect("visitors:mine")
    return render(request, "visitors/registration_form.html", {"form": form})


def edit(request, pk):
    visit = get_visible_or_404(request.user, Visit.objects.all(), pk=pk)
    require_or_404(request.user, "visitors.edit_registration", visit)
    form = RegistrationForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.update_registration(visit=visit, fields=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The registration of %(visitor)s was changed: expected at %(time)s.")
                % {"visitor": visit.visitor_name, "time": _day(visit.expected_at)},
            )
        return redirect("visitors:mine")
    return render(request, "visitors/registration_form.html", {"form": form, "visit": visit})


@require_POST
def cancel(request, pk):
    visit = get_visible_or_404(request.user, Visit.objects.all(), pk=pk)
    require_or_404(request.user, "visitors.edit_registration", visit)
    try:
        visit = services.cancel_registration(visit=visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The visit of %(visitor)s was cancelled; the gate no longer expects him.") % {"visitor": visit}
        )
    return redirect("visitors:mine")


def detail(request, pk):
    visit = get_visible_or_404(request.user, Visit.objects.with_people(), pk=pk)
    context = {
        "visit": visit,
        "show_ids": can(request.user, "visitors.see_id_number", visit),
        "may_keep": can(request.user, "visitors.keep_gate"),
        "may_edit": can(request.user, "visitors.edit_registration", visit),
    }
    return render(request, "visitors/detail.html", context)


def _checked_in_message(visit) -> str:
    text = _("Visitor %(visitor)s was checked in at %(time)s.") % {
        "visitor": visit.visitor_name,
        "time": _hhmm(visit.checked_in_at),
    }
    if visit.host_id and visit.host_id != visit.checked_in_by_id:
        text += " " + _("The host, đ/c %(host)s, has been told.") % {"host": visit.host.get_full_name()}
    return text


def _check_in_page(request, visit: Visit | None):
    form = CheckInForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.check_in(visit=visit, by=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _checked_in_message(visit))
        return redirect("visitors:gate")
    context = {"form": form, "visit": visit, "privacy_notice": exports.privacy_notice()}
    return render(request, "visitors/check_in.html", context)


def check_in(request, pk):
    """From a pre-registration: everything the colleague typed is filled in; the guard adds the document."""
    require_or_404(request.user, "visitors.keep_gate")
    visit = get_visible_or_404(request.user, Visit.objects.all(), pk=pk)
    if not visit.is_pending:
        messages.info(request, _("%(visitor)s is no longer expected: arrived or cancelled.") % {"visitor": visit})
        return redirect("visitors:gate")
    return _check_in_page(request, visit)


def new_arrival(request):
    """ "Khách mới": a visitor nobody registered, typed at the gate."""
    require_or_404(request.user, "visitors.keep_gate")
    return _check_in_page(request, None)


@require_POST
def check_out(request, pk):
    require_or_404(request.user, "visitors.keep_gate")
    visit = get_visible_or_404(request.user, Visit.objects.all(), pk=pk)
    try:
        visit = services.check_out(visit=visit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Visitor %(visitor)s left at %(time)s.")
            % {"visitor": visit.visitor_name, "time": _hhmm(visit.checked_out_at)},
        )
    return redirect("visitors:gate")


def export(request):
    """The day's register in Excel; identity numbers only at the command's request, and audited."""
    require_or_404(request.user, "visitors.export")
    filters = GateFilter(request.GET or None)
    day = (filters.cleaned_data["day"] if filters.is_valid() else None) or timezone.localdate()
    with_numbers = request.GET.get("numbers") == "1"
    if with_numbers:
        require_or_404(request.user, "visitors.export_id_numbers")
    visits = list(selectors.register_of_day(request.user, day))
    what = "visitors register with identity numbers" if with_numbers else "visitors register"
    record_export(request, object_type="visitors.visit", rows=len(visits), what=what)
    data = exports.register_xlsx(visits, day=day, with_numbers=with_numbers)
    return download(data, filename=_("visitors-%(day)s.xlsx") % {"day": f"{day:%d-%m-%Y}"}, content_type=XLSX)


def print_register(request):
    """The day's register on A4 (landscape) with the office header and the privacy notice; never the numbers."""
    require_or_404(request.user, "visitors.export")
    filters = GateFilter(request.GET or None)
    day = (filters.cleaned_data["day"] if filters.is_valid() else None) or timezone.localdate()
    team = current_team()
    office = team.office if team else Office.objects.first()
    context = {
        "day": day,
        "visits": list(selectors.register_of_day(request.user, day)),
        "office": office,
        "place_date": place_date_line(office.place_name if office else "", timezone.localdate()),
        "privacy_notice": exports.privacy_notice(),
    }
    return render(request, "visitors/register_print.html", context)

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import can
from core.files import download, protected_file
from core.spreadsheets import XLSX
from reports import document, services
from reports.forms import NarrativeForm, NewReportForm
from reports.models import PeriodicReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 25


def _readable(request, pk=None):
    # Staff and members never learn the reports exist: 404, as for anything they may not see.
    if not can(request.user, "reports.view"):
        raise Http404
    return get_object_or_404(PeriodicReport.objects.select_related("issued_by"), pk=pk) if pk else None


def report_list(request):
    _readable(request)
    reports = PeriodicReport.objects.select_related("issued_by").order_by("-starts_on", "kind", "pk")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/list.html", {"page": page, "may_create": can(request.user, "reports.edit")})


def new_report(request):
    _readable(request)
    if not can(request.user, "reports.edit"):
        raise Http404
    form = NewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report, created = services.report_for(form.cleaned_data["kind"], form.cleaned_data["day"], request.user)
        if not created:
            messages.info(request, _("This report already exists: here it is."))
        return redirect("reports:detail", report.pk)
    return render(request, "reports/new.html", {"form": form})


def detail(request, pk):
    report = _readable(request, pk)
    may_edit = can(request.user, "reports.edit", report)
    form = NarrativeForm(request.POST or None, instance=report) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            services.save_narrative(report, request.user, **form.cleaned_data)
            messages.success(request, _("The report's narrative was saved."))
            return redirect("reports:detail", report.pk)
    return render(request, "reports/detail.html", {"report": report, "form": form, "may_edit": may_edit})


@require_POST
def issue(request, pk):
    report = _readable(request, pk)
    if not can(request.user, "reports.edit", report):
        raise Http404
    try:
        report = services.issue(report.pk, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:detail", report.pk)
    messages.success(request, _("Report issued with number %(number)s.") % {"number": report.number_text})
    return redirect("reports:detail", report.pk)


def download_docx(request, pk):
    report = _readable(request, pk)
    name = document.file_name(report, "docx")
    if report.document:
        return protected_file(report.document, filename=name, content_type=DOCX, inline=False, obj=report)
    return download(document.docx_bytes(report, request.user), filename=name, content_type=DOCX)


def download_xlsx(request, pk):
    report = _readable(request, pk)
    name = document.file_name(report, "xlsx")
    if report.tables:
        return protected_file(report.tables, filename=name, content_type=XLSX, inline=False, obj=report)
    return download(document.xlsx_bytes(report, request.user), filename=name, content_type=XLSX)

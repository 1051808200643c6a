"""Creating, editing and issuing periodic reports; the monthly draft beat creates."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import can
from dashboard.periods import this_month
from evaluations.documents import numbering
from evaluations.documents.texts.common import office_info
from reports import document, notices
from reports.models import PERIOD_OF, PeriodicReport, ReportKind
from team.models import Membership
from workcalendar.days import WorkingCalendar

ALREADY_ISSUED = _("This report was already issued as number %(number)s.")


def report_for(kind: str, day: date, actor=None) -> tuple[PeriodicReport, bool]:
    """The report of `kind` for the period `day` falls in, created as a draft if there is none yet."""
    period = PERIOD_OF[kind](day)
    return PeriodicReport.objects.get_or_create(
        kind=kind, starts_on=period.start, defaults={"ends_on": period.end, "created_by": actor}
    )


@transaction.atomic
def create_monthly_draft(today: date | None = None) -> PeriodicReport | None:
    """On the office's first working day of a month, last month's draft, once, and a word to the team leader.

    Returns the new draft, or None on any other day or when the draft already exists (a repeated beat tick,
    or the leader made it by hand).
    """
    today = today or timezone.localdate()
    if today != WorkingCalendar.load(today.replace(day=1)).first_working_day(today.year, today.month):
        return None
    last_month = this_month(today.replace(day=1) - timedelta(days=1))
    report, created = report_for(ReportKind.MONTHLY, last_month.start)
    if not created:
        return None
    leaders = [m.user for m in Membership.objects.active().filter(role=Membership.Role.LEADER).select_related("user")]
    notices.tell(
        leaders,
        notices.DRAFT_READY,
        url=reverse("reports:detail", args=[report.pk]),
        key=f"reports.draft_ready:{report.pk}",
        month=last_month.start,
    )
    return report


def save_narrative(report: PeriodicReport, actor, **texts) -> None:
    if not can(actor, "reports.edit", report):
        raise PermissionDenied
    for name, value in texts.items():
        setattr(report, name, value)
    report.save(update_fields=list(texts))


@transaction.atomic
def issue(report_id: int, actor, issued_on: date | None = None) -> PeriodicReport:
    """Issue the report: the next number of the team's yearly "BC" series, taken in this transaction, so a
    failed issue gives its number back and two leaders issuing at once get two numbers."""
    report = PeriodicReport.objects.select_for_update().get(pk=report_id)
    if report.is_issued:
        # Two leaders pressed "Issue" at once: the second waited for the lock and finds it done.
        raise ValidationError(ALREADY_ISSUED % {"number": report.number_text})
    if not can(actor, "reports.edit", report):
        raise PermissionDenied
    issued_on = issued_on or timezone.localdate()
    info = office_info()
    report.number = numbering.allocate(issued_on.year, info.team_abbreviation, document.TYPE_CODE)
    report.number_text = f"{report.number:02d}/{document.symbol(info)}"
    report.status = PeriodicReport.Status.ISSUED
    report.issued_on, report.issued_at, report.issued_by = issued_on, timezone.now(), actor
    # The figures as the issuer sees them now; later downloads serve these files.
    report.document.save("report.docx", ContentFile(document.docx_bytes(report, actor)), save=False)
    report.tables.save("report.xlsx", ContentFile(document.xlsx_bytes(report, actor)), save=False)
    try:
        report.save()
    except BaseException:
        # The row and the number roll back with the transaction; the files on disk would not.
        report.document.delete(save=False)
        report.tables.delete(save=False)
        raise
    return report

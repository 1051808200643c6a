"""Campaign participation as CSV or Excel: who was invited, attended, acknowledged, or is missing."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(campaign):
    def when(moment):
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""

    yield [
        _("Full name"),
        _("Department"),
        _("Invited at"),
        _("Attended at"),
        _("Absent because"),
        _("Acknowledged at"),
    ]
    for entry in campaign.participants.select_related("user", "user__department").order_by(
        "user__department__name", "user__full_name"
    ):
        yield [
            entry.user.full_name,
            str(entry.user.department or ""),
            when(entry.invited_at),
            when(entry.attended_at),
            str(entry.get_absence_reason_display() or ""),
            when(entry.acknowledged_at),
        ]


def as_csv(campaign) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_rows(campaign))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(campaign) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Participants"))
    for row in _rows(campaign):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

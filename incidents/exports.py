"""CSV and Excel exports of the incident list. The rows come from the same visible() queryset as the page."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.access import can

MAX_ROWS = 50_000  # an export is a report, not a backup; this bounds the memory an Excel file takes


def header() -> list[str]:
    return [
        _("Reference"),
        _("Filed at"),
        _("Happened at"),
        _("Detected at"),
        _("Category"),
        _("Place"),
        _("Severity"),
        _("Status"),
        _("Assigned to"),
        _("Reporter"),
        _("What happened"),
        _("TT 124 criterion"),
    ]


def rows(user, incidents):
    def when(moment):
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""

    for incident in incidents.select_related("reporter", "category", "place", "assignee")[:MAX_ROWS].iterator(
        chunk_size=1000
    ):
        reporter = (
            str(incident.reporter or incident.reporter_name)
            if can(user, "incidents.see_reporter", incident)
            else _("confidential")
        )
        yield [
            incident.reference,
            when(incident.created_at),
            when(incident.occurred_at),
            when(incident.detected_at),
            str(incident.category),
            str(incident.place or ""),
            str(incident.get_severity_display()),
            str(incident.get_status_display()),
            str(incident.assignee or ""),
            reporter,
            incident.description,
            incident.tt124_item,
        ]


def _defused(row: list) -> list:
    # A cell that starts like a formula must stay text in a spreadsheet (CSV/formula injection).
    return ["'" + cell if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@") else cell for cell in row]


def as_csv(user, incidents) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    writer.writerows(_defused(row) for row in rows(user, incidents))
    # The byte-order mark makes Excel read the Vietnamese letters as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(user, incidents) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Incidents"))
    sheet.append(header())
    for row in rows(user, incidents):
        sheet.append(_defused(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

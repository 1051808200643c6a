"""CSV and Excel exports of the incident list. The rows come from the same visible() queryset as the page."""

from itertools import chain

from django.utils.translation import gettext as _

from core.access import can
from core.spreadsheets import csv_bytes, xlsx_bytes

MAX_ROWS = 50_000  # an export is a report, not a backup; this bounds the memory an Excel file takes


def header() -> list[str]:
    return [
        _("Reference"),
        _("Filed at"),
        _("Happened at"),
        _("Detected at"),
        _("Category"),
        _("Place"),
        _("Place details"),
        _("Severity"),
        _("Status"),
        _("Assigned to"),
        _("Reporter"),
        _("What happened"),
        _("TT 124 criterion"),
    ]


def rows(user, incidents):
    for incident in incidents.for_list().select_related("reporter")[:MAX_ROWS].iterator(chunk_size=1000):
        reporter = (
            str(incident.reporter or incident.reporter_name)
            if can(user, "incidents.see_reporter", incident)
            else _("confidential")
        )
        yield [
            incident.reference,
            incident.created_at,
            incident.occurred_at,
            incident.detected_at,
            str(incident.category),
            str(incident.place or ""),
            incident.place_detail,
            str(incident.get_severity_display()),
            str(incident.get_status_display()),
            str(incident.assignee or ""),
            reporter,
            incident.description,
            incident.tt124_label,
        ]


def as_csv(user, incidents) -> bytes:
    return csv_bytes(chain([header()], rows(user, incidents)))


def as_xlsx(user, incidents) -> bytes:
    return xlsx_bytes(_("Incidents"), chain([header()], rows(user, incidents)))

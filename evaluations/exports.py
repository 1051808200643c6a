"""The commendation register as CSV or Excel. Rows come from the same visible(), filtered queryset as the page.

core.spreadsheets gives Excel real date cells shown dd/mm/yyyy and CSV the same as text, and defuses
cells that look like formulas.
"""

from itertools import chain

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.spreadsheets import csv_bytes, xlsx_bytes

MAX_ROWS = 10_000  # a register is tens of rows a year; this only bounds a runaway export


def header() -> list[str]:
    return [
        _("Year"),
        _("Nominee"),
        _("Department"),
        pgettext("commendation", "Kind"),
        _("Form of commendation"),
        _("Achievement"),
        _("Status"),
        _("Proposed by"),
        _("Proposed on"),
        _("Reviewed by"),
        _("Approved by"),
        _("Decision number"),
        _("Decision date"),
    ]


def rows(commendations):
    def day(value):
        return value or ""

    for c in commendations.select_related("person__department", "proposed_by", "reviewed_by", "decided_by")[:MAX_ROWS]:
        yield [
            c.year,
            c.nominee,
            str(c.person.department or "") if c.person_id else "",
            str(c.get_kind_display()),
            str(c.get_form_display()),
            c.achievement,
            str(c.get_status_display()),
            str(c.proposed_by),
            day(timezone.localdate(c.proposed_at)),
            str(c.reviewed_by or ""),
            str(c.decided_by or "") if c.status != c.Status.REJECTED else "",
            c.decision_number,
            day(c.decision_date),
        ]


def as_csv(commendations) -> bytes:
    return csv_bytes(chain([header()], rows(commendations)))


def as_xlsx(commendations) -> bytes:
    return xlsx_bytes(_("Commendations"), chain([header()], rows(commendations)))

"""The day's register of visitors in Excel (sổ theo dõi khách ra, vào cơ quan; evaluation-documents.md §8)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import xlsx_book

# Shown on the check-in form, the gate page and the export (Luật BVDLCN 2025, Điều 9: inform of kind and purpose).
PRIVACY_NOTICE = gettext_lazy(
    "Visitors' names, identity documents and vehicle plates are personal data (Luật Bảo vệ dữ liệu cá nhân "
    "2025), recorded only for the security of the office's premises. The document is checked and handed back "
    "at once, never kept or photographed; its number is erased after %(days)s days. Do not pass this register on."
)


def privacy_notice() -> str:
    return PRIVACY_NOTICE % {"days": settings.VISITOR_ID_RETENTION_DAYS}


def header(with_numbers: bool) -> list[str]:
    return [
        _("No."),
        _("Date"),
        _("Time in"),
        _("Time out"),
        _("Full name"),
        _("Identity document and number") if with_numbers else _("Identity document"),
        _("Organisation or address"),
        _("Vehicle plate"),
        _("To see"),
        _("Purpose"),
        _("Visitor badge"),
        _("Notes"),
        _("Guard on duty"),
    ]


def document_cell(visit, with_numbers: bool) -> str:
    kind = visit.get_id_document_type_display()
    if with_numbers and visit.id_number:
        return f"{kind} {visit.id_number}"
    if visit.id_erased_at:
        return f"{kind} ({_('number erased')})"
    return kind


def rows(visits, with_numbers: bool):
    yield header(with_numbers)
    for number, visit in enumerate(visits, start=1):
        yield [
            number,
            timezone.localtime(visit.checked_in_at).date(),
            visit.checked_in_at,
            visit.checked_out_at,
            visit.visitor_name,
            document_cell(visit, with_numbers),
            visit.organisation,
            visit.vehicle_plate,
            visit.whom,
            visit.purpose,
            visit.badge_number,
            visit.note,
            visit.checked_in_by.get_full_name() if visit.checked_in_by_id else "",
        ]


def register_xlsx(visits, *, day, with_numbers: bool = False) -> bytes:
    """The register sheet, then a sheet with the privacy notice (the register never travels without it)."""
    notice = [[_("Privacy notice")], [privacy_notice()]]
    return xlsx_book([(f"{day:%d-%m-%Y}", rows(visits, with_numbers)), (_("Privacy notice"), notice)])

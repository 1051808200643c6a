"""Campaign participation as CSV or Excel: who was invited, attended, acknowledged, or is missing."""

from django.utils.translation import gettext as _

from core.spreadsheets import csv_bytes, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(campaign):
    def when(moment):
        return moment or ""

    yield [
        _("Full name"),
        _("Department"),
        _("Invited at"),
        _("Attended at"),
        _("Absent because"),
        _("Acknowledged at"),
    ]
    for entry in campaign.participants.select_related("user", "user__department").order_by(
        "user__department__name", "user__name_sort_key"
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
    return csv_bytes(_rows(campaign))


def as_xlsx(campaign) -> bytes:
    return xlsx_bytes(_("Participants"), _rows(campaign))

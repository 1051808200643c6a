"""Campaign participation as CSV or Excel: who was invited, attended, acknowledged, or is missing; and the
year's briefing (TT 124 criterion 1): each staff member, briefed or not."""

from django.utils.translation import gettext as _

from core.spreadsheets import csv_bytes, xlsx_bytes


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
    for entry in (
        campaign.participants.people()
        .select_related("user", "user__department")
        .order_by("user__department__name", "user__name_sort_key")
    ):
        yield [
            entry.user.full_name,
            str(entry.user.department or ""),
            when(entry.invited_at),
            when(entry.attended_at),
            str(entry.get_absence_reason_display() or ""),
            when(entry.acknowledged_at),
        ]


def _year_rows(people):
    yield [_("Full name"), _("Department"), _("Position"), _("Briefed"), _("Briefed at")]
    for person in people:
        yield [
            person.full_name,
            str(person.department or ""),
            str(person.position or ""),
            _("Yes") if person.briefed_at else _("Not yet"),
            person.briefed_at or "",
        ]


def year_as_csv(people) -> bytes:
    return csv_bytes(_year_rows(people))


def year_as_xlsx(people, year: int) -> bytes:
    return xlsx_bytes(_("Briefed %(year)d") % {"year": year}, _year_rows(people))


def as_csv(campaign) -> bytes:
    return csv_bytes(_rows(campaign))


def as_xlsx(campaign) -> bytes:
    return xlsx_bytes(_("Participants"), _rows(campaign))

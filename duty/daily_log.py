"""The logbook of one day (every shift that began on it): on screen, on A4 and in Excel."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import download
from core.spreadsheets import XLSX, xlsx_book
from duty.models import LogEntry, MissingHandoverFlag
from incidents.printing import SheetHeader, sheet_header
from team.models import DutyShift

RECENT_DAYS = 14


@dataclass
class ShiftLog:
    shift: DutyShift
    entries: list[LogEntry] = field(default_factory=list)

    @property
    def handover(self):
        return getattr(self.shift, "handover", None)


@dataclass
class DailyLog:
    day: date
    shifts: list[ShiftLog]

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=1)


def of(day: date) -> DailyLog:
    """Two queries whatever the number of shifts and entries."""
    shifts = list(
        DutyShift.objects.filter(date=day)
        .with_people()
        .select_related("handover__handed_by", "handover__received_by", "handover__next_shift")
        .order_by("starts_at")
    )
    logs = {shift.pk: ShiftLog(shift) for shift in shifts}
    for entry in LogEntry.objects.filter(shift__in=shifts).with_details().in_order():
        logs[entry.shift_id].entries.append(entry)
    return DailyLog(day, list(logs.values()))


def recent_days(today: date, count: int = RECENT_DAYS) -> list[dict]:
    """The last `count` days with their shifts, entries and handovers counted: one query."""
    first = today - timedelta(days=count - 1)
    rows = (
        DutyShift.objects.filter(date__range=(first, today))
        .values("date")
        .annotate(
            shifts=Count("pk", distinct=True),
            entries=Count("log_entries", distinct=True),
            confirmed=Count("pk", filter=Q(handover__received_at__isnull=False), distinct=True),
            flagged=Count("pk", filter=Q(pk__in=MissingHandoverFlag.objects.values("shift_id")), distinct=True),
        )
        .order_by("-date")
    )
    return list(rows)


def header(day: date) -> SheetHeader:
    return sheet_header(day)


def rows(log: DailyLog) -> list[list]:
    """One row per entry (and one per handover), in time order, as the paper book has them."""
    table = [
        [
            _("Shift"),
            _("On duty"),
            _("Backup"),
            _("Time"),
            _("Kind"),
            _("What was seen or done"),
            _("Place"),
            _("Written by"),
            _("Incident"),
            _("To hand over"),
        ]
    ]
    for shift_log in log.shifts:
        shift = shift_log.shift
        label = f"{shift.start_time:%H:%M}–{shift.end_time:%H:%M}"
        backup = shift.backup.get_full_name() if shift.backup else ""
        for entry in shift_log.entries:
            table.append(
                [
                    label,
                    shift.member.get_full_name(),
                    backup,
                    entry.occurred_at,
                    entry.get_kind_display(),
                    entry.text,
                    str(entry.place) if entry.place_id else "",
                    entry.author.get_full_name() if entry.author_id else _("TựQuản (automatic)"),
                    entry.incident.reference if entry.incident_id else "",
                    _("yes") if entry.to_hand_over else "",
                ]
            )
        if shift_log.handover is not None:
            table.append(_handover_row(label, shift, backup, shift_log.handover))
    return table


def _handover_row(label, shift, backup, handover) -> list:
    if handover.is_confirmed:
        text = _("Handed over by %(giver)s, taken over by %(taker)s at %(time)s.") % {
            "giver": handover.handed_by.get_full_name(),
            "taker": handover.received_by.get_full_name(),
            "time": f"{timezone.localtime(handover.received_at):%H:%M %d/%m/%Y}",
        }
    else:
        text = _("Handed over by %(giver)s, not yet taken over.") % {"giver": handover.handed_by.get_full_name()}
    details = "\n".join(part for part in (handover.premises, handover.instructions) if part)
    return [
        label,
        shift.member.get_full_name(),
        backup,
        handover.handed_at,
        _("Handover"),
        f"{text}\n{details}".strip(),
        "",
        handover.handed_by.get_full_name(),
        "",
        "",
    ]


def xlsx_response(log: DailyLog):
    body = xlsx_book([(_("Duty log %(day)s") % {"day": f"{log.day:%d-%m-%Y}"}, rows(log))])
    return download(body, filename=f"so-truc-{log.day:%Y-%m-%d}.xlsx", content_type=XLSX)

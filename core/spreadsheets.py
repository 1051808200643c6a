"""CSV and Excel files for exports: the first row is the header, the rest are data.

Dates and times are given as `date` / `datetime` values. Excel gets real date cells shown dd/mm/yyyy
(sortable and filterable, the way an office clerk works with them); CSV gets the same text, in the
office's time zone.
"""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def defused(row: list) -> list:
    # A cell that starts like a formula must stay text in a spreadsheet (CSV/formula injection).
    return ["'" + cell if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@") else cell for cell in row]


def _local(moment: datetime) -> datetime:
    # Excel has no time zones: the office's wall-clock time, without tzinfo (openpyxl refuses aware values).
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def _as_text(cell):
    if isinstance(cell, datetime):
        return _local(cell).strftime("%d/%m/%Y %H:%M")
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return cell


def csv_bytes(rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([_as_text(cell) for cell in defused(row)] for row in rows)
    # The byte-order mark makes Excel read the Vietnamese letters as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title: str, rows: Iterable[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)

    def cell(value):
        if isinstance(value, datetime):
            dated = WriteOnlyCell(sheet, value=_local(value))
            dated.number_format = DATETIME_FORMAT
            return dated
        if isinstance(value, date):
            dated = WriteOnlyCell(sheet, value=value)
            dated.number_format = DATE_FORMAT
            return dated
        return value

    for row in rows:
        sheet.append([cell(value) for value in defused(row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

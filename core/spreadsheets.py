"""CSV and Excel files for exports: the first row is the header, the rest are data.

Dates and times are given as `date` / `datetime` values. Excel gets real date cells shown dd/mm/yyyy
or dd/mm/yyyy hh:mm in the office's time zone (sortable and filterable, the way an office clerk works
with them), under a frozen header row with a filter; CSV gets the same text. Every export of the app
writes through here (incidents, campaigns, commendations, the audit log).
"""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from itertools import chain, islice

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # the content type of what xlsx_book writes
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
BOLD = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters; a longer text wraps within its cell
WIDTH_SAMPLE = 200  # rows measured for the column widths


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


def _width(value) -> float:
    if isinstance(value, datetime):
        return len("dd/mm/yyyy hh:mm")
    if isinstance(value, date):
        return len("dd/mm/yyyy")
    # The longest line of a multi-line text; Vietnamese letters take about one character's width.
    return max((len(line) for line in str(value).splitlines()), default=0) if value is not None else 0


def column_widths(rows: list[list]) -> list[float]:
    """Widths that fit the content of `rows` (the header and the first rows), within sensible bounds."""
    widths: list[float] = []
    for row in rows:
        widths += [MIN_WIDTH] * (len(row) - len(widths))
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _width(value) + 2)
    return [min(width, MAX_WIDTH) for width in widths]


def xlsx_bytes(sheet_title: str, rows: Iterable[list]) -> bytes:
    """One sheet: a bold, frozen header row with a filter on it, columns as wide as their content.

    The sheet is written as a stream (an export may hold 50,000 rows), and a streamed sheet takes its
    column widths before its first row: they are measured on the header and the first rows.
    """
    return xlsx_book([(sheet_title, rows)])


def xlsx_book(sheets: Iterable[tuple[str, Iterable[list]]]) -> bytes:
    """Several sheets of the kind `xlsx_bytes` writes, in order (a report's tables, one per sheet)."""
    book = Workbook(write_only=True)
    for sheet_title, rows in sheets:
        _write_sheet(book, sheet_title, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(book: Workbook, sheet_title: str, rows: Iterable[list]) -> None:
    rows = iter(rows)
    header = next(rows, [])
    first = list(islice(rows, WIDTH_SAMPLE))
    sheet = book.create_sheet(sheet_title)
    for index, width in enumerate(column_widths([header, *first]), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"

    def cell(value, *, bold: bool = False):
        written = WriteOnlyCell(sheet, value=_local(value) if isinstance(value, datetime) else value)
        if isinstance(value, datetime):
            written.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            written.number_format = DATE_FORMAT
        elif isinstance(value, str) and (len(value) > MAX_WIDTH or "\n" in value):
            written.alignment = WRAPPED
        if bold:
            written.font = BOLD
        return written

    sheet.append([cell(value, bold=True) for value in defused(header)])
    count = 1
    for row in chain(first, rows):
        sheet.append([cell(value) for value in defused(row)])
        count += 1
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count}"

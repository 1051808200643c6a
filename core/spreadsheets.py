"""CSV and Excel files for exports: the first row is the header, the rest are data."""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook


def defused(row: list) -> list:
    # A cell that starts like a formula must stay text in a spreadsheet (CSV/formula injection).
    return ["'" + cell if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@") else cell for cell in row]


def csv_bytes(rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(defused(row) for row in rows)
    # The byte-order mark makes Excel read the Vietnamese letters as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title: str, rows: Iterable[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    for row in rows:
        sheet.append(defused(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""The register's CSV and Excel exports: same filters and same scope as the page, real dates in Excel."""

import csv
import io
from datetime import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from core import spreadsheets
from evaluations import exports
from evaluations.models import Commendation
from tests.test_commendations_pages import add, in_english

C = Commendation.Status
CSV = reverse("evaluations:commendations_export", args=["csv"])
XLSX = reverse("evaluations:commendations_export", args=["xlsx"])


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_csv_has_the_filtered_rows_with_dates_as_dd_mm_yyyy(client, member, deputy):
    in_english(member)
    decided_on = timezone.localdate()
    granted = add(
        member,
        person=deputy,
        status=C.DECIDED,
        decision_number="12/QĐ-VP",
        decision_date=decided_on,
        achievement="Dập tắt đám cháy",
    )
    add(member, achievement="Tuần tra đêm")
    add(member, year=decided_on.year - 1, person=deputy, achievement="Dập tắt đám cháy năm trước")
    client.force_login(member)
    response = client.get(CSV, {"q": "dam chay"})
    assert response["Content-Disposition"] == f'attachment; filename="khen-thuong-{decided_on.year}.csv"'
    header, *rows = csv_rows(response)
    assert header[:3] == ["Year", "Nominee", "Department"] and header[-2:] == ["Decision number", "Decision date"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Nominee"] == "Trần Thị Lan" and row["Department"] == "Phòng Nội chính - Pháp chế"
    assert row["Status"] == "Granted" and row["Form of commendation"].startswith("Certificate of commendation")
    assert row["Decision number"] == "12/QĐ-VP" and row["Decision date"] == f"{decided_on:%d/%m/%Y}"
    assert row["Proposed by"] == "Lê Anh Tuấn"
    assert granted.achievement == row["Achievement"]


def test_headers_follow_the_language_of_the_person(client, member):
    add(member)
    client.force_login(member)  # Vietnamese, the default
    with translation.override("vi"):
        expected = exports.header()
    assert csv_rows(client.get(CSV))[0] == expected


def test_excel_has_real_date_cells(client, member, deputy):
    decided_on = timezone.localdate()
    add(member, person=deputy, status=C.DECIDED, decision_number="12/QĐ-VP", decision_date=decided_on)
    client.force_login(member)
    response = client.get(XLSX, {"year": "all"})
    assert response["Content-Type"] == spreadsheets.XLSX
    assert response["Content-Disposition"] == 'attachment; filename="khen-thuong-tat-ca.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    decision_date, proposed_on = sheet.cell(row=2, column=13), sheet.cell(row=2, column=9)
    # A date cell, not the text "27/11/2026": Excel can sort and filter it.
    assert decision_date.is_date and isinstance(decision_date.value, datetime)
    assert decision_date.number_format == "DD/MM/YYYY"
    assert decision_date.value.date() == decided_on
    assert proposed_on.is_date and proposed_on.value.date() == decided_on
    assert sheet.cell(row=2, column=1).value == decided_on.year


def test_a_staff_members_export_holds_only_his_own(client, member, staff, deputy):
    mine = add(member, person=staff, status=C.DECIDED, achievement="Của tôi")
    add(member, person=staff, status=C.PROPOSED, achievement="Chưa duyệt")
    add(member, person=deputy, status=C.DECIDED, achievement="Của người khác")
    client.force_login(staff)
    rows = csv_rows(client.get(CSV, {"year": "all", "status": ""}))
    assert [row[5] for row in rows[1:]] == [mine.achievement]
    excel = xlsx_rows(client.get(XLSX))
    assert [row[5] for row in excel[1:]] == [mine.achievement]


def test_formulas_are_defused(client, member):
    add(member, collective='=HYPERLINK("http://evil")', achievement="+cmd|' /C calc'!A0")
    client.force_login(member)
    row = csv_rows(client.get(CSV))[1]
    assert row[1] == '\'=HYPERLINK("http://evil")' and row[5].startswith("'+cmd")
    excel = xlsx_rows(client.get(XLSX))[1]
    assert excel[1].startswith("'=")


def test_unknown_formats_are_404(client, member):
    client.force_login(member)
    assert client.get("/evaluations/commendations/export/pdf/").status_code == 404


def test_export_queries_do_not_grow(client, member, deputy):
    client.force_login(member)

    def queries():
        client.get(XLSX)  # the first request after logging in also writes the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(XLSX).status_code == 200
        return len(captured)

    for _n in range(3):
        add(member, person=deputy, reviewed_by=member, decided_by=member)
    few = queries()
    for _n in range(37):
        add(member, person=deputy, reviewed_by=member, decided_by=member)
    assert queries() == few

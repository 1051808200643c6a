"""Excel exports as a clerk opens them: real dates in Vietnam time, a frozen, filtered header, sized columns."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns import services as campaigns
from core.spreadsheets import xlsx_bytes
from incidents.models import Place
from tests.support.campaigns import campaign_of, session_now
from tests.support.incidents import report


def opened(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def column(sheet, title: str) -> int:
    """The 1-based column with `title` in the header row."""
    return [cell.value for cell in sheet[1]].index(title) + 1


def test_the_writer_gives_real_dates_a_frozen_filtered_header_and_widths():
    filed = datetime(2026, 11, 27, 10, 53, tzinfo=UTC)  # 17:53 in Hà Nội
    sheet = opened(
        xlsx_bytes(
            "Vụ việc",
            [
                ["Mã", "Thời điểm", "Ngày", "Mô tả"],
                ["VV-1", filed, date(2026, 11, 27), "Khói " * 40],
                ["VV-2", filed + timedelta(days=1), date(2026, 11, 28), "=1+1"],
            ],
        )
    )
    moment, day = sheet["B2"], sheet["C2"]
    assert moment.is_date and moment.value == datetime(2026, 11, 27, 17, 53)
    assert moment.number_format == "DD/MM/YYYY HH:MM"
    assert day.is_date and day.number_format == "DD/MM/YYYY" and day.value.date() == date(2026, 11, 27)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["A"] < widths["C"] < widths["B"] < widths["D"] == 60  # long texts stop at 60 and wrap
    assert sheet["D2"].alignment.wrap_text
    assert sheet["D3"].value == "'=1+1"  # a formula stays text


def test_an_empty_export_still_has_its_header():
    sheet = opened(xlsx_bytes("Trống", [["Mã", "Ngày"]]))
    assert [cell.value for cell in sheet[1]] == ["Mã", "Ngày"]
    assert sheet.auto_filter.ref == "A1:B1" and sheet.freeze_panes == "A2"


def test_the_incident_export_has_vietnamese_headers_dates_and_the_place_detail(client, member, staff, category):
    gate = Place.objects.create(name="Cổng chính", kind=Place.Kind.GATE)
    incident = report(staff, category, place=gate, place_detail="bốt bảo vệ số 2")
    client.force_login(member)
    sheet = opened(client.get(reverse("incidents:export", args=["xlsx"])).content)
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == [
        "Mã vụ việc",
        "Thời điểm báo cáo",
        "Thời điểm xảy ra",
        "Thời điểm phát hiện",
        "Loại vụ việc",
        "Địa điểm",
        "Chi tiết địa điểm",
    ]
    assert sheet.cell(2, column(sheet, "Chi tiết địa điểm")).value == "bốt bảo vệ số 2"
    happened = sheet.cell(2, column(sheet, "Thời điểm xảy ra"))
    local = timezone.localtime(incident.occurred_at).replace(tzinfo=None, second=0, microsecond=0)
    assert happened.is_date and happened.number_format == "DD/MM/YYYY HH:MM"
    assert happened.value.replace(second=0, microsecond=0) == local
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}2"
    description = sheet.column_dimensions[sheet.cell(1, column(sheet, "Nội dung vụ việc")).column_letter].width
    assert description > sheet.column_dimensions["A"].width  # sized to the text, not Excel's default


@pytest.fixture
def campaign(member, staff):
    running = campaign_of(member, counts_for_tt124=False)
    session_now(running)
    campaigns.schedule(running)
    return running


def test_the_campaign_export_has_real_dates_and_the_same_frame(client, member, staff, campaign):
    client.force_login(member)
    client.post(reverse("campaigns:session", args=[campaign.sessions.get().pk]), {"present": [staff.pk]})
    sheet = opened(client.get(reverse("campaigns:export", args=[campaign.pk, "xlsx"])).content)
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    attended = rows[staff.full_name][column(sheet, "Thời điểm tham dự") - 1]
    assert attended.is_date and attended.number_format == "DD/MM/YYYY HH:MM"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].width >= len(staff.full_name)

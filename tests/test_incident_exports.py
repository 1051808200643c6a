"""CSV and Excel exports go through the same permission check as the list."""

import csv
import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from incidents import services
from incidents.models import Severity
from tests.support import realistic


def file(reporter, category, **extra):
    now = timezone.now()
    return services.file_incident(
        filed_by=reporter,
        fields={
            "category": category,
            "occurred_at": now - timedelta(hours=1),
            "detected_at": now,
            "description": "Mô tả",
            "proposed_severity": Severity.LOW,
            **extra,
        },
    )


def test_staff_neither_see_nor_use_the_export(client, staff, category):
    """A staff member reads his own reports on the page; exporting is for the team and the leadership."""
    file(staff, category)
    client.force_login(staff)
    page = client.get(reverse("incidents:list")).content.decode()
    assert "export-csv" not in page and "export-xlsx" not in page
    assert client.get(reverse("incidents:export", args=["csv"])).status_code == 403
    assert client.get(reverse("incidents:export", args=["xlsx"])).status_code == 403


def test_the_team_sees_the_export_buttons_with_the_filters_carried(client, member, staff, category):
    mine, other = file(staff, category), file(staff, category)
    client.force_login(member)
    page = client.get(reverse("incidents:list"), {"status": "new"}).content.decode()
    assert 'href="/incidents/export/csv/?status=new"' in page and 'href="/incidents/export/xlsx/?status=new"' in page
    response = client.get(reverse("incidents:export", args=["csv"]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    assert mine.reference in text and other.reference in text


def test_the_team_exports_the_filtered_queue_as_excel(client, member, staff, category):
    file(staff, category, description="Trộm cắp laptop")
    file(staff, category, description="Đỗ xe sai chỗ")
    client.force_login(member)
    response = client.get(reverse("incidents:export", args=["xlsx"]), {"q": "trom cap"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and "Trộm cắp laptop" in rows[1]


def test_a_confidential_reporter_stays_hidden_in_exports(client, member, staff, category):
    file(staff, category, confidential_reporter=True)
    client.force_login(member)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("incidents:export", args=["csv"])).content.decode("utf-8-sig")))
    )
    assert staff.full_name not in rows[1]


def test_formulas_are_defused(client, member, staff, category):
    file(staff, category, description='=HYPERLINK("http://evil")')
    client.force_login(member)
    text = client.get(reverse("incidents:export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_unknown_formats_are_404(client, member):
    client.force_login(member)
    assert client.get("/incidents/export/pdf/").status_code == 404


def test_dates_are_real_dates_in_excel_and_local_text_in_csv(client, member, staff, category):
    incident = file(staff, category)
    client.force_login(member)
    sheet = load_workbook(io.BytesIO(client.get(reverse("incidents:export", args=["xlsx"])).content)).active
    filed = sheet.cell(row=2, column=2)
    local = timezone.localtime(incident.created_at).replace(tzinfo=None, second=0, microsecond=0)
    assert filed.is_date and filed.number_format == "DD/MM/YYYY HH:MM"
    assert filed.value.replace(second=0, microsecond=0) == local  # the office's wall clock, not UTC
    text = client.get(reverse("incidents:export", args=["csv"])).content.decode("utf-8-sig")
    assert local.strftime("%d/%m/%Y %H:%M") in text


def test_exports_of_the_offices_real_data_run_a_constant_number_of_queries(
    client, member, leader, chief, staff, category, make_user, positions, departments
):
    """Rooms in buildings, confidential and outside reporters, every status: CSV and Excel, filtered or not."""
    places = realistic.places("Nhà A")
    people = [staff, *realistic.colleagues(make_user, positions, departments, 4)]

    def report(count, start):
        realistic.stream(
            count,
            start=start,
            staff=people,
            member=member,
            leader=leader,
            chief=chief,
            category=category,
            places=places,
        )

    def queries() -> dict:
        counts = {}
        for person in (member, leader, chief):  # staff may not export
            client.force_login(person)
            for kind in ("csv", "xlsx"):
                for params in ({}, {"q": "phong hop"}, {"status": "open", "sort": "severity"}):
                    client.get(reverse("incidents:export", args=[kind]), params)  # a session's first request costs more
                    with CaptureQueriesContext(connection) as captured:
                        assert client.get(reverse("incidents:export", args=[kind]), params).status_code == 200
                    counts[person.username, kind, str(params)] = len(captured)
        return counts

    report(6, 0)  # one of each life
    few = queries()
    report(14, 6)
    assert queries() == few
    client.force_login(leader)
    sheet = load_workbook(io.BytesIO(client.get(reverse("incidents:export", args=["xlsx"])).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 21
    assert "Nhà A › Tầng 2 › Phòng 201" in {row[5] for row in rows}
    assert any(str(row[9]).startswith("Ông Trần Văn Khách") for row in rows)  # the leader sees who called

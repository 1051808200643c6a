"""CSV and Excel exports go through the same permission check as the list."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from incidents import services
from incidents.models import Severity


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


def test_staff_export_only_their_own(client, staff, make_user, category):
    mine, theirs = file(staff, category), file(make_user(), category)
    client.force_login(staff)
    response = client.get(reverse("incidents:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    assert mine.reference in text and theirs.reference not in text


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


def test_an_export_of_incidents_in_rooms_of_buildings_runs_a_constant_number_of_queries(
    client, member, staff, category
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from incidents.models import Place

    building = Place.objects.create(name="Nhà A", kind=Place.Kind.BUILDING)
    floor = Place.objects.create(name="Tầng 3", kind=Place.Kind.FLOOR, parent=building)
    room = Place.objects.create(name="Phòng 305", kind=Place.Kind.ROOM, parent=floor)
    client.force_login(member)

    def queries() -> int:
        client.get(reverse("incidents:export", args=["xlsx"]))  # the first request of a session costs more
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("incidents:export", args=["xlsx"]))
        return len(captured)

    file(staff, category, place=room)
    few = queries()
    for _ in range(15):
        file(staff, category, place=room)
    assert queries() == few
    sheet = load_workbook(io.BytesIO(client.get(reverse("incidents:export", args=["xlsx"])).content)).active
    assert sheet.cell(row=2, column=6).value == "Nhà A › Tầng 3 › Phòng 305"

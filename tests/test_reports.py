"""Periodic reports: the documents read back equal the database, the monthly draft on the right day, numbers, roles."""

import io
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from config.celery import app as celery_app
from incidents.models import ExternalReport, Incident, Severity
from notifications.models import Notification
from reports import services, views
from reports.models import PeriodicReport, ReportKind
from tests.support.incidents import report as file_incident

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def incident_on(filed_by, category, moment: datetime, **fields) -> Incident:
    incident = file_incident(filed_by, category)
    Incident.objects.filter(pk=incident.pk).update(created_at=moment, **fields)
    incident.refresh_from_db()
    return incident


@pytest.fixture
def october(staff, leader, category):
    """Four incidents in October 2026 (one high, one escalated, one reported to the police), one in September."""
    filed = at(date(2026, 10, 3))
    high = incident_on(
        staff,
        category,
        filed,
        severity=Severity.HIGH,
        acknowledged_at=filed + timedelta(minutes=30),
        acknowledge_due_at=filed + timedelta(hours=1),
        status="acknowledged",
    )
    escalated = incident_on(staff, category, at(date(2026, 10, 12)), escalation_level=1)
    reported = incident_on(staff, category, at(date(2026, 10, 31), 23))  # 23:00 office time still counts
    ExternalReport.objects.create(
        incident=reported, agency="ward_police", notified_at=at(date(2026, 10, 31), 23), notified_by=leader
    )
    plain = incident_on(staff, category, at(date(2026, 10, 20)), severity=Severity.LOW)
    before = incident_on(staff, category, at(date(2026, 9, 30), 23), severity=Severity.CRITICAL)
    report, _ = services.report_for(ReportKind.MONTHLY, OCTOBER, leader)
    report.achievements = "Tổ đã duy trì trực 24/24."
    report.proposals = "Đề nghị trang bị thêm camera khu vực bãi xe."
    report.save()
    return report, {"notable": [high, escalated, reported], "plain": plain, "before": before}


def docx_of(client, report) -> Document:
    response = client.get(reverse("reports:docx", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-monthly-2026-10-01.docx"'
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return Document(io.BytesIO(content))


def table_starting(doc, first_header: str):
    for table in doc.tables:
        cells = [cell.text for cell in table.rows[0].cells]
        if len(cells) > 1 and cells[1] == first_header:
            return [[cell.text for cell in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table headed {first_header!r}")


def test_the_docx_prints_the_figures_of_the_database(client, leader, october):
    report, incidents = october
    client.force_login(leader)
    doc = docx_of(client, report)
    text = "\n".join(p.text for p in doc.paragraphs)
    filed = Incident.objects.filter(created_at__gte=at(OCTOBER, 0), created_at__lt=at(date(2026, 11, 1), 0)).count()
    assert filed == 4
    summary = table_starting(doc, "Chỉ tiêu")
    assert summary[0][1:] == ["Vụ việc tiếp nhận trong kỳ", str(filed)]
    assert table_starting(doc, "Tháng") == [["1", "10/2026", "4", "0"]]
    severities = {row[1]: row[2] for row in table_starting(doc, "Mức độ")}
    assert severities["Cao"] == "1" and severities["Đặc biệt nghiêm trọng"] == "0"  # September's does not count
    assert table_starting(doc, "Cấp") == [["1", "Cấp 1", "1"]]  # the escalated one, by its level
    times = next(t for t in doc.tables if len(t.columns) > 3 and t.rows[0].cells[2].text == "Đã tiếp nhận")
    overall = [cell.text for cell in times.rows[-1].cells]
    # The high one was acknowledged 30 minutes after filing, within its hour; nobody else acknowledged.
    assert overall[1:6] == ["Tất cả", "1", "30", "30", "100"]
    notable = [row[1] for row in table_starting(doc, "Số hiệu")]
    assert notable == [incident.reference for incident in incidents["notable"]]
    assert incidents["plain"].reference not in notable and incidents["before"].reference not in notable
    assert "Kết quả công tác bảo vệ an ninh, trật tự tháng 10/2026" in text
    assert "Tổ đã duy trì trực 24/24." in text and "Đề nghị trang bị thêm camera khu vực bãi xe./." in text
    assert "DỰ THẢO" in text  # a draft says so, and has no number yet
    header = [cell.text for row in doc.tables[0].rows for cell in row.cells]
    assert header[0].startswith("VĂN PHÒNG UBND TỈNH BÌNH AN\nTỔ BẢO VỆ AN NINH, TRẬT TỰ CƠ QUAN")
    assert header[1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert header[2:] == ["Số:      /BC-VP", "Bình An, ngày      tháng      năm 2026"]


def test_the_xlsx_holds_the_raw_tables(client, leader, october):
    report, incidents = october
    client.force_login(leader)
    response = client.get(reverse("reports:xlsx", args=[report.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Tổng hợp", "Theo tháng", "Theo loại vụ việc"]
    assert [cell.value for cell in book["Tổng hợp"][2]] == ["Vụ việc tiếp nhận trong kỳ", 4]
    notable = book["Vụ việc đáng chú ý"]
    assert [row[0].value for row in notable.iter_rows(min_row=2)] == [i.reference for i in incidents["notable"]]
    assert notable["B2"].number_format == "DD/MM/YYYY HH:MM"


def test_issuing_gives_the_next_number_of_the_year_and_locks_the_narrative(client, leader, deputy, october):
    report, _ = october
    quarter, _ = services.report_for(ReportKind.QUARTERLY, OCTOBER, leader)
    client.force_login(deputy)
    response = client.post(reverse("reports:issue", args=[report.pk]), follow=True)
    assert "Đã ban hành báo cáo số 01/BC-VP." in response.content.decode()
    client.post(reverse("reports:issue", args=[quarter.pk]))
    report.refresh_from_db()
    quarter.refresh_from_db()
    assert (report.status, report.number_text, report.issued_by) == ("issued", "01/BC-VP", deputy)
    assert quarter.number_text == "02/BC-VP"
    # Issued: no second number, no more edits.
    assert client.post(reverse("reports:issue", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:detail", args=[report.pk]), {"achievements": "Sửa"}).status_code == 404
    report.refresh_from_db()
    assert report.number == 1 and report.achievements == "Tổ đã duy trì trực 24/24."
    doc = docx_of(client, report)
    header = [cell.text for cell in doc.tables[0].rows[1].cells]
    assert header[0] == "Số: 01/BC-VP" and "DỰ THẢO" not in "\n".join(p.text for p in doc.paragraphs)


def test_a_second_issue_at_the_same_moment_is_told_the_number(client, leader, deputy, october, monkeypatch):
    report, _ = october
    client.force_login(deputy)
    # The deputy's page still shows the draft: the leader issues it just before the deputy's click arrives.
    real_can = views.can
    monkeypatch.setattr(views, "can", lambda *args: real_can(*args) if args[1] != "reports.edit" else True)
    services.issue(report.pk, leader)
    response = client.post(reverse("reports:issue", args=[report.pk]), follow=True)
    assert "Báo cáo này đã được ban hành với số 01/BC-VP." in response.content.decode()
    report.refresh_from_db()
    assert (report.number, report.issued_by) == (1, leader)


def test_an_issued_report_stays_as_issued_when_the_records_change(client, leader, staff, category, october):
    report, _ = october
    services.issue(report.pk, leader)
    incident_on(staff, category, at(date(2026, 10, 15)))  # filed late, after the report was issued
    client.force_login(leader)
    assert table_starting(docx_of(client, report), "Chỉ tiêu")[0][2] == "4"
    book = load_workbook(io.BytesIO(b"".join(client.get(reverse("reports:xlsx", args=[report.pk])).streaming_content)))
    assert book["Tổng hợp"]["B2"].value == 4
    draft, _ = services.report_for(ReportKind.QUARTERLY, OCTOBER)  # a draft reads the records as they are now
    assert (
        load_workbook(io.BytesIO(client.get(reverse("reports:xlsx", args=[draft.pk])).content))["Tổng hợp"]["B2"].value
        == 5
    )


def test_the_leader_writes_the_narrative(client, leader, october):
    report, _ = october
    client.force_login(leader)
    data = {"achievements": "Không để xảy ra vụ việc nghiêm trọng.", "shortcomings": "Thiếu camera.", "proposals": ""}
    response = client.post(reverse("reports:detail", args=[report.pk]), data, follow=True)
    assert "Đã lưu phần nhận định của báo cáo." in response.content.decode()
    report.refresh_from_db()
    assert (report.achievements, report.shortcomings, report.proposals) == (data["achievements"], "Thiếu camera.", "")


def test_a_report_is_created_for_the_period_of_the_chosen_day_once(client, leader):
    client.force_login(leader)
    response = client.post(reverse("reports:new"), {"kind": "six_month", "day": "15/08/2026"})
    report = PeriodicReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.starts_on, report.ends_on) == (date(2026, 7, 1), date(2026, 12, 31))
    again = client.post(reverse("reports:new"), {"kind": "six_month", "day": "01/12/2026"}, follow=True)
    assert "Báo cáo này đã có" in again.content.decode() and PeriodicReport.objects.count() == 1


def test_a_wrong_date_is_a_message_not_an_error(client, leader):
    client.force_login(leader)
    response = client.post(reverse("reports:new"), {"kind": "monthly", "day": "31/02/2026"})
    assert response.status_code == 200 and "Nhập một ngày hợp lệ." in response.content.decode()
    assert not PeriodicReport.objects.exists()


# --- the monthly draft --------------------------------------------------------------------------------------


def test_the_monthly_draft_is_made_once_on_the_first_working_day(leader, member):
    # 01/08/2026 is a Saturday: the first working day is Monday 03/08.
    assert services.create_monthly_draft(date(2026, 8, 1)) is None
    assert services.create_monthly_draft(date(2026, 8, 2)) is None
    draft = services.create_monthly_draft(date(2026, 8, 3))
    assert (draft.kind, draft.starts_on, draft.ends_on, draft.status) == (
        "monthly",
        date(2026, 7, 1),
        date(2026, 7, 31),
        "draft",
    )
    assert services.create_monthly_draft(date(2026, 8, 3)) is None  # a second beat tick
    assert services.create_monthly_draft(date(2026, 8, 4)) is None
    assert PeriodicReport.objects.count() == 1
    notices = Notification.objects.filter(kind="reports.draft_ready")
    assert [(n.recipient, n.url) for n in notices] == [(leader, reverse("reports:detail", args=[draft.pk]))]
    assert notices[0].title == "Dự thảo báo cáo tháng 07/2026"


def test_new_years_day_and_the_weekend_move_the_draft(leader):
    # 01/01/2027 is a public holiday (Friday), then a weekend: December's draft comes on Monday 04/01/2027.
    assert services.create_monthly_draft(date(2027, 1, 1)) is None
    assert services.create_monthly_draft(date(2027, 1, 4)).starts_on == date(2026, 12, 1)


def test_the_beat_runs_the_draft_task_every_morning():
    celery_app.loader.import_default_modules()
    entry = celery_app.conf.beat_schedule["create-monthly-report-draft"]
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {30}


# --- roles --------------------------------------------------------------------------------------------------

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user"]
READERS = {"deputy", "leader", "chief", "admin_user"}
WRITERS = {"deputy", "leader"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_and_who_writes(client, request, team, persona):
    user = request.getfixturevalue(persona)
    report, _ = services.report_for(ReportKind.MONTHLY, OCTOBER)
    client.force_login(user)
    for name in ("docx", "xlsx", "detail"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == (
            200 if persona in READERS else 404
        )
    assert client.get(reverse("reports:list")).status_code == (200 if persona in READERS else 404)
    assert client.get(reverse("reports:new")).status_code == (200 if persona in WRITERS else 404)
    detail = client.get(reverse("reports:detail", args=[report.pk]))
    assert (b"narrative-form" in detail.content) == (persona in WRITERS)
    response = client.post(reverse("reports:issue", args=[report.pk]))
    assert response.status_code == (302 if persona in WRITERS else 404)
    report.refresh_from_db()
    assert report.is_issued == (persona in WRITERS)


def test_anonymous_visitors_log_in_first(client, db):
    response = client.get(reverse("reports:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_list_runs_the_same_queries_however_many_reports(client, leader):
    client.force_login(leader)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:list")).status_code == 200
        return len(captured)

    services.report_for(ReportKind.MONTHLY, OCTOBER)
    queries()  # the first request of a session also reads what later ones find cached
    few = queries()
    for month in range(1, 10):
        report, _ = services.report_for(ReportKind.MONTHLY, date(2025, month, 1))
        services.issue(report.pk, leader)
    assert queries() == few

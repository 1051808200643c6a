"""Browser journey: the leader opens the monthly draft from his notification, writes the narrative, issues it and
downloads the .docx."""

import io
import os
from datetime import date

import pytest
from docx import Document
from playwright.sync_api import expect

from incidents.models import Incident, Severity
from reports import services
from reports.models import PeriodicReport
from tests.conftest import log_in
from tests.support.incidents import report as file_incident
from tests.test_reports import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: $SCREENSHOT_DIR to look at them, else the test's temporary folder."""
    folder = os.environ.get("SCREENSHOT_DIR") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    return folder


def test_the_leader_completes_issues_and_downloads_the_monthly_report(
    page, phone, live_server, leader, staff, category, shots
):
    incident = file_incident(staff, category)
    Incident.objects.filter(pk=incident.pk).update(created_at=at(date(2026, 7, 14)), severity=Severity.HIGH)
    draft = services.create_monthly_draft(date(2026, 8, 3))

    # 1. The notification brings him to the draft.
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}/dashboard/")
    page.screenshot(path=f"{shots}/dashboard-desk.png")
    page.locator("[data-testid=reports-link]").click()
    expect(page.locator("[data-testid=report-list]")).to_contain_text("Dự thảo")
    page.screenshot(path=f"{shots}/list-desk.png", full_page=True)
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_text("Dự thảo báo cáo tháng 07/2026", exact=True).click()
    expect(page.locator("h1")).to_have_text("Báo cáo tháng")
    expect(page.locator("[data-testid=report-period]")).to_have_text("Từ ngày 01/07/2026 đến ngày 31/07/2026")
    expect(page.locator("[data-testid=report-status]")).to_contain_text("Dự thảo")

    # 2. He writes the narrative and saves it.
    page.fill("textarea[name=achievements]", "Không để xảy ra vụ việc nghiêm trọng kéo dài.")
    page.fill("textarea[name=shortcomings]", "Camera bãi xe phía sau chưa hoạt động.")
    page.fill("textarea[name=proposals]", "Đề nghị Lãnh đạo Văn phòng bố trí kinh phí sửa camera.")
    page.locator("[data-testid=narrative-form] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu phần nhận định của báo cáo.")
    page.screenshot(path=f"{shots}/draft-desk.png", full_page=True)

    # 3. He issues it: it gets number 01 of the year.
    page.locator("[data-testid=issue-form] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ban hành báo cáo số 01/BC-VP.")
    expect(page.locator("[data-testid=narrative]")).to_contain_text("Camera bãi xe phía sau chưa hoạt động.")
    expect(page.locator("[data-testid=narrative-form]")).to_have_count(0)
    expect(page.locator("[data-testid=figures-note]")).to_contain_text("được lưu như khi ban hành")
    page.screenshot(path=f"{shots}/issued-desk.png", full_page=True)

    # 4. He downloads the .docx: the number, the notable incident, his narrative.
    with page.expect_download() as info:
        page.locator("[data-testid=download-docx]").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-monthly-2026-07-01.docx"
    download.save_as(f"{shots}/report.docx")
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))
    assert doc.tables[0].rows[1].cells[0].text == "Số: 01/BC-VP"
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert incident.reference in cells
    assert "Đề nghị Lãnh đạo Văn phòng bố trí kinh phí sửa camera./." in [p.text for p in doc.paragraphs]
    assert PeriodicReport.objects.get().number == 1 and draft.pk == PeriodicReport.objects.get().pk

    # 5. On a phone: the list and the issued report read well.
    log_in(phone, live_server.url, leader.username)
    phone.goto(f"{live_server.url}/dashboard/")
    phone.screenshot(path=f"{shots}/dashboard-phone.png")
    phone.goto(f"{live_server.url}/reports/")
    expect(phone.locator("[data-testid=report-list]")).to_contain_text("Đã ban hành văn bản số 01/BC-VP")
    phone.screenshot(path=f"{shots}/list-phone.png", full_page=True)
    phone.get_by_role("link", name="Báo cáo tháng").click()
    phone.screenshot(path=f"{shots}/issued-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/reports/new/")
    phone.screenshot(path=f"{shots}/new-phone.png", full_page=True)

"""Browser journeys for the home page: a staff member on his phone, the team leader at his desk."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident, Status
from tests.conftest import log_in
from tests.support.incidents import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_report_button_comes_first_then_my_open_report(phone, live_server, staff, member, category):
    mine = report(staff, category, description="Cửa phòng lưu trữ không khóa")
    someone_elses = report(member, category)
    log_in(phone, live_server.url, staff.username)
    phone.goto(f"{live_server.url}/")

    button = phone.locator("[data-testid=report-button]")
    expect(button).to_have_text("Báo cáo vụ việc")
    expect(button).to_be_in_viewport()
    first_block = phone.locator("main section").first
    assert button.bounding_box()["y"] < first_block.bounding_box()["y"]
    reports = phone.locator("[data-testid=my-reports]")
    expect(reports).to_contain_text(mine.reference)
    expect(reports).to_contain_text("Mới")
    expect(reports).not_to_contain_text(someone_elses.reference)
    reports.get_by_role("link", name=mine.reference).click()
    expect(phone.locator("h1")).to_contain_text(mine.reference)


def test_the_leader_clicks_the_overdue_count_and_lands_on_the_filtered_queue(
    page, live_server, staff, leader, category
):
    now = timezone.now()
    late = report(staff, category, description="Camera cổng sau mất tín hiệu")
    Incident.objects.filter(pk=late.pk).update(
        status=Status.ACKNOWLEDGED, acknowledged_at=now, resolve_due_at=now - timedelta(hours=1)
    )
    on_time = report(staff, category, description="Xe máy để sai chỗ")
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}/")

    overdue = page.locator("[data-testid=figure-overdue]")
    expect(overdue).to_contain_text("Quá hạn")
    expect(overdue.locator("[data-testid=figure-count]")).to_have_text("1")
    overdue.click()
    expect(page).to_have_url(f"{live_server.url}/incidents/?overdue=on")
    expect(page.locator("[data-testid=tab-overdue]")).to_have_attribute("aria-current", "page")
    expect(page.locator("main")).to_contain_text(late.reference)
    expect(page.locator("main")).not_to_contain_text(on_time.reference)

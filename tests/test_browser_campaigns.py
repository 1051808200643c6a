"""Browser journey: the organiser creates and schedules a campaign; a staff member checks in with the code
on a phone and acknowledges the materials; the organiser sees coverage go up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Campaign, Participant
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_schedules_staff_checks_in_and_acknowledges_coverage_rises(
    page, phone, live_server, member, staff, leader
):
    today = timezone.localdate()
    # 1. The organiser creates the campaign.
    log_in(page, live_server.url, member.username)
    page.goto(f"{live_server.url}/campaigns/new/")
    page.fill("input[name=title]", "Quán triệt Nội quy bảo vệ cơ quan năm nay")
    page.select_option("select[name=theme]", "internal_rules")
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", (today + timedelta(days=14)).isoformat())
    page.select_option("select[name=audience]", "all")
    page.check("input[name=counts_for_tt124]")
    page.locator("[data-testid=campaign-form] button[type=submit]").click()
    expect(page.locator("[data-testid=campaign-status]")).to_be_visible()
    campaign = Campaign.objects.get()

    # ... adds a session happening now and a material, then schedules it.
    now = timezone.localtime()
    page.locator("[data-testid=session-form]").evaluate("form => form.closest('details').open = true")
    # Not before midnight: the session must fall within the campaign, which starts today.
    start = max(now - timedelta(minutes=5), now.replace(hour=0, minute=0, second=0, microsecond=0))
    page.fill("[data-testid=session-form] input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("[data-testid=session-form] input[name=ends_at]", (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("[data-testid=session-form] input[name=place]", "Hội trường tầng 1")
    page.locator("[data-testid=session-form] button[type=submit]").click()
    page.locator("[data-testid=material-form]").evaluate("form => form.closest('details').open = true")
    page.fill("[data-testid=material-form] input[name=title]", "Nội quy bảo vệ cơ quan")
    page.fill("[data-testid=material-form] input[name=link]", f"{live_server.url}/static/css/app.css")
    page.locator("[data-testid=material-form] button[type=submit]").click()
    page.locator("[data-testid=schedule] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=coverage-percent]")).to_have_text("0,0%")  # Vietnamese decimal comma
    page.get_by_role("link", name=page.locator("[data-testid=sessions] a").first.inner_text()).first.click()
    code = page.locator("[data-testid=check-in-code]").inner_text().strip()
    assert page.locator(".qr svg").count() == 1  # the QR code shown on screen

    # 2. A staff member checks in on his phone with the code, then reads and acknowledges.
    log_in(phone, live_server.url, staff.username)
    phone.goto(f"{live_server.url}/campaigns/check-in/")
    phone.fill("input[name=code]", code)
    phone.locator("[data-testid=check-in-form] button").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    ack = phone.locator("[data-testid=acknowledge] button")
    expect(ack).to_be_disabled()  # the material is not opened yet
    expect(phone.locator("[data-testid=done]")).to_contain_text("Đồng chí đã hoàn thành chiến dịch này")
    with phone.context.expect_page() as material_tab:
        phone.locator("[data-testid=materials] a").first.click()
    material_tab.value.close()
    phone.locator("[data-testid=acknowledge] button").click()  # enabled on return, no reload
    expect(phone.locator("[data-testid=acknowledged]")).to_be_visible()
    entry = Participant.objects.get(campaign=campaign, user=staff)
    assert entry.attended_at and entry.acknowledged_at

    # 3. The organiser sees coverage go up.
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    reached = Participant.objects.filter(campaign=campaign).reached().count()
    total = Participant.objects.filter(campaign=campaign).count()
    expected = f"{round(100 * reached / total, 1)}".replace(".", ",")
    expect(page.locator("[data-testid=coverage-percent]")).to_have_text(f"{expected}%")
    assert reached == 1

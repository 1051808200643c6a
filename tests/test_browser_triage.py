"""Browser journeys of triage on the detail page: re-grade, reject after confirmation, the next step first."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident, Severity, SlaPolicy, Status
from tests.conftest import log_in
from tests.support.incidents import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_lowers_the_severity_and_sees_it_on_the_timeline_and_the_new_deadline(
    page, live_server, leader, staff, category
):
    # Transactional tests start without the default service levels.
    SlaPolicy.objects.get_or_create(severity=Severity.CRITICAL, acknowledge_within=15, resolve_within=4 * 60)
    # In calendar hours, so the new deadline does not depend on the time of day the test runs at
    # (working hours: tests/test_working_calendar.py).
    SlaPolicy.objects.update_or_create(
        severity=Severity.MEDIUM,
        defaults={"acknowledge_within": 8 * 60, "resolve_within": 3 * 24 * 60, "clock": SlaPolicy.Clock.CALENDAR},
    )
    incident = report(staff, category, proposed_severity=Severity.CRITICAL)
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    expect(page.locator("[data-testid=regrade-form]")).to_be_hidden()
    page.locator("[data-testid=regrade-toggle]").click()
    form = page.locator("[data-testid=regrade-form]")
    form.get_by_label("Trung bình").check()
    form.get_by_label("Lý do").fill("Chỉ mất ví, không ai bị thương")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã đổi mức độ {incident.reference}", timeout=15_000)
    timeline = page.locator("[data-testid=timeline]")
    expect(timeline).to_contain_text("Đổi mức độ từ Đặc biệt nghiêm trọng sang Trung bình")
    expect(timeline).to_contain_text("Chỉ mất ví, không ai bị thương")
    incident.refresh_from_db()
    assert incident.resolve_due_at == incident.created_at + timedelta(days=3)
    due = timezone.localtime(incident.resolve_due_at).strftime("%d/%m/%Y %H:%M")
    expect(page.locator("[data-testid=resolve-due]")).to_have_text(due)


def test_a_rejection_asks_first_cancelling_changes_nothing(page, live_server, deputy, staff, category):
    incident = report(staff, category)
    log_in(page, live_server.url, deputy.username)
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    page.locator("[data-testid=reject-button]").click()
    dialog = page.locator("#reject-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Lý do không tiếp nhận").fill("Không thuộc an ninh, trật tự")
    dialog.get_by_role("button", name="Hủy", exact=True).click()
    expect(dialog).to_be_hidden()
    page.reload()
    expect(page.locator("[data-testid=status]")).to_have_text("Mới")
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW

    page.locator("[data-testid=reject-button]").click()
    dialog.get_by_label("Lý do không tiếp nhận").fill("Không thuộc an ninh, trật tự")
    dialog.get_by_role("button", name="Xác nhận không tiếp nhận").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã chuyển {incident.reference} sang trạng thái", timeout=15_000
    )
    expect(page.locator("[data-testid=status]")).to_have_text("Không tiếp nhận", timeout=15_000)
    assert Incident.objects.get(pk=incident.pk).status == Status.REJECTED


def test_the_primary_button_is_the_next_step(page, live_server, member, staff, category):
    incident = report(staff, category)
    log_in(page, live_server.url, member.username)
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    primary = page.locator("[data-testid=primary-action]")
    expect(primary).to_have_text("Tiếp nhận")
    expect(page.locator(".btn-primary:visible")).to_have_count(1)
    primary.click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã chuyển {incident.reference} sang trạng thái", timeout=15_000
    )
    expect(primary).to_have_text("Bắt đầu xử lý", timeout=15_000)
    primary.click()
    expect(primary).to_have_text("Xác nhận đã giải quyết…", timeout=15_000)
    expect(page.locator("[data-testid=action-resolve]")).to_be_hidden()
    primary.click()
    section = page.locator("[data-testid=action-resolve]")
    expect(section).to_be_visible()
    section.get_by_label("Kết quả giải quyết").fill("Đã tìm thấy ví ở phòng bảo vệ")
    section.get_by_role("button", name="Xác nhận đã giải quyết").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã giải quyết", timeout=15_000)
    expect(page.locator("[data-testid=status]")).to_have_text("Đã giải quyết")


def test_the_opened_sections_and_the_reject_dialog_pass_axe(browser, plain_http, leader, staff, category):
    from tests.test_browser_accessibility import axe_violations, described

    incident = report(staff, category)
    context = browser.new_context(bypass_csp=True, locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, plain_http.url, leader.username)
        page.goto(f"{plain_http.url}{incident.get_absolute_url()}")
        page.locator("[data-testid=regrade-toggle]").click()
        page.locator("[data-testid=action-button-escalate]").click()
        expect(page.locator("[data-testid=regrade-form]")).to_be_visible()
        found = axe_violations(page)
        page.locator("[data-testid=reject-button]").click()
        expect(page.locator("#reject-dialog")).to_be_visible()
        # Colours are judged once the dialog has faded in, not half-way through the animation.
        page.wait_for_function("() => getComputedStyle(document.querySelector('#reject-dialog')).opacity === '1'")
        page.wait_for_timeout(400)
        found += axe_violations(page)
        page.goto(f"{plain_http.url}/incidents/{incident.pk}/reject/")
        found += axe_violations(page)
    finally:
        context.close()
    assert not found, described("triage panel", found)

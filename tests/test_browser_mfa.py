"""The second factor in a real Chromium: an administrator enrols by reading the key off the page, keeps the recovery
codes, reaches admin, and is asked for a code at the next log-in; the same pages on a phone."""

import os
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import log_in
from tests.test_mfa import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def enforced(settings):
    settings.MFA_ENFORCED = True
    settings.MFA_FOR_REPORTER_READERS = True


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: $SCREENSHOT_DIR to look at them, else the test's temporary folder."""
    folder = os.environ.get("SCREENSHOT_DIR") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    return lambda page, name: page.screenshot(path=os.path.join(folder, f"mfa-{name}.png"), full_page=True)


def code_from_the_page(page) -> str:
    """What an authenticator app shows for the key typed in from the set-up page."""
    secret = page.locator("[data-testid=secret]").inner_text().replace(" ", "").replace("\n", "")
    return f"{totp(b32decode(secret)):06d}"


def test_an_administrator_enrols_reaches_admin_and_is_asked_again_at_the_next_log_in(
    page, live_server, enforced, admin_user, shots
):
    base = live_server.url
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, base, admin_user.username)
    page.goto(f"{base}/admin/")
    expect(page.locator("h1")).to_have_text("Thiết lập xác thực hai bước")  # sent to the set-up first
    expect(page.locator("[data-testid=qr] svg")).to_be_visible()
    shots(page, "setup-1280")

    page.fill("input[name=code]", "000000" if code_from_the_page(page) != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text("Mã không đúng")

    page.wait_for_timeout(1100)  # django-otp refuses any code for a second after a wrong one
    page.fill("input[name=code]", code_from_the_page(page))
    page.get_by_role("button", name="Xác nhận và bật").click()
    codes = page.locator("[data-testid=recovery-codes] li")
    expect(codes).to_have_count(10)
    expect(page.locator(".alert-warning")).to_contain_text("chỉ hiện một lần")
    shots(page, "codes-1280")

    page.locator("[data-testid=codes-saved]").click()
    expect(page).to_have_url(f"{base}/admin/")  # the page first asked for
    assert "Quản trị" in page.locator("#site-name").inner_text()

    page.goto(f"{base}/")
    page.locator("[data-testid=current-user]").click()
    page.get_by_role("link", name="Xác thực hai bước").click()
    expect(page.locator("[data-testid=mfa-status]")).to_contain_text("10 mã khôi phục")
    shots(page, "status-1280")

    page.locator("[data-testid=current-user]").click()
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, base, admin_user.username)
    expect(page.locator("h1")).to_have_text("Xác thực hai bước")  # asked for a code, not let in
    shots(page, "verify-1280")
    device = TOTPDevice.objects.get(user=admin_user)
    page.fill("input[name=code]", code_for(device))
    page.get_by_role("button", name="Xác minh").click()
    expect(page.locator("h1")).to_contain_text("Xin chào")
    page.goto(f"{base}/admin/")
    assert "Quản trị" in page.locator("#site-name").inner_text()
    assert [error for error in errors if "Content Security Policy" in error] == []  # the inline QR code included


def test_the_pages_fit_a_phone(phone, live_server, enforced, leader, shots):
    base = live_server.url
    log_in(phone, base, leader.username)
    expect(phone.locator("h1")).to_have_text("Thiết lập xác thực hai bước")  # the leader may see reporters
    expect(phone.get_by_role("link", name="Trên điện thoại này: mở bằng ứng dụng xác thực")).to_be_visible()
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert phone.evaluate(no_sideways_scroll)
    shots(phone, "setup-390")

    phone.fill("input[name=code]", code_from_the_page(phone))
    phone.get_by_role("button", name="Xác nhận và bật").click()
    expect(phone.locator("[data-testid=recovery-codes] li")).to_have_count(10)
    assert phone.evaluate(no_sideways_scroll)
    shots(phone, "codes-390")

    phone.locator("[data-testid=codes-saved]").click()
    phone.goto(f"{base}/accounts/two-step/")
    assert phone.evaluate(no_sideways_scroll)
    shots(phone, "status-390")

    phone.context.clear_cookies()
    log_in(phone, base, leader.username)
    expect(phone.locator("h1")).to_have_text("Xác thực hai bước")
    assert phone.evaluate(no_sideways_scroll)
    shots(phone, "verify-390")

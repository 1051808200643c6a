"""The weekly digest in the inbox on a phone: readable, and one tap leads to the dashboard."""

import os

import pytest
from playwright.sync_api import expect

from dashboard import digest
from tests.conftest import log_in
from tests.test_weekly_digest import NOW, week  # noqa: F401  (the hand-made week)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chief_reads_the_digest_in_his_inbox_and_opens_the_dashboard(phone, live_server, week, chief, tmp_path):  # noqa: F811
    assert digest.send_weekly_digest(now=NOW) == 1
    log_in(phone, live_server.url, chief.username)
    phone.goto(f"{live_server.url}/notifications/")
    item = phone.locator("[data-testid=notification]").filter(has_text="Bản tin tuần 23/11/2026")
    expect(item).to_contain_text("5 vụ mới, 2 quá hạn, 1 đã chuyển cấp")
    expect(item).to_contain_text("Quá hạn: 2")
    expect(item).to_contain_text("Ngày chưa có ca trực trong tuần này: Thứ 7 28/11, Chủ nhật 29/11")
    shots = os.environ.get("SCREENSHOT_DIR") or str(tmp_path)  # $SCREENSHOT_DIR to look at it
    phone.screenshot(path=os.path.join(shots, "digest-inbox-phone.png"), full_page=True)
    item.click()
    expect(phone).to_have_url(f"{live_server.url}/dashboard/")

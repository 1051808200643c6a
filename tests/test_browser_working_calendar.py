"""Browser journey of the working calendar: the administrator records the Government's swapped working Saturday in
admin, and a medium incident filed on the Friday afternoon is due on that Saturday, as its page shows."""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident, Severity, SlaPolicy
from tests.conftest import log_in
from tests.support.incidents import report
from workcalendar.models import DayOverride

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: $SCREENSHOT_DIR to look at them, else the test's temporary folder."""
    folder = os.environ.get("SCREENSHOT_DIR") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    return lambda page, name: page.screenshot(path=os.path.join(folder, f"calendar-{name}.png"), full_page=True)


def filed_at(monkeypatch, moment: datetime, *args, **fields) -> Incident:
    """Filed through the real service as if at `moment` (the clock is put back at once: the live server
    shares it)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    try:
        return report(*args, **fields)
    finally:
        monkeypatch.undo()


def test_a_swapped_working_saturday_recorded_in_admin_moves_a_medium_deadline(
    page, phone, live_server, admin_user, leader, staff, category, shots, monkeypatch
):
    # Made here: transactional tests elsewhere in the suite flush the rows the data migration wrote.
    SlaPolicy.objects.update_or_create(
        severity=Severity.MEDIUM,
        defaults={"acknowledge_within": 8 * 60, "resolve_within": 3 * 450, "clock": SlaPolicy.Clock.WORKING},
    )

    # 1. The administrator records Saturday 21/11/2026 as a working day, swapped by the Government.
    log_in(page, live_server.url, admin_user.username)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Ngày điều chỉnh lịch làm việc").first.click()
    expect(page.locator("h1")).to_have_text("Chọn ngày điều chỉnh lịch làm việc để thay đổi")
    page.locator(".object-tools a.addlink").click()
    expect(page.locator("h1")).to_have_text("Thêm ngày điều chỉnh lịch làm việc")

    # A Wednesday is a working day already: the form says so and keeps what was typed.
    page.fill("input[name=day]", "18/11/2026")
    page.select_option("select[name=kind]", DayOverride.Kind.SWAPPED_WORKING_DAY)
    page.locator("input[name=_save]").click()
    expect(page.locator(".errornote")).to_have_text("Vui lòng sửa các lỗi dưới đây.")
    expect(page.locator(".field-kind .errorlist")).to_have_text("Ngày này vốn đã là ngày làm việc.")
    shots(page, "admin-error-desk")

    page.fill("input[name=day]", "21/11/2026")
    page.fill("input[name=note]", "Làm bù theo Thông báo 12/TB-VPCP")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("21/11/2026")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("Thứ 7")
    expect(row).to_contain_text("Làm bù (Chính phủ)")
    shots(page, "admin-list-desk")
    assert DayOverride.objects.get().day == date(2026, 11, 21)

    # The service levels say which count working hours.
    page.goto(f"{live_server.url}/admin/incidents/slapolicy/")
    expect(page.locator("#result_list tbody tr", has_text="Trung bình")).to_contain_text("giờ làm việc")
    shots(page, "service-levels-desk")

    # 2. A medium incident filed on Friday 20/11 at 16:30: half an hour that day, the rest on the Saturday.
    friday = datetime(2026, 11, 20, 16, 30, tzinfo=HANOI)
    incident = filed_at(monkeypatch, friday, staff, category, proposed_severity=Severity.MEDIUM)

    # 3. The team leader opens it on his phone: to be acknowledged by Saturday 17:00, not Monday.
    log_in(phone, live_server.url, leader.username)
    phone.goto(f"{live_server.url}{incident.get_absolute_url()}")
    expect(phone.locator("[data-testid=acknowledge-due]")).to_contain_text("21/11/2026 17:00")
    # 3 working days to resolve: Friday's half hour, Saturday, Monday, then Tuesday 24/11 is a holiday (Ngày Văn
    # hóa Việt Nam) and the last 7 hours fall on Wednesday.
    expect(phone.locator("[data-testid=resolve-due]")).to_contain_text("25/11/2026 16:30")
    shots(phone, "incident-phone")
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    expect(page.locator("[data-testid=acknowledge-due]")).to_contain_text("21/11/2026 17:00")
    shots(page, "incident-desk")

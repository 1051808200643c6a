"""Browser journeys of the administrator and the team: appoint a new team leader in one step, the warning while
the team has no leader, the duty roster's next week and "Ca trực của tôi"."""

import os
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from team import services
from team.models import Membership
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: $SCREENSHOT_DIR to look at them, else the test's temporary folder."""
    folder = os.environ.get("SCREENSHOT_DIR") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    return lambda page, name: page.screenshot(path=os.path.join(folder, f"admin-{name}.png"), full_page=True)


def test_the_administrator_appoints_a_new_team_leader_in_one_step(
    page, live_server, admin_user, team, leader, deputy, member, make_user, shots
):
    newcomer = make_user("Đỗ Văn Nam")
    log_in(page, live_server.url, admin_user.username)
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#user-tools")).to_contain_text("Quản trị hệ thống")
    shots(page, "index-desk")

    # An ordinary change form with an error: the heading of the errors is Vietnamese too.
    page.goto(f"{live_server.url}/admin/team/decision/add/")
    page.fill("input[name=signed_on]", "31/02/2026")
    page.locator("input[name=_save]").click()
    expect(page.locator(".errornote")).to_have_text("Vui lòng sửa các lỗi dưới đây.")
    shots(page, "change-form-error-desk")

    page.goto(f"{live_server.url}/admin/team/team/{team.pk}/change/")
    page.locator("[data-testid=appoint-link]").click()
    expect(page.locator("h1")).to_have_text("Bổ nhiệm Tổ trưởng / Tổ phó mới")
    expect(page.locator("#content-main .module").first).to_contain_text("Hoàng Văn Minh")

    # Sent without a decision number: the page says what is missing, in Vietnamese, and keeps the choices.
    page.select_option("select[name=role]", "leader")
    page.select_option("select[name=person]", str(newcomer.pk))
    page.locator("input[type=submit]").click()
    expect(page.locator(".errornote")).to_have_text("Vui lòng sửa các lỗi dưới đây.")
    shots(page, "appoint-error-desk")

    page.fill("input[name=decision_number]", "45/QĐ-VP")
    page.fill("input[name=signed_on]", "01/12/2026")
    page.fill("input[name=signer_name]", "Nguyễn Quốc Hùng")
    page.fill("input[name=start_date]", "02/12/2026")
    shots(page, "appoint-desk")
    page.locator("input[type=submit]").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Đã bổ nhiệm đ/c Đỗ Văn Nam làm Tổ trưởng")
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Đ/c Hoàng Văn Minh thôi làm Tổ trưởng từ ngày 02/12/2026"
    )
    # Back on the team: the old leader's row is ended under the decision, the new one active.
    old_row = page.locator("#memberships-group tr.has_original", has_text="Hoàng Văn Minh")
    expect(old_row.locator("input[name$=end_date]")).to_have_value("02/12/2026")
    assert Membership.objects.active().get(role=Membership.Role.LEADER).user == newcomer
    shots(page, "team-after-appointment-desk")

    page.goto(f"{live_server.url}/admin/team/membership/{Membership.objects.get(user=leader).pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("Người thực hiện")
    expect(page.locator("#change-history")).to_contain_text("02/12/2026")
    shots(page, "history-desk")


def test_the_team_page_warns_while_the_team_has_no_leader(
    page, phone, live_server, admin_user, team, deputy, member, shots
):
    log_in(phone, live_server.url, member.username)
    phone.goto(f"{live_server.url}/team/")
    warning = phone.locator("[data-testid=command-warning]")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("hiện không có Tổ trưởng")
    expect(warning.locator("a")).to_have_count(0)  # a member cannot appoint
    shots(phone, "team-no-leader-phone")

    # The administrator sees the same warning with the way to the appointment page.
    log_in(page, live_server.url, admin_user.username)
    page.goto(f"{live_server.url}/team/")
    shots(page, "team-no-leader-desk")
    page.locator("[data-testid=command-warning] a").click()
    expect(page.locator("h1")).to_have_text("Bổ nhiệm Tổ trưởng / Tổ phó mới")
    expect(page.locator(".messagelist .warning")).to_contain_text("hiện không có Tổ trưởng")


def test_a_member_looks_at_next_weeks_duty_and_their_own_shifts(
    page, phone, live_server, team, leader, deputy, member, shots
):
    today = timezone.localdate()
    next_monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    services.schedule_shift(team=team, day=today, start=time(7, 30), end=time(17, 0), member=leader, backup=deputy)
    services.schedule_shift(
        team=team, day=next_monday + timedelta(days=1), start=time(17, 0), end=time(7, 30), member=member, backup=deputy
    )
    for browser, name in ((page, "desk"), (phone, "phone")):
        log_in(browser, live_server.url, member.username)
        browser.goto(f"{live_server.url}/team/")
        mine = browser.locator("[data-testid=my-shifts]")
        expect(mine).to_contain_text("Ca trực của tôi")
        expect(mine).to_contain_text((next_monday + timedelta(days=1)).strftime("%d/%m/%Y"))
        shots(browser, f"roster-this-week-{name}")
        browser.locator("[data-testid=next-week]").click()
        week = browser.locator("[data-testid=week-duty]")
        expect(week).to_contain_text("Lê Anh Tuấn")
        expect(week).not_to_contain_text("Hoàng Văn Minh")
        expect(browser.locator("h2", has_text="Lịch trực tuần")).to_contain_text(next_monday.strftime("%d/%m/%Y"))
        # Today's duty stays on the page while another week is shown.
        expect(browser.locator("[data-testid=today-shift]")).to_contain_text("Hoàng Văn Minh")
        shots(browser, f"roster-next-week-{name}")
        browser.locator("[data-testid=previous-week]").click()
        expect(browser.locator("h2", has_text="Lịch trực tuần")).to_contain_text("tuần này")


def test_the_pickers_built_by_the_admins_javascript_are_vietnamese(page, live_server, admin_user, shots):
    log_in(page, live_server.url, admin_user.username)
    page.goto(f"{live_server.url}/admin/team/user/{admin_user.pk}/change/")
    selector = page.locator(".field-groups .selector")
    expect(selector).to_be_visible()
    text = selector.inner_text() + " ".join(
        selector.locator("[title]").evaluate_all("nodes => nodes.map(n => n.title)")
    )
    assert "Choose" not in text and "Remove" not in text and "Type into" not in text
    shots(page, "user-change-desk")

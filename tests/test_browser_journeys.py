"""Browser journeys in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright)."""

import pytest
from playwright.sync_api import expect

from team.models import Membership
from tests.conftest import appoint, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def six_member_team(team, leader, deputy, member, make_user):
    for _ in range(3):
        appoint(team, make_user())
    return team


def test_an_administrator_adds_a_member_in_admin_and_sees_him_on_the_team_page(
    page, live_server, six_member_team, admin_user, make_user, departments
):
    newcomer = make_user("Nguyễn Đức Hải", department=departments["TH"])
    log_in(page, live_server.url, admin_user.username)
    assert page.locator("html").get_attribute("lang") == "vi"

    page.goto(f"{live_server.url}/admin/team/membership/add/")
    assert "Thêm" in page.locator("h1").inner_text()  # Django admin in Vietnamese
    page.select_option("select[name=team]", str(six_member_team.pk))
    # The person field is an autocomplete: open it, type, pick the match.
    page.locator(".field-user .select2-selection").click()
    page.locator(".select2-search__field").fill("Đức Hải")
    page.locator(".select2-results__option", has_text="Nguyễn Đức Hải").click()
    page.select_option("select[name=role]", "member")
    page.fill("input[name=start_date]", "01/09/2026")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)

    page.goto(f"{live_server.url}/team/")
    roster = page.locator("[data-testid=roster]")
    row = roster.locator("tr", has_text="Nguyễn Đức Hải")
    assert row.count() == 1
    assert "Tổ viên" in row.inner_text()
    assert "Phòng Tổng hợp" in row.inner_text()
    assert "7/7" in page.locator("h2", has_text="Danh sách").inner_text()
    assert Membership.objects.active().filter(user=newcomer).exists()


def test_the_admin_shows_the_eighth_member_refusal_in_vietnamese(
    page, live_server, six_member_team, admin_user, make_user
):
    appoint(six_member_team, make_user())  # now 7
    extra = make_user("Tống Trung Kiên")
    log_in(page, live_server.url, admin_user.username)
    page.goto(f"{live_server.url}/admin/team/membership/add/")
    page.select_option("select[name=team]", str(six_member_team.pk))
    page.locator(".field-user .select2-selection").click()
    page.locator(".select2-search__field").fill("Trung Kiên")
    page.locator(".select2-results__option", has_text="Tống Trung Kiên").click()
    page.fill("input[name=start_date]", "01/09/2026")
    page.locator("input[name=_save]").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert "7" in page.locator(".errorlist").inner_text()
    assert "thành viên" in page.locator(".errorlist").inner_text()
    assert not Membership.objects.filter(user=extra).exists()


def test_a_staff_member_finds_who_is_on_the_team_and_switches_to_english(page, live_server, staff, leader, team):
    log_in(page, live_server.url, staff.username)
    assert page.locator("h1").inner_text().startswith("Xin chào")
    page.get_by_role("link", name="Tổ bảo vệ an ninh, trật tự").first.click()
    assert "Hoàng Văn Minh" in page.locator("[data-testid=roster]").inner_text()
    assert "Tổ trưởng" in page.locator("[data-testid=roster]").inner_text()

    page.locator("button[name=language][value=en]").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "Team leader" in page.locator("[data-testid=roster]").inner_text()


def test_pages_load_with_no_csp_violations(page, live_server, admin_user, leader, team):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server.url, admin_user.username)
    for path in ["/", "/team/", "/admin/", f"/admin/team/team/{team.pk}/change/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        assert "content-security-policy" in response.headers
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_a_wrong_password_then_login_on_a_phone(phone, live_server, staff):
    log_in(phone, live_server.url, staff.username, password="sai-mat-khau-roi")
    assert "mật khẩu chính xác" in phone.locator(".alert").inner_text()
    log_in(phone, live_server.url, staff.username)
    assert phone.locator("h1").inner_text().startswith("Xin chào")
    # On a narrow screen the menu folds behind the toggler (Bootstrap JS, no inline script).
    logout = phone.get_by_role("button", name="Đăng xuất")
    expect(logout).to_be_hidden()
    phone.locator(".navbar-toggler").click()
    phone.locator("[data-testid=current-user]").click()  # the personal menu
    expect(logout).to_be_visible()
    logout.click()
    expect(phone.locator("input[name=username]")).to_be_visible()  # back at the login page

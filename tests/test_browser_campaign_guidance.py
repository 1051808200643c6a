"""Browser journeys: a staff member opens a material in another tab, comes back to an enabled button, checks in
and is told he is done; the organiser finds two people with the picker's search box; the year's coverage per
department."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns import services
from campaigns.models import Campaign, Participant
from tests.conftest import log_in
from tests.support.campaigns import campaign_of, rules_material, session_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running(member, staff, leader, live_server):
    campaign = campaign_of(member, title="Quán triệt Nội quy bảo vệ cơ quan")
    session_now(campaign, presenter=leader)
    for title in ("Nội quy bảo vệ cơ quan", "Quy chế bảo vệ bí mật nhà nước"):
        rules_material(campaign, title=title, link=f"{live_server.url}/static/css/app.css")
    services.schedule(campaign)
    return campaign


def test_staff_reads_in_another_tab_comes_back_confirms_checks_in_and_is_done(phone, live_server, running, staff):
    log_in(phone, live_server.url, staff.username)
    phone.goto(f"{live_server.url}{running.get_absolute_url()}")
    confirm = phone.locator("[data-testid=acknowledge] button")
    expect(confirm).to_be_disabled()
    expect(phone.get_by_text("Nút xác nhận sẽ bật khi đồng chí đã mở tất cả tài liệu.")).to_be_visible()

    # The first material by a tap (a new tab), then back.
    with phone.context.expect_page() as tab:
        phone.locator("[data-testid=materials] a").nth(0).click()
    tab.value.close()
    expect(phone.locator("[data-testid=opened]")).to_have_count(1)  # marked at once, no reload
    expect(confirm).to_be_disabled()  # one of two

    # The second one opened another way (a long press → "open in new tab" fires no click): coming back to the
    # page is enough, the page asks the server what was opened.
    other = phone.context.new_page()
    other.goto(f"{live_server.url}/campaigns/materials/{running.materials.order_by('pk').last().pk}/")
    other.close()
    phone.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(confirm).to_be_enabled()
    expect(phone.locator("[data-testid=opened]")).to_have_count(2)
    confirm.click()
    expect(phone.locator("[data-testid=done]")).to_contain_text("Đồng chí đã hoàn thành chiến dịch này lúc")

    # Checking in as well: still done, nothing more is asked.
    phone.goto(f"{live_server.url}/campaigns/check-in/")
    phone.fill("input[name=code]", running.sessions.get().check_in_code)
    phone.locator("[data-testid=check-in-form] button").click()
    expect(phone.locator("[data-testid=done]")).to_be_visible()
    expect(phone.locator("[data-testid=optional]")).to_have_text("Đồng chí không cần làm gì thêm.")
    expect(phone.get_by_text("Vui lòng mở tất cả tài liệu")).to_have_count(0)
    entry = Participant.objects.get(campaign=running, user=staff)
    assert entry.acknowledged_at and entry.attended_at


def test_checked_in_first_then_reading_is_optional(phone, live_server, running, staff):
    log_in(phone, live_server.url, staff.username)
    phone.goto(f"{live_server.url}/campaigns/check-in/?code={running.sessions.get().check_in_code}")
    phone.locator("[data-testid=check-in-form] button").click()
    expect(phone.locator("[data-testid=done]")).to_contain_text("Đồng chí đã hoàn thành chiến dịch này lúc")
    expect(phone.locator("[data-testid=optional]")).to_contain_text("Không bắt buộc")


def test_organiser_finds_two_people_with_the_search_box(page, live_server, member, staff, leader, make_user):
    for n in range(25):
        make_user(f"Nguyễn Văn Người{n}")
    today = timezone.localdate()
    log_in(page, live_server.url, member.username)
    page.goto(f"{live_server.url}/campaigns/new/")
    page.fill("input[name=title]", "Phổ biến cho hai người")
    page.select_option("select[name=theme]", "other")
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", today.isoformat())
    page.select_option("select[name=audience]", "people")
    search = page.get_by_role("searchbox", name="Tìm theo tên hoặc đơn vị")
    items = page.locator("[data-checklist-item]")

    # Without diacritics, words in any order.
    search.fill("hoa pham")
    expect(items.filter(visible=True)).to_have_count(1)
    page.get_by_label(f"{staff.full_name} · Phòng Tổng hợp").check()
    search.fill("minh")
    expect(items.filter(visible=True)).to_have_count(1)
    # By keyboard: from the box, Tab to the only row left, Space ticks it.
    search.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_label(leader.full_name, exact=False)).to_be_checked()
    search.press("Enter")  # does not send the form
    expect(page.locator("[data-checklist-count]")).to_contain_text("Đã chọn: 2")
    search.fill("không có ai tên này")
    expect(page.get_by_text("Không có ai khớp với từ khóa.")).to_be_visible()
    search.fill("")
    expect(items.filter(visible=True)).to_have_count(items.count())

    page.locator("[data-testid=campaign-form] button[type=submit]").click()
    expect(page.locator("[data-testid=next-steps]")).to_be_visible()
    assert set(Campaign.objects.get().people.all()) == {staff, leader}


def test_leader_sees_the_year_coverage_per_department(page, live_server, running, leader, staff):
    Participant.objects.filter(user=staff).update(attended_at=timezone.now())
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}/campaigns/coverage/{running.starts_on.year}/")
    table = page.locator("[data-testid=year-departments]")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name="Phòng Tổng hợp")).to_contain_text("50,0%")
    with page.expect_download() as download:
        page.locator("[data-testid=year-export]").get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename == f"pho-bien-{running.starts_on.year}.xlsx"

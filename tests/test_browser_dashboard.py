"""Browser journey of the dashboard: the leader opens it, follows the overdue number and a bar of the
category chart to the queue, and the figures read on a phone and a desk (screenshots for a person to look at)."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Category, Incident
from tests.conftest import log_in
from tests.support.incidents import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_cache(settings):
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def office_month(staff, member, leader, category):
    fire = Category.objects.create(code="fire", name="Cháy nổ", order=1)
    theft = report(staff, category)
    late = report(member, category, place_detail="Cổng chính")
    burning = report(staff, fire, proposed_severity=4)
    Incident.objects.filter(pk=late.pk).update(acknowledge_due_at=timezone.now() - timedelta(minutes=5))
    return {"fire": fire, "theft": theft, "late": late, "burning": burning}


def csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def click_bar(page, chart: str, label: str) -> None:
    """Click the middle of the bar of `label` in the chart drawn on canvas[data-chart=<chart>]."""
    canvas = page.locator(f"canvas[data-chart={chart}]")
    canvas.scroll_into_view_if_needed()
    point = page.evaluate(
        """([chart, label]) => {
            const canvas = document.querySelector(`canvas[data-chart=${chart}]`);
            const index = canvas.chart.data.labels.indexOf(label);
            const bar = canvas.chart.getDatasetMeta(0).data[index];
            const middle = bar.getCenterPoint();
            return {x: middle.x, y: middle.y};
        }""",
        [chart, label],
    )
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_the_leader_follows_the_figures_to_the_queue(page, live_server, leader, office_month):
    errors = csp_errors(page)
    log_in(page, live_server.url, leader.username)
    page.locator("[data-testid=dashboard-link]").first.click()
    expect(page.locator("h1")).to_have_text("Bảng số liệu")
    expect(page.locator("[data-testid=summary-filed]")).to_contain_text("3")
    expect(page.locator("[data-testid=summary-overdue]")).to_contain_text("1")
    # The chart is drawn (Chart.js from the site itself, no inline script), beside its table.
    page.wait_for_function("() => document.querySelector('canvas[data-chart=chart-category]').chart !== undefined")
    expect(page.locator("[data-testid=table-category]")).to_contain_text("Cháy nổ")

    page.locator("[data-testid=summary-overdue]").click()
    expect(page.locator("h1")).to_have_text("Danh sách vụ việc cần xử lý")
    expect(page.locator("input[name=overdue]")).to_be_checked()
    table = page.locator("main table")
    expect(table).to_contain_text(office_month["late"].reference)
    expect(table).not_to_contain_text(office_month["theft"].reference)

    page.go_back()
    page.wait_for_function("() => document.querySelector('canvas[data-chart=chart-category]').chart !== undefined")
    click_bar(page, "chart-category", "Cháy nổ")
    page.wait_for_url("**/incidents/?**")
    expect(page.locator("select[name=category]")).to_have_value(str(office_month["fire"].pk))
    expect(table).to_contain_text(office_month["burning"].reference)
    expect(table).not_to_contain_text(office_month["late"].reference)
    assert not [error for error in errors if "Content Security Policy" in error or "Chart" in error], errors


def test_the_dashboard_reads_on_a_phone_and_a_desk(page, phone, live_server, leader, office_month, tmp_path):
    """Screenshots go to $SCREENSHOT_DIR to look at them, else the test's temporary folder."""
    shots = os.environ.get("SCREENSHOT_DIR") or str(tmp_path)
    os.makedirs(shots, exist_ok=True)
    sizes = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
    for name, browser_page in (("desk", page), ("phone", phone)):
        browser_page.set_viewport_size(sizes[name])
        log_in(browser_page, live_server.url, leader.username)
        browser_page.goto(f"{live_server.url}/dashboard/?period=year")
        browser_page.wait_for_function(
            "() => document.querySelector('canvas[data-chart=chart-months]').chart !== undefined"
        )
        # Nothing wider than the screen: the tables scroll inside their own box.
        width = browser_page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= browser_page.viewport_size["width"], (name, width)
        browser_page.screenshot(path=f"{shots}/dashboard-{name}.png", full_page=True)
        browser_page.goto(f"{live_server.url}/dashboard/?since=31/02/2026&until=01/01/2026")
        expect(browser_page.locator("[data-testid=filter-error]").first).to_contain_text("Nhập một ngày hợp lệ")
        browser_page.screenshot(path=f"{shots}/dashboard-error-{name}.png")

"""Browser journeys on a phone (390 px): my reports as cards, the team's tap-to-call links, the queue's quick
tabs and filter panel, and tap targets a thumb can hit."""

import pytest
from playwright.sync_api import expect

from incidents import services
from incidents.models import Status
from tests.conftest import log_in
from tests.support.incidents import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
TAP = 44  # px, WCAG 2.5.5 and the platforms' guidance

# What a thumb taps: action buttons, checkboxes (with their label), links in lists, pages, tabs.
TAP_TARGETS = ".btn, .page-link, .nav-link, .form-check, .list-card, table a, [data-testid=roster-card] a, summary"


def sideways_overflow(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


def too_small_targets(page) -> list[str]:
    return page.evaluate(
        """([selector, size]) => [...document.querySelectorAll(selector)]
            .filter(el => el.offsetParent !== null)
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, box]) => box.width < size || box.height < size)
            .map(([el, box]) => `${el.className} "${el.textContent.trim().slice(0, 30)}" ${box.width}x${box.height}`)
        """,
        [TAP_TARGETS, TAP],
    )


def test_a_staff_member_sees_his_reports_as_cards_and_calls_the_team(phone, live_server, staff, member, team, category):
    member.phone = "0912 345 678"
    member.save()
    team.regulations.create(version=1, title="Quy chế hoạt động", effective_from=team.start_date, content="Điều 1.")
    incident = report(staff, category, place_detail="Bãi xe phía sau")
    services.transition(incident_id=incident.pk, name="acknowledge", actor=member, version=incident.version)

    log_in(phone, live_server.url, staff.username)
    phone.goto(f"{live_server.url}/incidents/")
    card = phone.locator("[data-testid=incident-card]").first
    status = card.locator("[data-testid=card-status]")
    expect(status).to_have_text(str(Status.ACKNOWLEDGED.label))
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH  # no swipe sideways to read it
    assert sideways_overflow(phone) <= 0
    expect(card).to_contain_text(incident.reference)
    expect(card).to_contain_text("Bãi xe phía sau")
    expect(phone.locator("[data-testid=incident-table]")).to_be_hidden()
    expect(phone.locator("[data-testid=export-csv]")).to_have_count(0)  # staff do not export
    assert too_small_targets(phone) == []
    card.click()  # the whole card opens the report
    expect(phone.locator("h1")).to_contain_text(incident.reference)

    phone.goto(f"{live_server.url}/team/")
    call = phone.locator("[data-testid=roster-card]", has_text=member.full_name).locator("[data-testid=call]")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:0912345678")
    expect(phone.locator("[data-testid=roster]")).to_be_hidden()
    expect(phone.locator("summary")).to_be_visible()  # the regulation, folded
    assert sideways_overflow(phone) <= 0
    assert too_small_targets(phone) == []


def test_the_queue_on_a_phone_keeps_its_filters_folded_behind_quick_tabs(phone, live_server, leader, staff, category):
    fresh = report(staff, category)
    handled = report(staff, category)
    services.transition(incident_id=handled.pk, name="acknowledge", actor=leader, version=handled.version)

    log_in(phone, live_server.url, leader.username)
    phone.goto(f"{live_server.url}/incidents/")
    filters = phone.locator("[data-testid=queue-filters]")
    expect(filters).to_be_hidden()  # the list comes first
    first_card = phone.locator("[data-testid=incident-card]").first.bounding_box()
    assert first_card["y"] < 844 / 2
    phone.locator("[data-testid=tab-new]").click()
    expect(phone.locator("[data-testid=tab-new]")).to_have_attribute("aria-current", "page")
    expect(phone.locator("[data-testid=incident-cards]")).to_contain_text(fresh.reference)
    expect(phone.locator("[data-testid=incident-cards]")).not_to_contain_text(handled.reference)
    expect(filters).to_be_hidden()  # a tab is not a reason to unfold the panel

    phone.locator("[data-testid=filters-toggle]").click()
    expect(filters).to_be_visible()
    assert too_small_targets(phone) == []
    phone.select_option("[data-testid=queue-filters] select[name=status]", Status.ACKNOWLEDGED.value)
    filters.locator("button[type=submit]").click()
    expect(phone.locator("[data-testid=incident-cards]")).to_contain_text(handled.reference)
    expect(filters).to_be_visible()  # a filter is set: the panel shows it
    assert sideways_overflow(phone) <= 0


def test_the_desk_keeps_the_table_and_the_open_filters(page, live_server, leader, staff, category):
    incident = report(staff, category)
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}/incidents/")
    expect(page.locator("[data-testid=queue-filters]")).to_be_visible()
    expect(page.locator("[data-testid=filters-toggle]")).to_be_hidden()
    expect(page.locator("[data-testid=incident-table]")).to_contain_text(incident.reference)
    expect(page.locator("[data-testid=incident-cards]")).to_be_hidden()
    expect(page.locator("[data-testid=export-xlsx]")).to_be_visible()


def test_the_report_form_on_a_phone_has_thumb_sized_targets_and_prompts(phone, live_server, staff, category):
    log_in(phone, live_server.url, staff.username)
    phone.goto(f"{live_server.url}/incidents/new/")
    expect(phone.locator("select[name=category] option").first).to_have_text("— Chọn loại vụ việc —")
    assert too_small_targets(phone) == []
    assert sideways_overflow(phone) <= 0

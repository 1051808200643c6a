"""Browser journey on a phone (390 px): the member on duty opens the scan addresses of two checkpoints, as the
phone's camera would, presses the button at each, and sees 2/3 on "Ca trực của tôi"; and the patrol pages pass
axe-core on a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patrols.models import RoundStop
from tests.conftest import PASSWORD, log_in
from tests.support.patrols import checkpoints, round_in, shift_around
from tests.test_browser_accessibility import DEVICES, axe_violations, described
from tests.test_browser_phones import sideways_overflow, too_small_targets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_member_on_duty_scans_two_checkpoints_and_sees_his_round_at_2_of_3(
    phone, live_server, team, member, leader
):
    points = checkpoints(3)
    round_ = round_in(shift_around(team, member, timezone.now()), leader, points)

    # The camera opens the first code's address before he has logged in: the login brings him back to it.
    phone.goto(f"{live_server.url}{points[0].get_scan_url()}")
    phone.fill("input[name=username]", member.username)
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    expect(phone.locator("[data-testid=checkpoint-place]")).to_have_text(str(points[0].place))
    assert not RoundStop.objects.filter(visited_at__isnull=False).exists()  # opening the page recorded nothing
    button = phone.locator("[data-testid=record-visit]")
    expect(button).to_be_visible()
    assert button.bounding_box()["height"] >= 44 and sideways_overflow(phone) <= 0
    button.click()
    phone.wait_for_load_state()
    expect(phone.locator("[data-testid=round-progress]")).to_have_attribute("data-visited", "1")

    phone.goto(f"{live_server.url}{points[2].get_scan_url()}")
    phone.locator("[data-testid=record-visit]").click()
    phone.wait_for_load_state()

    # Back on "Ca trực của tôi": what happened, and the round at 2/3 with the two ticked.
    expect(phone.locator(".alert-success")).to_contain_text("2/3")
    progress = phone.locator("[data-testid=patrol-round]").locator("[data-testid=round-progress]")
    expect(progress).to_have_attribute("data-visited", "2")
    expect(progress).to_have_attribute("data-total", "3")
    expect(progress).to_contain_text("2/3")
    ticks = phone.locator("[data-testid=round-stop]")
    expect(ticks).to_have_count(3)
    assert [ticks.nth(n).get_attribute("data-visited") for n in range(3)] == ["1", "0", "1"]
    expect(phone.locator("[data-testid=scan-hint]")).to_be_visible()
    assert sideways_overflow(phone) <= 0
    assert too_small_targets(phone) == []
    assert set(RoundStop.objects.filter(round=round_, visited_by=member).values_list("checkpoint", flat=True)) == {
        points[0].pk,
        points[2].pk,
    }

    # The same code again: nothing more is recorded, and the page says when it was.
    phone.goto(f"{live_server.url}{points[2].get_scan_url()}")
    expect(phone.locator("[data-testid=scan-refusal]")).to_be_visible()
    expect(phone.locator("[data-testid=record-visit]")).to_have_count(0)


def test_the_patrol_pages_have_no_serious_accessibility_violation_on_a_phone(browser, plain_http, team, member, leader):
    points = checkpoints(3)
    round_ = round_in(shift_around(team, member, timezone.now()), leader, points)
    RoundStop.objects.filter(round=round_, position=1).update(visited_at=timezone.now(), visited_by=member)
    pages = [
        (member, "/duty/"),  # the panel: the round, its ticks, the hint
        (member, points[1].get_scan_url()),  # the button
        (member, points[0].get_scan_url()),  # already recorded: the refusal
        (member, round_.get_absolute_url()),
        (leader, "/patrols/"),
        (leader, f"/patrols/plan/?shift={round_.shift_id}"),
        (leader, "/patrols/checkpoints/"),
        (leader, "/patrols/checkpoints/qr/"),
    ]
    context = browser.new_context(bypass_csp=True, locale="vi-VN", **DEVICES["phone"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    found, current = [], None
    try:
        for who, path in pages:
            if who != current:
                log_in(page, plain_http.url, who.username)
                current = who
            assert page.goto(f"{plain_http.url}{path}").status == 200, path
            if violations := axe_violations(page):
                found.append(described(f"{path} as {who}", violations))
    finally:
        context.close()
    assert not found, "\n".join(found)

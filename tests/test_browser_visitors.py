"""Browser journey on a phone: the member on duty checks a pre-registered visitor in and out from "Ca trực của
tôi", and the host, logging in, finds the notice of the arrival in the inbox."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import log_in
from tests.support.visitors import expected, put_on_duty
from tests.test_browser_phones import too_small_targets
from visitors.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CCCD = "001190012345"


def sideways_overflow(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


def test_the_member_on_duty_checks_a_visitor_in_and_out_and_the_host_is_told(
    phone, page, live_server, team, member, staff
):
    with transaction.atomic():
        put_on_duty(team, member)
        visit = expected(
            staff, name="Trần Quốc Bảo", organisation="Sở Văn hóa", at=timezone.now() + timedelta(minutes=20)
        )

    log_in(phone, live_server.url, member.username)
    phone.goto(f"{live_server.url}/duty/")
    expect(phone.locator("[data-testid=visitors-expected-count]")).to_have_text("1")
    phone.locator("[data-testid=visitors-gate-button]").click()

    arriving = phone.locator("[data-testid=expected-visit]")
    expect(arriving).to_contain_text("Trần Quốc Bảo")
    assert sideways_overflow(phone) <= 0
    assert too_small_targets(phone) == []  # a thumb hits "Arrived", "New visitor", "Excel"
    arriving.locator("[data-testid=check-in]").click()  # one tap opens the check-in, pre-filled

    expect(phone.locator("input[name=visitor_name]")).to_have_value("Trần Quốc Bảo")
    expect(phone.locator("input[name=organisation]")).to_have_value("Sở Văn hóa")
    expect(phone.locator("[data-testid=privacy-notice]")).to_be_visible()
    phone.select_option("select[name=id_document_type]", "cccd")
    phone.fill("input[name=id_number]", CCCD)
    phone.fill("input[name=vehicle_plate]", "30a-123.45")
    phone.fill("input[name=badge_number]", "K07")
    assert sideways_overflow(phone) <= 0
    phone.locator("[data-testid=confirm-check-in]").click()

    expect(phone.locator(".alert-success")).to_contain_text("Trần Quốc Bảo")
    now_inside = phone.locator("[data-testid=inside-visit]")
    expect(now_inside).to_contain_text("30A-123.45")
    expect(now_inside.locator("[data-testid=id-number]")).to_have_text(CCCD)  # the member on duty reads it
    expect(phone.locator("[data-testid=expected-visit]")).to_have_count(0)
    assert too_small_targets(phone) == []
    now_inside.locator("[data-testid=check-out]").click()

    expect(phone.locator(".alert-success")).to_contain_text("Trần Quốc Bảo")
    expect(phone.locator("[data-testid=left-visit]")).to_contain_text("Trần Quốc Bảo")
    expect(phone.locator("[data-testid=inside-visit]")).to_have_count(0)
    visit.refresh_from_db()
    assert visit.checked_in_by == visit.checked_out_by == member and visit.id_number == CCCD

    log_in(page, live_server.url, staff.username)
    page.locator("[data-testid=inbox-link]").click()
    notice = page.locator("[data-testid=notification]").filter(has_text="Trần Quốc Bảo")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(member.get_full_name())
    notice.click()
    expect(page.locator("h1")).to_have_text("Trần Quốc Bảo")  # the visit, as the host may see it
    expect(page.locator("[data-testid=id-number]")).to_have_text("••••••••2345")
    assert Visit.objects.get(pk=visit.pk).host == staff

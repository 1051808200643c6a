"""Browser journey: a team member proposes a colleague on his phone for an ad-hoc certificate linked to an
incident; the team leader reviews on his desktop; the Chief approves; the leader records the decision; the
colleague logs in and finds it under "Your commendations"."""

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from evaluations.models import Commendation
from notifications.models import Notification
from tests.conftest import log_in
from tests.test_commendations import file_incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_a_proposal_on_a_phone_goes_through_review_approval_and_decision(
    browser, phone, page, live_server, member, staff, leader, chief, category
):
    incident = file_incident(staff, category, description="Đối tượng lạ cạy khóa kho lưu trữ tầng 3")
    base = live_server.url

    # 1. Tuấn, on his phone, proposes his colleague Hoa for an ad-hoc certificate of the Chief of Office.
    log_in(phone, base, member.username)
    phone.goto(f"{base}/evaluations/commendations/")
    phone.locator("[data-testid=propose]").click()
    phone.check("input[name=kind][value=ad_hoc]")
    phone.select_option("select[name=form]", "chief_certificate")
    phone.select_option("select[name=person]", str(staff.pk))
    phone.fill(
        "textarea[name=achievement]",
        "Phát hiện kịp thời đối tượng cạy khóa kho lưu trữ, báo Tổ trực và giữ nguyên hiện trường.",
    )
    phone.get_by_label(incident.reference, exact=False).check()
    phone.locator("[data-testid=proposal-form] button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    expect(phone.locator("[data-testid=links]")).to_contain_text(incident.reference)
    commendation = Commendation.objects.get()
    assert commendation.person == staff and commendation.kind == Commendation.Kind.AD_HOC
    assert list(commendation.incidents.all()) == [incident]
    # Nothing for Hoa to see yet: it is only a proposal.
    assert not Notification.objects.filter(recipient=staff, kind__startswith="evaluations.").exists()

    # 2. The team leader reviews it on his desktop, from the register.
    log_in(page, base, leader.username)
    page.goto(f"{base}/evaluations/commendations/")
    page.get_by_role("link", name=staff.full_name).click()
    page.fill("[data-testid=review] textarea", "Đề nghị khen thưởng đột xuất.")
    page.locator("[data-testid=review] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=history]")).to_contain_text("Đề nghị khen thưởng đột xuất.")

    # 3. The Chief approves.
    chief_context, chief_page = desktop(browser)
    log_in(chief_page, base, chief.username)
    chief_page.goto(f"{base}{commendation.get_absolute_url()}")
    chief_page.locator("[data-testid=approve] button[type=submit]").click()
    expect(chief_page.locator(".alert-success")).to_be_visible()
    chief_context.close()
    commendation.refresh_from_db()
    assert commendation.status == Commendation.Status.APPROVED and commendation.decided_by == chief

    # 4. The leader records the decision number and date.
    page.reload()
    page.fill("[data-testid=record] input[name=record-number]", "15/QĐ-VP")
    page.fill("[data-testid=record] input[name=record-date]", timezone.localdate().isoformat())
    page.locator("[data-testid=record] button[type=submit]").click()
    expect(page.locator("[data-testid=decision]")).to_contain_text("15/QĐ-VP")
    with translation.override("vi"):
        granted = str(Commendation.Status.DECIDED.label)
    expect(page.locator("[data-testid=commendation-status]")).to_have_text(granted)
    commendation.refresh_from_db()
    assert commendation.status == Commendation.Status.DECIDED

    # 5. Hoa logs in and finds it under "Your commendations".
    hoa_context, hoa = desktop(browser)
    log_in(hoa, base, staff.username)
    hoa.goto(f"{base}/evaluations/commendations/")
    with translation.override("vi"):
        title = gettext("Your commendations")
    expect(hoa.locator("h1")).to_have_text(title)
    expect(hoa.locator("[data-testid=register]")).to_contain_text("15/QĐ-VP")
    assert hoa.locator("[data-testid=propose]").count() == 0
    hoa.get_by_role("link", name=staff.full_name).click()
    expect(hoa.locator("[data-testid=achievement]")).to_contain_text("cạy khóa kho lưu trữ")
    hoa_context.close()
    assert Notification.objects.filter(recipient=staff, kind="evaluations.commendation_granted").count() == 1

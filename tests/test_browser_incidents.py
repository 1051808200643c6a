"""Browser journeys for incidents: file from a phone, handle in the team, escalate, acknowledge, follow up."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import expect

from incidents.models import EscalationLevel, Incident, Status
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_full_journey_of_a_report(phone, page, live_server, staff, leader, member, category, positions, make_user):
    deputy_chief = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    EscalationLevel.objects.create(order=1, position=positions["deputy_chief"], person_in_charge=deputy_chief)

    # 1. A staff member reports from his phone, with a photo.
    log_in(phone, live_server.url, staff.username)
    phone.locator("[data-testid=report-button]").click()
    phone.select_option("select[name=category]", str(category.pk))
    earlier = timezone.localtime() - timedelta(minutes=30)
    phone.fill("input[name=occurred_at]", earlier.strftime("%Y-%m-%dT%H:%M"))
    phone.fill("textarea[name=description]", "Mất xe máy Honda tại bãi xe phía sau")
    phone.locator("input[name=proposed_severity][value='3']").check()
    phone.set_input_files(
        "input[name=attachments]", files=[{"name": "bai-xe.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    phone.locator("[data-testid=incident-form] button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    incident = Incident.objects.get()
    expect(phone.locator("h1")).to_contain_text(incident.reference)
    expect(phone.locator("[data-testid=attachments]")).to_contain_text("bai-xe.jpg")

    # 2. The leader finds it in the queue, assigns it and escalates it.
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}/incidents/")
    page.fill("input[name=q]", "xe may honda")  # no diacritics, still found
    page.locator("[data-testid=queue-filters] button[type=submit]").click()
    page.get_by_role("link", name=incident.reference).click()
    page.select_option("[data-testid=assign-form] select[name=assignee]", str(member.pk))
    page.locator("[data-testid=assign-form] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.locator("[data-testid=action-button-escalate]").click()  # opens its own labelled reason
    page.fill("[data-testid=action-escalate] textarea[name=reason]", "Giá trị tài sản lớn, cần báo Công an phường")
    page.locator("[data-testid=action-escalate] button").click()
    expect(page.locator("[data-testid=escalation]")).to_be_visible()

    # 3. The Deputy Chief in charge sees the escalation and acknowledges it.
    log_in(page, live_server.url, deputy_chief.username)
    expect(page.locator("[data-testid=unread-badge]")).to_be_visible()
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    page.locator("[data-testid=acknowledge-escalation] button").click()
    expect(page.locator("[data-testid=escalation]")).to_contain_text(deputy_chief.full_name)

    # 4. The reporter sees the new status on his report.
    phone.goto(f"{live_server.url}/incidents/")
    expect(phone.locator("[data-testid=incident-cards]")).to_contain_text(incident.reference)  # cards on a phone
    phone.get_by_role("link", name=incident.reference).click()
    incident.refresh_from_db()
    assert incident.status == Status.ESCALATED and incident.assignee == member
    with translation.override("vi"):  # what the reporter's browser shows
        expect(phone.locator("[data-testid=status]")).to_have_text(str(incident.get_status_display()))
    expect(phone.locator("[data-testid=timeline]")).not_to_contain_text("Giá trị tài sản lớn")  # internal reason


def test_a_disguised_file_is_refused_on_the_phone_and_the_text_is_kept(phone, live_server, staff, category):
    log_in(phone, live_server.url, staff.username)
    phone.goto(f"{live_server.url}/incidents/new/")
    phone.select_option("select[name=category]", str(category.pk))
    phone.fill("textarea[name=description]", "Có người lạ ở cổng")
    phone.set_input_files(
        "input[name=attachments]",
        files=[{"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": b"<svg onload=alert(1)></svg>"}],
    )
    phone.locator("[data-testid=incident-form] button[type=submit]").click()
    expect(phone.locator("[data-testid=incident-form]")).to_contain_text("anh.jpg")
    expect(phone.locator("textarea[name=description]")).to_have_value("Có người lạ ở cổng")
    assert not Incident.objects.exists()

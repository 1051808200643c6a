"""Browser journeys of issue 10's notices part: a photo added later from a phone, the lost-files warning,
and notifications whose facts stand one to a line in the inbox."""

import io
import os
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from incidents.models import Incident, Place
from team import services as team_services
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")  # set it to keep screenshots of the pages (not committed)
LOST = "Các tệp đã chọn chưa được gửi; vui lòng chọn lại."


def jpeg(colour="darkgreen") -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return {"name": "bien-so-xe.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def shot(page, name):
    if SHOTS:
        if name.startswith("desk"):
            page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_staff_member_adds_a_photo_later_from_his_phone(phone, page, live_server, staff, leader, category):
    # Filing from the phone: a mistake sends the form back, and it says the photo must be chosen again.
    log_in(phone, live_server.url, staff.username)
    phone.locator("[data-testid=report-button]").click()
    phone.select_option("select[name=category]", str(category.pk))
    tomorrow = timezone.localtime() + timedelta(days=1)
    phone.fill("input[name=occurred_at]", tomorrow.strftime("%Y-%m-%dT%H:%M"))
    phone.fill("textarea[name=description]", "Xe lạ đỗ chắn lối thoát hiểm phía sau nhà A")
    phone.set_input_files("input[name=attachments]", files=[jpeg("gray")])
    phone.locator("[data-testid=incident-form] button[type=submit]").click()
    expect(phone.locator("[data-testid=incident-form]")).to_contain_text(LOST)
    shot(phone, "phone-filing-form-lost-files")
    earlier = timezone.localtime() - timedelta(minutes=30)
    phone.fill("input[name=occurred_at]", earlier.strftime("%Y-%m-%dT%H:%M"))
    phone.locator("[data-testid=incident-form] button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    incident = Incident.objects.get()

    # Later, from "Vụ việc tôi đã báo cáo", he adds the number plate and a photo of it.
    phone.goto(f"{live_server.url}/")
    phone.locator(".navbar-toggler").click()
    phone.locator("#main-nav").get_by_role("link", name="Vụ việc, sự cố").click()
    expect(phone.locator("h1")).to_have_text("Vụ việc tôi đã báo cáo")
    phone.get_by_role("link", name=incident.reference).first.click()
    form = phone.locator("[data-testid=info-form]")
    form.scroll_into_view_if_needed()
    shot(phone, "phone-add-info-form")
    form.locator("textarea[name=text]").fill("Biển số xe: 29A-123.45, xe màu trắng.")
    form.locator("input[name=attachments]").set_input_files(files=[jpeg()])
    form.locator("button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_contain_text(f"Đã bổ sung thông tin vào vụ việc {incident.reference}.")

    # The photo is on his timeline, and it loads.
    timeline = phone.locator("[data-testid=timeline]")
    expect(timeline).to_contain_text("Biển số xe: 29A-123.45")
    expect(timeline).to_contain_text("Đã thêm tệp đính kèm: bien-so-xe.jpg")
    photo = timeline.locator("img.timeline-photo")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    assert photo.evaluate("image => image.complete && image.naturalWidth") == 320
    shot(phone, "phone-timeline-photo")
    assert incident.attachments.get().original_name == "bien-so-xe.jpg"

    # The desk view of the same form, for the screenshots.
    log_in(page, live_server.url, staff.username)
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    expect(page.locator("[data-testid=info-form] input[name=attachments]")).to_be_visible()
    shot(page, "desk-add-info-form")


def test_the_inbox_shows_each_fact_on_its_own_line(phone, page, live_server, staff, leader, member, team, category):
    now = timezone.localtime()
    start = now - timedelta(minutes=5)
    team_services.schedule_shift(
        team=team, day=start.date(), start=start.time(), end=(now + timedelta(hours=2)).time(), member=member
    )
    parking = Place.objects.create(name="Bãi xe", kind=Place.Kind.AREA)
    log_in(phone, live_server.url, staff.username)
    phone.locator("[data-testid=report-button]").click()
    phone.select_option("select[name=category]", str(category.pk))
    phone.select_option("select[name=place]", str(parking.pk))
    phone.fill("input[name=place_detail]", "Khu xe máy, dãy B")
    phone.fill("input[name=occurred_at]", (now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))
    phone.fill("textarea[name=description]", "Xe máy bị tháo gương chiếu hậu")
    phone.locator("[data-testid=incident-form] button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    reference = Incident.objects.get().reference

    for browser_page, name in ((phone, "phone"), (page, "desk")):
        log_in(browser_page, live_server.url, member.username)
        browser_page.goto(f"{live_server.url}/notifications/")
        body = browser_page.locator("[data-testid=notification] .notification-body").first
        lines = body.inner_text().splitlines()
        assert lines[0] == f"Có vụ việc mới được báo cáo: {reference}."
        assert "Địa điểm: Bãi xe · Khu xe máy, dãy B" in lines
        assert "Nội dung: Xe máy bị tháo gương chiếu hậu" in lines
        assert "Đã giao cho đ/c Lê Anh Tuấn (đang trực) xử lý." in lines
        shot(browser_page, f"{name}-inbox")

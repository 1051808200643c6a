"""Browser journeys of the duty logbook on a phone: the member on duty writes an entry with a photo and reports it
as an incident; at the end of the shift he hands over, and the next shift takes over."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from duty.models import Handover, LogEntry
from incidents.models import Incident, Place
from tests.conftest import log_in
from tests.support.duty import shift_from, shift_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "darkred").save(buffer, "JPEG")
    return {"name": "cua-kho.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_member_on_duty_writes_an_entry_with_a_photo_and_reports_it_as_an_incident(
    phone, live_server, team, member, deputy, leader, category
):
    Place.objects.create(name="Kho lưu trữ", kind=Place.Kind.ROOM)
    shift_now(team, member, backup=deputy)
    log_in(phone, live_server.url, member.username)
    phone.locator("[data-testid=my-shift-link]").click()  # from the home page: "Ca trực của tôi"
    expect(phone.locator("h1")).to_have_text("Ca trực của tôi")

    form = phone.locator("[data-testid=entry-form]")
    expect(form.locator("input[name=occurred_at]")).not_to_have_value("")  # the time is now, already filled in
    form.locator("textarea[name=text]").fill("Cửa kho lưu trữ bị cạy, khóa hỏng")
    form.locator("select[name=place]").select_option(label="Kho lưu trữ")
    form.locator("input[name=photo]").set_input_files(files=[jpeg()])
    form.locator("button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_contain_text("Đã ghi vào sổ lúc")
    entry = phone.locator("[data-testid=log-entry]").first
    expect(entry).to_contain_text("Cửa kho lưu trữ bị cạy")
    expect(entry.locator("img")).to_be_visible()

    entry.locator("[data-testid=make-incident]").click()
    expect(phone.locator("[data-testid=from-entry]")).to_contain_text("Ảnh của mục ghi được gửi kèm.")
    expect(phone.locator("textarea[name=description]")).to_have_value("Cửa kho lưu trữ bị cạy, khóa hỏng")
    phone.select_option("select[name=category]", str(category.pk))
    phone.locator("[data-testid=incident-form] button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_contain_text("từ mục ghi sổ trực lúc")
    incident = Incident.objects.get()
    assert incident.attachments.count() == 1 and LogEntry.objects.get().incident == incident
    phone.locator("[data-testid=from-log] a").click()  # back to the log, the entry names the incident
    expect(phone.locator("[data-testid=entry-incident]")).to_have_text(f"Vụ việc {incident.reference}")


def test_the_member_hands_over_and_the_next_shift_takes_over(browser, phone, live_server, team, member, leader):
    shift = shift_now(team, member, started_hours_ago=8, hours=8)  # ends about now
    shift_from(team, leader, shift.ends_at)
    LogEntry.objects.create(shift=shift, author=member, text="Xe 30A-123.45 đỗ qua đêm ở bãi xe", to_hand_over=True)

    log_in(phone, live_server.url, member.username)
    phone.goto(f"{live_server.url}/duty/")
    phone.locator("[data-testid=hand-over]").first.click()
    expect(phone.locator("[data-testid=handover-items]").first).to_contain_text("Xe 30A-123.45")
    phone.fill("textarea[name=premises]", "Cửa các tầng đã khóa, camera bình thường")
    phone.locator("[data-testid=handover-form] button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_contain_text("Đã giao ca cho đ/c Hoàng Văn Minh")

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    other = context.new_page()
    log_in(other, live_server.url, leader.username)
    other.goto(f"{live_server.url}/duty/")
    other.locator("[data-testid=handover-to-receive] a").click()
    expect(other.locator("main")).to_contain_text("Cửa các tầng đã khóa")
    other.fill("textarea[name=remarks]", "Đã nhận đủ")
    other.locator("[data-testid=receive-form] button[type=submit]").click()
    expect(other.locator(".alert-success")).to_contain_text("Đồng chí đã nhận ca từ đ/c Lê Anh Tuấn")
    handover = Handover.objects.get()
    assert handover.received_by == leader and handover.received_at > timezone.now() - timedelta(minutes=5)
    context.close()

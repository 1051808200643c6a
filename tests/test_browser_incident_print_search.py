"""Browser journeys: the leader finds a theft by typing "trom cap", and prints the incident's report sheet."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from incidents import services
from incidents.models import Category, ExternalReport, Place
from tests.conftest import log_in
from tests.support.incidents import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 900}
# SHOTS=/tmp/shots-search keeps screenshots of the pages for a person to look at.
SHOTS = os.environ.get("SHOTS")


def shot(page, name: str, **options) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", **options)


@pytest.fixture
def incidents(staff, member, category):
    building = Place.objects.create(name="Nhà A", kind=Place.Kind.BUILDING)
    room = Place.objects.create(name="Phòng 201", kind=Place.Kind.ROOM, parent=building)
    fire = Category.objects.get_or_create(code="fire-explosion", defaults={"name": "Cháy, nổ"})[0]
    theft = report(
        staff,
        category,  # "Trộm cắp, mất tài sản": the description says nothing of a theft
        place=room,
        place_detail="tủ hồ sơ cạnh cửa sổ",
        description="Mất máy tính xách tay Dell để trong tủ hồ sơ, tủ không bị phá khóa",
        people_involved="Một thanh niên mặc áo xanh, khoảng 25 tuổi",
    )
    smoke = report(staff, fire, place=room, description="Khói bốc ra từ ổ điện sau máy photocopy")
    services.add_note(incident_id=theft.pk, actor=member, text="Đã trích xuất camera hành lang", to_reporter=False)
    services.record_external_report(
        incident_id=theft.pk,
        actor=member,
        fields={"agency": ExternalReport.Agency.WARD_POLICE, "agency_detail": "Công an phường Bình An"},
    )
    return theft, smoke


def test_the_leader_finds_the_theft_by_typing_trom_cap(page, phone, live_server, leader, incidents):
    theft, smoke = incidents
    page.set_viewport_size(DESK)
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}/incidents/")
    page.fill("input[name=q]", "trom cap")
    page.locator("[data-testid=queue-filters] button[type=submit]").click()
    table = page.locator("[data-testid=incident-table]")
    expect(table).to_contain_text(theft.reference)
    expect(table).not_to_contain_text(smoke.reference)
    shot(page, "queue-search-desk", full_page=True)

    page.fill("input[name=q]", "nha a 201 khoi")  # words of the building, the room and the description
    page.locator("[data-testid=queue-filters] button[type=submit]").click()
    expect(table).to_contain_text(smoke.reference)
    expect(table).not_to_contain_text(theft.reference)

    log_in(phone, live_server.url, leader.username)
    phone.goto(f"{live_server.url}/incidents/?q=trom+cap")
    expect(phone.locator("[data-testid=incident-table]")).to_contain_text(theft.reference)
    shot(phone, "queue-search-phone", full_page=True)


def test_the_leader_prints_the_report_sheet_from_the_incident_page(page, phone, live_server, leader, incidents):
    theft, _ = incidents
    page.set_viewport_size(DESK)
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}{theft.get_absolute_url()}")
    expect(page.locator("[data-testid=tt124-item]")).to_have_count(0)  # not flagged
    shot(page, "detail-desk")
    page.locator("[data-testid=print-link]").click()
    sheet = page.locator("[data-testid=print-sheet]")
    expect(sheet).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(sheet).to_contain_text("Độc lập - Tự do - Hạnh phúc")
    expect(sheet).to_contain_text("TỔ BẢO VỆ AN NINH, TRẬT TỰ CƠ QUAN")
    expect(sheet).to_contain_text("PHIẾU BÁO CÁO VỤ VIỆC")
    expect(page.locator("[data-testid=facts]")).to_contain_text("Nhà A › Phòng 201 · tủ hồ sơ cạnh cửa sổ")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Đã trích xuất camera hành lang")
    expect(page.locator("[data-testid=external-reports]")).to_contain_text("Công an phường Bình An")
    expect(page.locator("[data-testid=signatures]")).to_contain_text(leader.full_name)
    expect(page.locator("form")).to_have_count(0)
    expect(page.locator("nav.navbar")).to_have_count(0)
    expect(page.locator("[data-print]")).to_be_visible()
    shot(page, "print-desk", full_page=True)

    # On paper: Times New Roman on A4, without the toolbar.
    page.emulate_media(media="print")
    expect(page.locator("[data-print]")).to_be_hidden()
    font = page.locator("body").evaluate("body => getComputedStyle(body).fontFamily")
    assert font.startswith('"Times New Roman"'), font
    page.set_viewport_size({"width": 624, "height": 900})  # A4's 210 mm less Decree 30's 45 mm of margins
    shot(page, "print-paper", full_page=True)
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = {(round(float(w)), round(float(h))) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes == {(596, 843)} or boxes == {(595, 842)}, boxes  # A4, 210 x 297 mm, in points

    log_in(phone, live_server.url, leader.username)
    phone.goto(f"{live_server.url}{theft.get_absolute_url()}")
    shot(phone, "detail-phone")
    phone.locator("[data-testid=print-link]").click()
    expect(phone.locator("[data-testid=print-sheet]")).to_contain_text("PHIẾU BÁO CÁO VỤ VIỆC")
    shot(phone, "print-phone", full_page=True)

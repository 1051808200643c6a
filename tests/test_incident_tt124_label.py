"""A TT 124 item is shown as its group, letter and title ("3.g Cháy, nổ nghiêm trọng; …"), never as a bare "g"."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from incidents.models import IncidentEvent
from tests.support.incidents import report

FIRE = "3.g Cháy, nổ nghiêm trọng; tai nạn lao động chết người; sự cố nghiêm trọng"
CRIME = "3.đ Tội phạm nghiêm trọng trở lên"


@pytest.fixture
def flagged(client, leader, staff, category):
    """An incident the leader flagged 3.đ, then re-flagged 3.g with the police's confirmation."""
    incident = report(staff, category)
    client.force_login(leader)
    url = reverse("incidents:tt124", args=[incident.pk])
    client.post(url, {"version": incident.version, "tt124_item": "đ"})
    incident.refresh_from_db()
    client.post(url, {"version": incident.version, "tt124_item": "g", "police_confirmed_serious": "on"})
    incident.refresh_from_db()
    assert incident.tt124_item == "g"
    return incident


def timeline_lines(page: str) -> list[str]:
    block = page.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in block.split("<li")[1:]]


def test_the_detail_page_and_its_timeline_name_the_item(client, leader, flagged):
    page = client.get(flagged.get_absolute_url()).content.decode()
    assert f'data-testid="tt124-item">{FIRE}<' in page
    flags = [line for line in timeline_lines(page) if "Đánh giá theo Thông tư 124" in line]
    assert any(line.endswith(f"Đánh giá theo Thông tư 124: {CRIME}") for line in flags), flags
    assert any(line.endswith(f"Đánh giá theo Thông tư 124: {CRIME} → {FIRE}") for line in flags), flags
    assert any("Công an xác định" in line and line.endswith(": có") for line in flags), flags
    assert not any(re.search(r": (g|đ)$|True|False", line) for line in flags), flags


def test_clearing_the_item_shows_what_it_was(client, leader, flagged):
    client.post(reverse("incidents:tt124", args=[flagged.pk]), {"version": flagged.version, "tt124_item": ""})
    last = IncidentEvent.objects.filter(incident=flagged, field="tt124_item").last()
    assert (last.old_label, last.new_label) == (FIRE, "—")


def test_the_exports_name_the_item(client, leader, flagged):
    text = client.get(reverse("incidents:export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][rows[0].index("Tiêu chí theo Thông tư 124")] == FIRE
    sheet = load_workbook(io.BytesIO(client.get(reverse("incidents:export", args=["xlsx"])).content)).active
    header, first = (list(row) for row in sheet.iter_rows(max_row=2, values_only=True))
    assert first[header.index("Tiêu chí theo Thông tư 124")] == FIRE


def test_an_incident_without_an_item_shows_none(client, member, staff, category):
    incident = report(staff, category)
    client.force_login(member)
    assert 'data-testid="tt124-item"' not in client.get(incident.get_absolute_url()).content.decode()


def test_the_admin_timeline_names_the_item_too(client, admin_user, flagged):
    client.force_login(admin_user)
    page = client.get(reverse("admin:incidents_incident_change", args=[flagged.pk])).content.decode()
    assert FIRE in page and CRIME in page

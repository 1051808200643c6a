""" "Phiếu báo cáo vụ việc": the incident printed on A4, in the Nghị định 30/2020 style, as its reader may see it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from incidents import services
from incidents.models import ExternalReport, Place
from tests.support.incidents import report

NOTE = "Nghi là người quen của bảo vệ ca đêm"  # an internal note: the team's only
UPDATE = "Đã báo Công an phường, đang chờ xác minh"  # an update the reporter is told


@pytest.fixture
def incident(leader, member, staff, category):
    room = Place.objects.create(name="Phòng 201", kind=Place.Kind.ROOM)
    filed = report(staff, category, place=room, place_detail="tủ hồ sơ", people_involved="Một thanh niên lạ mặt")
    services.add_note(incident_id=filed.pk, actor=member, text=NOTE, to_reporter=False)
    services.add_note(incident_id=filed.pk, actor=member, text=UPDATE, to_reporter=True)
    services.record_external_report(
        incident_id=filed.pk,
        actor=member,
        fields={"agency": ExternalReport.Agency.WARD_POLICE, "agency_detail": "Công an phường Bình An"},
    )
    return filed


def sheet(client, user, incident) -> str:
    client.force_login(user)
    response = client.get(reverse("incidents:print", args=[incident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_leader_prints_the_sheet_with_the_decree_30_header_and_the_facts(client, leader, incident):
    html = sheet(client, leader, incident)
    text = text_of(html)
    assert "VĂN PHÒNG UBND TỈNH BÌNH AN" in text and "TỔ BẢO VỆ AN NINH, TRẬT TỰ CƠ QUAN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    today = timezone.localdate()
    assert f"Bình An, ngày {today.day:02d} tháng" in text and f"năm {today.year}" in text
    assert "PHIẾU BÁO CÁO VỤ VIỆC" in text
    for fact in (incident.reference, "Trộm cắp, mất tài sản", "Phòng 201 · tủ hồ sơ", "Một thanh niên lạ mặt"):
        assert fact in text
    assert "Phạm Thị Hoa" in text  # the reporter, who is not confidential
    assert NOTE in text and UPDATE in text  # the whole timeline: the leader may see internal notes
    assert "Công an phường Bình An" in text  # the report to the authorities
    assert "NGƯỜI LẬP PHIẾU" in text and "TỔ TRƯỞNG" in text
    assert text.count("Hoàng Văn Minh") >= 2  # prepared by the leader, signed by the team leader
    assert "<form" not in html and "navbar" not in html  # nothing to click on paper
    assert "css/print.css" in html


def test_the_reporter_prints_his_own_report_without_the_teams_internal_notes(client, staff, incident):
    text = text_of(sheet(client, staff, incident))
    assert incident.reference in text and UPDATE in text
    assert NOTE not in text


def test_a_confidential_reporter_stays_hidden_on_the_sheet(client, member, leader, staff, category):
    incident = report(staff, category, confidential_reporter=True)
    services.add_info(incident_id=incident.pk, actor=staff, text="Tôi thấy người lạ lúc 14 giờ")
    text = text_of(sheet(client, member, incident))
    assert "Tôi thấy người lạ" in text and "giữ bí mật" in text
    assert "Phạm Thị Hoa" not in text  # neither as the reporter nor as the author of the added information
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REPORTER_VIEWED).exists()
    assert "Phạm Thị Hoa" in text_of(sheet(client, leader, incident))
    # The leader learnt who reported in confidence: on record, as on the incident's page.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REPORTER_VIEWED, actor=leader).exists()


def test_whoever_may_not_see_the_incident_gets_404(client, incident, make_user):
    url = reverse("incidents:print", args=[incident.pk])
    client.force_login(make_user("Vũ Văn Ngoài"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_detail_page_links_to_the_sheet(client, leader, incident):
    client.force_login(leader)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert f'href="{reverse("incidents:print", args=[incident.pk])}"' in page and "In phiếu" in page


def test_the_sheet_runs_the_same_number_of_queries_however_long_the_timeline(client, leader, member, incident):
    url = reverse("incidents:print", args=[incident.pk])
    client.force_login(leader)

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    few = queries()
    for n in range(15):
        services.add_note(incident_id=incident.pk, actor=member, text=f"ghi chú {n}", to_reporter=n % 2 == 0)
    services.record_external_report(
        incident_id=incident.pk, actor=member, fields={"agency": ExternalReport.Agency.FIRE_114}
    )
    assert queries() == few


def test_the_print_stylesheet_sets_an_a4_page_with_decree_30_margins_in_times_new_roman():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert "size: A4" in css and "margin: 20mm 15mm 20mm 30mm" in css  # top, right, bottom, left
    assert '"Times New Roman"' in css and re.search(r"font-size: 1[34]pt", css)

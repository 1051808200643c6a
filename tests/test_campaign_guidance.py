"""What a campaign's pages tell people: done after a check-in, what is left before confirming, a draft's next
steps, the attendance sheet's administrative frame, the year's coverage per department with its export, and
the searchable people picker."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns import services
from campaigns.models import Campaign, Material, Participant
from team.models import Department
from tests.support.campaigns import campaign_of, rules_material, session_now


@pytest.fixture
def draft(member, staff):
    return campaign_of(member)


@pytest.fixture
def running(draft, leader):
    session_now(draft, place="Hội trường tầng 1", presenter=leader)
    rules_material(draft)
    services.schedule(draft)
    return draft


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the participant -----------------------------------------------------------------------------------------


def test_after_checking_in_the_person_is_told_they_are_done_and_reading_is_optional(client, running, staff):
    client.force_login(staff)
    code = running.sessions.get().check_in_code
    response = client.post(reverse("campaigns:check_in"), {"code": code}, follow=True)
    text = response.content.decode()
    when = timezone.localtime(Participant.objects.get(campaign=running, user=staff).attended_at)
    assert f"Đồng chí đã hoàn thành chiến dịch này lúc {when:%H:%M} ngày {when:%d/%m/%Y}." in text
    assert "Không bắt buộc: đồng chí vẫn có thể đọc tài liệu" in text
    assert "Vui lòng mở tất cả tài liệu dưới đây, sau đó xác nhận." not in text


def test_after_confirming_nothing_more_is_asked(client, running, staff):
    Participant.objects.filter(user=staff).update(acknowledged_at=timezone.now())
    client.force_login(staff)
    text = page(client, running.get_absolute_url())
    assert "Đồng chí đã hoàn thành chiến dịch này" in text
    assert "Đồng chí không cần làm gì thêm." in text
    assert 'data-testid="acknowledge"' not in text


def test_before_anything_the_page_says_what_to_do_and_the_button_works_without_javascript(client, running, staff):
    client.force_login(staff)
    text = page(client, running.get_absolute_url())
    assert "Đồng chí đã hoàn thành" not in text
    assert "Vui lòng mở tất cả tài liệu dưới đây, sau đó xác nhận." in text
    assert "Hoặc dự một buổi quán triệt và điểm danh" in text
    # Enabled in the HTML: the script disables it until the materials are opened; without the script the
    # server refuses an early confirmation and says why.
    button = text.split('data-testid="acknowledge"')[1].split("</form>")[0]
    assert "disabled" not in button
    assert "js/acknowledge.js" in text
    response = client.post(reverse("campaigns:acknowledge", args=[running.pk]), follow=True)
    assert "Vui lòng mở tất cả tài liệu trước khi xác nhận đã đọc." in response.content.decode()
    material = running.materials.get()
    client.get(reverse("campaigns:material", args=[material.pk]))
    assert 'data-opened="true"' in page(client, running.get_absolute_url())


# --- the organiser ---------------------------------------------------------------------------------------------


def test_a_draft_shows_its_next_steps_not_empty_figures(client, draft, member, staff):
    client.force_login(member)
    text = page(client, draft.get_absolute_url())
    assert "Các bước tiếp theo" in text
    assert "0,0%" not in text and "0 of 0" not in text and 'data-testid="coverage"' not in text
    assert "Thêm tài liệu cần đọc" in text and 'href="#add-material"' in text
    assert "Chưa có: đính kèm tệp hoặc nhập liên kết." in text
    assert f'href="{reverse("campaigns:edit", args=[draft.pk])}"' in text
    assert "Toàn thể cán bộ, công chức: sẽ mời 2 người." in text  # the organiser and the staff member
    assert 'data-testid="schedule-step"' in text

    Material.objects.create(campaign=draft, title="Nội quy", link="https://example.test/noi-quy")
    assert "Đã thêm 1 tài liệu." in page(client, draft.get_absolute_url())


def test_a_scheduled_campaign_shows_its_coverage_again(client, running, member):
    client.force_login(member)
    text = page(client, running.get_absolute_url())
    assert 'data-testid="coverage"' in text
    assert "Các bước tiếp theo" not in text


def test_the_attendance_sheet_has_the_administrative_frame(client, running, member, leader, staff):
    client.force_login(member)
    text = page(client, reverse("campaigns:session_sheet", args=[running.sessions.get().pk]))
    assert "UBND TỈNH BÌNH AN" in text and "VĂN PHÒNG UBND TỈNH BÌNH AN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    day = timezone.localdate()
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    assert f"Bình An, ngày {day.day:02d} tháng {month} năm {day.year}" in text
    assert "DANH SÁCH ĐIỂM DANH" in text
    invited = running.participants.count()
    assert f"Tổng số: {invited} người" in text
    signatures = text.split('data-testid="signatures"')[1]
    assert "NGƯỜI LẬP DANH SÁCH" in signatures and "NGƯỜI CHỦ TRÌ" in signatures
    assert member.full_name in signatures  # the organiser drew up the list
    assert leader.full_name in signatures  # and the presenter chairs the session
    assert "js/print.js" in text and "<script>" not in text


def test_year_coverage_per_department(client, running, member, leader, staff, departments):
    Participant.objects.filter(user=staff).update(attended_at=timezone.now())
    client.force_login(leader)
    text = page(client, reverse("campaigns:year_coverage", args=[running.starts_on.year]))
    table = text.split('data-testid="year-departments"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = [re.findall(r">([^<>]+)</t[hd]>", row) for row in table.split("</tr>")[:-1]]
    # Tổng hợp: the member and the staff member, one briefed; Nội chính - Pháp chế: nobody.
    assert ["Phòng Tổng hợp", "2", "1", "50,0%"] in rows
    assert all(row[0] != "Phòng Nội chính - Pháp chế" or row[2] == "0" for row in rows)
    assert f'href="{reverse("campaigns:year_export", args=[running.starts_on.year, "xlsx"])}"' in text


def test_year_export_lists_each_person_briefed_or_not(client, running, leader, staff, member):
    moment = timezone.now().replace(microsecond=0)
    Participant.objects.filter(user=staff).update(attended_at=moment)
    client.force_login(leader)
    year = running.starts_on.year
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("campaigns:year_export", args=[year, "csv"])).content.decode("utf-8-sig"))
        )
    )
    assert rows[0] == ["Họ và tên", "Phòng, đơn vị", "Chức vụ", "Đã được phổ biến", "Thời điểm được phổ biến"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[staff.full_name][3:] == ["Có", f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"]
    assert by_name[member.full_name][3:] == ["Chưa", ""]

    response = client.get(reverse("campaigns:year_export", args=[year, "xlsx"]))
    assert response["Content-Disposition"] == f'attachment; filename="pho-bien-{year}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert staff.full_name in names and member.full_name in names


def test_staff_cannot_export_the_year(client, staff):
    client.force_login(staff)
    assert client.get(reverse("campaigns:year_export", args=[2026, "csv"])).status_code == 403


def test_the_people_picker_is_a_searchable_checkbox_list(client, member, staff, departments):
    client.force_login(member)
    text = page(client, reverse("campaigns:new"))
    picker = text.split("data-checklist>")[1].split("</fieldset>")[0]
    assert 'type="search"' in picker and "hidden" in picker.split('type="search"')[1].split(">")[0]
    assert f'value="{staff.pk}"' in picker and 'type="checkbox"' in picker and 'name="people"' in picker
    assert f"{staff.full_name} · Phòng Tổng hợp" in picker
    ids = re.findall(r'<input class="form-check-input" type="checkbox" name="people" value="\d+" id="([^"]+)"', picker)
    assert len(ids) == len(set(ids)) == 2  # each checkbox its own label
    assert "<select" not in picker
    assert "js/checklist-filter.js" in text


def test_choosing_people_with_the_checkboxes_saves_them(client, member, staff, leader):
    client.force_login(member)
    today = timezone.localdate()
    response = client.post(
        reverse("campaigns:new"),
        {
            "title": "Phổ biến cho hai người",
            "theme": "other",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "organiser": member.pk,
            "audience": "people",
            "people": [staff.pk, leader.pk],
        },
    )
    assert response.status_code == 302
    assert set(Campaign.objects.get().people.all()) == {staff, leader}


def test_a_draft_page_does_not_grow_with_the_office(client, draft, member, make_user, positions, departments):
    from tests.support import realistic

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.force_login(member)
    urls = [draft.get_absolute_url(), reverse("campaigns:new")]
    realistic.colleagues(make_user, positions, departments, 3)
    small = [count(url) for url in urls]
    realistic.colleagues(make_user, positions, departments, 20)
    Department.objects.create(office=departments["TH"].office, name="Phòng Kinh tế")
    assert [count(url) for url in urls] == small

"""Triage on the detail page: re-grading severity and category, the action panel, what each action says it did,
and whom an escalation waits for."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents import services, sla
from incidents.models import Category, EscalationLevel, ExternalReport, Incident, IncidentEvent, Severity, Status
from notifications.models import Notification
from tests.support.incidents import report

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def fire(db):
    return Category.objects.get_or_create(code="fire", defaults={"name": "Cháy, nổ"})[0]


def regrade(client, incident, **data):
    fields = {"version": incident.version, "severity": incident.severity, "category": incident.category_id, **data}
    return client.post(reverse("incidents:regrade", args=[incident.pk]), fields, follow=True)


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def filed_earlier(staff, category, *, hours: float, **fields) -> Incident:
    """An incident filed `hours` ago, its deadlines counted from then."""
    incident = report(staff, category, **fields)
    created = timezone.now() - timedelta(hours=hours)
    Incident.objects.filter(pk=incident.pk).update(created_at=created)
    incident.refresh_from_db()
    sla.reapply_policy(incident, timezone.now())
    Incident.objects.filter(pk=incident.pk).update(
        acknowledge_due_at=incident.acknowledge_due_at,
        resolve_due_at=incident.resolve_due_at,
        sla_check_at=incident.sla_check_at,
    )
    incident.refresh_from_db()
    return incident


# --- re-grading -------------------------------------------------------------------------------------


def test_the_leader_lowers_the_severity_with_a_reason_and_the_deadlines_follow(client, leader, staff, category):
    incident = report(staff, category, proposed_severity=Severity.CRITICAL)
    # Filed on Wednesday 18/11/2026 at 09:00.
    Incident.objects.filter(pk=incident.pk).update(created_at=datetime(2026, 11, 18, 9, tzinfo=HANOI))
    client.force_login(leader)
    response = regrade(client, incident, severity=Severity.MEDIUM, reason="Chỉ mất ví, không có thương tích")
    assert said(response) == [f"Đã đổi mức độ {incident.reference} từ Đặc biệt nghiêm trọng sang Trung bình."]
    incident.refresh_from_db()
    assert incident.severity == Severity.MEDIUM and incident.proposed_severity == Severity.CRITICAL
    # From the filing time, as if filed as medium, in working hours: 8 hours to acknowledge (6 on
    # Wednesday, 2 on Thursday morning), 3 working days to resolve (the next Monday at 09:00).
    assert incident.acknowledge_due_at == datetime(2026, 11, 19, 9, 30, tzinfo=HANOI)
    assert incident.resolve_due_at == datetime(2026, 11, 23, 9, tzinfo=HANOI)
    page = response.content.decode()
    assert "Đổi mức độ từ Đặc biệt nghiêm trọng sang Trung bình" in page
    assert "Chỉ mất ví, không có thương tích" in page
    assert timezone.localtime(incident.resolve_due_at).strftime("%d/%m/%Y %H:%M") in page
    # Internal: the reporter neither sees the entry nor is told.
    entry = incident.events.get(field="severity")
    assert (entry.old_value, entry.new_value, entry.audience) == ("4", "2", IncidentEvent.Audience.TEAM)
    assert not Notification.objects.filter(recipient=staff, kind="incidents.recategorised").exists()
    client.force_login(staff)
    assert "Đổi mức độ" not in client.get(incident.get_absolute_url()).content.decode()


def test_lowering_without_a_reason_is_refused_and_changes_nothing(client, deputy, staff, category):
    incident = report(staff, category, proposed_severity=Severity.HIGH)
    client.force_login(deputy)
    response = regrade(client, incident, severity=Severity.LOW, reason="   ")
    assert said(response) == ["Vui lòng nêu lý do hạ mức độ."]
    incident.refresh_from_db()
    assert (incident.severity, incident.version) == (Severity.HIGH, 1)
    assert not incident.events.filter(field="severity").exists()
    # Raising needs none.
    response = regrade(client, incident, severity=Severity.CRITICAL)
    assert said(response) == [f"Đã đổi mức độ {incident.reference} từ Cao sang Đặc biệt nghiêm trọng."]


def test_a_new_category_is_shown_and_told_to_the_reporter(client, leader, staff, category, fire):
    incident = report(staff, category)
    client.force_login(leader)
    response = regrade(client, incident, category=fire.pk, reason="Có dấu hiệu chập điện")
    assert said(response) == [f"Đã đổi loại vụ việc {incident.reference} từ Trộm cắp, mất tài sản sang Cháy, nổ."]
    incident.refresh_from_db()
    assert incident.category == fire
    told = Notification.objects.get(recipient=staff, kind="incidents.recategorised")
    assert "Trộm cắp, mất tài sản" in told.body and "Cháy, nổ" in told.body and "chập điện" in told.body
    client.force_login(staff)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Đổi loại vụ việc từ Trộm cắp, mất tài sản sang Cháy, nổ" in page


def test_both_at_once_is_one_change_with_two_entries(client, leader, staff, category, fire):
    incident = report(staff, category, proposed_severity=Severity.LOW)
    client.force_login(leader)
    response = regrade(client, incident, severity=Severity.HIGH, category=fire.pk)
    assert said(response) == [
        f"Đã đổi mức độ {incident.reference} từ Thấp sang Cao và loại vụ việc từ Trộm cắp, mất tài sản sang Cháy, nổ."
    ]
    incident.refresh_from_db()
    assert incident.version == 2
    assert set(incident.events.filter(action="field").values_list("field", flat=True)) == {"severity", "category"}


def test_unchanged_values_change_nothing(client, leader, staff, category):
    incident = report(staff, category)
    client.force_login(leader)
    response = regrade(client, incident, reason="Giữ nguyên")
    assert said(response) == ["Không có thay đổi nào."]
    incident.refresh_from_db()
    assert incident.version == 1 and not incident.events.filter(action="field").exists()


def test_a_newly_overdue_clock_shows_overdue_and_a_met_one_stays_met(client, leader, member, staff, category):
    # Filed 3 hours ago as medium (8 h to acknowledge, 3 days to resolve); acknowledged at once.
    incident = filed_earlier(staff, category, hours=3)
    services.transition(incident_id=incident.pk, name="acknowledge", actor=member, version=None)
    incident.refresh_from_db()
    client.force_login(leader)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "quá hạn" not in page
    # As critical it had 15 minutes to acknowledge (met: it was acknowledged) and 4 hours to resolve (not yet).
    regrade(client, incident, severity=Severity.CRITICAL)
    incident.refresh_from_db()
    assert incident.resolve_due_at == incident.created_at + timedelta(hours=4)
    assert incident.acknowledged_at is not None
    page = client.get(incident.get_absolute_url()).content.decode()
    assert 'data-testid="acknowledge-due"' not in page  # met, not asked again
    assert "quá hạn" not in page
    # Filed 5 hours ago as medium, then found critical: its 4 hours to resolve are already over.
    late = filed_earlier(staff, category, hours=5)
    regrade(client, late, severity=Severity.CRITICAL)
    late.refresh_from_db()
    page = client.get(late.get_absolute_url()).content.decode()
    due = re.search(r'data-testid="resolve-due">(.*?)</dd>', page, re.S).group(1)
    assert "quá hạn" in due
    assert late.sla_check_at <= timezone.now()  # the next sweep acts on it at once
    sla.sweep()
    late.refresh_from_db()
    assert late.status == Status.ESCALATED


@pytest.mark.parametrize("status", [Status.CLOSED, Status.REJECTED])
def test_a_closed_or_rejected_incident_is_not_regraded(client, leader, staff, category, status):
    incident = report(staff, category, proposed_severity=Severity.HIGH)
    Incident.objects.filter(pk=incident.pk).update(status=status)
    client.force_login(leader)
    assert 'data-testid="regrade-form"' not in client.get(incident.get_absolute_url()).content.decode()
    response = regrade(client, incident, severity=Severity.LOW, reason="Không đáng kể")
    assert said(response) == [
        "Vụ việc đã đóng, không được tiếp nhận hoặc là vụ trùng: không thể đổi mức độ hay loại vụ việc nữa. "
        "Hãy mở lại vụ việc trước nếu cần xử lý tiếp."
    ]
    incident.refresh_from_db()
    assert incident.severity == Severity.HIGH


def test_a_member_cannot_regrade(client, member, staff, category):
    incident = report(staff, category, proposed_severity=Severity.HIGH)
    client.force_login(member)
    assert 'data-testid="regrade-form"' not in client.get(incident.get_absolute_url()).content.decode()
    regrade(client, incident, severity=Severity.CRITICAL)
    incident.refresh_from_db()
    assert incident.severity == Severity.HIGH


# --- the action panel -------------------------------------------------------------------------------


def primary_of(client, incident) -> str:
    page = client.get(incident.get_absolute_url()).content.decode()
    found = re.findall(r'class="btn btn-primary" [^>]*data-testid="primary-action"[^>]*>([^<]*)<', page)
    return found[0].strip() if found else ""


def test_the_primary_button_is_the_next_step(client, leader, member, staff, category):
    incident = report(staff, category)
    client.force_login(member)
    assert primary_of(client, incident) == "Tiếp nhận"
    services.transition(incident_id=incident.pk, name="start", actor=member, version=None)
    assert primary_of(client, incident) == "Xác nhận đã giải quyết…"  # opens its labelled reason
    services.transition(incident_id=incident.pk, name="resolve", actor=member, version=None, reason="Đã tìm thấy")
    assert primary_of(client, incident) == ""  # closing is the leader's
    client.force_login(leader)
    assert primary_of(client, incident) == "Đóng vụ việc"
    services.transition(incident_id=incident.pk, name="close", actor=leader, version=None)
    assert primary_of(client, incident) == ""  # reopening is never the obvious next step


def test_each_reason_has_its_own_labelled_field_and_reject_asks_first(client, leader, staff, category):
    incident = report(staff, category)
    client.force_login(leader)
    page = client.get(incident.get_absolute_url()).content.decode()
    for name, label in [("escalate", "Lý do cần báo cáo Lãnh đạo Văn phòng"), ("reject", "Lý do không tiếp nhận")]:
        field_id = re.search(rf'data-testid="action-{name}".*?<label[^>]*for="([^"]+)"[^>]*>([^<]*)<', page, re.S)
        assert field_id.group(2).strip() == label
        assert page.count(f'id="{field_id.group(1)}"') == 1
    assert "Xác nhận không tiếp nhận" in page
    assert "onclick" not in page and "<script>" not in page.split("</main>")[0]
    # Without the dialog: a confirmation page, which by itself changes nothing.
    confirm = client.get(reverse("incidents:reject", args=[incident.pk]))
    assert "Xác nhận không tiếp nhận" in confirm.content.decode()
    incident.refresh_from_db()
    assert incident.status == Status.NEW


def test_the_confirmation_page_refuses_who_may_not_reject(client, member, staff, make_user, category):
    incident = report(staff, category)
    client.force_login(make_user())  # another staff member: not even told it exists
    assert client.get(reverse("incidents:reject", args=[incident.pk])).status_code == 404
    client.force_login(staff)  # the reporter sees his incident, may not reject it
    assert said(client.get(reverse("incidents:reject", args=[incident.pk]), follow=True)) == [
        "Không thể thực hiện thao tác này đối với vụ việc ở trạng thái hiện tại."
    ]
    client.force_login(member)
    response = client.get(reverse("incidents:reject", args=[incident.pk]), follow=True)
    assert said(response) == ["Không thể thực hiện thao tác này đối với vụ việc ở trạng thái hiện tại."]


def test_the_sections_have_headings_in_order(client, leader, staff, category):
    incident = report(staff, category)
    client.force_login(leader)
    page = client.get(incident.get_absolute_url()).content.decode()
    headings = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", page, re.S)
    levels = [int(level) for level, _text in headings]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    titles = [re.sub(r"<[^>]+>", "", text).strip() for level, text in headings if level == "2"]
    for title in ["Thông tin vụ việc", "Diễn biến xử lý", "Xử lý", "Báo cáo cấp trên / cơ quan chức năng"]:
        assert title in titles


# --- what each action says --------------------------------------------------------------------------


def test_each_action_says_what_happened(client, leader, member, staff, category):
    incident = report(staff, category)
    client.force_login(leader)
    detail = incident.get_absolute_url()
    response = client.post(
        reverse("incidents:assign", args=[incident.pk]), {"assignee": member.pk, "version": 1}, follow=True
    )
    assert said(response) == [f"Đã giao {incident.reference} cho Lê Anh Tuấn."]
    response = client.post(
        reverse("incidents:transition", args=[incident.pk]), {"action": "start", "version": 2}, follow=True
    )
    assert said(response) == [f"Đã chuyển {incident.reference} sang trạng thái Đang xử lý."]
    response = client.post(
        reverse("incidents:external_report", args=[incident.pk]),
        {
            "agency": ExternalReport.Agency.FIRE_114,
            "notified_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "phone",
        },
        follow=True,
    )
    assert said(response) == ["Đã ghi nhận báo cáo Cứu hỏa, cứu nạn (114)."]
    response = client.post(
        reverse("incidents:note", args=[incident.pk]), {"text": "Đã xem camera", "to_reporter": ""}, follow=True
    )
    assert said(response) == [f"Đã thêm ghi chú nội bộ vào {incident.reference}."]
    response = client.post(
        reverse("incidents:note", args=[incident.pk]), {"text": "Đang xác minh", "to_reporter": "on"}, follow=True
    )
    assert said(response) == [f"Đã gửi cập nhật về {incident.reference} cho người báo cáo."]
    version = Incident.objects.get(pk=incident.pk).version
    flags = {"version": version, "tt124_item": "", "police_confirmed_serious": "", "force_majeure": ""}
    response = client.post(reverse("incidents:tt124", args=[incident.pk]), flags, follow=True)
    assert said(response) == ["Không có thay đổi nào."]
    response = client.post(reverse("incidents:tt124", args=[incident.pk]), {**flags, "tt124_item": "đ"}, follow=True)
    assert said(response) == [f"Đã lưu đánh giá TT 124 của {incident.reference}."]
    assert "Đã lưu." not in client.get(detail).content.decode()


# --- escalation -------------------------------------------------------------------------------------


@pytest.fixture
def in_charge(make_user, positions):
    thu = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    EscalationLevel.objects.create(order=1, position=positions["deputy_chief"], person_in_charge=thu)
    return thu


def test_an_escalation_says_whom_it_waits_for_and_its_reason_once(client, leader, staff, category, in_charge):
    incident = report(staff, category)
    client.force_login(leader)
    response = client.post(
        reverse("incidents:transition", args=[incident.pk]),
        {"action": "escalate", "version": 1, "reason": "Giá trị tài sản lớn"},
        follow=True,
    )
    assert said(response) == [
        f"Đã báo cáo {incident.reference} lên Lãnh đạo Văn phòng: đ/c Đặng Thị Thu (Phó Chánh Văn phòng)."
    ]
    incident.refresh_from_db()
    due = timezone.localtime(incident.escalation_due_at)
    page = response.content.decode()
    waiting = re.search(r'data-testid="escalation">(.*?)</dd>', page, re.S).group(1)
    assert waiting == (
        f"Đang chờ đ/c Đặng Thị Thu (Phó Chánh Văn phòng) tiếp nhận, hạn {due:%H:%M} ngày {due:%d/%m/%Y}"
    )
    timeline = page.split('data-testid="timeline"')[1]
    assert timeline.count("Giá trị tài sản lớn") == 1
    assert incident.events.filter(text="Giá trị tài sản lớn").count() == 1


def test_the_waiting_line_costs_the_same_however_many_hold_the_position(
    client, leader, staff, category, make_user, positions
):
    EscalationLevel.objects.create(order=1, position=positions["deputy_chief"])
    first = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    incident = report(staff, category)
    services.transition(incident_id=incident.pk, name="escalate", actor=leader, version=None, reason="Cần chỉ đạo")
    client.force_login(leader)

    def queries():
        client.get(incident.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            page = client.get(incident.get_absolute_url()).content.decode()
        return len(captured), page

    one, page = queries()
    assert "Đang chờ đ/c" in page and "đ/c Đặng Thị Thu (Phó Chánh Văn phòng)" in page
    for n in range(3):
        make_user(f"Phó Chánh Số {n}", position=positions["deputy_chief"])
    many, page = queries()
    assert many == one
    assert page.count("(Phó Chánh Văn phòng)") >= 4 and first.full_name in page


def test_a_regrade_based_on_an_old_version_is_refused(client, leader, deputy, staff, category):
    incident = report(staff, category, proposed_severity=Severity.HIGH)
    client.force_login(deputy)
    regrade(client, incident, severity=Severity.CRITICAL)
    client.force_login(leader)
    response = regrade(client, incident, severity=Severity.LOW, reason="Không đáng kể")  # saw version 1
    assert "người khác" in said(response)[0].lower()
    incident.refresh_from_db()
    assert incident.severity == Severity.CRITICAL


def test_the_leaders_page_costs_the_same_however_many_categories_there_are(client, leader, staff, category):
    incident = report(staff, category)
    client.force_login(leader)

    def queries():
        client.get(incident.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            page = client.get(incident.get_absolute_url()).content.decode()
        assert 'data-testid="regrade-form"' in page
        return len(captured)

    few = queries()
    for n in range(12):
        Category.objects.create(code=f"kind-{n}", name=f"Loại {n}")
    assert queries() == few


def test_an_escalation_recorded_with_its_reason_twice_shows_it_once(client, leader, staff, category, in_charge):
    """Escalations recorded before the fix carry the reason as an internal note right before them too."""
    incident = report(staff, category)
    services.transition(incident_id=incident.pk, name="escalate", actor=leader, version=None, reason="Cần chỉ đạo")
    escalated = incident.events.get(action=IncidentEvent.Action.ESCALATED)
    IncidentEvent.objects.create(  # as the old code wrote it
        incident=incident,
        actor=leader,
        action=IncidentEvent.Action.NOTE,
        text="Cần chỉ đạo",
        at=escalated.at - timedelta(microseconds=1),
    )
    services.add_note(incident_id=incident.pk, actor=leader, text="Cần chỉ đạo", to_reporter=False)  # said again
    client.force_login(leader)
    timeline = client.get(incident.get_absolute_url()).content.decode().split('data-testid="timeline"')[1]
    assert timeline.count("Cần chỉ đạo") == 2  # under the escalation, and the later note

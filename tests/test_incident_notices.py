"""What the incident notices say: who assigned, whether on duty, one notice per action to the reporter
quoting what was written to him, and one fact a line in the mail and the inbox."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.uploads import SafeUpload
from incidents import services
from incidents.models import IncidentEvent, Place
from notifications import delivery
from notifications.models import Notification
from team import services as team_services
from tests.support.incidents import report


def on_duty(team, person):
    now = timezone.localtime()
    start = now - timedelta(minutes=5)
    team_services.schedule_shift(
        team=team, day=start.date(), start=start.time(), end=(now + timedelta(hours=2)).time(), member=person
    )


def told(person, kind):
    return list(Notification.objects.filter(recipient=person, kind=kind))


def test_a_manual_assignment_names_who_assigned_it_and_says_nothing_of_duty_off_duty(staff, category, leader, member):
    incident = report(staff, category)
    services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=incident.version)
    [notice] = told(member, "incidents.assigned")
    assert notice.title == f"Vụ việc {incident.reference} được giao cho đồng chí"
    assert notice.body.startswith(f"Đ/c Hoàng Văn Minh giao cho đồng chí xử lý vụ việc {incident.reference}.\n")
    assert "trực" not in notice.body


def test_a_manual_assignment_to_the_member_on_duty_says_so(staff, category, team, leader, member, deputy):
    on_duty(team, member)
    incident = report(staff, category)
    services.assign(incident_id=incident.pk, assignee=deputy, actor=leader, version=incident.version)
    assert "trực" not in told(deputy, "incidents.assigned")[0].body
    incident.refresh_from_db()
    services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=incident.version)
    [notice] = told(member, "incidents.assigned")
    assert "Đồng chí đang trong ca trực." in notice.body


def test_the_team_hears_who_is_on_duty_only_when_it_is_true(staff, category, team, leader, member):
    report(staff, category)
    assert "Chưa giao cho ai xử lý." in told(leader, "incidents.filed")[0].body
    on_duty(team, member)
    report(staff, category)
    assert "Đã giao cho đ/c Lê Anh Tuấn (đang trực) xử lý." in told(leader, "incidents.filed")[0].body


def test_a_status_change_with_a_message_tells_the_reporter_once_quoting_it(client, staff, category, leader):
    incident = report(staff, category)
    client.force_login(leader)
    client.post(
        reverse("incidents:transition", args=[incident.pk]),
        {
            "action": "start",
            "version": incident.version,
            "message": "Tổ đã trích xuất camera, đồng chí giữ lại biên nhận.",
        },
    )
    [notice] = told(staff, "incidents.status_changed")
    assert notice.title == f"Vụ việc {incident.reference} do đồng chí báo cáo: Đang xử lý"
    assert "Lời nhắn của đ/c Hoàng Văn Minh:\nTổ đã trích xuất camera, đồng chí giữ lại biên nhận." in notice.body
    # The reporter reads it on his timeline too.
    client.force_login(staff)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Tổ đã trích xuất camera, đồng chí giữ lại biên nhận." in page


def test_a_status_change_without_a_message_still_tells_the_reporter_once(staff, category, leader):
    incident = report(staff, category)
    services.transition(incident_id=incident.pk, name="start", actor=leader, version=incident.version)
    [notice] = told(staff, "incidents.status_changed")
    assert "Lời nhắn" not in notice.body
    assert not IncidentEvent.objects.filter(incident=incident, action=IncidentEvent.Action.UPDATE).exists()


def test_a_note_to_the_reporter_is_quoted_in_his_notice(staff, category, member):
    incident = report(staff, category)
    services.add_note(incident_id=incident.pk, actor=member, text="Đề nghị đồng chí gọi 0912000005.", to_reporter=True)
    services.add_note(incident_id=incident.pk, actor=member, text="Nội bộ: kiểm tra camera.", to_reporter=False)
    [notice] = told(staff, "incidents.status_changed")
    assert notice.title == f"Vụ việc {incident.reference} do đồng chí báo cáo: có lời nhắn của Tổ"
    assert "Lời nhắn của đ/c Lê Anh Tuấn:\nĐề nghị đồng chí gọi 0912000005." in notice.body
    assert "Nội bộ" not in notice.body


def test_each_fact_has_its_own_line_in_the_mail_and_the_inbox(client, staff, category, leader):
    parking = Place.objects.create(name="Bãi xe", kind=Place.Kind.AREA)
    incident = report(staff, category, place=parking, place_detail="Khu B", description="Xe máy bị mất gương.")
    notice = told(leader, "incidents.filed")[0]
    facts = (
        "Loại vụ việc: Trộm cắp, mất tài sản\n"
        "Mức độ: Trung bình\n"
        f"Thời điểm xảy ra: {timezone.localtime(incident.occurred_at):%d/%m/%Y %H:%M}\n"
        "Địa điểm: Bãi xe · Khu B\n"
        "Nội dung: Xe máy bị mất gương.\n"
    )
    assert notice.body.startswith(f"Có vụ việc mới được báo cáo: {incident.reference}.\n{facts}")
    mail.outbox.clear()
    delivery.deliver(notice.deliveries.get().pk)
    assert facts in mail.outbox[0].body

    client.force_login(leader)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Địa điểm: Bãi xe · Khu B\nNội dung: Xe máy bị mất gương." in inbox
    assert 'class="small fw-normal text-muted notification-body"' in inbox  # white-space: pre-line (app.css)


def test_the_assignee_hears_what_the_reporter_added_and_which_files(staff, category, member, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    on_duty(team, member)
    incident = report(staff, category)
    photo = SafeUpload(
        original_name="bien-so.jpg", extension=".jpg", content_type="image/jpeg", data=b"\xff\xd8", is_image=True
    )
    services.add_info(incident_id=incident.pk, actor=staff, text="Biển số xe lạ: 29A-123.45", uploads=[photo])
    [notice] = told(member, "incidents.info_added")
    assert notice.body == (
        f"Người báo tin đã bổ sung thông tin cho vụ việc {incident.reference}.\n"
        "Thông tin bổ sung: Biển số xe lạ: 29A-123.45\n"
        "Tệp đính kèm: bien-so.jpg"
    )


def test_an_escalation_says_who_escalated_why_and_the_facts(staff, category, leader, chief):
    incident = report(staff, category)
    services.transition(incident_id=incident.pk, name="escalate", actor=leader, version=incident.version, reason="Lớn")
    [notice] = told(chief, "incidents.escalated")
    assert notice.title == f"Vụ việc {incident.reference} (Trộm cắp, mất tài sản) được chuyển cấp đến đồng chí"
    assert notice.body.startswith(
        f"Đ/c Hoàng Văn Minh chuyển vụ việc {incident.reference} đến đồng chí để Lãnh đạo Văn phòng chỉ đạo.\n"
        "Lý do: Lớn\nLoại vụ việc: Trộm cắp, mất tài sản\n"
    )

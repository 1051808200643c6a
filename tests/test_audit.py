"""The audit log: what an inspector asks about is recorded, nobody can rewrite it, and it is purged only by age."""

import io
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit import retention
from audit.models import AuditEntry
from audit.services import record
from tests.conftest import PASSWORD, requires_postgresql
from tests.support.incidents import report

A = AuditEntry.Action


def test_log_ins_failures_and_log_outs_are_recorded_with_the_address(client, staff):
    client.post(reverse("login"), {"username": staff.username, "password": "wrong-password-1"}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("login"), {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    entries = list(
        AuditEntry.objects.order_by("at", "id").values_list("action", "actor_id", "actor_name", "ip_address")
    )
    assert entries == [
        (A.LOGIN_FAILED, None, staff.username, "10.1.2.3"),
        (A.LOGIN, staff.pk, staff.full_name, "10.1.2.3"),
        (A.LOGOUT, staff.pk, staff.full_name, "10.1.2.3"),
    ]


def test_a_change_in_admin_is_recorded_with_who_what_and_where(client, admin_user, departments):
    department = departments["TH"]
    client.force_login(admin_user)
    url = reverse("admin:team_department_change", args=[department.pk])
    response = client.post(
        url,
        {
            "office": department.office_id,
            "name": "Phòng Tổng hợp - Thư ký",
            "abbreviation": "TH",
            "order": 0,
            "is_subordinate_unit": "on",
        },
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=A.ADMIN_CHANGE)
    assert (entry.actor, entry.object_type, entry.object_id) == (admin_user, "team.department", str(department.pk))
    assert entry.object_repr == "Phòng Tổng hợp - Thư ký" and entry.ip_address == "10.9.8.7"
    assert entry.detail.startswith("changed:")


def test_entries_cannot_be_changed_or_deleted_through_the_model(db, staff):
    record(A.LOGIN, actor=staff)
    entry = AuditEntry.objects.get()
    entry.detail = "sửa"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


@requires_postgresql
def test_the_database_refuses_to_rewrite_or_thin_the_log(db, staff):
    record(A.LOGIN, actor=staff)
    entry = AuditEntry.objects.get()
    for sql in ("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()  # a bulk delete outside the purge is refused too
    assert AuditEntry.objects.count() == 1


def test_the_purge_removes_only_what_is_older_than_the_retention_and_says_so(db, staff, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    for days in (45, 31, 29, 1):
        AuditEntry.objects.create(
            action=A.LOGIN, actor=staff, actor_name=staff.full_name, at=now - timedelta(days=days)
        )
    assert retention.purge(now) == 2
    kept = sorted((now - entry.at).days for entry in AuditEntry.objects.exclude(action=A.PURGE))
    assert kept == [1, 29]
    purge = AuditEntry.objects.get(action=A.PURGE)
    assert purge.detail.startswith("2 entries older than") and "(30 days)" in purge.detail


def test_administrators_search_and_export_the_log_and_nobody_else_reads_it(client, admin_user, leader, staff):
    record(A.LOGIN, actor=staff)
    record(A.LOGIN, actor=leader)
    changelist = reverse("admin:audit_auditentry_changelist")
    client.force_login(leader)
    response = client.get(changelist)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(admin_user)
    page = client.get(changelist, {"q": staff.full_name}).content.decode()
    assert staff.full_name in page and leader.full_name not in page
    entries = AuditEntry.objects.filter(action=A.LOGIN)
    response = client.post(changelist, {"action": "export_xlsx", "_selected_action": [e.pk for e in entries]})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == entries.count() + 1 and sheet.cell(row=2, column=1).is_date
    assert AuditEntry.objects.filter(action=A.EXPORT, actor=admin_user).exists()  # reading the log is recorded too
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403


def test_a_failure_to_write_the_audit_never_breaks_the_action(db, staff, monkeypatch, caplog):
    def broken(self, *args, **kwargs):
        raise DatabaseError("disk full")

    with transaction.atomic():
        monkeypatch.setattr(AuditEntry, "save", broken)
        record(A.LOGIN, actor=staff)  # logged, not raised
        monkeypatch.undo()
        record(A.LOGOUT, actor=staff)  # the surrounding transaction is still usable
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [A.LOGOUT]
    assert "Could not write the audit entry login" in caplog.text


def test_team_role_changes_are_recorded(db, team, make_user, admin_user):
    from datetime import date

    from team import services

    person = make_user("Vũ Thị Phương")
    membership = services.appoint_member(team=team, user=person, role="member", start_date=date(2026, 1, 5))
    membership.role = "deputy"
    membership.save()
    membership.end_date = date(2026, 6, 30)
    membership.save()
    details = list(
        AuditEntry.objects.filter(action=A.ROLE_CHANGE, object_id=str(membership.pk))
        .order_by("at", "id")
        .values_list("detail", flat=True)
    )
    assert details == ["appointed member from 05/01/2026", "role member -> deputy", "ended deputy on 30/06/2026"]


def test_reopening_a_signed_off_evaluation_or_a_closed_incident_is_recorded(
    db, team, leader, member, chief, staff, category
):
    from evaluations.models import Evaluation
    from evaluations.services import cycle, signoff
    from incidents import services as incident_services
    from tests.evaluation_support import ensure_tt124_data

    ensure_tt124_data()
    evaluation = cycle.start_year(year=2026, actor=leader)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.SIGNED_OFF)
    signoff.reopen(evaluation_id=evaluation.pk, actor=chief, version=None, reason="Bổ sung minh chứng")
    incident = report(staff, category)
    for name, reason in (("acknowledge", ""), ("resolve", "Đã xử lý"), ("close", ""), ("reopen", "Phát hiện thêm")):
        version = type(incident).objects.values_list("version", flat=True).get(pk=incident.pk)
        incident_services.transition(incident_id=incident.pk, name=name, actor=leader, version=version, reason=reason)
    reopened = {(e.object_type, e.actor_id): e.detail for e in AuditEntry.objects.filter(action=A.REOPEN)}
    assert reopened[("evaluations.evaluation", chief.pk)] == "Bổ sung minh chứng"
    assert reopened[("incidents.incident", leader.pk)].endswith("Phát hiện thêm")


def test_a_confidential_reporters_download_of_his_own_file_does_not_name_him_to_a_plain_administrator(
    client, admin_user, leader, staff, category, settings, tmp_path, make_user, positions
):
    from core.uploads import SafeUpload

    settings.MEDIA_ROOT = tmp_path
    incident = report(
        staff,
        category,
        confidential_reporter=True,
        uploads=[SafeUpload("anh.pdf", "application/pdf", ".pdf", b"%PDF-1.4\n", False)],
    )
    client.force_login(staff)
    assert client.get(reverse("incidents:attachment", args=[incident.attachments.get().pk])).status_code == 200
    entry = AuditEntry.objects.get(action=A.DOWNLOAD)
    assert entry.actor == staff and entry.conceals_actor  # kept, for those who may know

    changelist = reverse("admin:audit_auditentry_changelist")
    client.force_login(admin_user)  # an administrator who is not office leadership
    assert staff.full_name not in client.get(changelist, {"action__exact": "download"}).content.decode()
    found = client.get(changelist, {"q": staff.full_name}).content.decode()
    assert reverse("admin:audit_auditentry_change", args=[entry.pk]) not in found
    chief_admin = make_user("Nguyễn Quốc Hùng", position=positions["chief"], is_staff=True)
    client.force_login(chief_admin)  # the leadership may see reporters, in admin too
    assert staff.full_name in client.get(changelist, {"action__exact": "download"}).content.decode()


def test_viewing_a_confidential_reporter_and_exporting_the_queue_are_recorded(client, leader, member, staff, category):
    incident = report(staff, category, confidential_reporter=True)
    client.force_login(member)  # may not see the reporter: nothing learnt, nothing to record
    client.get(incident.get_absolute_url())
    client.force_login(leader)
    client.get(incident.get_absolute_url())
    viewed = AuditEntry.objects.filter(action=A.REPORTER_VIEWED)
    assert list(viewed.values_list("actor", "object_id")) == [(leader.pk, str(incident.pk))]
    client.get(reverse("incidents:export", args=["csv"]), {"status": "open"})
    export = AuditEntry.objects.get(action=A.EXPORT)
    assert export.actor == leader and export.detail == "incidents.incident; filter: status=open; rows: 1"


def test_downloads_and_exports_of_campaigns_and_evaluations_are_recorded(
    client, member, leader, deputy, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from campaigns.models import Campaign, Material

    settings.MEDIA_ROOT = tmp_path
    campaign = Campaign.objects.create(
        title="Quán triệt Nội quy",
        theme="internal_rules",
        organiser=deputy,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    material = Material(
        campaign=campaign,
        title="Nội quy",
        original_name="noi-quy.pdf",
        extension=".pdf",
        content_type="application/pdf",
    )
    material.file.save("n.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    material.save()
    client.force_login(member)
    client.get(reverse("campaigns:material", args=[material.pk]))
    client.get(reverse("campaigns:export", args=[campaign.pk, "xlsx"]))
    client.get(reverse("evaluations:commendations_export", args=["csv"]))
    recorded = set(AuditEntry.objects.filter(actor=member).values_list("action", "object_type"))
    assert (A.DOWNLOAD, "campaigns.material") in recorded
    assert (A.EXPORT, "campaigns.campaign") in recorded
    assert (A.EXPORT, "evaluations.commendation") in recorded

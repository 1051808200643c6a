"""Filing, numbering, the workflow table, the timeline, optimistic locking and the notifications they send."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from incidents import services
from incidents.models import Incident, IncidentEvent, Place, Severity, Status
from incidents.models.timeline import AppendOnly
from notifications.models import Notification
from team import services as team_services
from tests.conftest import requires_postgresql


@pytest.fixture
def gate(db):
    return Place.objects.create(name="Cổng chính", kind=Place.Kind.GATE)


def fields(category, place=None, **extra):
    now = timezone.now()
    return {
        "category": category,
        "place": place,
        "occurred_at": now - timedelta(minutes=30),
        "detected_at": now - timedelta(minutes=10),
        "description": "Mất xe máy ở bãi xe",
        "proposed_severity": Severity.MEDIUM,
        **extra,
    }


def file(staff, category, **extra):
    return services.file_incident(filed_by=staff, fields=fields(category, **extra))


def test_filing_numbers_assigns_to_the_member_on_duty_and_tells_the_team(staff, category, team, leader, member):
    now = timezone.localtime()
    start = now - timedelta(minutes=5)
    team_services.schedule_shift(
        team=team, day=start.date(), start=start.time(), end=(now + timedelta(hours=2)).time(), member=member
    )
    incident = file(staff, category)
    year = timezone.localdate().year
    assert incident.reference == f"VV-{year}-0001"
    assert incident.status == Status.NEW and incident.reporter == staff
    assert incident.assignee == member
    assert list(incident.events.values_list("action", flat=True)) == ["filed", "assigned"]
    told = set(Notification.objects.filter(kind="incidents.filed").values_list("recipient", flat=True))
    assert told == {member.pk, leader.pk}


def test_a_critical_incident_alerts_the_leadership_at_once(staff, category, leader, chief):
    file(staff, category, proposed_severity=Severity.CRITICAL)
    told = set(Notification.objects.filter(kind="incidents.critical_filed").values_list("recipient", flat=True))
    assert {leader.pk, chief.pk} <= told


def test_reference_numbers_run_on_and_restart_each_year(staff, category):
    first, second = file(staff, category), file(staff, category)
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_reference_numbers_never_repeat_when_filed_at_once(staff, category):
    barrier = threading.Barrier(4)
    references, errors = [], []

    def file_one():
        try:
            barrier.wait()
            references.append(file(staff, category).reference)
        except Exception as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(set(references)) == 4


def test_the_workflow_allows_and_refuses_per_role(staff, category, member, leader, chief):
    incident = file(staff, category)
    with pytest.raises(PermissionDenied):  # a staff member cannot acknowledge
        services.transition(incident_id=incident.pk, name="acknowledge", actor=staff, version=incident.version)
    incident = services.transition(incident_id=incident.pk, name="acknowledge", actor=member, version=1)
    with pytest.raises(PermissionDenied):  # only the leader or deputy escalates
        services.transition(
            incident_id=incident.pk,
            name="escalate",
            actor=member,
            version=incident.version,
            reason="Cần lãnh đạo chỉ đạo",
        )
    with pytest.raises(ValidationError):  # a reason is required
        services.transition(incident_id=incident.pk, name="escalate", actor=leader, version=incident.version)
    incident = services.transition(
        incident_id=incident.pk, name="escalate", actor=leader, version=incident.version, reason="Cần lãnh đạo chỉ đạo"
    )
    assert incident.status == Status.ESCALATED
    assert Notification.objects.filter(kind="incidents.escalated", recipient=chief).exists()
    with pytest.raises(PermissionDenied):  # close only from resolved
        services.transition(incident_id=incident.pk, name="close", actor=leader, version=incident.version)
    incident = services.transition(
        incident_id=incident.pk, name="resolve", actor=member, version=incident.version, reason="Đã tìm thấy xe"
    )
    incident = services.transition(incident_id=incident.pk, name="close", actor=leader, version=incident.version)
    assert incident.status == Status.CLOSED and incident.closed_at
    assert Notification.objects.filter(kind="incidents.status_changed", recipient=staff).count() == 4


def test_a_stale_change_is_refused_not_lost(staff, category, member, leader):
    incident = file(staff, category)
    seen_version = incident.version
    services.transition(incident_id=incident.pk, name="acknowledge", actor=member, version=seen_version)
    with pytest.raises(services.Conflict):
        services.assign(incident_id=incident.pk, assignee=leader, actor=leader, version=seen_version)
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED and incident.assignee != leader


def test_every_change_is_on_the_timeline_and_the_timeline_cannot_be_edited(staff, category, member, leader):
    incident = file(staff, category)
    services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=incident.version)
    services.add_note(incident_id=incident.pk, actor=member, text="Đã xem camera", to_reporter=False)
    services.add_note(incident_id=incident.pk, actor=member, text="Chúng tôi đang xử lý", to_reporter=True)
    services.add_info(incident_id=incident.pk, actor=staff, text="Xe màu đỏ, biển 99A")
    actions = list(incident.events.values_list("action", "audience"))
    assert actions == [
        ("filed", "reporter"),
        ("assigned", "team"),
        ("note", "team"),
        ("update", "reporter"),
        ("info", "reporter"),
    ]
    event = incident.events.first()
    event.text = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    assert IncidentEvent.objects.filter(incident=incident).count() == 5


def test_the_reporter_cannot_write_internal_notes_and_outsiders_cannot_add_info(staff, category, make_user):
    incident = file(staff, category)
    with pytest.raises(PermissionDenied):
        services.add_note(incident_id=incident.pk, actor=staff, text="x", to_reporter=False)
    with pytest.raises(PermissionDenied):
        services.add_info(incident_id=incident.pk, actor=make_user(), text="x")


def test_filing_fails_whole_if_a_file_cannot_be_stored(staff, category, monkeypatch, settings, tmp_path):
    from core.uploads import SafeUpload

    settings.MEDIA_ROOT = tmp_path
    upload = SafeUpload(
        original_name="a.pdf", content_type="application/pdf", extension=".pdf", data=b"%PDF-1.4\n", is_image=False
    )

    calls = {"n": 0}
    real_store = services._store

    def store_then_fail(*args, **kwargs):
        calls["n"] += 1
        attachment = real_store(*args, **kwargs)
        if calls["n"] == 2:
            raise OSError("disk full")
        return attachment

    monkeypatch.setattr(services, "_store", store_then_fail)
    with pytest.raises(OSError):
        services.file_incident(filed_by=staff, fields=fields(category), uploads=[upload, upload])
    assert not Incident.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []  # no orphan file


def test_search_ignores_diacritics_and_case(staff, category):
    file(staff, category, description="Trộm cắp điện thoại tại phòng họp")
    file(staff, category, description="Cháy nhỏ ở kho")
    assert Incident.objects.search("trom cap").count() == 2  # both of the category "Trộm cắp, mất tài sản"
    assert Incident.objects.search("DIEN THOAI").count() == 1
    assert Incident.objects.search("Điện thoại trộm").count() == 1
    assert Incident.objects.search("chay").count() == 1


def test_detected_before_occurred_is_refused_by_the_database(staff, category):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.file_incident(
            filed_by=staff, fields=fields(category, occurred_at=now, detected_at=now - timedelta(hours=1))
        )


def test_no_shift_no_assignee(staff, category, team, member):
    incident = file(staff, category)
    assert incident.assignee is None  # nobody on duty: the leader assigns (he was told)


def test_a_duplicate_is_linked_to_the_original(staff, category, leader, member):
    original, copy = file(staff, category), file(staff, category)
    with pytest.raises(PermissionDenied):
        services.mark_duplicate(incident_id=copy.pk, actor=member, version=None, original_reference=original.reference)
    with pytest.raises(ValidationError):
        services.mark_duplicate(incident_id=copy.pk, actor=leader, version=None, original_reference="VV-1999-0001")
    with pytest.raises(ValidationError):
        services.mark_duplicate(incident_id=copy.pk, actor=leader, version=None, original_reference=copy.reference)
    copy = services.mark_duplicate(
        incident_id=copy.pk, actor=leader, version=None, original_reference=original.reference.lower()
    )
    assert copy.status == Status.DUPLICATE and copy.duplicate_of == original
    assert copy.events.filter(action="status", text=original.reference).exists()


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_one_wins_the_other_is_told(staff, category, member, leader):
    incident = file(staff, category)
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, actor, action):
        try:
            barrier.wait()
            if action == "assign":
                services.assign(incident_id=incident.pk, assignee=actor, actor=actor, version=incident.version)
            else:
                services.transition(
                    incident_id=incident.pk,
                    name=action,
                    actor=actor,
                    version=incident.version,
                    reason="Không thuộc thẩm quyền",
                )
            outcomes[name] = "done"
        except services.Conflict:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("leader", leader, "reject")),
        threading.Thread(target=act, args=("member", member, "acknowledge")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "done"]
    incident.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "done")
    assert incident.status == {"leader": Status.REJECTED, "member": Status.ACKNOWLEDGED}[winner]
    assert incident.version == 2
    assert incident.events.filter(action="status").count() == 1  # the loser left no trace


@requires_postgresql
def test_the_database_refuses_to_change_the_timeline(staff, category):
    from django.db import DatabaseError, transaction

    incident = file(staff, category)
    with pytest.raises(DatabaseError), transaction.atomic():
        IncidentEvent.objects.filter(incident=incident).update(text="rewritten")  # straight SQL, no model save
    with pytest.raises(DatabaseError), transaction.atomic():
        IncidentEvent.objects.filter(incident=incident)._raw_delete(IncidentEvent.objects.db)
    assert IncidentEvent.objects.filter(incident=incident, text="").count() == incident.events.count()


@requires_postgresql
def test_the_search_has_a_trigram_index_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'incident_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition

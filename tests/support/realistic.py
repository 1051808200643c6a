"""Data that looks like the real office, for the tests that count queries.

A query-count test proves only what its data exercises: the queue ran one query per incident in a
room of a building for months because no test had a room inside a floor inside a building. So the
query-count tests build their data here, the way the office's own data looks: places nested in
buildings (room › floor › building), gates and yards; confidential reporters, visitors and callers
reported by name and phone (`reporter_name`), staff reporting for themselves; timelines with every
kind of entry, by people and by TựQuản itself; people reading Vietnamese and English, with phones,
departments and positions; notifications of several kinds, read and unread.

Each function creates through the services where there is one, so the rows are what the app
itself writes.
"""

from datetime import timedelta

from django.utils import timezone

from core.uploads import SafeUpload
from incidents import escalation, services
from incidents.models import ExternalReport, Incident, IncidentEvent, Place, Severity
from notifications.services import mark_read, notify

PDF = SafeUpload("bien-ban.pdf", "application/pdf", ".pdf", b"%PDF-1.4\n", False)
DESCRIPTIONS = [
    "Mất ví trong phòng họp, nghi có người lạ vào",
    'Khách tự xưng "cán bộ thanh tra" & đòi vào phòng lưu trữ <không hẹn trước>',
    "Chập điện ổ cắm tầng 3, đã ngắt cầu dao",
    "Xe máy để sai chỗ chắn lối thoát hiểm",
    "Phát hiện tài liệu mật để quên trên máy photocopy",
    "Nhóm người tụ tập trước cổng, căng băng rôn khiếu kiện",
]


def places(building_name: str = "Nhà A") -> list[Place]:
    """A building of the headquarters: rooms in its floors, a floor, the annex, a gate, a yard (deepest first)."""
    building = Place.objects.create(name=building_name, kind=Place.Kind.BUILDING)
    floors = [Place.objects.create(name=f"Tầng {n}", kind=Place.Kind.FLOOR, parent=building) for n in (2, 3)]
    rooms = [
        Place.objects.create(name=f"Phòng {floor.name[-1]}0{n}", kind=Place.Kind.ROOM, parent=floor)
        for floor in floors
        for n in (1, 5)
    ]
    gate = Place.objects.create(name=f"Cổng {building_name}", kind=Place.Kind.GATE)
    yard = Place.objects.create(name=f"Sân sau {building_name}", kind=Place.Kind.AREA)
    annex = Place.objects.create(name=f"{building_name} (nhà phụ)", kind=Place.Kind.BUILDING)
    return [*rooms, floors[0], annex, gate, yard]


def colleagues(make_user, positions, departments, count: int) -> list:
    """Staff of several departments and positions, every other one reading English, most with a phone."""
    names = ["Vũ Thị Mai", "Đỗ Văn Nam", "Bùi Thị Hằng", "Ngô Quang Huy", "Lý Thị Ngọc", "Phan Đức Long"]
    department_list = list(departments.values())
    return [
        make_user(
            f"{names[n % len(names)]} {n}",
            position=positions["specialist"],
            department=department_list[n % len(department_list)],
            language="en" if n % 2 else "vi",
            phone=f"09{n:08d}" if n % 3 else "",
        )
        for n in range(count)
    ]


def file_incident(n: int, *, staff, member, category, places: list[Place]) -> Incident:
    """The n-th report of a realistic stream: confidential, by a visitor or caller, or by staff, at every depth."""
    now = timezone.now()
    fields = {
        "category": category,
        "place": places[n % len(places)] if n % 7 else None,
        "place_detail": "cạnh thang máy" if n % 4 == 1 else "",
        "occurred_at": now - timedelta(hours=2),
        "detected_at": now - timedelta(hours=1),
        "description": DESCRIPTIONS[n % len(DESCRIPTIONS)],
        "people_involved": "Hai người đàn ông khoảng 30 tuổi" if n % 2 else "",
        "proposed_severity": [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL][n % 4],
    }
    if n % 3 == 1:  # a visitor or caller: the team files it with his name and phone
        return services.file_incident(
            filed_by=member,
            fields={
                **fields,
                "reporter_name": f"Ông Trần Văn Khách {n}, 0912 000 {n:03d}",
                "confidential_reporter": bool(n % 2),
            },
        )
    reporter = staff[n % len(staff)]
    return services.file_incident(filed_by=reporter, fields={**fields, "confidential_reporter": n % 3 == 0})


def every_kind_of_event(incident: Incident, *, leader, member, chief, attachment: bool = True) -> Incident:
    """Give the incident a timeline with an entry of every kind, by several people and by TựQuản.

    The reporter adds information, the team acknowledges, assigns, writes notes (internal and to
    the reporter), attaches a file, records a report to the police, the leader sets TT 124 flags,
    TựQuản reminds of a deadline, the leader escalates and the office leadership acknowledges.
    """
    pk = incident.pk
    reporter = incident.reporter or incident.filed_by
    services.add_info(incident_id=pk, actor=reporter, text="Bổ sung: camera hành lang có ghi hình")
    services.transition(incident_id=pk, name="acknowledge", actor=member, version=None)
    services.assign(incident_id=pk, assignee=member, actor=leader, version=None)
    services.add_note(incident_id=pk, actor=member, text="Nghi vấn người quen", to_reporter=False)
    services.add_note(incident_id=pk, actor=member, text="Đã tiếp nhận, đang xác minh", to_reporter=True)
    if attachment:
        services._store(Incident.objects.get(pk=pk), member, PDF, [])
    services.record_external_report(
        incident_id=pk,
        actor=member,
        fields={
            "agency": ExternalReport.Agency.WARD_POLICE,
            "agency_detail": "Công an phường Bình An",
            "notified_at": timezone.now() - timedelta(minutes=30),
            "method": ExternalReport.Method.PHONE,
            "case_reference": f"CA-{pk}",
        },
    )
    services.set_tt124_flags(
        incident_id=pk,
        actor=leader,
        version=None,
        values={"tt124_item": "đ", "police_confirmed_serious": False, "force_majeure": False},
    )
    IncidentEvent.objects.create(
        incident_id=pk, actor=None, action=IncidentEvent.Action.REMINDER, new_value="resolve-50"
    )
    IncidentEvent.objects.create(
        incident_id=pk, actor=leader, action=IncidentEvent.Action.FIELD, field="severity", old_value="2", new_value="3"
    )
    services.transition(incident_id=pk, name="escalate", actor=leader, version=None, reason="Cần chỉ đạo")
    return escalation.acknowledge(incident_id=pk, actor=chief, version=None)


def live(incident: Incident, n: int, *, leader, member, chief, original: Incident | None = None) -> Incident:
    """The n-th of several lives an incident leads, so a list holds every status and every kind of entry."""
    pk = incident.pk
    life = n % 6
    if life == 0:
        return every_kind_of_event(incident, leader=leader, member=member, chief=chief, attachment=False)
    if life == 1:
        services.transition(incident_id=pk, name="start", actor=member, version=None)
        services.transition(incident_id=pk, name="resolve", actor=member, version=None, reason="Đã tìm thấy ví")
        return services.transition(incident_id=pk, name="close", actor=leader, version=None)
    if life == 2:
        services.transition(incident_id=pk, name="reject", actor=leader, version=None, reason="Không phải sự việc ANTT")
        return services.transition(incident_id=pk, name="reopen", actor=leader, version=None, reason="Có thông tin mới")
    if life == 3 and original is not None:
        services.transition(incident_id=pk, name="acknowledge", actor=member, version=None)
        return services.mark_duplicate(
            incident_id=pk, actor=leader, version=None, original_reference=original.reference
        )
    if life == 4:
        services.add_note(incident_id=pk, actor=member, text="Đang chờ trích xuất camera", to_reporter=False)
        return incident
    services.transition(incident_id=pk, name="start", actor=member, version=None)
    services.add_note(incident_id=pk, actor=member, text="Đã làm việc với bảo vệ ca đêm", to_reporter=True)
    return incident


def stream(count: int, *, start: int = 0, staff, member, leader, chief, category, places: list[Place]) -> list:
    """`count` reports of the realistic stream, each with its life."""
    made = []
    for n in range(start, start + count):
        incident = file_incident(n, staff=staff, member=member, category=category, places=places)
        original = made[0] if made else Incident.objects.exclude(pk=incident.pk).order_by("pk").first()
        made.append(live(incident, n, leader=leader, member=member, chief=chief, original=original))
    return made


def inbox(user, incidents: list[Incident]) -> None:
    """Notifications of several kinds about these incidents for `user`, in his language, every third one read."""
    kinds = ["incidents.filed", "incidents.escalated", "incidents.sla_reminder", "incidents.status_changed"]
    for n, incident in enumerate(incidents):
        notification = notify(
            recipient=user,
            kind=kinds[n % len(kinds)],
            context={"incident": incident, "reason": "Quá hạn xác nhận", "what": "resolve-50"},
            url=incident.get_absolute_url(),
        )
        if notification and n % 3 == 0:
            mark_read(notification)


def briefing(campaign, *, organiser) -> None:
    """A running campaign as the office runs it: its participants attend one of its sessions, are absent
    for a reason, or open every material and acknowledge; the rest are still missing."""
    from campaigns import services as campaigns
    from campaigns.models import AbsenceReason

    sessions = list(campaign.sessions.all())
    materials = list(campaign.materials.all())
    participants = list(campaign.participants.select_related("campaign"))
    reasons = list(AbsenceReason.values)
    for index, session in enumerate(sessions):
        group = participants[index :: len(sessions) + 2]
        present = {entry.user_id for entry in group[::2]}
        absent = {entry.user_id: reasons[n % len(reasons)] for n, entry in enumerate(group[1::2])}
        campaigns.mark_attendance(session=session, actor=organiser, present=present, absent=absent)
    for entry in participants[len(sessions) :: len(sessions) + 2]:
        for material in materials:
            campaigns.open_material(entry, material)
        campaigns.acknowledge(participant=entry)

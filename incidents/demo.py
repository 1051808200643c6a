"""Demo data of incidents/: the places of the headquarters, the escalation chain and a dozen incidents.

Two belong to this year's evaluation window (incidents/demo.py `_INCIDENTS`); ten are of the last days
(incidents/demo_recent.py), so a newcomer finds a queue with every status in it.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from incidents import demo_recent
from incidents.models import Category, EscalationLevel, ExternalReport, Incident, IncidentEvent, Place
from team.demo import person
from team.models import Position


def seed() -> str:
    _places()
    _escalation_chain()
    made = _incidents() + demo_recent.seed()
    return (
        f"Incidents: {Place.objects.count()} places, {EscalationLevel.objects.count()} escalation levels, "
        f"{Incident.objects.count()} incidents ({made} new)."
    )


def _places():
    building, _ = Place.objects.get_or_create(name="Nhà A (trụ sở chính)", defaults={"kind": Place.Kind.BUILDING})
    for name, kind in [("Cổng chính", Place.Kind.GATE), ("Cổng phụ", Place.Kind.GATE), ("Bãi xe", Place.Kind.AREA)]:
        Place.objects.get_or_create(name=name, defaults={"kind": kind})
    for floor in range(1, 5):
        Place.objects.get_or_create(name=f"Tầng {floor}", parent=building, defaults={"kind": Place.Kind.FLOOR})
    Place.objects.get_or_create(name="Phòng họp lớn", parent=building, defaults={"kind": Place.Kind.ROOM})


def _escalation_chain():
    EscalationLevel.objects.get_or_create(
        order=1,
        defaults={
            "position": Position.objects.get(name="Phó Chánh Văn phòng"),
            "person_in_charge": person("thu.dt"),
            "acknowledge_within": 30,
        },
    )
    EscalationLevel.objects.get_or_create(
        order=2, defaults={"position": Position.objects.get(name="Chánh Văn phòng"), "acknowledge_within": 60}
    )


def _incidents() -> int:
    """Two incidents of this year's evaluation window: a laptop theft the police classed as a serious crime,
    detected at dawn, the scene kept and the ward police called within the hour (TT 124 criterion 3.đ,
    excused by that prompt handling), and a stranger on the third floor, turned back."""
    today = timezone.localdate()
    # 40 days before today (or before 15/11) is always inside this year's window 16/11 – 15/11.
    day = min(today, today.replace(month=11, day=15)) - timedelta(days=40)
    made = 0
    for spec in _INCIDENTS:
        if Incident.objects.filter(description=spec["description"]).exists():
            continue
        made += 1
        _incident(day, spec)
    return made


_INCIDENTS = [
    {
        "category": "theft",
        "place": "Tầng 3",
        "place_detail": "Phòng 305, Phòng Kinh tế",
        "occurred": (-1, time(23, 10)),
        "detected": (0, time(6, 40)),
        "description": "Phát hiện cửa phòng 305 bị cạy, mất 02 máy tính xách tay và 01 ổ cứng di động của "
        "Phòng Kinh tế. Camera hành lang ghi nhận một người lạ đi cầu thang bộ lúc 23 giờ 10.",
        "people_involved": "Người lạ chưa xác định; bảo vệ ca đêm; cán bộ Phòng Kinh tế.",
        "injuries_damage": "Tài sản thiệt hại ước tính 95 triệu đồng; không có người bị thương.",
        "immediate_actions": "Niêm phong phòng 305, bảo vệ hiện trường, trích xuất camera, báo lãnh đạo Văn phòng "
        "và Công an phường; rà soát lại cửa, khóa các phòng tầng 3.",
        "severity": 3,
        "reporter": "nam.pv",
        "status": "closed",
        "tt124_item": "đ",
        "police_confirmed_serious": True,
        "report": {
            "agency": "ward_police",
            "after": timedelta(minutes=35),
            "detail": "Công an phường Bình An",
            "case_reference": "Tin báo số 128/TB",
        },
    },
    {
        "category": "unauthorized-entry",
        "place": "Tầng 3",
        "place_detail": "Hành lang tầng 3",
        "occurred": (20, time(10, 15)),
        "detected": (20, time(10, 20)),
        "description": "Một người không có giấy giới thiệu đi lên tầng 3 tìm gặp lãnh đạo để phản ánh việc riêng.",
        "people_involved": "Ông N.V.T., trú tại phường Bình An.",
        "injuries_damage": "",
        "immediate_actions": "Bảo vệ mời xuống phòng tiếp dân, hướng dẫn liên hệ Ban Tiếp công dân.",
        "severity": 1,
        "reporter": "hai.nd",
        "status": "resolved",
        "tt124_item": "",
        "police_confirmed_serious": False,
        "report": None,
    },
]


def _incident(day, spec) -> Incident:
    from incidents.numbering import next_reference

    def at(offset_and_time):
        offset, moment = offset_and_time
        return timezone.make_aware(datetime.combine(day + timedelta(days=offset), moment))

    detected = at(spec["detected"])
    reporter = person(spec["reporter"])
    incident = Incident(
        reference=next_reference(detected.year),
        category=Category.objects.get(code=spec["category"]),
        place=Place.objects.filter(name=spec["place"]).first(),
        place_detail=spec["place_detail"],
        occurred_at=at(spec["occurred"]),
        detected_at=detected,
        description=spec["description"],
        people_involved=spec["people_involved"],
        injuries_damage=spec["injuries_damage"],
        immediate_actions=spec["immediate_actions"],
        proposed_severity=spec["severity"],
        severity=spec["severity"],
        status=spec["status"],
        filed_by=reporter,
        reporter=reporter,
        assignee=reporter,
        tt124_item=spec["tt124_item"],
        police_confirmed_serious=spec["police_confirmed_serious"],
        created_at=detected + timedelta(minutes=10),
        acknowledged_at=detected + timedelta(minutes=15),
        closed_at=detected + timedelta(days=3),
    )
    incident.save()
    IncidentEvent.objects.create(
        incident=incident,
        actor=reporter,
        at=incident.created_at,
        action=IncidentEvent.Action.FILED,
        audience=IncidentEvent.Audience.REPORTER,
        field="status",
        new_value="new",
    )
    report = spec["report"]
    if report:
        ExternalReport.objects.create(
            incident=incident,
            agency=report["agency"],
            agency_detail=report["detail"],
            notified_at=detected + report["after"],
            case_reference=report["case_reference"],
            notified_by=reporter,
        )
        IncidentEvent.objects.create(
            incident=incident,
            actor=reporter,
            at=detected + report["after"],
            action=IncidentEvent.Action.EXTERNAL,
            new_value=report["detail"],
        )
    IncidentEvent.objects.create(
        incident=incident,
        actor=None,
        at=incident.closed_at,
        action=IncidentEvent.Action.STATUS,
        field="status",
        old_value="new",
        new_value=spec["status"],
        audience=IncidentEvent.Audience.REPORTER,
    )
    return incident

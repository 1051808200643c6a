"""Ten incidents of the last days for the demo: one in each status a queue holds, severities low to critical,
nine categories, the gates, the car park and the floors; one with a confidential reporter, one escalated and
waiting for the office leadership, one overdue, one reported to the police.

Times are relative to the moment of seeding, and the service-level clocks are those of a real filing at that
time (incidents.sla), so the running demo goes on from there: reminders, automatic escalation. Idempotent: an
incident whose description exists already is left alone.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation

from incidents import sla
from incidents.models import Category, EscalationLevel, ExternalReport, Incident, IncidentEvent, Place, Status
from incidents.numbering import next_reference
from team.demo import person

Event = IncidentEvent.Action
REPORTER = IncidentEvent.Audience.REPORTER


@dataclass(frozen=True)
class Step:
    """Something done `after` the filing: a status change (with a reason for the team, a message for the
    reporter), an assignment, information added by the reporter, an escalation or a report to the police."""

    after: timedelta
    by: str
    status: str = ""
    reason: str = ""
    message: str = ""
    assign_to: str = ""
    info: str = ""
    police: tuple[str, str, str] = ()  # agency, detail, case reference


@dataclass(frozen=True)
class Recent:
    filed_ago: timedelta
    category: str
    place: str
    place_detail: str
    severity: int
    description: str
    reporter: str = ""
    filed_by: str = ""
    reporter_name: str = ""
    confidential: bool = False
    assignee: str = ""  # given by the duty roster at filing
    immediate_actions: str = ""
    steps: tuple[Step, ...] = field(default_factory=tuple)


M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)

RECENT = [
    Recent(
        filed_ago=20 * D,
        category="traffic-accident",
        place="Cổng chính",
        place_detail="Làn xe ra, trước cổng",
        severity=3,
        description="Xe ô tô của cơ quan lùi ra cổng va chạm với một xe máy đi trên vỉa hè; người đi xe máy bị "
        "xây xát nhẹ ở tay.",
        reporter="binh.tv",
        assignee="khoa.bd",
        immediate_actions="Sơ cứu tại phòng y tế, gọi Công an phường đến lập biên bản.",
        steps=(
            Step(after=5 * M, by="khoa.bd", status=Status.IN_PROGRESS),
            Step(after=25 * M, by="khoa.bd", police=("ward_police", "Công an phường Bình An", "Biên bản 45/BB")),
            Step(after=6 * H, by="khoa.bd", status=Status.RESOLVED, reason="Hai bên đã thỏa thuận bồi thường."),
            Step(after=2 * D, by="minh.hv", status=Status.CLOSED),
        ),
    ),
    Recent(
        filed_ago=9 * D,
        category="cyber",
        place="Tầng 4",
        place_detail="Phòng 402",
        severity=2,
        description="Nhận thư điện tử giả danh Văn phòng Chính phủ, đề nghị đăng nhập lại hộp thư công vụ qua "
        "một đường link lạ; 03 cán bộ đã bấm vào link.",
        reporter="an.vt",
        assignee="nam.pv",
        steps=(
            Step(after=40 * M, by="nam.pv", status=Status.IN_PROGRESS),
            Step(
                after=2 * D,
                by="nam.pv",
                status=Status.RESOLVED,
                reason="Đã đổi mật khẩu 03 hộp thư, báo bộ phận CNTT chặn tên miền.",
                message="Đồng chí và 02 cán bộ đã được đổi mật khẩu hộp thư; không mở thư lạ.",
            ),
            Step(after=3 * D, by="minh.hv", status=Status.CLOSED),
        ),
    ),
    Recent(
        # The demo's overdue one: medium severity resolves within 3 working days, so two weeks leave it late
        # whatever the weekday the demo is seeded on, even across Tết.
        filed_ago=14 * D,
        category="theft",
        place="Bãi xe",
        place_detail="Khu để xe máy, dãy B",
        severity=2,
        description="Mất 01 mũ bảo hiểm và 02 gương chiếu hậu của xe máy để tại dãy B trong giờ làm việc.",
        reporter="linh.ph",
        assignee="nam.pv",
        steps=(
            Step(after=H, by="tuan.la", status=Status.ACKNOWLEDGED),
            Step(after=90 * M, by="nam.pv", status=Status.IN_PROGRESS),
            Step(after=D, by="linh.ph", info="Xe của đồng chí Vinh (Phòng Kinh tế) cũng bị tháo gương."),
        ),
    ),
    Recent(
        filed_ago=2 * D,
        category="fire-explosion",
        place="Tầng 1",
        place_detail="Phòng 108, ổ cắm sau máy photocopy",
        severity=2,
        description="Ổ cắm sau máy photocopy phòng 108 bốc khói, có mùi khét; đã ngắt cầu dao.",
        reporter="thao.lp",
        assignee="khoa.bd",
        steps=(
            Step(after=10 * M, by="khoa.bd", status=Status.IN_PROGRESS),
            Step(
                after=3 * H,
                by="khoa.bd",
                status=Status.RESOLVED,
                reason="Đã thay ổ cắm, kiểm tra toàn bộ dây điện phòng 108.",
                message="Đã thay ổ cắm mới; đề nghị đồng chí không dùng ổ kéo dài cho máy photocopy.",
            ),
        ),
    ),
    Recent(
        filed_ago=D,
        category="unauthorized-entry",
        place="Tầng 1",
        place_detail="Sảnh tầng 1",
        severity=1,
        description="Một người mặc áo giao hàng đi thẳng vào sảnh tầng 1, không qua bàn thường trực.",
        reporter="vinh.kq",
        steps=(
            Step(
                after=30 * M,
                by="lan.tt",
                status=Status.REJECTED,
                reason="Người giao hàng đã đăng ký tại cổng, có phiếu ra vào.",
                message="Người giao hàng đã đăng ký tại cổng nên không phải xâm nhập trái phép. Cảm ơn đồng chí.",
            ),
        ),
    ),
    Recent(
        filed_ago=5 * H,
        category="state-secret-leak",
        place="Tầng 2",
        place_detail="Phòng 210",
        severity=3,
        description="Tài liệu có đóng dấu MẬT để trên máy photocopy chung của tầng 2 từ chiều hôm qua.",
        reporter="yen.hb",
        confidential=True,
        steps=(
            Step(after=20 * M, by="lan.tt", status=Status.ACKNOWLEDGED),
            Step(after=25 * M, by="lan.tt", assign_to="lan.tt"),
        ),
    ),
    Recent(
        filed_ago=3 * H,
        category="suspicious-object",
        place="Cổng phụ",
        place_detail="Gốc cây cạnh cổng phụ",
        severity=4,
        description="Một ba lô màu đen không người trông giữ để sát cổng phụ từ sáng, có dây điện thò ra ngoài.",
        reporter="cuong.mv",
        assignee="hai.nd",
        immediate_actions="Cảnh giới 30 m, không cho người qua lại cổng phụ, gọi 113.",
        steps=(
            Step(after=5 * M, by="minh.hv", status=Status.ACKNOWLEDGED),
            Step(after=6 * M, by="hai.nd", police=("113", "Trực ban Công an tỉnh", "")),
            Step(after=8 * M, by="hai.nd", status=Status.IN_PROGRESS),
        ),
    ),
    Recent(
        filed_ago=50 * M,
        category="mass-petition",
        place="Cổng chính",
        place_detail="Vỉa hè trước cổng chính",
        severity=3,
        description="Khoảng 30 người dân tụ tập trước cổng chính, căng băng rôn đề nghị gặp lãnh đạo UBND tỉnh "
        "về việc bồi thường giải phóng mặt bằng.",
        reporter="huong.lt",
        assignee="phuong.vt",
        steps=(
            Step(after=10 * M, by="lan.tt", status=Status.ACKNOWLEDGED),
            Step(
                after=40 * M,
                by="minh.hv",
                status=Status.ESCALATED,
                reason="Số người tăng dần; đề nghị Lãnh đạo Văn phòng chỉ đạo phối hợp Ban Tiếp công dân và Công an "
                "phường.",
            ),
        ),
    ),
    Recent(
        filed_ago=20 * M,
        category="gate-disorder",
        place="Cổng chính",
        place_detail="Bàn thường trực",
        severity=2,
        description="Một người đàn ông say rượu to tiếng với bảo vệ, đòi vào gặp cán bộ Phòng Tổng hợp.",
        reporter="hoa.pt",
        assignee="tuan.la",
    ),
    Recent(
        filed_ago=15 * M,
        category="violence",
        place="Bãi xe",
        place_detail="Lối ra bãi xe ô tô",
        severity=2,
        description="Hai lái xe taxi xô xát vì tranh chỗ đỗ đón khách, một người bị chảy máu mũi.",
        filed_by="tuan.la",
        reporter_name="Ông Trần Văn Khải (lái xe taxi), 0987 654 321",
        assignee="tuan.la",
    ),
]


def seed() -> int:
    now = timezone.now()
    made = 0
    with translation.override(settings.LANGUAGE_CODE):  # the timeline keeps the office's language
        for spec in sorted(RECENT, key=lambda spec: -spec.filed_ago):
            if not Incident.objects.filter(description=spec.description).exists():
                _incident(spec, now)
                made += 1
    return made


def _incident(spec: Recent, now: datetime) -> Incident:
    created = now - spec.filed_ago
    filer = person(spec.filed_by or spec.reporter)
    incident = Incident(
        reference=next_reference(timezone.localtime(created).year),
        category=Category.objects.get(code=spec.category),
        place=Place.objects.filter(name=spec.place).first(),
        place_detail=spec.place_detail,
        occurred_at=created - 15 * M,
        detected_at=created - 5 * M,
        description=spec.description,
        immediate_actions=spec.immediate_actions,
        proposed_severity=spec.severity,
        severity=spec.severity,
        filed_by=filer,
        reporter=person(spec.reporter) if spec.reporter else None,
        reporter_name=spec.reporter_name,
        confidential_reporter=spec.confidential,
        assignee=person(spec.assignee) if spec.assignee else None,
        created_at=created,
    )
    sla.apply_policy(incident, created)
    incident.save()
    events = [
        IncidentEvent(
            incident=incident,
            actor=filer,
            at=created,
            action=Event.FILED,
            audience=REPORTER,
            field="status",
            new_value=Status.NEW,
        )
    ]
    if incident.assignee:
        events.append(
            IncidentEvent(incident=incident, at=created, action=Event.ASSIGNED, new_value=str(incident.assignee))
        )
    for step in spec.steps:
        events += _step(incident, step, created + step.after)
    sla.schedule(incident, now)
    incident.save()
    IncidentEvent.objects.bulk_create(events)
    return incident


def _step(incident: Incident, step: Step, at: datetime) -> list[IncidentEvent]:
    actor = person(step.by)
    events = []
    if step.status:
        events.append(
            IncidentEvent(
                incident=incident,
                actor=actor,
                at=at,
                action=Event.STATUS,
                audience=REPORTER,
                field="status",
                old_value=incident.status,
                new_value=step.status,
            )
        )
        incident.status = step.status
        if incident.acknowledged_at is None and step.status != Status.REJECTED:
            incident.acknowledged_at = at
        if step.status == Status.CLOSED:
            incident.closed_at = at
    if step.reason and step.status != Status.ESCALATED:  # an escalation's reason is shown with it, once
        events.append(IncidentEvent(incident=incident, actor=actor, at=at, action=Event.NOTE, text=step.reason))
    if step.message:
        events.append(
            IncidentEvent(
                incident=incident, actor=actor, at=at, action=Event.UPDATE, audience=REPORTER, text=step.message
            )
        )
    if step.status == Status.ESCALATED:
        events.append(_escalated(incident, actor, at, step.reason))
    if step.assign_to:
        old, incident.assignee = str(incident.assignee or ""), person(step.assign_to)
        events.append(
            IncidentEvent(
                incident=incident,
                actor=actor,
                at=at,
                action=Event.ASSIGNED,
                field="assignee",
                old_value=old,
                new_value=str(incident.assignee),
            )
        )
    if step.info:
        events.append(
            IncidentEvent(incident=incident, actor=actor, at=at, action=Event.INFO, audience=REPORTER, text=step.info)
        )
    if step.police:
        events.append(_reported(incident, actor, at, *step.police))
    return events


def _escalated(incident: Incident, actor, at: datetime, reason: str) -> IncidentEvent:
    """Waiting at level 1 of the chain (đ/c Đặng Thị Thu), its deadline running from the escalation."""
    first = EscalationLevel.objects.select_related("person_in_charge", "acting", "position").get(order=1)
    incident.escalation_level, incident.escalation_due_at = first.order, at + first.deadline
    waiting = ", ".join(str(someone) for someone in first.targets(timezone.localdate(at)))
    return IncidentEvent(
        incident=incident,
        actor=actor,
        at=at,
        action=Event.ESCALATED,
        field="escalation_level",
        new_value=waiting,
        text=reason,
    )


def _reported(incident: Incident, actor, at: datetime, agency: str, detail: str, case: str) -> IncidentEvent:
    report = ExternalReport.objects.create(
        incident=incident, agency=agency, agency_detail=detail, notified_at=at, case_reference=case, notified_by=actor
    )
    return IncidentEvent(
        incident=incident,
        actor=actor,
        at=at,
        action=Event.EXTERNAL,
        new_value=f"{report.get_agency_display()} {timezone.localtime(at):%d/%m/%Y %H:%M}",
        text=" · ".join(part for part in (detail, case) if part),
    )

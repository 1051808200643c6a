"""Visitors of today for the demo: one expected and not arrived yet, one inside, one who has left.

Times are relative to the moment of seeding. Idempotent: a visitor whose name is in the register is left alone.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from team.demo import person
from visitors import services
from visitors.models import Visit

H = timedelta(hours=1)


def _latest_today(now: datetime, wanted: datetime) -> datetime:
    # Still today when the demo is loaded late in the evening.
    return min(wanted, timezone.make_aware(datetime.combine(timezone.localdate(now), time(23, 30))))


def seed() -> str:
    now, created = timezone.now(), 0
    gate = person("tuan.la")
    if not Visit.objects.filter(visitor_name="Trần Quốc Bảo").exists():
        services.register(
            by=person("hoa.pt"),
            fields={
                "visitor_name": "Trần Quốc Bảo",
                "organisation": "Sở Văn hóa, Thể thao và Du lịch tỉnh Bình An",
                "phone": "0903 456 789",
                "purpose": "Trao đổi kế hoạch tổ chức hội nghị văn hóa cơ sở",
                "host": person("hoa.pt"),
                "expected_at": _latest_today(now, now + 2 * H),
            },
        )
        created += 1
    if not Visit.objects.filter(visitor_name="Lê Thị Hồng Nhung").exists():
        services.check_in(
            by=gate,
            now=now - 1.5 * H,
            fields={
                "visitor_name": "Lê Thị Hồng Nhung",
                "organisation": "Công ty TNHH Thiết bị văn phòng Minh Phát",
                "purpose": "Bảo trì máy photocopy tầng 3",
                "host": person("cuong.mv"),
                "id_document_type": Visit.IdDocument.CCCD,
                "id_number": "001190012345",
                "vehicle_plate": "30A-123.45",
                "badge_number": "K05",
                "note": "Mang theo hộp dụng cụ sửa chữa",
            },
        )
        created += 1
    if not Visit.objects.filter(visitor_name="Nguyễn Văn Dũng").exists():
        visit = services.check_in(
            by=gate,
            now=now - 4 * H,
            fields={
                "visitor_name": "Nguyễn Văn Dũng",
                "organisation": "Bưu điện tỉnh Bình An",
                "purpose": "Chuyển công văn, bưu phẩm",
                "host_detail": "Phòng Hành chính - Tổ chức",
                "id_document_type": Visit.IdDocument.SERVICE_CARD,
                "badge_number": "K02",
            },
        )
        services.check_out(visit=visit, by=gate, now=now - 3.5 * H)
        created += 1
    return f"Visitors: {created} new (one expected today, one inside, one left)."

"""Demo logbook for the current week: what the shifts since Monday wrote, their handovers, a key out.

Times are relative to the moment of seeding. The shifts that have ended were handed over and taken over;
the shift in progress has two entries (one to hand over) and waits for its handover. Idempotent: a shift
that already has entries or a handover is left alone.
"""

from datetime import timedelta

from django.utils import timezone

from duty.models import Handover, KeyLoan, LogEntry
from incidents.models import Place
from team.models import DutyShift

ENDED_SHIFT_ENTRIES = [
    (timedelta(minutes=20), "Nhận ca: cổng, cửa các tầng, hệ thống camera hoạt động bình thường.", "Cổng chính"),
    (timedelta(hours=3), "Tuần tra các tầng nhà A, không phát hiện bất thường.", "Tầng 2"),
    (timedelta(hours=6), "Khóa cửa phòng họp lớn sau cuộc họp chiều, tắt điện hành lang.", "Phòng họp lớn"),
]
CURRENT_SHIFT_ENTRIES = [
    (timedelta(minutes=15), "Nhận ca, kiểm tra cổng và bãi xe: bình thường.", "Cổng chính", False),
    (
        timedelta(minutes=45),
        "Xe ô tô biển 30A-123.45 đỗ ở bãi xe sau giờ làm việc, chưa rõ của ai: đề nghị ca sau theo dõi.",
        "Bãi xe",
        True,
    ),
]


def seed() -> str:
    now = timezone.now()
    monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    week = DutyShift.objects.filter(date__gte=monday, starts_at__lte=now).with_people().order_by("starts_at")
    written = 0
    shifts = list(week)
    for index, shift in enumerate(shifts):
        if LogEntry.objects.filter(shift=shift).exists() or Handover.objects.filter(shift=shift).exists():
            continue
        if shift.ends_at <= now:
            written += _ended(shift, shifts[index + 1] if index + 1 < len(shifts) else None)
        else:
            written += _in_progress(shift, now)
    if not KeyLoan.objects.exists() and shifts:
        KeyLoan.objects.create(
            key="Phòng 201 (Phòng Tổng hợp)", holder="Nguyễn Văn Hải", lent_by=shifts[-1].member, lent_at=now
        )
    return f"Duty: {written} log entries this week, {Handover.objects.count()} handovers."


def _place(name):
    return Place.objects.filter(name__startswith=name).first()


def _ended(shift, next_shift) -> int:
    for after, text, place in ENDED_SHIFT_ENTRIES:
        LogEntry.objects.create(
            shift=shift, author=shift.member, occurred_at=shift.starts_at + after, text=text, place=_place(place)
        )
    if next_shift is not None:
        Handover.objects.create(
            shift=shift,
            next_shift=next_shift,
            handed_by=shift.member,
            handed_at=shift.ends_at - timedelta(minutes=10),
            premises="Cửa các tầng đã khóa; điện, nước, camera, bình chữa cháy bình thường.",
            received_by=next_shift.member,
            received_at=shift.ends_at - timedelta(minutes=5),
        )
    return len(ENDED_SHIFT_ENTRIES)


def _in_progress(shift, now) -> int:
    written = 0
    for after, text, place, to_hand_over in CURRENT_SHIFT_ENTRIES:
        moment = shift.starts_at + after
        if moment > now:
            moment = now - timedelta(minutes=len(CURRENT_SHIFT_ENTRIES) - written)
        LogEntry.objects.create(
            shift=shift,
            author=shift.member,
            occurred_at=moment,
            text=text,
            place=_place(place),
            to_hand_over=to_hand_over,
        )
        written += 1
    return written

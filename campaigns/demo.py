"""Demo data of campaigns/: this year's briefing on the internal rules, the one TT 124 criterion 1 counts.

A session two weeks ago was attended by all but two people (one on a business trip, one sick),
so the evaluation shows criterion 1 short of 100 % with their names; a make-up session tomorrow
gives them their chance.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from campaigns import services
from campaigns.models import AbsenceReason, Campaign, Material, Session
from team.demo import person

ABSENT = {"cuong.mv": AbsenceReason.BUSINESS_TRIP, "kien.tt": AbsenceReason.SICK}


def seed() -> str:
    today = timezone.localdate()
    title = f"Quán triệt Nội quy bảo vệ cơ quan năm {today.year}"
    if Campaign.objects.filter(title=title).exists():
        return "Campaigns: already there."
    # Two weeks before today (or before 15/11, when the evaluation window has closed) is always
    # inside this year's evaluation window 16/11 (last year) – 15/11.
    briefing_day = min(today, today.replace(month=11, day=15)) - timedelta(days=14)
    campaign = Campaign.objects.create(
        title=title,
        theme="internal_rules",
        organiser=person("lan.tt"),
        counts_for_tt124=True,
        starts_on=briefing_day - timedelta(days=7),
        ends_on=today + timedelta(days=30),
        description="Phổ biến Nội quy bảo vệ cơ quan, Quy chế bảo vệ bí mật nhà nước và tiêu chí cơ quan "
        'đạt chuẩn "An toàn về an ninh, trật tự" (Thông tư 124/2021/TT-BCA).',
    )
    Material.objects.create(campaign=campaign, title="Thông tư 124/2021/TT-BCA", link="https://vbpl.vn/")
    briefing = _session(campaign, briefing_day, "Hội trường tầng 1")
    _session(campaign, today + timedelta(days=1), "Phòng họp lớn")
    services.schedule(campaign)
    _attendance(campaign, briefing)
    return f"Campaigns: “{title}”."


def _session(campaign: Campaign, day, place: str) -> Session:
    start = timezone.make_aware(datetime.combine(day, time(8, 0)))
    return Session.objects.create(
        campaign=campaign, starts_at=start, ends_at=start + timedelta(hours=2), place=place, presenter=person("minh.hv")
    )


def _attendance(campaign: Campaign, session: Session) -> None:
    """Everyone but the two absent people attended the past session (ticked by the organiser)."""
    participants = campaign.participants.select_related("user")
    for participant in participants:
        if participant.user.username in ABSENT:
            participant.absence_reason = ABSENT[participant.user.username]
            participant.save(update_fields=["absence_reason"])
        else:
            participant.attended_session, participant.attended_at = session, session.starts_at + timedelta(minutes=5)
            participant.attendance_marked_by = campaign.organiser
            participant.save(update_fields=["attended_session", "attended_at", "attendance_marked_by"])

"""The weekly digest: Monday morning, to the leadership only, once per week, numbers equal to the lists behind them."""

from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign, Participant
from config.celery import app as celery_app
from dashboard import digest
from dashboard.tasks import send_weekly_digest as digest_task
from incidents.models import EscalationLevel, Incident, Status
from notifications import delivery
from notifications.models import Notification
from team import services
from tests.support.incidents import report

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = date(2026, 11, 23)
NOW = datetime.combine(MONDAY, time(7, 0), tzinfo=VN)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def digests(**filters):
    return Notification.objects.filter(kind="dashboard.weekly_digest", **filters)


def filed(staff, category, when: datetime, status=Status.NEW, **fields) -> Incident:
    incident = report(staff, category)
    deadlines = {"acknowledge_due_at": NOW + timedelta(hours=1), "resolve_due_at": NOW + timedelta(days=2)}
    Incident.objects.filter(pk=incident.pk).update(created_at=when, status=status, **{**deadlines, **fields})
    return incident


@pytest.fixture
def week(staff, category, team, member, deputy):
    """Hand-made: what last week filed, what is open now, the duty roster and the campaigns of this week."""
    incidents = {
        # Last week, Monday 16/11 00:00 to Sunday 22/11 23:59 office time:
        "first_minute": filed(staff, category, at(date(2026, 11, 16), 0, 0)),
        "overdue": filed(staff, category, at(date(2026, 11, 18), 9), resolve_due_at=NOW - timedelta(hours=1)),
        "escalated": filed(staff, category, at(date(2026, 11, 19), 14), status=Status.ESCALATED),
        "resolved": filed(staff, category, at(date(2026, 11, 20), 10), status=Status.RESOLVED),
        "sunday_night": filed(staff, category, at(date(2026, 11, 22), 23, 30)),  # 16:30 UTC, still Sunday here
        # Not last week:
        "before": filed(staff, category, at(date(2026, 11, 15), 23, 59), status=Status.IN_PROGRESS),
        "this_morning": filed(staff, category, at(MONDAY, 0, 10)),
        "late_ack": filed(
            staff,
            category,
            at(date(2026, 11, 10), 8),
            status=Status.ACKNOWLEDGED,
            acknowledge_due_at=NOW - timedelta(days=9),
        ),
        "closed_late": filed(
            staff, category, at(date(2026, 11, 9), 8), status=Status.CLOSED, resolve_due_at=NOW - timedelta(days=5)
        ),
    }
    # Duty Monday to Friday; nobody on Saturday 28/11 or Sunday 29/11. Last Saturday's shift does not count.
    for offset in (*range(5), -2):
        day = MONDAY + timedelta(days=offset)
        services.schedule_shift(team=team, day=day, start=time(7, 30), end=time(17), member=member, backup=deputy)
    nov16, nov29 = date(2026, 11, 16), date(2026, 11, 29)
    campaigns = {
        # 14 days, 7 of them gone on Monday 23/11 (50 %): 1 of 4 reached is behind.
        "behind": campaign("Phổ biến nội quy bảo vệ cơ quan", nov16, nov29, 4, 1),
        "on_track": campaign("Phòng cháy chữa cháy mùa khô", nov16, nov29, 4, 3),
        "draft": campaign("Bảo vệ bí mật nhà nước", nov16, nov29, 4, 0, Campaign.Status.DRAFT),
    }
    return incidents, campaigns


def campaign(title, starts_on, ends_on, invited, reached, status=Campaign.Status.RUNNING) -> Campaign:
    from team.models import User

    organiser = User.objects.order_by("pk").first()
    made = Campaign.objects.create(
        title=title, theme="internal_rules", starts_on=starts_on, ends_on=ends_on, organiser=organiser, status=status
    )
    for n in range(invited):
        person = User.objects.create_user(username=f"{made.pk}-{n}", full_name=f"Cán bộ {made.pk} {n}")
        Participant.objects.create(
            campaign=made, user=person, invited_at=NOW - timedelta(days=7), acknowledged_at=NOW if n < reached else None
        )
    return made


# --- the numbers ----------------------------------------------------------------------------------------------


def test_the_numbers_are_those_of_the_hand_made_week(week, leader):
    _incidents, campaigns = week
    found = digest.build(leader, MONDAY, now=NOW)
    assert found.last_week.start == date(2026, 11, 16) and found.last_week.end == date(2026, 11, 22)
    assert found.new.count == 5  # 16/11 00:00 to 22/11 23:30, not 15/11 23:59 nor this morning
    assert found.open.count == 7  # all but the resolved and the closed one
    assert found.overdue.count == 2  # past its resolve deadline, or never acknowledged in time; not the closed one
    assert found.escalated.count == 1
    assert found.days_without_duty == [date(2026, 11, 28), date(2026, 11, 29)]
    [behind] = found.campaigns_behind
    assert (behind.title, behind.percent_reached, behind.percent_of_time, behind.missing) == (
        "Phổ biến nội quy bảo vệ cơ quan",
        25,
        50,
        3,
    )
    assert behind.url.endswith(f"/campaigns/{campaigns['behind'].pk}/")


def test_an_empty_office_has_nothing_to_report(leader):
    found = digest.build(leader, MONDAY, now=NOW)
    assert (found.new.count, found.open.count, found.overdue.count, found.escalated.count) == (0, 0, 0, 0)
    assert len(found.days_without_duty) == 7 and found.campaigns_behind == []


def test_each_number_links_to_the_queue_listing_exactly_those_incidents(client, week, leader, monkeypatch):
    incidents, _campaigns = week
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # the queue's "overdue" is measured now, like the digest's
    found = digest.build(leader, MONDAY, now=NOW)
    client.force_login(leader)
    expected = {
        "new": {"first_minute", "overdue", "escalated", "resolved", "sunday_night"},
        "open": set(incidents) - {"resolved", "closed_late"},
        "overdue": {"overdue", "late_ack"},
        "escalated": {"escalated"},
    }
    for name, listed in expected.items():
        tally = getattr(found, name)
        assert tally.url.startswith(settings.SITE_URL.rstrip("/") + "/incidents/?")
        page = client.get(tally.url.removeprefix(settings.SITE_URL.rstrip("/")))
        assert page.status_code == 200
        text = page.content.decode()
        shown = {key for key, incident in incidents.items() if incident.reference in text}
        assert shown == listed, name
        assert tally.count == len(listed)


# --- who gets it, when, how often ---------------------------------------------------------------------------------


@pytest.fixture
def office_people(leader, deputy, member, chief, staff, make_user, positions):
    """The deputy chief in charge of security is the chain's first level; another deputy chief is not in charge."""
    in_charge = make_user("Đặng Thị Thu", position=positions["deputy_chief"])
    other_deputy_chief = make_user("Vũ Văn Bình", position=positions["deputy_chief"])
    EscalationLevel.objects.create(order=1, position=positions["deputy_chief"], person_in_charge=in_charge)
    EscalationLevel.objects.create(order=2, position=positions["chief"])
    return {"in_charge": in_charge, "other_deputy_chief": other_deputy_chief}


def test_on_monday_it_goes_to_the_leader_the_chief_and_the_deputy_chief_in_charge_only(
    office_people, leader, deputy, member, chief, staff, admin_user
):
    assert digest_task.apply(kwargs={}).successful()  # the task runs as beat would start it (today)
    Notification.objects.all().delete()
    assert digest.send_weekly_digest(now=NOW) == 3
    assert set(digests().values_list("recipient", flat=True)) == {leader.pk, chief.pk, office_people["in_charge"].pk}
    for outsider in (deputy, member, staff, admin_user, office_people["other_deputy_chief"]):
        assert not digests(recipient=outsider).exists()


def test_without_a_chain_the_chief_and_the_leader_get_it(leader, chief, make_user, positions):
    make_user("Vũ Văn Bình", position=positions["deputy_chief"])
    assert digest.send_weekly_digest(now=NOW) == 2
    assert set(digests().values_list("recipient", flat=True)) == {leader.pk, chief.pk}


def test_it_is_sent_once_per_week_even_when_run_twice(office_people, leader, chief):
    assert digest.send_weekly_digest(now=NOW) == 3
    assert digest.send_weekly_digest(now=NOW) == 0  # a second worker, the same morning
    assert digest.send_weekly_digest(now=NOW + timedelta(days=3)) == 0  # a manual run on Thursday
    assert digests().count() == 3
    assert digest.send_weekly_digest(now=NOW + timedelta(days=7)) == 3  # next Monday
    assert digests(recipient=leader).count() == 2


def test_each_reads_it_in_his_language_by_mail(week, leader, chief):
    leader.language = "en"
    leader.save()
    mail.outbox.clear()
    digest.send_weekly_digest(now=NOW)
    for told in digests():
        delivery.deliver(told.deliveries.get().pk)
    by_address = {message.to[0]: message for message in mail.outbox}
    english, vietnamese = by_address[leader.email], by_address[chief.email]
    assert english.subject == "Weekly digest 23/11/2026: 5 new, 2 overdue, 1 escalated"
    assert english.body.startswith("Dear Hoàng Văn Minh,\n\nThe security team's week at a glance.")
    assert "Reported last week (16/11 – 22/11/2026): 5\n" in english.body
    assert "Days without a duty shift this week: Sat 28/11, Sun 29/11\n" in english.body
    assert vietnamese.subject == "Bản tin tuần 23/11/2026: 5 vụ mới, 2 quá hạn, 1 đã chuyển cấp"
    assert vietnamese.body.startswith("Kính gửi đồng chí Nguyễn Quốc Hùng,\n\n")
    assert "Chưa giải quyết: 7\nQuá hạn: 2\nĐã chuyển cấp: 1\n" in vietnamese.body
    assert "Ngày chưa có ca trực trong tuần này: Thứ 7 28/11, Chủ nhật 29/11\n" in vietnamese.body
    assert "- “Phổ biến nội quy bảo vệ cơ quan”: đã phổ biến 25%, đã qua 50% thời gian (đến 29/11)" in vietnamese.body
    assert f"Quá hạn: {settings.SITE_URL.rstrip('/')}/incidents/?overdue=on\n" in vietnamese.body
    assert "Phòng cháy chữa cháy" not in vietnamese.body  # on track
    assert vietnamese.body.endswith(settings.SITE_URL.rstrip("/") + "/dashboard/")


def test_the_beat_starts_it_on_monday_at_seven_office_time():
    celery_app.loader.import_default_modules()
    entry = celery_app.conf.beat_schedule["send-weekly-digest"]
    assert entry["task"] == "dashboard.tasks.send_weekly_digest" and entry["task"] in celery_app.tasks
    assert entry["schedule"].day_of_week == {1} and entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert str(celery_app.conf.timezone) == "Asia/Ho_Chi_Minh"


def test_the_queries_do_not_grow_with_the_data(week, office_people, staff, category, team, member, chief):
    def queries() -> int:
        Notification.objects.filter(kind="dashboard.weekly_digest").delete()
        with CaptureQueriesContext(connection) as captured:
            digest.send_weekly_digest(now=NOW)
        return len(captured)

    few = queries()
    for n in range(6):
        filed(staff, category, at(date(2026, 11, 17), 8 + n), status=Status.ESCALATED)
        services.schedule_shift(
            team=team, day=MONDAY + timedelta(days=5), start=time(n, 0), end=time(n, 30), member=member
        )
        campaign(f"Chiến dịch {n}", date(2026, 11, 16), date(2026, 11, 29), 3, 0)
    assert digest.build(chief, MONDAY, now=NOW).escalated.count == 7  # the new data is counted...
    assert queries() == few <= 11  # ...by as many queries as before (11 on SQLite and PostgreSQL)


def test_cron_sites_run_it_as_a_command(office_people):
    out = StringIO()
    call_command("send_weekly_digest", stdout=out)
    assert out.getvalue().strip() == "Sent 3 weekly digests."
    call_command("send_weekly_digest", stdout=out)
    assert out.getvalue().strip().endswith("Sent 0 weekly digests.")

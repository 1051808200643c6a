"""Patrol rounds: a scan records only on the button press, by the people on duty, in the round's window, once;
the end of the window writes missed checkpoints in the shift's log and tells the command once; planning keeps
the window inside the shift."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duty.models import LogEntry
from incidents.models import Place
from notifications.models import Notification
from patrols import scanning, services, sweep
from patrols.models import Checkpoint, Round, RoundStop
from team.models import DutyShift
from tests.conftest import appoint
from tests.support.patrols import checkpoints, round_in, shift_around

NOW = timezone.make_aware(datetime(2026, 11, 26, 21, 30))


@pytest.fixture
def points(db):
    return checkpoints(3)


@pytest.fixture
def shift(team, member, deputy):
    """The member's shift 19:30–01:30 around NOW, with the deputy as backup."""
    return shift_around(team, member, NOW, backup=deputy)


@pytest.fixture
def night_round(shift, leader, points):
    """21:00–23:00, through the three checkpoints."""
    return round_in(shift, leader, points, opens=NOW - timedelta(minutes=30), closes=NOW + timedelta(minutes=90))


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- scanning ---------------------------------------------------------------------------------------------


def test_opening_the_scan_address_records_nothing_and_offers_the_button(client, member, night_round, points):
    shift_around_now = shift_around(night_round.shift.team, member, timezone.now(), before=timedelta(hours=8))
    live_round = round_in(shift_around_now, night_round.planned_by, points)
    client.force_login(member)
    response = client.get(points[0].get_scan_url())
    assert response.status_code == 200
    assert b'data-testid="record-visit"' in response.content
    assert not RoundStop.objects.filter(round=live_round, visited_at__isnull=False).exists()  # a GET is no visit


def test_pressing_the_button_records_the_visit_and_says_how_far_the_round_is(client, member, team, leader, points):
    live_round = round_in(shift_around(team, member, timezone.now()), leader, points)
    client.force_login(member)
    response = client.post(points[1].get_scan_url())
    assert response.status_code == 302 and response["Location"] == reverse("duty:my_shift")
    stop = RoundStop.objects.get(round=live_round, checkpoint=points[1])
    assert stop.visited_by == member and timezone.now() - stop.visited_at < timedelta(minutes=1)
    assert RoundStop.objects.filter(round=live_round, visited_at__isnull=False).count() == 1
    (message,) = texts(response)
    assert "1/3" in message and str(points[1].place) in message
    assert f"{timezone.localtime(stop.visited_at):%H:%M}" in message


def test_the_visit_is_stamped_with_the_moment_and_the_scanner(member, night_round, points):
    visit = scanning.record_visit(user=member, checkpoint=points[0], now=NOW)
    assert (visit.stop.visited_at, visit.stop.visited_by, visit.visited, visit.total) == (NOW, member, 1, 3)


def test_the_backup_of_the_shift_may_record_too(deputy, night_round, points):
    visit = scanning.record_visit(user=deputy, checkpoint=points[0], now=NOW)
    assert visit.stop.visited_by == deputy


def test_someone_not_on_duty_is_refused_and_nothing_is_recorded(team, make_user, night_round, points):
    other = make_user("Phạm Văn Nam")
    appoint(team, other)
    with pytest.raises(ValidationError) as refused:
        scanning.record_visit(user=other, checkpoint=points[0], now=NOW)
    assert refused.value.messages == [str(scanning.NOT_ON_DUTY)]
    assert not RoundStop.objects.filter(visited_at__isnull=False).exists()


def test_the_member_is_refused_once_his_shift_is_over(member, night_round, shift, points):
    with pytest.raises(ValidationError) as refused:
        scanning.record_visit(user=member, checkpoint=points[0], now=shift.ends_at)
    assert refused.value.messages == [str(scanning.NOT_ON_DUTY)]


def test_before_the_window_opens_the_refusal_says_when_it_opens(member, night_round, points):
    found = scanning.verdict(member, points[0], night_round.starts_at - timedelta(minutes=10))
    assert found.stop is None
    opens = f"{timezone.localtime(night_round.starts_at):%H:%M}"
    assert found.refusal == str(scanning.NOT_YET) % {"window": night_round.window, "time": opens}


def test_after_the_window_closed_the_refusal_says_when_it_closed(member, night_round, points):
    with pytest.raises(ValidationError) as refused:
        scanning.record_visit(user=member, checkpoint=points[0], now=night_round.ends_at)
    closed = f"{timezone.localtime(night_round.ends_at):%H:%M}"
    assert refused.value.messages == [str(scanning.CLOSED) % {"window": night_round.window, "time": closed}]
    assert not RoundStop.objects.filter(visited_at__isnull=False).exists()


def test_a_second_scan_of_the_same_checkpoint_says_when_it_was_recorded(member, deputy, night_round, points):
    scanning.record_visit(user=member, checkpoint=points[0], now=NOW)
    with pytest.raises(ValidationError) as refused:
        scanning.record_visit(user=deputy, checkpoint=points[0], now=NOW + timedelta(minutes=3))
    assert refused.value.messages == [
        str(scanning.ALREADY) % {"place": points[0].place, "time": f"{timezone.localtime(NOW):%H:%M}", "person": member}
    ]
    assert RoundStop.objects.get(checkpoint=points[0]).visited_by == member  # the first visit stays as it was


def test_a_checkpoint_outside_the_round_is_refused_by_name(member, night_round):
    (elsewhere,) = checkpoints(1, prefix="Kho")
    found = scanning.verdict(member, elsewhere, NOW)
    assert found.refusal == str(scanning.NOT_IN_ROUND) % {"place": elsewhere.place}


def test_a_checkpoint_out_of_use_is_refused(member, night_round, points):
    Checkpoint.objects.filter(pk=points[0].pk).update(is_active=False)
    points[0].refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        scanning.record_visit(user=member, checkpoint=points[0], now=NOW)
    assert refused.value.messages == [str(scanning.DEACTIVATED)]


def test_a_refused_press_comes_back_to_the_scan_page_with_the_reason(client, team, make_user, leader, points):
    other = make_user("Phạm Văn Nam")
    appoint(team, other)
    client.force_login(other)
    response = client.post(points[0].get_scan_url())
    assert response.status_code == 302 and response["Location"] == points[0].get_scan_url()
    assert texts(response) == [str(scanning.NOT_ON_DUTY)]
    page = client.get(points[0].get_scan_url())
    assert b'data-testid="scan-refusal"' in page.content and b'data-testid="record-visit"' not in page.content


def test_someone_outside_the_team_finds_no_such_page(client, staff, member, team, leader, points):
    live_round = round_in(shift_around(team, member, timezone.now()), leader, points)
    client.force_login(staff)
    assert client.get(points[0].get_scan_url()).status_code == 404
    assert client.post(points[0].get_scan_url()).status_code == 404
    assert not RoundStop.objects.filter(round=live_round, visited_at__isnull=False).exists()


def test_an_unknown_code_is_a_404(client, member, points):
    client.force_login(member)
    assert client.get(reverse("patrols:scan", args=["not-a-real-code"])).status_code == 404


def test_logging_in_from_a_scan_comes_back_to_the_scan_page(client, member, points):
    url = points[0].get_scan_url()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# --- the end of the window ----------------------------------------------------------------------------------


def test_missed_checkpoints_are_written_in_the_log_and_told_to_the_command_once(
    member, leader, deputy, night_round, points
):
    scanning.record_visit(user=member, checkpoint=points[0], now=NOW)
    scanning.record_visit(user=member, checkpoint=points[2], now=NOW + timedelta(minutes=20))
    after = night_round.ends_at + timedelta(minutes=2)

    assert sweep.check_ended_rounds(now=after) == 1
    night_round.refresh_from_db()
    assert (night_round.checked_at, night_round.missed_count) == (after, 1)
    assert list(RoundStop.objects.filter(missed=True).values_list("checkpoint", flat=True)) == [points[1].pk]
    (entry,) = LogEntry.objects.filter(shift=night_round.shift)
    assert entry.kind == LogEntry.Kind.PATROL and entry.author is None and entry.occurred_at == night_round.ends_at
    assert night_round.window in entry.text and "1/3" in entry.text and str(points[1].place) in entry.text
    assert entry.place == points[1].place
    told = Notification.objects.filter(kind="patrols.missed")
    assert set(told.values_list("recipient", flat=True)) == {leader.pk, deputy.pk}
    assert all(notice.url == night_round.get_absolute_url() for notice in told)

    # Running again, or a second worker at the same time, changes nothing: the round was checked.
    assert sweep.check_ended_rounds(now=after + timedelta(minutes=5)) == 0
    assert sweep.check_round(night_round.pk, after + timedelta(minutes=5)) is False
    assert LogEntry.objects.filter(shift=night_round.shift).count() == 1
    assert told.count() == 2


def test_a_round_walked_in_full_writes_a_short_completed_line_and_tells_nobody(member, night_round, points):
    for point in points:
        scanning.record_visit(user=member, checkpoint=point, now=NOW)
    assert sweep.check_ended_rounds(now=night_round.ends_at) == 1
    (entry,) = LogEntry.objects.filter(shift=night_round.shift)
    assert "3/3" in entry.text and entry.place is None
    assert not Notification.objects.filter(kind="patrols.missed").exists()
    night_round.refresh_from_db()
    assert night_round.missed_count == 0


def test_a_round_still_open_is_left_alone(night_round):
    assert sweep.check_ended_rounds(now=night_round.ends_at - timedelta(seconds=1)) == 0
    assert not LogEntry.objects.exists()
    night_round.refresh_from_db()
    assert night_round.checked_at is None


def test_the_missed_notice_names_the_round_the_member_and_the_places(leader, member, night_round, points):
    sweep.check_ended_rounds(now=night_round.ends_at)
    notice = Notification.objects.get(kind="patrols.missed", recipient=leader)
    assert night_round.window in notice.title and "3/3" in notice.title
    assert member.full_name in notice.body
    assert all(str(point.place) in notice.body for point in points)


def test_the_periodic_task_runs_the_sweep_now(night_round, settings):
    from patrols import tasks

    Round.objects.filter(pk=night_round.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert tasks.check_ended_rounds() == 1
    assert LogEntry.objects.filter(kind=LogEntry.Kind.PATROL).count() == 1


# --- planning and checkpoints ----------------------------------------------------------------------------


def plan_data(shift, points, opens, closes, **extra):
    local = timezone.localtime
    return {
        "shift": shift.pk,
        "starts_at": f"{local(opens):%Y-%m-%dT%H:%M}",
        "ends_at": f"{local(closes):%Y-%m-%dT%H:%M}",
        "checkpoints": [point.pk for point in points],
        **extra,
    }


@pytest.fixture
def coming_shift(team, member):
    return shift_around(team, member, timezone.now() + timedelta(days=1), before=timedelta(0), after=timedelta(hours=8))


def test_the_command_plans_a_round_through_the_ticked_checkpoints_in_order(client, leader, coming_shift, points):
    client.force_login(leader)
    opens = coming_shift.starts_at + timedelta(hours=1)
    response = client.post(
        reverse("patrols:plan"), plan_data(coming_shift, points[:2], opens, opens + timedelta(hours=2))
    )
    round_ = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()
    assert (round_.shift, round_.starts_at, round_.planned_by) == (coming_shift, opens, leader)
    assert list(round_.stops.values_list("checkpoint", "position")) == [(points[0].pk, 1), (points[1].pk, 2)]
    assert round_.window in texts(response)[0]


def test_a_window_that_closes_before_it_opens_is_refused_with_a_reason(client, leader, coming_shift, points):
    client.force_login(leader)
    opens = coming_shift.starts_at + timedelta(hours=2)
    response = client.post(reverse("patrols:plan"), plan_data(coming_shift, points, opens, opens - timedelta(hours=1)))
    assert response.status_code == 200
    assert str(services.WINDOW_BACKWARDS) in response.content.decode()
    assert not Round.objects.exists()


def test_a_window_outside_the_shift_is_refused_saying_where_the_shift_lies(coming_shift, leader, points):
    with pytest.raises(ValidationError) as refused:
        services.plan_round(
            shift=coming_shift,
            starts_at=coming_shift.ends_at - timedelta(hours=1),
            ends_at=coming_shift.ends_at + timedelta(hours=1),
            checkpoints=points,
            planned_by=leader,
        )
    local = timezone.localtime
    bounds = {
        "start": f"{local(coming_shift.starts_at):%d/%m/%Y %H:%M}",
        "end": f"{local(coming_shift.ends_at):%d/%m/%Y %H:%M}",
    }
    assert refused.value.messages == [str(services.WINDOW_OUTSIDE_SHIFT) % bounds]
    assert not Round.objects.exists()


def test_a_shift_already_over_gets_no_round(shift, leader, points):
    with pytest.raises(ValidationError) as refused:
        services.plan_round(
            shift=shift, starts_at=shift.starts_at, ends_at=shift.ends_at, checkpoints=points, planned_by=leader
        )
    assert refused.value.messages == [str(services.SHIFT_OVER)]


def test_a_round_needs_a_checkpoint(client, leader, coming_shift, points):
    client.force_login(leader)
    opens = coming_shift.starts_at
    response = client.post(reverse("patrols:plan"), plan_data(coming_shift, [], opens, opens + timedelta(hours=1)))
    assert str(services.NO_CHECKPOINTS) in response.content.decode()
    assert not Round.objects.exists()


def test_opening_the_plan_from_a_shift_fills_in_that_shift(client, leader, coming_shift, points):
    client.force_login(leader)
    form = client.get(reverse("patrols:plan"), {"shift": coming_shift.pk}).context["form"]
    assert form.initial["shift"] == coming_shift and form.initial["starts_at"] == coming_shift.starts_at


def test_the_same_round_for_every_shift_of_the_week_at_the_same_hours(team, member, deputy, leader, points):
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    night = {"start_time": time(17, 0), "end_time": time(7, 30)}
    shifts = [
        DutyShift.objects.create(
            team=team, date=monday + timedelta(days=day), member=(member, deputy)[day % 2], **night
        )
        for day in range(7)
    ]
    DutyShift.objects.create(team=team, date=monday, start_time=time(7, 30), end_time=time(17, 0), member=leader)
    opens = shifts[0].starts_at + timedelta(hours=4)
    planned = services.plan_for_the_week(
        shift=shifts[0], starts_at=opens, ends_at=opens + timedelta(hours=2), checkpoints=points, planned_by=leader
    )
    assert [round_.shift for round_ in planned] == shifts
    assert {timezone.localtime(round_.starts_at).time() for round_ in planned} == {timezone.localtime(opens).time()}
    # Again: every shift already has that round, so only the one asked for is added.
    again = services.plan_for_the_week(
        shift=shifts[0], starts_at=opens, ends_at=opens + timedelta(hours=2), checkpoints=points, planned_by=leader
    )
    assert len(again) == 1


def test_the_command_adds_a_checkpoint_from_the_place_list(client, leader):
    gate = Place.objects.create(name="Cổng sau", kind=Place.Kind.GATE)
    client.force_login(leader)
    page = client.get(reverse("patrols:checkpoints"))
    assert gate in page.context["form"].fields["place"].queryset
    response = client.post(reverse("patrols:checkpoints"), {"place": gate.pk, "instruction": "Khóa cổng"})
    assert response.status_code == 302
    checkpoint = Checkpoint.objects.get(place=gate)
    assert checkpoint.instruction == "Khóa cổng" and len(checkpoint.token) >= 20
    assert gate not in client.get(reverse("patrols:checkpoints")).context["form"].fields["place"].queryset


def test_taking_a_checkpoint_out_of_use_removes_it_from_rounds_not_yet_over(
    client, leader, member, night_round, points
):
    scanning.record_visit(user=member, checkpoint=points[1], now=NOW)
    coming = round_in(shift_around(night_round.shift.team, member, timezone.now() + timedelta(days=2)), leader, points)
    client.force_login(leader)
    response = client.post(reverse("patrols:checkpoint_active", args=[points[1].pk]), {"active": "0"})
    assert response.status_code == 302
    points[1].refresh_from_db()
    assert not points[1].is_active
    assert not coming.stops.filter(checkpoint=points[1]).exists()  # still to visit: taken out
    assert night_round.stops.filter(checkpoint=points[1], visited_by=member).exists()  # already visited: kept
    client.post(reverse("patrols:checkpoint_active", args=[points[1].pk]), {"active": "1"})
    points[1].refresh_from_db()
    assert points[1].is_active


def test_a_place_taken_out_of_use_in_admin_takes_its_checkpoint_out_of_rounds_to_come(
    client, admin_user, leader, member, night_round, points
):
    coming = round_in(shift_around(night_round.shift.team, member, timezone.now() + timedelta(days=2)), leader, points)
    place = points[2].place
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:incidents_place_change", args=[place.pk]),
        {"name": place.name, "kind": place.kind, "parent": place.parent_id or "", "order": place.order},
    )  # "in use" unticked
    assert response.status_code == 302
    points[2].refresh_from_db()
    assert not points[2].is_active
    assert not coming.stops.filter(checkpoint=points[2]).exists()
    assert points[0].place.is_active and Checkpoint.objects.get(pk=points[0].pk).is_active  # the others stay


def test_the_qr_sheet_has_one_code_per_checkpoint_in_use_with_its_place(client, leader, points):
    Checkpoint.objects.filter(pk=points[2].pk).update(is_active=False)
    client.force_login(leader)
    page = client.get(reverse("patrols:qr_sheet")).content.decode()
    assert page.count('data-testid="qr-card"') == 2 and page.count("<svg") == 2
    assert str(points[0].place) in page and str(points[2].place) not in page
    assert 'data-testid="official-header"' in page


# --- reading rounds --------------------------------------------------------------------------------------------


def test_a_member_reads_the_rounds_of_his_own_shifts_only(client, team, member, leader, make_user, night_round):
    other = make_user("Nguyễn Đức Hải")
    appoint(team, other)
    client.force_login(other)
    assert client.get(night_round.get_absolute_url()).status_code == 404
    assert list(client.get(reverse("patrols:rounds")).context["page"].object_list) == []
    client.force_login(member)
    assert client.get(night_round.get_absolute_url()).status_code == 200


def test_the_round_list_shows_each_status(client, leader, member, team, points):
    now = timezone.now()
    shift = shift_around(team, member, now, before=timedelta(hours=6), after=timedelta(hours=6))
    ended = round_in(shift, leader, points, opens=now - timedelta(hours=5), closes=now - timedelta(hours=4))
    running = round_in(shift, leader, points, opens=now - timedelta(hours=1), closes=now + timedelta(hours=1))
    coming = round_in(shift, leader, points, opens=now + timedelta(hours=2), closes=now + timedelta(hours=3))
    RoundStop.objects.filter(round=ended).exclude(checkpoint=points[0]).update(
        visited_at=now - timedelta(hours=4, minutes=30)
    )
    client.force_login(leader)
    page = client.get(reverse("patrols:rounds"))
    statuses = {round_.pk: (round_.current_status, round_.missed_now) for round_ in page.context["page"].object_list}
    assert statuses == {
        ended.pk: (Round.Status.MISSED, 1),
        running.pk: (Round.Status.IN_PROGRESS, 0),
        coming.pk: (Round.Status.NOT_STARTED, 0),
    }


def make_rounds(shift, leader, count: int, stops_each: int):
    """`count` rounds through `stops_each` checkpoints in `shift`, each with its first checkpoint visited."""
    points = checkpoints(stops_each, prefix=f"P{count}-{stops_each}")
    step = (shift.ends_at - shift.starts_at) / count
    for number in range(count):
        opens = shift.starts_at + step * number
        round_ = round_in(shift, leader, points, opens=opens, closes=opens + step)
        RoundStop.objects.filter(round=round_, position=1).update(visited_at=opens, visited_by=shift.member)


def long_shift(team, person):
    return shift_around(team, person, timezone.now(), before=timedelta(hours=10), after=timedelta(hours=10))


def queries_for(client, url) -> int:
    client.get(url)  # the first request of a session also refreshes it and its roles: count a later one
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_round_list_runs_the_same_queries_for_3_or_40_rounds(client, team, member, leader, make_user):
    client.force_login(leader)
    url = reverse("patrols:rounds")
    make_rounds(long_shift(team, member), leader, 3, 3)
    few = queries_for(client, url)
    other = make_user()
    appoint(team, other)
    make_rounds(long_shift(team, other), leader, 40, 5)
    assert queries_for(client, url) == few
    # Session, user, roles, the pager's count, the page of rounds with their counts, the unread badge.
    assert few == 6


def test_my_shift_with_its_rounds_runs_the_same_queries_for_3_or_40_checkpoints(client, team, member, leader):
    client.force_login(member)
    url = reverse("duty:my_shift")
    shift = long_shift(team, member)
    make_rounds(shift, leader, 1, 3)
    few = queries_for(client, url)
    make_rounds(shift, leader, 4, 40)
    assert queries_for(client, url) == few


def test_the_panel_reads_the_rounds_and_their_stops_in_two_queries(team, member, leader, django_assert_num_queries):
    from patrols.panels import shift_panel
    from team.roles import roles_of

    shift = long_shift(team, member)
    make_rounds(shift, leader, 4, 40)
    roles_of(member)  # read once per request by the page already
    with django_assert_num_queries(2):  # the rounds, their stops with places and who visited
        panel = shift_panel(member, shift, timezone.now())
    assert len(panel["rounds"]) == 4 and {round_.total for round_ in panel["rounds"]} == {40}
    assert {round_.visited for round_ in panel["rounds"]} == {1}


def test_the_demo_has_checkpoints_a_round_with_one_missed_and_a_round_to_walk_and_adds_nothing_twice(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Checkpoint.objects.count() == 4
    ended = Round.objects.get(checked_at__isnull=False)
    assert ended.missed_count == 1 and ended.stops.filter(visited_at__isnull=False).count() == 2
    assert LogEntry.objects.filter(shift=ended.shift, kind=LogEntry.Kind.PATROL).count() == 1
    assert Notification.objects.filter(kind="patrols.missed").exists()
    walk = Round.objects.get(checked_at__isnull=True)
    assert walk.ends_at > timezone.now() and walk.stops.count() == 4
    counts = (Round.objects.count(), RoundStop.objects.count(), LogEntry.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Round.objects.count(), RoundStop.objects.count(), LogEntry.objects.count()) == counts


def test_administrators_read_checkpoints_and_rounds_in_admin_and_rounds_stay_as_recorded(
    client, admin_user, leader, night_round, points
):
    client.force_login(admin_user)
    for url in (
        reverse("admin:patrols_checkpoint_changelist"),
        reverse("admin:patrols_checkpoint_change", args=[points[0].pk]),
        reverse("admin:patrols_round_changelist"),
        reverse("admin:patrols_round_change", args=[night_round.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:patrols_round_add")).status_code == 403
    client.force_login(leader)  # the command works in the app, not in admin
    assert client.get(reverse("admin:patrols_checkpoint_changelist")).status_code in (302, 403)


def test_a_shift_taken_off_the_roster_takes_its_planned_rounds_but_a_walked_one_is_kept(
    team, member, leader, night_round, coming_shift, points
):
    from django.db.models import ProtectedError

    coming = round_in(coming_shift, leader, points)
    coming_shift.delete()
    assert not Round.objects.filter(pk=coming.pk).exists()
    sweep.check_ended_rounds(now=night_round.ends_at)  # its line in the log now holds the shift
    with pytest.raises(ProtectedError):
        night_round.shift.delete()
    assert Round.objects.filter(pk=night_round.pk).exists()


def test_planning_the_week_from_the_page_says_how_many_rounds_were_planned(client, team, member, leader, points):
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    shifts = [
        DutyShift.objects.create(
            team=team, date=monday + timedelta(days=day), start_time=time(17), end_time=time(7, 30), member=member
        )
        for day in range(3)
    ]
    client.force_login(leader)
    opens = shifts[0].starts_at + timedelta(hours=4)
    data = plan_data(shifts[0], points, opens, opens + timedelta(hours=2), whole_week="on")
    response = client.post(reverse("patrols:plan"), data)
    assert response.status_code == 302
    assert Round.objects.count() == 3
    assert "3" in texts(response)[0] and Round.objects.filter(shift=shifts[2]).get().window == "21:00–23:00"


def test_a_checkpoint_needs_a_place_that_is_not_one_already(client, leader, points):
    client.force_login(leader)
    response = client.post(reverse("patrols:checkpoints"), {"place": points[0].place_id})
    assert response.status_code == 200 and response.context["form"].errors["place"]
    assert Checkpoint.objects.count() == 3


def test_a_round_whose_checkpoints_were_all_taken_out_is_closed_without_a_line(night_round, points):
    RoundStop.objects.filter(round=night_round).delete()
    assert sweep.check_ended_rounds(now=night_round.ends_at) == 1
    assert not LogEntry.objects.exists() and not Notification.objects.filter(kind="patrols.missed").exists()


def test_a_place_added_twice_at_once_is_refused_the_second_time_not_a_server_error(points):
    with pytest.raises(ValidationError) as refused:
        services.add_checkpoint(place=points[0].place)
    assert refused.value.messages == [str(services.ALREADY_A_CHECKPOINT) % {"place": points[0].place}]


# --- what the mutation run asked: the boundary of the window, another post's round, the order of two rounds ---------


def test_the_window_is_open_from_its_first_minute(member, night_round, points):
    visit = scanning.record_visit(user=member, checkpoint=points[0], now=night_round.starts_at)
    assert visit.stop.visited_at == night_round.starts_at


def test_a_round_of_another_post_on_duty_at_the_same_time_is_not_the_scanners(team, member, leader, make_user, points):
    other_post = make_user("Ngô Văn Hòa")
    appoint(team, other_post)
    mine = round_in(shift_around(team, member, NOW), leader, points[:1])
    theirs = round_in(shift_around(team, other_post, NOW), leader, points[1:])
    found = scanning.verdict(member, points[1], NOW)
    assert found.stop is None and found.refusal == str(scanning.NOT_IN_ROUND) % {"place": points[1].place}
    with pytest.raises(ValidationError):
        scanning.record_visit(user=member, checkpoint=points[1], now=NOW)
    assert not theirs.stops.filter(visited_at__isnull=False).exists() and mine.stops.count() == 1


def test_of_two_open_rounds_through_a_checkpoint_the_earlier_one_is_recorded(team, member, leader, points):
    shift = shift_around(team, member, NOW)
    later = round_in(shift, leader, points, opens=NOW - timedelta(minutes=10), closes=NOW + timedelta(hours=1))
    earlier = round_in(shift, leader, points, opens=NOW - timedelta(minutes=40), closes=NOW + timedelta(hours=1))
    assert later.pk < earlier.pk  # planned first, opens second
    visit = scanning.record_visit(user=member, checkpoint=points[0], now=NOW)
    assert visit.stop.round == earlier


def test_the_scan_page_lists_the_checkpoint_in_each_round_of_the_shift_also_when_it_refuses(
    client, team, member, leader, points
):
    shift = shift_around(team, member, timezone.now())
    coming = round_in(shift, leader, points, opens=timezone.now() + timedelta(hours=1), closes=shift.ends_at)
    client.force_login(member)
    page = client.get(points[0].get_scan_url()).content.decode()
    assert 'data-testid="scan-refusal"' in page and page.count('data-testid="scan-round"') == 1
    assert coming.window in page
    past = round_in(shift, leader, points, opens=shift.starts_at, closes=timezone.now() - timedelta(minutes=5))
    page = client.get(points[0].get_scan_url()).content.decode()
    assert page.count('data-testid="scan-round"') == 2 and past.window in page  # closed now, and the one to come


def test_the_scan_page_costs_the_same_with_one_round_or_six(client, team, member, leader, points):
    shift = shift_around(team, member, timezone.now())
    round_in(shift, leader, points)
    client.force_login(member)

    def cost():
        with CaptureQueriesContext(connection) as captured:
            client.get(points[0].get_scan_url())
        return len(captured)

    cost()  # the first request of a session also writes the session
    one = cost()
    for _ in range(5):
        round_in(shift, leader, points)
    earlier_visits = RoundStop.objects.filter(checkpoint=points[0]).order_by("pk")[1:5]
    RoundStop.objects.filter(pk__in=list(earlier_visits.values_list("pk", flat=True))).update(
        visited_at=timezone.now(), visited_by=leader
    )  # listed with who recorded them
    assert cost() == one


def test_the_message_after_a_scan_is_in_vietnamese(member, night_round, points):
    visit = scanning.record_visit(user=member, checkpoint=points[0], now=NOW)
    assert visit.message().startswith(f"Đã ghi nhận điểm {points[0].place} lúc {timezone.localtime(NOW):%H:%M}")


def test_staff_outside_the_team_see_no_checkpoint(staff, member, points):
    from core.access import visible

    assert not visible(staff, Checkpoint.objects.all()).exists()
    assert visible(member, Checkpoint.objects.all()).count() == 3


def test_the_scan_page_lists_the_rounds_whether_it_records_refuses_a_second_visit_or_a_closed_window(
    client, team, member, leader, points
):
    now = timezone.now()
    shift = shift_around(team, member, now)
    client.force_login(member)

    def listed() -> int:
        return client.get(points[0].get_scan_url()).content.decode().count('data-testid="scan-round"')

    closed = round_in(shift, leader, points, opens=shift.starts_at, closes=now - timedelta(minutes=5))
    assert listed() == 1 and scanning.verdict(member, points[0], now).refusal.startswith("Lượt tuần tra")
    round_in(shift, leader, points, opens=now - timedelta(minutes=1), closes=shift.ends_at)
    assert listed() == 2  # the button, and both rounds
    scanning.record_visit(user=member, checkpoint=points[0], now=now)
    assert listed() == 2  # "already recorded", and both rounds
    assert closed.stops.filter(visited_at__isnull=True).count() == 3

"""Roles × URLs for the patrols app: who reaches which page, and 404 for everyone else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Place
from patrols.models import Checkpoint, Round, RoundStop
from tests.support.patrols import checkpoints, round_in, shift_around

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user"]
TEAM = {"member", "deputy", "leader"}
COMMAND = {"deputy", "leader"}

# Every patrols URL this file checks; test_url_matrix.py requires every site URL to be listed somewhere.
COVERED = {
    "patrols:rounds",
    "patrols:round",
    "patrols:plan",
    "patrols:checkpoints",
    "patrols:checkpoint_active",
    "patrols:qr_sheet",
    "patrols:scan",
}


@pytest.fixture
def everyone(request, team, staff, member, deputy, leader, chief, admin_user):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def walked(team, member, leader):
    """A round of the member's shift in progress now, through two checkpoints."""
    points = checkpoints(2)
    return round_in(shift_around(team, member, timezone.now()), leader, points), points


def pages(walked):
    round_, points = walked
    return {
        "rounds": (reverse("patrols:rounds"), TEAM),
        "round": (round_.get_absolute_url(), TEAM),  # the member's own shift, and the command
        "plan": (reverse("patrols:plan"), COMMAND),
        "checkpoints": (reverse("patrols:checkpoints"), COMMAND),
        "qr_sheet": (reverse("patrols:qr_sheet"), COMMAND),
        "scan": (points[0].get_scan_url(), TEAM),  # the page opens; recording is for the people on duty
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_is_for_its_readers_and_a_404_for_everyone_else(client, everyone, walked, persona):
    client.force_login(everyone[persona])
    for name, (url, readers) in pages(walked).items():
        assert client.get(url).status_code == (200 if persona in readers else 404), name


def test_anonymous_visitors_are_sent_to_log_in_and_back(client, walked):
    round_, points = walked
    urls = [url for url, _readers in pages(walked).values()]
    urls.append(reverse("patrols:checkpoint_active", args=[points[0].pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={url}", url
    assert client.post(points[0].get_scan_url()).status_code == 302
    assert not RoundStop.objects.filter(visited_at__isnull=False).exists()


def test_a_member_does_not_read_a_round_of_someone_elses_shift(client, team, deputy, leader, member):
    other_round = round_in(shift_around(team, deputy, timezone.now()), leader, checkpoints(1))
    client.force_login(member)
    assert client.get(other_round.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - COMMAND))
def test_posts_by_anyone_outside_the_command_change_nothing(client, everyone, walked, persona):
    round_, points = walked
    client.force_login(everyone[persona])
    shift = round_.shift
    opens = f"{timezone.localtime(shift.starts_at):%Y-%m-%dT%H:%M}"
    closes = f"{timezone.localtime(shift.ends_at):%Y-%m-%dT%H:%M}"
    plan = {"shift": shift.pk, "starts_at": opens, "ends_at": closes, "checkpoints": [points[0].pk]}
    assert client.post(reverse("patrols:plan"), plan).status_code == 404
    place = Place.objects.create(name="Kho lưu trữ", kind=Place.Kind.ROOM)
    assert client.post(reverse("patrols:checkpoints"), {"place": place.pk}).status_code == 404
    active = reverse("patrols:checkpoint_active", args=[points[0].pk])
    assert client.post(active, {"active": "0"}).status_code == 404
    assert Round.objects.count() == 1 and not Checkpoint.objects.filter(place=place).exists()
    assert Checkpoint.objects.filter(is_active=True).count() == 2


@pytest.mark.parametrize("persona", sorted(COMMAND))
def test_the_command_takes_a_checkpoint_out_of_use_by_post_only(client, everyone, walked, persona):
    _round, points = walked
    client.force_login(everyone[persona])
    url = reverse("patrols:checkpoint_active", args=[points[0].pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"active": "0"}).status_code == 302
    assert not Checkpoint.objects.get(pk=points[0].pk).is_active


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_people_on_duty_record_a_scan(client, everyone, walked, persona):
    """The member on duty records; the rest of the team is told why not; outsiders find no page."""
    round_, points = walked
    client.force_login(everyone[persona])
    response = client.post(points[0].get_scan_url())
    recorded = RoundStop.objects.filter(round=round_, visited_at__isnull=False)
    if persona == "member":
        assert response.status_code == 302 and recorded.get().visited_by == everyone["member"]
    elif persona in TEAM:
        assert response.status_code == 302 and response["Location"] == points[0].get_scan_url()
        assert not recorded.exists()
    else:
        assert response.status_code == 404 and not recorded.exists()


def test_an_ended_round_is_still_read_by_its_member(client, member, walked):
    round_, _points = walked
    Round.objects.filter(pk=round_.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(member)
    assert client.get(round_.get_absolute_url()).status_code == 200

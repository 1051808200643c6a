"""Two people at the same moment: the member and the backup pressing at one checkpoint, two sweeps at once.
Needs PostgreSQL: SQLite serialises all writers, so it cannot show these races."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from duty.models import LogEntry
from notifications.models import Notification
from patrols import scanning, sweep
from patrols.models import RoundStop
from tests.conftest import requires_postgresql
from tests.support.patrols import checkpoints, round_in, shift_around

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def all_at_once(*calls) -> list[str]:
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            start.wait()
            call()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_the_member_and_the_backup_pressing_together_record_one_visit(team, member, deputy, leader):
    points = checkpoints(2)
    now = timezone.now()
    round_in(shift_around(team, member, now, backup=deputy), leader, points)
    outcomes = all_at_once(
        *[lambda person=person: scanning.record_visit(user=person, checkpoint=points[0]) for person in (member, deputy)]
        * 3
    )
    assert sorted(outcomes) == ["done"] + ["refused"] * 5
    assert RoundStop.objects.filter(visited_at__isnull=False).count() == 1


def test_two_sweeps_at_once_write_one_log_line_and_one_notice_each(team, member, deputy, leader):
    points = checkpoints(3)
    now = timezone.now()
    round_ = round_in(shift_around(team, member, now), leader, points, closes=now - timedelta(minutes=1))
    all_at_once(*[lambda: sweep.check_ended_rounds(now)] * 4)
    assert LogEntry.objects.filter(shift=round_.shift).count() == 1
    assert Notification.objects.filter(kind="patrols.missed").count() == 2  # the leader and the deputy

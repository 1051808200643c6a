"""The duty shift's beat tasks run by a real Celery worker (CI has Redis; elsewhere skipped): the flag for a shift
not taken over, and the end-of-window check of a patrol round."""

import os
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from duty.models import LogEntry, MissingHandoverFlag
from duty.tasks import flag_missing_handovers
from notifications.models import Notification
from patrols.models import Round
from patrols.tasks import check_ended_rounds
from tests.support.duty import shift_from
from tests.support.patrols import checkpoints, round_in
from tests.support.worker import Worker, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (CI does)"),
]


@pytest.mark.django_db(transaction=True)
def test_the_worker_flags_a_shift_not_taken_over_and_checks_a_round_that_ended(team, member, leader):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process can only share the test database on PostgreSQL")
    forgotten = shift_from(team, member, timezone.now() - timedelta(hours=10), hours=8)  # ended 2 hours ago
    patrol = round_in(forgotten, leader, checkpoints(2))
    worker = Worker().start()
    try:
        flag_missing_handovers.apply_async(queue=worker.queue)
        check_ended_rounds.apply_async(queue=worker.queue)
        wait_until(lambda: MissingHandoverFlag.objects.filter(shift=forgotten).exists(), timeout=60)
        wait_until(lambda: Round.objects.filter(pk=patrol.pk, checked_at__isnull=False).exists(), timeout=60)
    finally:
        print(worker.stop())  # shown by pytest only when the test fails
    assert Notification.objects.filter(kind="duty.handover_missing", recipient=leader).count() == 1
    assert Notification.objects.filter(kind="patrols.missed", recipient=leader).count() == 1
    assert LogEntry.objects.filter(shift=forgotten, kind=LogEntry.Kind.PATROL).count() == 1

"""A real Celery worker, booted against REDIS_URL, runs our tasks (CI has Redis; elsewhere skipped)."""

import os
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from core.tasks import clear_expired_sessions, ping
from tests.support.worker import Worker, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (CI does)"),
]


@pytest.fixture
def worker(db):
    """A worker process on a queue of its own, so no other worker on this machine takes our tasks."""
    process = Worker().start()
    yield process.queue
    print(process.stop())  # shown by pytest only when the test fails


def test_a_real_worker_runs_a_task(worker):
    assert ping.apply_async(queue=worker).get(timeout=60) == "pong"


@pytest.mark.django_db(transaction=True)
def test_the_nightly_session_sweep_runs_on_the_worker(worker):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process can only share the test database on PostgreSQL")
    expired, current = "expired" + "x" * 30, "current" + "x" * 30
    Session.objects.create(session_key=expired, session_data="", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key=current, session_data="", expire_date=timezone.now() + timedelta(days=1))
    clear_expired_sessions.apply_async(queue=worker)  # no result kept: watch its effect
    wait_until(lambda: not Session.objects.filter(session_key=expired).exists(), timeout=60)
    assert list(Session.objects.values_list("session_key", flat=True)) == [current]

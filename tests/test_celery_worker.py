"""A real Celery worker, booted against REDIS_URL, runs our tasks (CI has Redis; elsewhere skipped)."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from core.tasks import clear_expired_sessions, ping

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (CI does)"),
]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(db):
    """A worker process on a queue of its own, so no other worker on this machine takes our tasks."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.test_settings")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = _database_url()  # the worker must see the test database
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)  # shown by pytest only when the test fails


def test_a_real_worker_runs_a_task(worker):
    assert ping.apply_async(queue=worker).get(timeout=60) == "pong"


@pytest.mark.django_db(transaction=True)
def test_the_nightly_session_sweep_runs_on_the_worker(worker):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process can only share the test database on PostgreSQL")
    Session.objects.create(
        session_key="expired" + "x" * 30, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="current" + "x" * 30, session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    clear_expired_sessions.apply_async(queue=worker).get(timeout=60)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current" + "x" * 30]

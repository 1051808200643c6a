"""The nightly erasure of visitors' identity numbers, run by a real Celery worker (CI has Redis; elsewhere skipped)."""

import os
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.support.visitors import inside
from tests.support.worker import Worker, wait_until
from visitors.models import Visit
from visitors.tasks import erase_expired_id_numbers

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (CI does)"),
]


@pytest.mark.django_db(transaction=True)
def test_the_worker_erases_old_numbers_and_keeps_the_visits(member):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process can only share the test database on PostgreSQL")
    old = inside(member, since=timezone.now() - timedelta(days=200), id_document_type="cccd", id_number="001190012345")
    recent = inside(member, name="Mới", id_document_type="cccd", id_number="001190054321")
    worker = Worker().start()
    try:
        erase_expired_id_numbers.apply_async(queue=worker.queue)  # no result kept: watch its effect
        wait_until(lambda: Visit.objects.filter(pk=old.pk, id_number="").exists(), timeout=60)
    finally:
        print(worker.stop())  # shown by pytest only when the test fails
    old.refresh_from_db()
    assert old.id_erased_at is not None and old.visitor_name == "Trần Thị Bình"
    assert Visit.objects.get(pk=recent.pk).id_number == "001190054321"

"""Delivery through the real components: PostgreSQL, Redis and a real Celery worker process.

Each test counts the emails the worker really wrote (file backend in a temporary folder).
"""

import os
import socket
import threading
import time

import pytest
from django.db import connection, transaction

from config.celery import app as celery_app
from notifications.delivery import redispatch_due
from notifications.models import Delivery, Notification
from notifications.services import notify
from notifications.tasks import deliver_notification
from tests.support.worker import Worker, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (CI does)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the worker process shares the test database only on PostgreSQL",
    ),
]


@pytest.fixture
def mailbox(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


def emails_for(mailbox, delivery_id) -> int:
    header = f"X-TuQuan-Delivery: {delivery_id}\n"
    return sum(path.read_text().count(header) for path in mailbox.iterdir())


@pytest.fixture
def start_worker(mailbox, monkeypatch):
    workers = []

    def start(pool="solo", **env):
        worker = Worker(
            pool=pool,
            extra_env={
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mailbox),
                **env,
            },
        ).start()
        # Our tasks go to this worker's own queue, so no other worker on the machine takes them.
        publish = deliver_notification.apply_async
        monkeypatch.setattr(
            deliver_notification, "apply_async", lambda *args, **options: publish(*args, **options, queue=worker.queue)
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        print(worker.stop())


def broker_at(monkeypatch, url):
    monkeypatch.setattr(celery_app.conf, "broker_url", url)
    monkeypatch.setattr(celery_app, "_pool", None)  # drop connections to the previous broker
    celery_app.amqp._producer_pool = None


def tell(user, key=""):
    return notify(
        recipient=user,
        kind="team.membership_added",
        context={"membership": user.memberships.first(), "team": None},
        url="/team/",
        dedupe_key=key,
    )


def pending_email(user):
    return Delivery.objects.get(notification__recipient=user, notification__dedupe_key="test")


def test_a_committed_notification_is_delivered_by_the_worker_and_a_rolled_back_one_is_not(
    start_worker, mailbox, staff, member
):
    start_worker()
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(member, "test")
        raise RuntimeError("rolled back")
    with transaction.atomic():
        tell(staff, "test")
    delivery = pending_email(staff)
    wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT)
    assert emails_for(mailbox, delivery.pk) == 1
    assert not Notification.objects.filter(recipient=member, dedupe_key="test").exists()
    assert len(list(mailbox.iterdir())) == 1


def test_broker_down_at_commit_delays_but_does_not_lose(start_worker, mailbox, staff, monkeypatch):
    start_worker()
    real_broker = celery_app.conf.broker_url
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    broker_at(monkeypatch, f"redis://127.0.0.1:{closed_port}/0")

    started = time.monotonic()
    with transaction.atomic():
        tell(staff, "test")  # the business action commits...
    assert time.monotonic() - started < 3  # ...quickly, although nothing could be published
    delivery = pending_email(staff)
    assert delivery.status == Delivery.Status.PENDING

    broker_at(monkeypatch, real_broker)  # Redis is back; the sweep runs after the grace period
    assert redispatch_due(now=delivery.dispatch_after) == 1
    wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT)
    assert emails_for(mailbox, delivery.pk) == 1


class HungBroker:
    """A TCP server that accepts connections and never answers: a Redis that froze."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.clients = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.clients.append(client)

    def close(self):
        self.running = False
        for client in self.clients:
            client.close()
        self.server.close()


def test_a_hung_broker_does_not_hang_the_business_action(start_worker, mailbox, staff, monkeypatch):
    start_worker()
    real_broker = celery_app.conf.broker_url
    hung = HungBroker()
    try:
        broker_at(monkeypatch, f"redis://127.0.0.1:{hung.port}/0")
        started = time.monotonic()
        with transaction.atomic():
            tell(staff, "test")
        elapsed = time.monotonic() - started
    finally:
        hung.close()
    print(f"business action with a hung broker took {elapsed:.2f} s")
    assert elapsed < 5
    delivery = pending_email(staff)
    assert delivery.status == Delivery.Status.PENDING

    broker_at(monkeypatch, real_broker)
    redispatch_due(now=delivery.dispatch_after)
    wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT)
    assert emails_for(mailbox, delivery.pk) == 1


def test_a_worker_killed_mid_delivery_sends_exactly_once(start_worker, mailbox, staff, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    start_worker(
        pool="prefork",
        EMAIL_BACKEND="tests.support.email.SlowFileBackend",
        SLOW_EMAIL_MARKER_DIR=str(markers),
        SLOW_EMAIL_SECONDS="4",
    )
    with transaction.atomic():
        tell(staff, "test")
    delivery = pending_email(staff)

    # Wait until the pool process is inside the send, then kill it without warning.
    marker = wait_until(lambda: next(iter(markers.iterdir()), None), timeout=60)
    child = int(marker.read_text())
    os.kill(child, 9)

    # acks_late + reject_on_worker_lost: the message goes back to the queue and a new pool
    # process sends it; the killed one's transaction rolled back, so nothing was marked sent.
    wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT, timeout=90)
    time.sleep(1)
    assert emails_for(mailbox, delivery.pk) == 1
    assert len(list(markers.iterdir())) == 2  # two attempts, one email
    connection.close()

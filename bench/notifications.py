"""Benchmark: delivery throughput through a real Celery worker, and sweep cost over 100,000 rows.

Prints numbers; it is not a timed test. Needs PostgreSQL and Redis, e.g.

    createdb -h 127.0.0.1 -U postgres tuquan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuquan_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/notifications.py

1. fills the notification table to --rows rows (history: read and sent),
2. times the re-dispatch sweep and the duty-reminder sweep over that table (no-op and with work),
3. writes --deliveries new notifications with an email delivery each, starts a real worker
   (prefork, 2 processes, in-memory email backend) and times how fast it drains them.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from notifications import delivery  # noqa: E402
from notifications.models import Channel, Delivery, Notification  # noqa: E402
from notifications.tasks import deliver_notification  # noqa: E402
from team.models import DutyShift, User  # noqa: E402
from team.notices import send_duty_reminders  # noqa: E402
from tests.support.worker import Worker  # noqa: E402


def timed(label, function):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print(f"{label:<58} {elapsed * 1000:9.1f} ms   (result: {result})")
    return result


def fill_history(rows: int) -> None:
    have = Notification.objects.count()
    people = list(User.objects.order_by("pk"))
    now = timezone.now()
    batch = []
    for n in range(have, rows):
        batch.append(
            Notification(
                recipient=people[n % len(people)],
                kind="team.duty_reminder",
                title=f"History {n}",
                body="…",
                created_at=now - timedelta(minutes=n),
                read_at=now,
                dedupe_key=f"bench-history:{n}",
            )
        )
        if len(batch) == 5000:
            created = Notification.objects.bulk_create(batch)
            Delivery.objects.bulk_create(
                Delivery(notification=item, channel=Channel.EMAIL, status="sent", sent_at=now, dispatch_after=now)
                for item in created
            )
            batch = []
    if batch:
        created = Notification.objects.bulk_create(batch)
        Delivery.objects.bulk_create(
            Delivery(notification=item, channel=Channel.EMAIL, status="sent", sent_at=now, dispatch_after=now)
            for item in created
        )


def pending_deliveries(count: int, tag: str) -> list[int]:
    people = list(User.objects.exclude(email="").order_by("pk"))
    now = timezone.now()
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            Notification(
                recipient=people[n % len(people)],
                kind="team.duty_reminder",
                title=f"Bench {tag} {n}",
                body="Benchmark message",
                dedupe_key=f"bench-{tag}:{n}",
            )
            for n in range(count)
        )
        items = Delivery.objects.bulk_create(
            Delivery(notification=item, channel=Channel.EMAIL, dispatch_after=now - timedelta(seconds=1))
            for item in created
        )
    return [item.pk for item in items]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--deliveries", type=int, default=10_000)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL (PostgreSQL) and REDIS_URL")

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    Delivery.objects.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.SENT)
    timed(f"fill notification history to {args.rows:,} rows", lambda: fill_history(args.rows))
    print(
        f"notifications: {Notification.objects.count():,}, deliveries: {Delivery.objects.count():,}, "
        f"duty shifts: {DutyShift.objects.count()}"
    )

    # --- sweeps over the full table (the publishing itself is stubbed: only the SQL is timed)
    real_dispatch = delivery.dispatch
    delivery.dispatch = lambda ids: len(ids)
    try:
        timed("re-dispatch sweep, nothing due", delivery.redispatch_due)
        pending_deliveries(1000, f"sweep-{time.time_ns()}")
        timed("re-dispatch sweep, 1,000 due (one batch)", delivery.redispatch_due)
        first_shift = DutyShift.objects.order_by("starts_at").filter(starts_at__gt=timezone.now()).first()
        moment = first_shift.starts_at - timedelta(hours=23) if first_shift else timezone.now()
        Notification.objects.filter(kind="team.duty_reminder", dedupe_key__startswith="duty-reminder").delete()
        timed("duty-reminder sweep with reminders to send", lambda: send_duty_reminders(now=moment))
        timed("duty-reminder sweep, all already sent (no-op)", lambda: send_duty_reminders(now=moment))
    finally:
        delivery.dispatch = real_dispatch
    Delivery.objects.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.SENT)

    # --- throughput through a real worker
    ids = pending_deliveries(args.deliveries, f"throughput-{time.time_ns()}")
    worker = Worker(
        pool="prefork", concurrency=2, extra_env={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    )
    worker.env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    worker.start()
    publish = deliver_notification.apply_async
    try:
        time.sleep(3)  # let the worker boot
        started = time.perf_counter()
        for delivery_id in ids:
            publish((delivery_id,), queue=worker.queue)
        enqueued = time.perf_counter() - started
        while Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).exists():
            time.sleep(0.5)
            if time.perf_counter() - started > 900:
                raise SystemExit("worker did not drain in 15 minutes")
        drained = time.perf_counter() - started
    finally:
        worker.stop()
    sent = Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENT).count()
    print(f"published {len(ids):,} delivery tasks in {enqueued:.1f} s ({len(ids) / enqueued:,.0f}/s)")
    print(f"worker (prefork, 2 processes) sent {sent:,} emails in {drained:.1f} s: {sent / drained:,.0f} deliveries/s")


if __name__ == "__main__":
    main()

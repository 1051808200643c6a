"""Benchmark: the incident queue, the detail page and one SLA sweep with 100,000 incidents on PostgreSQL.

Prints numbers; it is not a timed test.

    createdb -h 127.0.0.1 -U postgres tuquan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuquan_bench .venv/bin/python bench/incidents.py
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from incidents import sla  # noqa: E402
from incidents.models import Category, Incident, IncidentEvent, Status  # noqa: E402
from notifications import delivery  # noqa: E402
from team.models import User  # noqa: E402

STATUSES = [Status.CLOSED] * 6 + [Status.RESOLVED, Status.NEW, Status.IN_PROGRESS, Status.ACKNOWLEDGED]


def fill(count: int) -> None:
    have = Incident.objects.count()
    if have >= count:
        return
    people = list(User.objects.order_by("pk"))
    categories = list(Category.objects.all())
    now = timezone.now()
    year = now.year
    for start in range(have, count, 5000):
        batch = []
        for n in range(start, min(start + 5000, count)):
            created = now - timedelta(minutes=n * 5)
            status = STATUSES[n % len(STATUSES)]
            incident = Incident(
                reference=f"VV-B{year}-{n:06d}",
                category=categories[n % len(categories)],
                occurred_at=created - timedelta(minutes=30),
                detected_at=created - timedelta(minutes=10),
                description=f"Sự việc thử nghiệm số {n}: trộm cắp tài sản tại tầng {n % 5}",
                proposed_severity=1 + n % 4,
                severity=1 + n % 4,
                status=status,
                filed_by=people[n % len(people)],
                reporter=people[n % len(people)],
                created_at=created,
                acknowledge_due_at=created + timedelta(hours=1),
                resolve_due_at=created + timedelta(days=1),
            )
            incident.refresh_search_text()
            # A third of the open ones have a deadline due now: the sweep's worst ordinary minute.
            if status in (Status.NEW, Status.IN_PROGRESS, Status.ACKNOWLEDGED) and n % 3 == 0:
                incident.sla_check_at = now - timedelta(seconds=1)
            batch.append(incident)
        created_rows = Incident.objects.bulk_create(batch)
        IncidentEvent.objects.bulk_create(
            IncidentEvent(
                incident=incident,
                actor=incident.filed_by,
                action="filed",
                field="status",
                new_value="new",
                at=incident.created_at,
            )
            for incident in created_rows
        )


def timed(function, rounds):
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def queries_of(client, path):
    log = []

    def count(execute, sql, params, many, context):
        log.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    return len(log)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    started = time.perf_counter()
    fill(args.incidents)
    print(
        f"incidents: {Incident.objects.count():,} (filled in {time.perf_counter() - started:.0f} s), "
        f"open: {Incident.objects.open().count():,}, events: {IncidentEvent.objects.count():,}"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(User.objects.get(username="minh.hv"))  # the team leader sees the whole queue
    newest = Incident.objects.order_by("-created_at", "-id").first()
    deep = Incident.objects.order_by("-created_at", "-id")[args.incidents - 30]
    cursor = f"{deep.created_at.isoformat()}_{deep.pk}"
    pages = {
        "queue, first page": "/incidents/",
        "queue, open only": "/incidents/?status=open",
        "queue, search 'trom cap'": "/incidents/?q=trom+cap",
        "queue, deepest page (keyset)": f"/incidents/?after={cursor}",
        "detail page": newest.get_absolute_url(),
    }
    for label, path in pages.items():
        client.get(path)
        median, p95 = timed(lambda path=path: client.get(path), args.rounds)
        print(f"{label:<30} median {median:7.1f} ms   p95 {p95:7.1f} ms   queries {queries_of(client, path)}")

    delivery.dispatch = lambda ids: len(ids)  # time the SQL, not the broker
    due = Incident.objects.open().filter(sla_check_at__lte=timezone.now()).count()
    started = time.perf_counter()
    looked_at = sla.sweep()
    print(f"SLA sweep: {looked_at:,} incidents due of {due:,} ({time.perf_counter() - started:.2f} s)")
    started = time.perf_counter()
    print(f"SLA sweep again (nothing due): {sla.sweep()} incidents ({(time.perf_counter() - started) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()

"""Benchmark: the dashboard (/dashboard/) over a year of 100,000 incidents on PostgreSQL, all filters off.

Prints numbers; it is not a timed test. The incidents are bench/incidents.py's history (one every five
minutes for a year, most closed, places nested in buildings, reporters of every kind), given here what
the dashboard reads and that history leaves out: the moment each resolved or closed incident was
resolved (a "resolved" timeline entry), a report to the authorities for one in ten, an escalation
level for one in twenty.

    createdb -h 127.0.0.1 -U postgres tuquan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuquan_bench .venv/bin/python bench/dashboard.py

Cold: the figures' cache emptied before each request (every aggregate runs). Warm: the figures come from
the cache (DASHBOARD_CACHE_SECONDS), only the page is built. Each figure is timed on its own too.

Measured on the 2-vCPU sandbox shared with other jobs (PostgreSQL 15, default 128 MB shared_buffers),
28/11/2026, 100,012 incidents, 445,051 timeline entries, 10,003 reports to the authorities; 20 rounds:

    last 365 days    cold: median 655 ms  p95 705 ms  19 queries   warm: median 37 ms  p95 38 ms  7 queries
    evaluation year  cold: median 142 ms  p95 177 ms  19 queries   warm: median 35 ms  p95 38 ms  7 queries
    (16/11/2026–15/11/2027: 11 days of data so far)
    this month       cold: median  91 ms  p95  99 ms  19 queries   warm: median 34 ms  p95 37 ms  7 queries

The year's figures alone: time to acknowledge and resolve 292 ms (percentile_cont over 100,000 rows, the
first resolution of each through incidentevent_resolved_idx; 1,087 ms before that index), by place 86 ms,
by month 74 ms, by category 65 ms, escalations 55 ms, summary 53 ms, reports to the authorities 48 ms, by
severity 42 ms, coverage 2 ms, duty 1 ms. An earlier run under heavier load from the other jobs: cold
median 806 ms, p95 1,611 ms. The same query count for a month and for a year.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.functions import Mod  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import incidents as incident_history  # noqa: E402
from bench.timing import statements_of, timed  # noqa: E402
from dashboard import figures  # noqa: E402
from dashboard.periods import Period  # noqa: E402
from incidents.models import ExternalReport, Incident, IncidentEvent  # noqa: E402
from team.models import User  # noqa: E402


def complete(prefix: str) -> None:
    """What the dashboard reads and the history leaves out; once (skipped when already there)."""
    history = Incident.objects.filter(reference__startswith=prefix)
    if IncidentEvent.objects.filter(incident__reference__startswith=prefix, new_value="resolved").exists():
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Resolved between 20 minutes and two days after filing, by the id: a spread of durations.
        cursor.execute(
            """
            INSERT INTO incidents_incidentevent (incident_id, actor_id, at, action, audience, field,
                                                 old_value, new_value, text)
            SELECT id, NULL, created_at + (20 + id %% 2880) * interval '1 minute', 'status', 'reporter', 'status',
                   'in_progress', 'resolved', ''
            FROM incidents_incident
            WHERE reference LIKE %s AND status IN ('resolved', 'closed')
            """,
            [f"{prefix}%"],
        )
        member = User.objects.filter(memberships__end_date__isnull=True).order_by("pk").first()
        cursor.execute(
            """
            INSERT INTO incidents_externalreport (incident_id, agency, agency_detail, notified_at, method,
                                                  case_reference, notified_by_id, recorded_at)
            SELECT id, (ARRAY['113', '114', '115', 'ward_police'])[1 + id %% 4], '', created_at + interval '40 minutes',
                   'phone', '', %s, created_at + interval '40 minutes'
            FROM incidents_incident
            WHERE reference LIKE %s AND id %% 10 = 4
            """,
            [member.pk, f"{prefix}%"],
        )
    history.annotate(slot=Mod("id", 20)).filter(slot=7).update(escalation_level=1)
    history.annotate(slot=Mod("id", 100)).filter(slot=27).update(escalation_level=2)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"completed the history for the dashboard in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    started = time.perf_counter()
    incident_history.fill(args.incidents)
    complete(incident_history.HISTORY_PREFIX)
    print(
        f"incidents: {Incident.objects.count():,} (ready in {time.perf_counter() - started:.0f} s), "
        f"timeline entries: {IncidentEvent.objects.count():,}, reports to the authorities: "
        f"{ExternalReport.objects.count():,}"
    )
    leader = User.objects.get(username="minh.hv")
    client = Client()
    client.force_login(leader)
    today = timezone.localdate()
    year = Period(today - timedelta(days=364), today)
    views = {
        "last 365 days": f"/dashboard/?since={year.start:%d/%m/%Y}&until={year.end:%d/%m/%Y}",
        "evaluation year": "/dashboard/?period=year",
        "this month": "/dashboard/",
    }
    print(
        f"period 'last 365 days': {year.start:%d/%m/%Y}–{year.end:%d/%m/%Y}, "
        f"{figures.summary(year, figures.Filters(), leader).filed:,} incidents filed in it"
    )

    def cold(path):
        cache.clear()
        assert client.get(path).status_code == 200

    def warm(path):
        assert client.get(path).status_code == 200

    for label, path in views.items():
        cold(path)
        cold_median, cold_p95 = timed(lambda path=path: cold(path), args.rounds)
        cold_queries = statements_of(lambda path=path: cold(path))
        warm(path)
        warm_median, warm_p95 = timed(lambda path=path: warm(path), args.rounds)
        warm_queries = statements_of(lambda path=path: warm(path))
        print(
            f"{label:<16} cold: median {cold_median:7.1f} ms  p95 {cold_p95:7.1f} ms  queries {cold_queries:3}   "
            f"warm: median {warm_median:6.1f} ms  p95 {warm_p95:6.1f} ms  queries {warm_queries}"
        )
    print("each figure over the last 365 days (median of 5):")
    for name, figure in figures.FIGURES.items():
        median, _p95 = timed(lambda figure=figure: figure(year, figures.Filters(), leader), 5)
        print(f"  {name:<16} {median:7.1f} ms")


if __name__ == "__main__":
    main()

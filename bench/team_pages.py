"""Benchmark: the team page, the home page and "who is on duty at T" with years of duty history.

Prints numbers; it is not a timed test. Run against the configured database, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuquan_bench .venv/bin/python bench/team_pages.py --years 5

It creates (or reuses) a database named by DATABASE_URL, fills it with demo data plus `--years` of daily
day/night shifts, then times requests through Django's test client (no network, one process).
"""

import argparse
import os
import sys
from datetime import time as clock
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

from bench.timing import timed  # noqa: E402
from team.models import DutyShift, Membership, Team, User  # noqa: E402
from team.selectors import on_duty_at  # noqa: E402


def fill_history(years: int) -> int:
    team = Team.objects.get()
    roster = list(User.objects.filter(memberships__in=Membership.objects.active()).order_by("pk"))
    first = timezone.localdate() - timedelta(days=365 * years)
    existing = set(DutyShift.objects.values_list("date", "start_time"))
    batch = []
    for offset in range(365 * years):
        day = first + timedelta(days=offset)
        for number, (start, end) in enumerate(((clock(7, 30), clock(17, 0)), (clock(17, 0), clock(7, 30)))):
            if (day, start) in existing:
                continue
            shift = DutyShift(
                team=team,
                date=day,
                start_time=start,
                end_time=end,
                member=roster[(offset * 2 + number) % 7],
                backup=roster[(offset * 2 + number + 3) % 7],
            )
            shift.compute_period()
            batch.append(shift)
    DutyShift.objects.bulk_create(batch, batch_size=2000)
    return DutyShift.objects.count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    shifts = fill_history(args.years)
    client = Client()
    client.force_login(User.objects.get(username="hoa.pt"))
    client.get("/team/")  # warm up: first request saves the session

    print(f"database: {connection.vendor}, duty shifts: {shifts}, rounds: {args.rounds}")
    for path in ("/team/", "/"):
        queries = []

        def count(execute, sql, params, many, context, log=queries):
            log.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(path)
        median, p95 = timed(lambda path=path: client.get(path), args.rounds)
        print(f"GET {path:<8} median {median:6.2f} ms   p95 {p95:6.2f} ms   queries {len(queries)}")
    now = timezone.now()
    median, p95 = timed(lambda: on_duty_at(now), args.rounds)
    print(f"on_duty_at(now)   median {median:6.2f} ms   p95 {p95:6.2f} ms")


if __name__ == "__main__":
    main()

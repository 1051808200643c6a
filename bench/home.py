"""Benchmark: each role's home page with 100,000 incidents on PostgreSQL.

Prints numbers; it is not a timed test. The incidents are those of bench/incidents.py (same
generator, same prefix, so the two benches share one filled database); on top of them a share of
the open incidents is assigned to the demo member and some wait for an escalation acknowledgement,
so the member's and the leadership's blocks have rows to find.

    createdb -h 127.0.0.1 -U postgres tuquan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuquan_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/home.py

Cold: the first request on a new database connection by a newly logged-in client (no Django
or connection state, PostgreSQL's own buffers stay warm: a restart is out of reach here). Warm: the
same client again on the same connection. Median and p95 over --rounds each.

Measured 27/11/2026 on the 2-vCPU sandbox shared with other jobs (load average 4-5), 100,012 incidents of
which 30,006 open, 4,288 of them assigned to the member, 4,001 escalations waiting (30 rounds):

    home as staff   cold median   68 ms  p95   81 ms   warm median  23 ms  p95  44 ms   queries  9
    home as member  cold median  104 ms  p95  184 ms   warm median  76 ms  p95 138 ms   queries 12
    home as deputy  cold median  141 ms  p95  182 ms   warm median 119 ms  p95 182 ms   queries 17
    home as leader  cold median  172 ms  p95  364 ms   warm median 114 ms  p95 156 ms   queries 19
    home as chief   cold median  237 ms  p95  425 ms   warm median 125 ms  p95 184 ms   queries 16

The queue's counts (incidents.selectors.queue_figures, one aggregate over the open incidents and
today's) take about 50 ms of the leadership's page with 30,000 open; every other query stays under 6 ms.
"""

import argparse
import os
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
from django.db.models.functions import Mod  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.incidents import fill  # noqa: E402
from bench.timing import logged_in, queries_of, timed  # noqa: E402
from incidents.models import EscalationLevel, Incident, Status  # noqa: E402
from team.models import User  # noqa: E402

# username in the demo office (team/demo.py): the role whose home page it shows
PEOPLE = {
    "staff": "hoa.pt",
    "member": "tuan.la",
    "deputy": "lan.tt",
    "leader": "minh.hv",
    "chief": "hung.nq",
}


def give_work() -> None:
    """One open incident in seven to the member; one in fifty escalated and waiting at a level of the chain."""
    member = User.objects.get(username=PEOPLE["member"])
    open_incidents = Incident.objects.open().annotate(seventh=Mod("id", 7), fiftieth=Mod("id", 50))
    open_incidents.filter(seventh=0).update(assignee=member)
    levels = list(EscalationLevel.objects.order_by("order").values_list("order", flat=True)) or [0]
    for n, order in enumerate(levels):
        open_incidents.filter(fiftieth=n).update(
            status=Status.ESCALATED,
            escalation_level=order,
            escalation_acknowledged_at=None,
            escalation_due_at=timezone.now() + timedelta(minutes=30),
        )


def cold(username: str, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        client = logged_in(username)
        connection.close()
        started = time.perf_counter()
        client.get("/")
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples[len(samples) // 2], samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    started = time.perf_counter()
    fill(args.incidents)
    give_work()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assigned = Incident.objects.open().filter(assignee__username=PEOPLE["member"]).count()
    waiting = Incident.objects.filter(status=Status.ESCALATED, escalation_acknowledged_at=None).count()
    print(
        f"incidents: {Incident.objects.count():,} (ready in {time.perf_counter() - started:.0f} s), "
        f"open: {Incident.objects.open().count():,}, assigned to the member and open: {assigned:,}, "
        f"escalations waiting: {waiting:,}"
    )
    for role, username in PEOPLE.items():
        cold_median, cold_p95 = cold(username, args.rounds)
        client = logged_in(username)
        assert client.get("/").status_code == 200
        warm_median, warm_p95 = timed(lambda client=client: client.get("/"), args.rounds)
        print(
            f"home as {role:<7} cold median {cold_median:6.1f} ms  p95 {cold_p95:6.1f} ms   "
            f"warm median {warm_median:6.1f} ms  p95 {warm_p95:6.1f} ms   queries {queries_of(client, '/')}"
        )


if __name__ == "__main__":
    main()

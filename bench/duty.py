"""Benchmark: the pages of the duty shift with a year of the office's shifts on PostgreSQL.

Prints numbers; it is not a timed test. On top of the demo it writes a year of history: two shifts a
day, each with 10 log entries, a confirmed handover and a round of 4 checkpoints (one missed in ten),
and 60 visitors a day. Then it times the pages of the member on duty now and of the team leader.

    createdb -h 127.0.0.1 -U postgres tuquan_bench_duty
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuquan_bench_duty REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/duty.py

Warm: the same logged-in client again on the same connection; median and p95 over --rounds.

Measured 27/11/2026 on the 2-vCPU sandbox: 792 shifts, 7,330 log entries, 738 handovers, 732 rounds,
21,903 visits (20 rounds):

    /duty/ ("Ca trực của tôi")        as the member on duty  median 38.0 ms  p95 39.2 ms  queries 14
    /duty/shifts/<current>/           as the member on duty  median 20.5 ms  p95 22.7 ms  queries 9
    /duty/shifts/<current>/handover/  as the member on duty  median 16.5 ms  p95 18.6 ms  queries 11
    /visitors/ (and with a search)    as the member on duty  median 17.6 ms  p95 18.1 ms  queries 8
    /patrols/                         as the member on duty  median 18.8 ms  p95 20.4 ms  queries 6
    /duty/days/                       as the team leader     median 12.1 ms  p95 12.7 ms  queries 5
    /duty/days/<today>/ (and .xlsx)   as the team leader     median 16.1 ms  p95 17.3 ms  queries 6 (5)
"""

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.timing import logged_in, queries_of, timed  # noqa: E402
from duty.models import Handover, LogEntry  # noqa: E402
from patrols.models import Checkpoint, Round, RoundStop  # noqa: E402
from team.models import DutyShift, Membership, Team, User  # noqa: E402
from visitors.models import Visit  # noqa: E402

DAY, NIGHT = ((7, 30), (17, 0)), ((17, 0), (7, 30))
BATCH = 2000


def history_shifts(days: int) -> list[DutyShift]:
    """Two shifts a day for `days` days before the demo's first shift, rotating through the team."""
    team = Team.objects.get()
    people = [m.user for m in Membership.objects.active().select_related("user")]
    first_demo = DutyShift.objects.order_by("date").values_list("date", flat=True).first()
    shifts = []
    for offset in range(days, 0, -1):
        day = first_demo - timedelta(days=offset)
        for number, ((start_h, start_m), (end_h, end_m)) in enumerate((DAY, NIGHT)):
            shift = DutyShift(
                team=team,
                date=day,
                start_time=datetime(2000, 1, 1, start_h, start_m).time(),
                end_time=datetime(2000, 1, 1, end_h, end_m).time(),
                member=people[(offset * 2 + number) % len(people)],
                backup=people[(offset * 2 + number + 3) % len(people)],
            )
            shift.compute_period()
            shifts.append(shift)
    return DutyShift.objects.bulk_create(shifts, batch_size=BATCH)


def fill(days: int) -> None:
    shifts = history_shifts(days)
    leader = User.objects.get(username="minh.hv")
    checkpoints = list(Checkpoint.objects.all()[:4])
    entries, handovers, rounds = [], [], []
    for index, shift in enumerate(shifts):
        for n in range(10):
            moment = shift.starts_at + timedelta(minutes=50 * n + 5)
            entries.append(LogEntry(shift=shift, author=shift.member, occurred_at=moment, text=f"Tuần tra lần {n + 1}"))
        if index + 1 < len(shifts):
            following = shifts[index + 1]
            handovers.append(
                Handover(
                    shift=shift,
                    next_shift=following,
                    handed_by=shift.member,
                    handed_at=shift.ends_at,
                    received_by=following.member,
                    received_at=shift.ends_at + timedelta(minutes=5),
                )
            )
        rounds.append(
            Round(
                shift=shift,
                starts_at=shift.starts_at + timedelta(hours=2),
                ends_at=shift.starts_at + timedelta(hours=4),
                planned_by=leader,
                checked_at=shift.starts_at + timedelta(hours=4),
                missed_count=1 if index % 10 == 0 else 0,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)
    Handover.objects.bulk_create(handovers, batch_size=BATCH)
    stops = []
    for index, patrol in enumerate(Round.objects.bulk_create(rounds, batch_size=BATCH)):
        for position, checkpoint in enumerate(checkpoints):
            missed = index % 10 == 0 and position == 0
            visited = None if missed else patrol.starts_at + timedelta(minutes=10 * (position + 1))
            stops.append(
                RoundStop(
                    round=patrol,
                    checkpoint=checkpoint,
                    position=position,
                    visited_at=visited,
                    visited_by=None if missed else patrol.shift.member,
                    missed=missed,
                )
            )
    RoundStop.objects.bulk_create(stops, batch_size=BATCH)
    visits = []
    for offset in range(days):
        day_start = timezone.now() - timedelta(days=offset + 1)
        for n in range(60):
            arrived = day_start + timedelta(minutes=7 * n)
            visit = Visit(
                visitor_name=f"Nguyễn Văn Khách {offset}-{n}",
                organisation="Sở Tài chính",
                purpose="Làm việc",
                registered_by=leader,
                checked_in_at=arrived,
                checked_out_at=arrived + timedelta(minutes=45),
                vehicle_plate=f"30A-{offset:03d}.{n:02d}",
            )
            visit.search_text = visit.document()
            visits.append(visit)
    Visit.objects.bulk_create(visits, batch_size=BATCH)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    started = time.perf_counter()
    if LogEntry.objects.count() < args.days * 20:
        fill(args.days)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"shifts: {DutyShift.objects.count():,}, log entries: {LogEntry.objects.count():,}, "
        f"handovers: {Handover.objects.count():,}, rounds: {Round.objects.count():,}, "
        f"visits: {Visit.objects.count():,} (ready in {time.perf_counter() - started:.0f} s)"
    )
    now = timezone.now()
    current = DutyShift.objects.covering(now).select_related("member").first()
    today = timezone.localdate(now).isoformat()
    pages = [
        (current.member.username, "/duty/"),
        (current.member.username, f"/duty/shifts/{current.pk}/"),
        (current.member.username, f"/duty/shifts/{current.pk}/handover/"),
        (current.member.username, "/visitors/"),
        (current.member.username, "/visitors/?q=nguyen+khach"),
        (current.member.username, "/patrols/"),
        ("minh.hv", "/duty/days/"),
        ("minh.hv", f"/duty/days/{today}/"),
        ("minh.hv", f"/duty/days/{today}/xlsx/"),
        ("minh.hv", "/patrols/"),
    ]
    for username, path in pages:
        client = logged_in(username)
        assert client.get(path).status_code == 200, path
        median, p95 = timed(lambda client=client, path=path: client.get(path), args.rounds)
        queries = queries_of(client, path)
        print(f"{path:<32} as {username:<8} median {median:6.1f} ms  p95 {p95:6.1f} ms   queries {queries}")


if __name__ == "__main__":
    main()

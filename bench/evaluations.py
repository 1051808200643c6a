"""Benchmark: the annual evaluation's pages and its results report with an office's worth of records, on PostgreSQL.

Fills ten years of incidents (by default 100,000; 1 in 500 flagged under criterion 3, each flagged one reported to
the ward police; all inside rooms of buildings), staff in departments and the briefing campaign's participants, then
times the overview, the criterion pages behind the figures, the commendation register and the generation of the
results report (.docx). `--flagged-every 5 --years 1` is the stress case: 20,000 flagged incidents in one window.
Prints numbers; it is not a timed test.

    createdb -h 127.0.0.1 -U postgres tuquan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuquan_bench .venv/bin/python bench/evaluations.py
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
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.timing import queries_of, timed  # noqa: E402
from campaigns.models import Campaign, Participant  # noqa: E402
from evaluations.evidence import Evidence as Figures  # noqa: E402
from evaluations.evidence.window import window_bounds  # noqa: E402
from evaluations.models import DocumentKind, Evaluation  # noqa: E402
from evaluations.services import documents  # noqa: E402
from incidents.models import Category, ExternalReport, Incident, Place, Status  # noqa: E402
from team.models import Department, User  # noqa: E402

BATCH = 5000


def fill_incidents(evaluation: Evaluation, count: int, years: int, flagged_every: int) -> None:
    have = Incident.objects.filter(reference__startswith="VV-E").count()
    if have >= count:
        return
    people = list(User.objects.order_by("pk"))
    categories = list(Category.objects.all())
    flagged = [c for c in categories if c.tt124_item]
    rooms = list(Place.objects.filter(parent__isnull=False))
    end = min(timezone.now(), timezone.make_aware(datetime.combine(evaluation.window_end, datetime.min.time())))
    start = end - timedelta(days=365 * years)
    span = (end - start).total_seconds()
    for first in range(have, count, BATCH):
        batch = []
        for n in range(first, min(first + BATCH, count)):
            occurred = start + timedelta(seconds=span * n / count)
            is_flagged = n % flagged_every == 0
            category = flagged[n % len(flagged)] if is_flagged else categories[n % len(categories)]
            incident = Incident(
                reference=f"VV-E{evaluation.year}-{n:06d}",
                category=category,
                place=rooms[n % len(rooms)],
                occurred_at=occurred,
                detected_at=occurred + timedelta(minutes=20),
                description=f"Sự việc thử nghiệm số {n}",
                immediate_actions="Bảo vệ hiện trường, báo lãnh đạo",
                proposed_severity=1 + n % 4,
                severity=1 + n % 4,
                status=Status.CLOSED,
                filed_by=people[n % len(people)],
                reporter=people[n % len(people)],
                created_at=occurred + timedelta(minutes=30),
                tt124_item=category.tt124_item if is_flagged else "",
                police_confirmed_serious=is_flagged and n % (2 * flagged_every) == 0,
            )
            incident.refresh_search_text()
            batch.append(incident)
        made = Incident.objects.bulk_create(batch)
        ExternalReport.objects.bulk_create(
            ExternalReport(
                incident=incident,
                agency="ward_police",
                notified_at=incident.detected_at + timedelta(minutes=40),
                notified_by=incident.filed_by,
            )
            for incident in made
            if incident.tt124_item
        )


def fill_staff(evaluation: Evaluation, count: int) -> None:
    have = User.objects.filter(username__startswith="bench.").count()
    departments = list(Department.objects.filter(is_subordinate_unit=True))
    joined = timezone.make_aware(datetime.combine(evaluation.window_start, datetime.min.time()))
    User.objects.bulk_create(
        User(
            username=f"bench.{n}",
            full_name=f"Cán bộ Thử nghiệm {n}",
            department=departments[n % len(departments)],
            date_joined=joined,
        )
        for n in range(have, count)
    )
    campaign = Campaign.objects.filter(counts_for_tt124=True).order_by("-starts_on").first()
    attended = joined + timedelta(days=30)
    Participant.objects.bulk_create(
        [
            Participant(
                campaign=campaign, user=user, invited_at=attended, attended_at=attended if user.pk % 10 else None
            )
            for user in User.objects.filter(username__startswith="bench.")
        ],
        ignore_conflicts=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=1_000)
    parser.add_argument("--years", type=int, default=10, help="the incidents spread over this many years")
    parser.add_argument("--flagged-every", type=int, default=500, help="one incident in this many is flagged")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    evaluation = Evaluation.objects.get(year=timezone.localdate().year)
    started = time.perf_counter()
    fill_incidents(evaluation, args.incidents, args.years, args.flagged_every)
    fill_staff(evaluation, args.staff)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    start, end = window_bounds(evaluation)
    in_window = Incident.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    flagged = in_window.exclude(tt124_item="").count()
    print(
        f"incidents: {Incident.objects.count():,}, in this year's window {in_window.count():,} ({flagged:,} flagged), "
        f"staff: {User.objects.count():,} "
        f"(filled in {time.perf_counter() - started:.0f} s)"
    )

    leader = User.objects.get(username="minh.hv")
    client = Client()
    client.force_login(leader)
    assessment = {a.criterion.code: a.pk for a in evaluation.assessments.select_related("criterion")}
    year = evaluation.year
    pages = {
        "evaluation overview": f"/evaluations/{year}/",
        "criterion 1 (briefing)": f"/evaluations/{year}/criteria/{assessment['1']}/",
        "criterion 3 (incidents)": f"/evaluations/{year}/criteria/{assessment['3']}/",
        "criterion 5 (units)": f"/evaluations/{year}/criteria/{assessment['5']}/",
        "commendation register": "/evaluations/commendations/",
    }
    for label, path in pages.items():
        client.get(path)
        median, p95 = timed(lambda path=path: client.get(path), args.rounds)
        print(f"{label:<26} median {median:7.1f} ms   p95 {p95:7.1f} ms   queries {queries_of(client, path)}")

    median, p95 = timed(
        lambda: Figures(evaluation).suggestion(evaluation.assessments.get(criterion__code="3").criterion), 10
    )
    print(f"{'criterion 3 figures only':<26} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    draft = documents.draft_for(evaluation, DocumentKind.REPORT, leader)
    median, p95 = timed(lambda: documents.regenerate(draft.pk, leader), 5)
    print(f"{'report text from evidence':<26} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    median, p95 = timed(
        lambda: documents.preview_bytes(documents.draft_for(evaluation, DocumentKind.REPORT, leader)), 5
    )
    size = len(documents.preview_bytes(draft)) // 1024
    print(f"{'report .docx rendering':<26} median {median:7.1f} ms   p95 {p95:7.1f} ms   {size} KB")


if __name__ == "__main__":
    main()

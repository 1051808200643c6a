"""Benchmark: the incident pages with 100,000 incidents, and the SLA sweep with 100,000 overdue, on PostgreSQL.

Prints numbers; it is not a timed test. The data looks like the office's: places nested in
buildings (room › floor › building), gates and yards; reporters who are staff, confidential, or
visitors and callers known by name and phone; descriptions of which about one in twelve is a
theft, so a search matches a realistic share; timelines with entries of several kinds.

    createdb -h 127.0.0.1 -U postgres tuquan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuquan_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/incidents.py

1. fills the incident table to --incidents rows (with their timelines);
2. times the queue (first page, filters, search, the deepest keyset page) and the detail page,
   with the number of queries of each; then the search box with words of every kind (category,
   building, room, caller's phone, reference, nothing), with the plan PostgreSQL ran it with;
3. arms --overdue open incidents whose deadlines all passed during an outage (reminders due,
   acknowledgement deadlines missed, escalations not acknowledged) and times the SLA sweep over
   them, in one process and then with --helpers more (as the beat task does on a worker's
   processes), publishing to the real broker (REDIS_URL) on a queue of its own, emptied after.

Measured on a 2-vCPU sandbox (PostgreSQL 15 with its default 128 MB shared_buffers, Redis 7):
100,000 overdue took 1,412 s before the sweep was set-based (71 incidents/s, 10.7 statements and
1.5 broker messages an incident), 104 s after (964/s, 7 statements a batch of 500, 400 messages)
and 55 s with 3 helper processes (1,826/s).

The search (words in any order over the folded document of incidents.search), 100,002 incidents,
27/11/2026, same sandbox shared with other jobs (run with --overdue 0; five runs): 8 queries per queue
page with or without a search. The search query of the first page: 0.2-0.5 ms for common words
("trom cap", 13,727 matches: PostgreSQL walks incident_recent_idx and stops at 26 rows); 1-2 ms for a
reference or words matching nothing (Bitmap Index Scans on incident_search_trgm and
incident_reporter_search_trgm); 4-10 ms for rarer words together ("camera phong 305", 185 matches)
when the planner takes the trigram indexes, 30-73 ms in the runs where its estimate made it walk the
recent index instead. Every match (what an export reads): 1.6-145 ms through the trigram indexes.
The page around it: median 60-200 ms, p95 up to 570 ms under the other jobs' load (the unsearched
first page measured 34-97 ms in the same runs). Renaming a category rewrote the documents of its
5,884 incidents in 2.3 s, renaming a building those of its 27,437 in 12.4 s (one admin save).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import Mod  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from bench.timing import Counter, queries_of, timed  # noqa: E402
from core.access import visible  # noqa: E402
from incidents import search, sla  # noqa: E402
from incidents.forms import QueueFilter  # noqa: E402
from incidents.models import Category, EscalationLevel, Incident, IncidentEvent, Place, Status  # noqa: E402
from incidents.tasks import SWEEP_HELPERS  # noqa: E402
from notifications import tasks  # noqa: E402
from notifications.models import Delivery, Notification  # noqa: E402
from team.models import Membership, User  # noqa: E402

STATUSES = [Status.CLOSED] * 6 + [Status.RESOLVED, Status.NEW, Status.IN_PROGRESS, Status.ACKNOWLEDGED]
OPEN = (Status.NEW, Status.IN_PROGRESS, Status.ACKNOWLEDGED)
# One in twelve is a theft: "trom cap" matches about 8 % of the incidents, as in a real queue.
DESCRIPTIONS = [
    "Trộm cắp tài sản: mất ví và điện thoại tại {place}",
    "Người lạ vào {place} không đăng ký, đã mời ra",
    "Chập điện ổ cắm tại {place}, đã ngắt cầu dao",
    "Xe máy để sai chỗ chắn lối thoát hiểm gần {place}",
    "Tài liệu mật để quên trên máy photocopy ở {place}",
    "Nhóm người tụ tập căng băng rôn trước {place}",
    "Cửa {place} không khóa sau giờ làm việc",
    "Camera {place} mất tín hiệu từ 2 giờ sáng",
    "Khách xưng là thanh tra đòi vào {place}",
    "Mùi khét tại {place}, đội PCCC cơ sở đã kiểm tra",
    "Va chạm giữa hai xe ô tô trong {place}",
    "Báo động giả chuông cháy tại {place}",
]
HISTORY_PREFIX, OVERDUE_PREFIX = "VV-B", "VV-S"
BENCH_QUEUE = "bench-incidents-sla"


# --- data ----------------------------------------------------------------------------------


def headquarters() -> list[Place]:
    """Three buildings of five floors with eight rooms each, two gates and two yards (deepest first)."""
    if not Place.objects.filter(name="Nhà C", kind=Place.Kind.BUILDING).exists():
        for building_name in ("Nhà A", "Nhà B", "Nhà C"):
            building = Place.objects.create(name=building_name, kind=Place.Kind.BUILDING)
            for level in range(1, 6):
                floor = Place.objects.create(name=f"Tầng {level}", kind=Place.Kind.FLOOR, parent=building)
                Place.objects.bulk_create(
                    Place(name=f"Phòng {level}{room:02d}", kind=Place.Kind.ROOM, parent=floor) for room in range(1, 9)
                )
        for name, kind in [("Cổng sau", Place.Kind.GATE), ("Sân trong", Place.Kind.AREA)]:
            Place.objects.get_or_create(name=name, defaults={"kind": kind})
    # Rooms first, then gates, floors, buildings, areas; with their floor and building for the search document.
    return list(Place.objects.select_related("parent__parent").order_by("-kind", "pk"))


def timeline(incident: Incident, n: int, people: list, team: list) -> list[IncidentEvent]:
    """The entries of an incident's life so far: filed, assigned, acknowledged, notes, reminders, reports..."""
    at = incident.created_at
    member = team[n % len(team)]
    entries = [
        IncidentEvent(
            incident=incident, actor=incident.filed_by, action="filed", field="status", new_value="new", at=at
        )
    ]
    if n % 10 < 7:
        entries.append(IncidentEvent(incident=incident, actor=None, action="assigned", new_value=str(member), at=at))
    if incident.status != Status.NEW:
        entries.append(
            IncidentEvent(
                incident=incident,
                actor=member,
                action="status",
                field="status",
                old_value="new",
                new_value="acknowledged",
                audience="reporter",
                at=at + timedelta(minutes=10),
            )
        )
    if n % 2:
        entries.append(
            IncidentEvent(
                incident=incident, actor=member, action="note", text="Đã xác minh", at=at + timedelta(hours=1)
            )
        )
    if n % 10 < 3:
        entries.append(
            IncidentEvent(
                incident=incident,
                actor=member,
                action="update",
                audience="reporter",
                text="Đã tiếp nhận, đang xử lý",
                at=at + timedelta(hours=1),
            )
        )
    if n % 5 == 0:
        entries.append(IncidentEvent(incident=incident, actor=None, action="reminder", new_value="resolve-50", at=at))
    if n % 10 == 4:
        entries.append(
            IncidentEvent(
                incident=incident,
                actor=member,
                action="external",
                new_value="Công an phường",
                at=at + timedelta(minutes=40),
            )
        )
    if n % 20 == 7:
        entries.append(
            IncidentEvent(
                incident=incident,
                actor=None,
                action="escalated",
                field="escalation_level",
                new_value=str(people[0]),
                text="Nobody acknowledged the incident in time.",
                at=at + timedelta(hours=1),
            )
        )
    return entries


def new_incident(reference: str, n: int, created, status, places, people, categories, outsiders) -> Incident:
    place = places[n % len(places)] if n % 9 else None
    staff_reporter = people[n % len(people)]
    external = n % 7 == 3  # a visitor or caller, filed by the member at the gate
    incident = Incident(
        reference=reference,
        category=categories[n % len(categories)],
        place=place,
        place_detail="cạnh thang máy" if n % 11 == 0 else "",
        occurred_at=created - timedelta(minutes=30),
        detected_at=created - timedelta(minutes=10),
        description=DESCRIPTIONS[n % len(DESCRIPTIONS)].format(place=place.name if place else "sân trước") + f" (#{n})",
        people_involved="Hai người đàn ông khoảng 30 tuổi" if n % 4 == 0 else "",
        proposed_severity=1 + n % 4,
        severity=1 + n % 4,
        status=status,
        filed_by=outsiders[n % len(outsiders)] if external else staff_reporter,
        reporter=None if external else staff_reporter,
        reporter_name=f"Ông Nguyễn Văn Khách, 0912 {n % 1000:03d} {n % 997:03d}" if external else "",
        confidential_reporter=n % 10 == 0,
        created_at=created,
        acknowledge_due_at=created + timedelta(hours=1),
        resolve_due_at=created + timedelta(days=1),
        acknowledged_at=None if status == Status.NEW else created + timedelta(minutes=10),
    )
    incident.refresh_search_text()
    return incident


def fill(count: int) -> None:
    """The incident history: --incidents rows, most closed, none due for the SLA sweep."""
    have = Incident.objects.filter(reference__startswith=HISTORY_PREFIX).count()
    if have >= count:
        return refresh_documents()
    people = list(User.objects.filter(is_active=True).order_by("pk"))
    team = list(User.objects.filter(memberships__end_date__isnull=True).order_by("pk")) or people
    places, categories = headquarters(), list(Category.objects.all())
    now = timezone.now()
    for start in range(have, count, 5000):
        batch = [
            new_incident(
                f"{HISTORY_PREFIX}{n:06d}",
                n,
                now - timedelta(minutes=n * 5 + 60),
                STATUSES[n % len(STATUSES)],
                places,
                people,
                categories,
                team,
            )
            for n in range(start, min(start + 5000, count))
        ]
        with transaction.atomic():
            created = Incident.objects.bulk_create(batch)
            IncidentEvent.objects.bulk_create(
                entry for n, incident in enumerate(created, start) for entry in timeline(incident, n, people, team)
            )


# --- pages ---------------------------------------------------------------------------------


def pages(rounds: int) -> None:
    client = Client()
    client.force_login(User.objects.get(username="minh.hv"))  # the team leader sees the whole queue
    ordered = Incident.objects.order_by("-created_at", "-id")
    total = ordered.count()
    newest = ordered.first()
    deep, after_deep = ordered[total - 30 : total - 28]
    # The cursor as incidents/pagination.py writes it: the sort key of the last row shown, joined by "|".
    cursor = f"{deep.created_at.isoformat()}|{deep.pk}"
    deepest = client.get("/incidents/", {"after": cursor}).content.decode()
    if after_deep.reference not in deepest or newest.reference in deepest:
        sys.exit("the deepest page shows the wrong rows: the cursor does not match incidents/pagination.py")
    busiest = IncidentEvent.objects.values("incident").annotate(n=Count("id")).order_by("-n").first()
    matching = Incident.objects.search("trom cap").count()
    print(f"'trom cap' matches {matching:,} of {total:,} incidents ({matching / total:.0%})")
    views = {
        "queue, first page": "/incidents/",
        "queue, open only": "/incidents/?status=open",
        "queue, search 'trom cap'": "/incidents/?q=trom+cap",
        "queue, overdue, by severity": "/incidents/?overdue=on&sort=severity",
        "queue, deepest page (keyset)": "/incidents/?" + urlencode({"after": cursor}),
        f"detail ({busiest['n']} timeline entries)": Incident.objects.get(pk=busiest["incident"]).get_absolute_url(),
    }
    for label, path in views.items():
        client.get(path)
        median, p95 = timed(lambda path=path: client.get(path), rounds)
        print(f"{label:<36} median {median:7.1f} ms   p95 {p95:7.1f} ms   queries {queries_of(client, path)}")


# --- the search ---------------------------------------------------------------------------

SEARCHES = [
    "trom cap",  # the category of one incident in a dozen: many matches
    "trom cap nha b",  # the category and the building of the place
    "camera phong 305",  # a description word and a room
    "thang may chay",  # a place detail and a word of another incident: nothing matches both
    "0912 khach",  # a caller's phone and name: the leader may search them
    "vv-b012345",  # one reference
    "khong co vu nao nhu vay",  # nothing
]


def refresh_documents() -> None:
    """Rows filled before the search document held the category and the place get it, as migration 0011 does."""
    in_rooms = Incident.objects.filter(reference__startswith=HISTORY_PREFIX, place__parent__isnull=False)
    if in_rooms.exclude(search_text__contains=" › ").exists():  # a room prints its floor: "tang 2 › phong 201"
        started = time.perf_counter()
        print(f"search documents rewritten: {search.refresh(Incident.objects.all()):,}", end=" ")
        print(f"({time.perf_counter() - started:.0f} s)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE incidents_incident")


def plan_of(queryset) -> tuple[str, float]:
    """The plan PostgreSQL ran the queryset with: the indexes it used, and its execution time in ms."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    indexes, nodes = set(), [plan["Plan"]]
    while nodes:
        node = nodes.pop()
        if "Index Name" in node:
            indexes.add(f"{node['Node Type']} on {node['Index Name']}")
        nodes.extend(node.get("Plans", []))
    return ", ".join(sorted(indexes)) or "no index: sequential scan", plan["Execution Time"]


def searches(rounds: int) -> None:
    """The queue's search box at --incidents rows: the page, its queries, and the plan of its one search query.

    As the team leader, who may search callers' names, and as a team member, for whom a caller's name
    counts only on the incidents whose reporter is not confidential (a different condition, a different plan).
    """
    print(f"search over {Incident.objects.count():,} incidents:")
    for username, role in (("minh.hv", "leader"), ("tuan.la", "member")):
        person = User.objects.get(username=username)
        client = Client()
        client.force_login(person)
        for words in SEARCHES if role == "leader" else SEARCHES[2:5]:
            path = "/incidents/?" + urlencode({"q": words})
            client.get(path)
            median, p95 = timed(lambda path=path, client=client: client.get(path), rounds)
            matched = QueueFilter({"q": words}).apply(visible(person, Incident.objects.all()), person)
            plan, ms = plan_of(matched.order_by("-created_at", "-id")[:26])
            every_plan, every_ms = plan_of(matched.values("id"))  # what an export reads: every match
            print(
                f"  {role:<6} {words!r:<26} {matched.count():>7,} match  page median {median:5.1f} ms  "
                f"p95 {p95:5.1f} ms  queries {queries_of(client, path)}\n"
                f"         first page's query {ms:5.1f} ms via {plan}\n"
                f"         all matches' query {every_ms:5.1f} ms via {every_plan}"
            )


def renames() -> None:
    """Renaming a category or a building rewrites the search document of each of its incidents (Category.save)."""
    category = Category.objects.annotate(n=Count("incidents")).order_by("-n").first()
    building = Place.objects.filter(name="Nhà B", kind=Place.Kind.BUILDING).first()
    for thing, new_name in ((category, f"{category.name} (đổi tên)"), (building, "Nhà B (đổi tên)")):
        old_name, thing.name = thing.name, new_name
        started = time.perf_counter()
        with transaction.atomic():
            thing.save()
        took = time.perf_counter() - started
        found = Incident.objects.search(new_name).count()
        print(f"renaming {old_name!r}: {found:,} incidents found by the new name, rewritten in {took:.1f} s")
        thing.name = old_name
        with transaction.atomic():
            thing.save()


# --- the SLA sweep ------------------------------------------------------------------------


def arm_overdue(count: int) -> None:
    """`count` open incidents whose every deadline passed while nothing ran (a long weekend's outage).

    A tenth each: the 50 % acknowledgement reminder due, the 80 % one, the 80 % resolve reminder
    (acknowledged, in progress); and the rest past a deadline: not acknowledged in time (escalate to
    level 1), or escalated to level 1 and not acknowledged there (escalate to level 2). Run again, it
    puts the same rows back in that state and forgets their reminders.
    """
    people = list(User.objects.filter(is_active=True).order_by("pk"))
    team = list(User.objects.filter(memberships__end_date__isnull=True).order_by("pk")) or people
    places, categories = headquarters(), list(Category.objects.all())
    have = Incident.objects.filter(reference__startswith=OVERDUE_PREFIX).count()
    now = timezone.now()
    for start in range(have, count, 5000):
        batch = [
            new_incident(f"{OVERDUE_PREFIX}{n:06d}", n, now, Status.NEW, places, people, categories, team)
            for n in range(start, min(start + 5000, count))
        ]
        for n, incident in enumerate(batch, start):
            incident.assignee = team[n % len(team)] if n % 2 else None
        with transaction.atomic():
            created = Incident.objects.bulk_create(batch)
            IncidentEvent.objects.bulk_create(
                entry for n, incident in enumerate(created, start) for entry in timeline(incident, n, people, team)
            )
    armed = Incident.objects.filter(reference__startswith=OVERDUE_PREFIX)
    armed.filter(reference__gte=f"{OVERDUE_PREFIX}{count:06d}").update(sla_check_at=None)  # a smaller run
    overdue = armed.filter(reference__lt=f"{OVERDUE_PREFIX}{count:06d}")
    hour = timedelta(hours=1)
    states = [
        # (share of ids, status, created this long ago, acknowledged?, escalation level, level due)
        ([0], Status.NEW, timedelta(minutes=35), False, 0),
        ([1], Status.NEW, timedelta(minutes=50), False, 0),
        ([2], Status.IN_PROGRESS, 20 * hour, True, 0),
        ([3, 4, 5, 6], Status.NEW, 2 * hour, False, 0),
        ([7, 8, 9], Status.ESCALATED, 3 * hour, False, 1),
    ]
    with transaction.atomic():
        for tenths, status, age, acknowledged, escalation_level in states:
            created = now - age
            overdue.alias(tenth=Mod("id", 10)).filter(tenth__in=tenths).update(
                status=status,
                created_at=created,
                acknowledge_due_at=created + hour,
                resolve_due_at=created + timedelta(days=1),
                acknowledged_at=created + timedelta(minutes=10) if acknowledged else None,
                escalation_level=escalation_level,
                escalation_due_at=now - timedelta(minutes=5) if escalation_level else None,
                escalation_acknowledged_at=None,
                version=1,
            )
        # Due at different moments of the outage, so every batch holds every kind.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE incidents_incident SET sla_check_at = %s - (id %% 997) * interval '1 second'"
                " WHERE reference LIKE %s AND reference < %s",
                [now, f"{OVERDUE_PREFIX}%", f"{OVERDUE_PREFIX}{count:06d}"],
            )
        Notification.objects.filter(kind="incidents.sla_reminder", dedupe_key__startswith="sla:").delete()


def on_bench_queue(task):
    publish = task.apply_async
    task.apply_async = lambda *args, **options: publish(*args, **{**options, "queue": BENCH_QUEUE})


def publish_to_bench_queue() -> bool:
    """The real broker, on a queue no worker reads: publishing is timed, nothing is sent."""
    if not os.environ.get("REDIS_URL"):
        print("REDIS_URL is not set: publishing goes to the embedded SQLite queue, not the real broker")
        return False
    for name in ("deliver_notification", "dispatch_deliveries"):
        if hasattr(tasks, name):
            on_bench_queue(getattr(tasks, name))
    return True


def helper_sweep() -> None:
    """Run by the processes the bench starts as helpers (see sweep()): one sweep, its count on stdout."""
    publish_to_bench_queue()
    print(sla.sweep())


def sweep(count: int, helpers: int) -> None:
    """Time the sweep of `count` overdue incidents alone, then with `helpers` more processes.

    The helpers do what the beat task's helper sweeps do on a Celery worker's processes
    (incidents/tasks.py): started once the first batch shows a backlog, they take other batches.
    """
    broker = publish_to_bench_queue()
    for extra in sorted({0, helpers}):
        arm_overdue(count)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE incidents_incident")
        due = Incident.objects.open().filter(sla_check_at__lte=timezone.now()).count()
        before = (Notification.objects.count(), Delivery.objects.count(), IncidentEvent.objects.count())
        started_helpers: list[subprocess.Popen] = []

        def call_for_help(extra=extra, started_helpers=started_helpers):
            command = [sys.executable, __file__, "--helper-sweep"]
            helpers_now = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(extra)]  # noqa: S603
            started_helpers.extend(helpers_now)

        started = time.perf_counter()
        with Counter() as counter:
            looked_at = sla.sweep(on_backlog=call_for_help if extra else None)
        by_helpers = sum(int(helper.communicate()[0].split()[-1]) for helper in started_helpers)
        elapsed = time.perf_counter() - started
        batches = -(-looked_at // sla.SWEEP_BATCH)
        armed = Incident.objects.filter(
            reference__startswith=OVERDUE_PREFIX, reference__lt=f"{OVERDUE_PREFIX}{count:06d}"
        )
        escalated = armed.filter(status=Status.ESCALATED).count()
        after = (Notification.objects.count(), Delivery.objects.count(), IncidentEvent.objects.count())
        notifications, deliveries, events = (now - then for now, then in zip(after, before, strict=True))
        who = f"with {extra} helper processes" if extra else "in one process"
        print(
            f"SLA sweep {who}: {looked_at + by_helpers:,} of {due:,} due in {elapsed:.1f} s "
            f"({(looked_at + by_helpers) / elapsed:,.0f} incidents/s); this process ran {counter.statements:,} "
            f"statements, {counter.statements / max(batches, 1):.1f} per batch of {sla.SWEEP_BATCH}; wrote "
            f"{notifications:,} notifications, {deliveries:,} deliveries, {events:,} timeline entries; "
            f"{escalated:,} incidents escalated ({EscalationLevel.objects.count()} levels, "
            f"{Membership.objects.filter(end_date__isnull=True).count()} team members)"
        )
        if broker:
            import redis

            queue = redis.Redis.from_url(os.environ["REDIS_URL"])
            print(f"  published {queue.llen(BENCH_QUEUE):,} messages to the broker (queue {BENCH_QUEUE}, emptied)")
            queue.delete(BENCH_QUEUE)
    started = time.perf_counter()
    print(f"SLA sweep again (nothing due): {sla.sweep()} incidents ({(time.perf_counter() - started) * 1000:.1f} ms)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--overdue", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--helpers", type=int, default=SWEEP_HELPERS, help="helper processes for the second sweep")
    parser.add_argument("--helper-sweep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.helper_sweep:
        return helper_sweep()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    started = time.perf_counter()
    fill(args.incidents)
    print(
        f"incidents: {Incident.objects.count():,} (filled in {time.perf_counter() - started:.0f} s), "
        f"open: {Incident.objects.open().count():,}, timeline entries: {IncidentEvent.objects.count():,}, "
        f"places: {Place.objects.count()}"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    pages(args.rounds)
    searches(args.rounds)
    renames()
    if args.overdue:
        sweep(args.overdue, args.helpers)


if __name__ == "__main__":
    main()

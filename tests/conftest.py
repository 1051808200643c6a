"""Shared fixtures: the office and team, one persona per role, and the browser.

Personas are named by role (leader, deputy, member, chief, staff, admin) so tests read
like the rules they check.
"""

import os
import shutil
from datetime import date
from itertools import count

import pytest
from django.db import connection

from team import services
from team.models import Decision, Department, Membership, Office, Position, Team, User

PASSWORD = "correct-horse-battery-42"
_serial = count(1)


@pytest.fixture
def office(db):
    return Office.objects.create(
        name="Văn phòng UBND tỉnh Bình An",
        managing_body="UBND tỉnh Bình An",
        place_name="Bình An",
        abbreviation="VP",
    )


@pytest.fixture
def departments(office):
    return {
        "NCPC": Department.objects.create(office=office, name="Phòng Nội chính - Pháp chế", abbreviation="NCPC"),
        "TH": Department.objects.create(office=office, name="Phòng Tổng hợp", abbreviation="TH"),
    }


@pytest.fixture
def positions(db):
    return {
        "chief": Position.objects.create(name="Chánh Văn phòng", kind=Position.Kind.CHIEF),
        "deputy_chief": Position.objects.create(name="Phó Chánh Văn phòng", kind=Position.Kind.DEPUTY_CHIEF),
        "specialist": Position.objects.create(name="Chuyên viên"),
    }


@pytest.fixture
def make_user(db):
    def make(full_name=None, *, position=None, department=None, is_staff=False, **extra):
        n = next(_serial)
        user = User.objects.create_user(
            username=extra.pop("username", f"user{n}"),
            password=PASSWORD,
            full_name=full_name or f"Cán bộ Số {n}",
            email=f"user{n}@example.test",
            position=position,
            department=department,
            is_staff=is_staff,
            is_superuser=is_staff,
            **extra,
        )
        return user

    return make


@pytest.fixture
def team(office):
    decision = Decision.objects.create(
        number="125/QĐ-VP", signed_on=date(2023, 7, 10), signer_name="Nguyễn Quốc Hùng", summary="Thành lập Tổ"
    )
    return Team.objects.create(
        office=office,
        name="Tổ bảo vệ an ninh, trật tự cơ quan",
        establishment_decision=decision,
        start_date=date(2023, 7, 15),
    )


def appoint(team, user, role=Membership.Role.MEMBER):
    return services.appoint_member(team=team, user=user, role=role, start_date=date(2023, 7, 15))


@pytest.fixture
def leader(team, make_user, positions, departments):
    user = make_user("Hoàng Văn Minh", position=positions["deputy_chief"])
    appoint(team, user, Membership.Role.LEADER)
    return user


@pytest.fixture
def deputy(team, make_user, positions, departments):
    user = make_user("Trần Thị Lan", position=positions["specialist"], department=departments["NCPC"])
    appoint(team, user, Membership.Role.DEPUTY)
    return user


@pytest.fixture
def member(team, make_user, positions, departments):
    user = make_user("Lê Anh Tuấn", position=positions["specialist"], department=departments["TH"])
    appoint(team, user)
    return user


@pytest.fixture
def chief(make_user, positions):
    return make_user("Nguyễn Quốc Hùng", position=positions["chief"])


@pytest.fixture
def staff(make_user, positions, departments):
    return make_user("Phạm Thị Hoa", position=positions["specialist"], department=departments["TH"])


@pytest.fixture
def admin_user(make_user):
    return make_user("Quản trị hệ thống", is_staff=True, username="admin")


@pytest.fixture
def full_team(team, leader, deputy, member, make_user):
    """Leader, deputy and five members: the 7-person team of the seed article."""
    for _ in range(4):
        appoint(team, make_user())
    assert Membership.objects.active().filter(team=team).count() == 7
    return team


@pytest.fixture
def category(db):
    """An incident category. get_or_create: transactional tests flush the rows the data migration made."""
    from incidents.models import Category

    return Category.objects.get_or_create(code="theft", defaults={"name": "Trộm cắp, mất tài sản", "tt124_item": "đ"})[
        0
    ]


# --- environment probes -----------------------------------------------------------------


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


requires_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises all writers, so it cannot show this race",
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        if os.environ.get("CHROMIUM_REQUIRED"):
            pytest.fail(f"{CHROMIUM} is missing but CHROMIUM_REQUIRED is set (CI installs Debian's chromium)")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def plain_http(live_server, settings):
    """live_server speaks plain HTTP: let the browser keep its cookies there."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "sessionid", "csrftoken"
    return live_server


def _browser_page(browser, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser, plain_http):
    """A desktop browser whose own language is English: the site must still answer in Vietnamese."""
    context, page = _browser_page(browser, locale="en-US", viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone(browser, plain_http):
    context, page = _browser_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield page
    context.close()


def log_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


_held_slots = []


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """With $TEST_DATABASE_SLOTS (`make mutate`): a test database of this process's own, kept between runs.

    Mutation testing starts many pytest processes, side by side, each reusing its database from the run
    before (--reuse-db) instead of migrating a new one. A process takes the first slot whose lock no other
    process holds and keeps it until it ends, so that no two processes ever share a database.
    """
    slots = os.environ.get("TEST_DATABASE_SLOTS")  # a path prefix: the lock files and SQLite databases
    if not slots:
        return
    import fcntl

    for slot in range(MAX_TEST_DATABASE_SLOTS):
        lock = open(f"{slots}-{slot}.lock", "w")  # noqa: SIM115 - held open on purpose until the process ends
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        _held_slots.append(lock)
        connection.settings_dict["TEST"]["NAME"] = slot_database_name(slots, slot)
        return
    raise RuntimeError(f"{MAX_TEST_DATABASE_SLOTS} test processes hold every test database slot")


MAX_TEST_DATABASE_SLOTS = 16
# Read at import, before any test database exists: a process forked after a run (mutmut's workers) inherits a
# connection whose NAME already is that run's test database, and would otherwise name test_test_..._slot0_slot1.
_DATABASE_NAME = connection.settings_dict["NAME"]


def slot_database_name(slots: str, slot: int) -> str:
    if connection.vendor == "sqlite":
        return f"{slots}-{slot}.sqlite3"
    return f"test_{_DATABASE_NAME}_slot{slot}"


@pytest.fixture(scope="session", autouse=True)
def _migrated_data(django_db_setup, django_db_blocker):
    """The rows the data migrations load, back in a reused test database (`--reuse-db`, as `make mutate` runs).

    A transactional test of an earlier run flushed them; tests that need them would otherwise fail for that
    reason alone, and a mutant would count as caught when it was not.
    """
    from tests.evaluation_support import ensure_migrated_data

    with django_db_blocker.unblock():
        ensure_migrated_data()


@pytest.fixture(scope="session", autouse=True)
def _no_stray_database_sessions(django_db_setup, django_db_blocker):
    """Close connections that threads (live server, concurrency tests) left open on the test database.

    Otherwise PostgreSQL refuses to drop the test database at the end of the run.
    """
    yield
    from django.db import connections

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, left(query, 80) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            stray = cursor.fetchall()
            for pid, state, query in stray:
                print(f"closing a stray test-database session {pid} ({state}): {query}")
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    connections.close_all()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language (Vietnamese): a request handled by an earlier test must not
    leave English active, or a test comparing text would pass or fail by the order tests run in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def english_text():
    """For tests that compare English text: messages and labels in the language of the code."""
    from django.utils import translation

    with translation.override("en"):
        yield

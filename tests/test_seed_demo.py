"""`seed_demo` builds the office of the seed article, and running it twice changes nothing."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from team.demo import DEMO_LOGINS, DEMO_PASSWORD
from team.models import DutyShift, Membership, Team, User
from team.roles import Role, roles_of
from team.selectors import on_duty_at


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_the_demo_office_and_team(db):
    seed()
    assert 25 <= User.objects.count() <= 35
    team = Team.objects.get()
    assert team.start_date.strftime("%d/%m/%Y") == "15/07/2023"
    roster = Membership.objects.active().filter(team=team)
    assert roster.count() == 7
    leader = roster.get(role=Membership.Role.LEADER).user
    assert leader.full_name == "Hoàng Văn Minh"
    assert leader.position.name == "Phó Chánh Văn phòng"
    deputy = roster.get(role=Membership.Role.DEPUTY).user
    assert deputy.department.name == "Phòng Nội chính - Pháp chế"
    members = [m.user for m in roster.filter(role=Membership.Role.MEMBER)]
    assert len(members) == 5
    assert all(m.department.name != "Phòng Nội chính - Pháp chế" for m in members)
    assert team.current_regulation() is not None


def test_a_month_of_duty_with_someone_always_on_duty(db):
    seed()
    assert DutyShift.objects.count() >= 60
    assert on_duty_at(timezone.now()), "the demo should show someone on duty right now"


def test_demo_logins_have_the_roles_the_readme_promises(db):
    seed()
    expected = {
        "admin": Role.ADMIN,
        "minh.hv": Role.TEAM_LEADER,
        "lan.tt": Role.DEPUTY_TEAM_LEADER,
        "tuan.la": Role.TEAM_MEMBER,
        "nam.pv": Role.TEAM_MEMBER,
        "hai.nd": Role.TEAM_MEMBER,
        "phuong.vt": Role.TEAM_MEMBER,
        "khoa.bd": Role.TEAM_MEMBER,
        "hung.nq": Role.LEADERSHIP,
        "thu.dt": Role.LEADERSHIP,
        "hoa.pt": Role.STAFF,
    }
    assert {username for username, _ in DEMO_LOGINS} == set(expected)
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert role in roles_of(user)
    assert roles_of(User.objects.get(username="hoa.pt")) == {Role.STAFF}


def test_running_it_twice_changes_nothing(db):
    seed()
    counts = (User.objects.count(), Membership.objects.count(), DutyShift.objects.count(), Team.objects.count())
    seed()
    assert (User.objects.count(), Membership.objects.count(), DutyShift.objects.count(), Team.objects.count()) == counts


def test_it_refuses_to_create_the_published_accounts_on_a_production_site(db, settings):
    # DEBUG off, as on a real site: the demo's administrator and its README password must not appear there.
    settings.DEBUG, settings.DEMO_DATA_ALLOWED = False, False
    with pytest.raises(CommandError, match="--force-demo-in-production"):
        seed()
    assert not User.objects.exists()
    call_command("seed_demo", "--force-demo-in-production", stdout=io.StringIO())
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)


def test_manage_py_refuses_it_with_debug_off(tmp_path):
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "seed_demo refused: DEBUG is off" in done.stderr
    assert "demo-TuQuan" not in done.stdout + done.stderr


def test_a_dozen_incidents_in_every_status_and_the_cases_a_newcomer_should_meet(db):
    from incidents.models import Incident, Status

    seed()
    incidents = Incident.objects.all()
    assert incidents.count() == 12
    assert set(incidents.values_list("status", flat=True)) == set(Status.values) - {Status.DUPLICATE}
    assert set(incidents.values_list("severity", flat=True)) == {1, 2, 3, 4}
    assert incidents.values("category").distinct().count() >= 9
    assert incidents.values("place").distinct().count() >= 6
    assert incidents.filter(confidential_reporter=True).count() == 1
    waiting = incidents.get(status=Status.ESCALATED)
    assert waiting.escalation_level == 1 and waiting.escalation_acknowledged_at is None
    assert waiting.escalation_due_at > timezone.now()
    assert waiting.events.filter(action="escalated", new_value="Đặng Thị Thu").exists()
    assert incidents.overdue().count() == 1
    assert incidents.filter(external_reports__agency__in=["113", "ward_police", "provincial_police"]).exists()
    assert incidents.filter(reporter=None).exclude(reporter_name="").count() == 1  # told at the gate
    # Each has a timeline starting with its filing, and the references follow the filing order.
    for incident in incidents:
        assert incident.events.order_by("at", "id").first().action == "filed"
    by_filing = list(incidents.order_by("created_at").values_list("reference", flat=True))
    years = {reference[3:7] for reference in by_filing}
    assert len(years) > 1 or by_filing == sorted(by_filing)


def test_the_demo_incidents_are_not_added_twice(db):
    from incidents.models import ExternalReport, Incident, IncidentEvent

    seed()
    counts = (Incident.objects.count(), IncidentEvent.objects.count(), ExternalReport.objects.count())
    seed()
    assert (Incident.objects.count(), IncidentEvent.objects.count(), ExternalReport.objects.count()) == counts


def test_every_account_with_a_role_is_printed_and_in_the_readme(db):
    printed = io.StringIO()
    call_command("seed_demo", stdout=printed)
    lines = printed.getvalue().splitlines()
    with_a_role = {user.username for user in User.objects.all() if roles_of(user) - {Role.STAFF}}
    assert "thu.dt" in with_a_role
    shown = {line.split()[0] for line in lines if line.startswith("  ")}
    assert with_a_role <= shown and shown == {username for username, _ in DEMO_LOGINS}
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for username in shown:
        assert f"| `{username}` |" in readme
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)


def test_links_in_mails_follow_the_port_make_run_serves(tmp_path):
    def site_url(**environment):
        done = subprocess.run(
            [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
            cwd=Path(__file__).resolve().parent.parent,
            env={
                **{name: value for name, value in os.environ.items() if name not in ("SITE_URL", "WEB_PORT")},
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DEBUG": "1",
                **environment,
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(WEB_PORT="8123") == "http://127.0.0.1:8123"
    assert site_url(WEB_PORT="8123", SITE_URL="https://tuquan.vpubnd.example") == "https://tuquan.vpubnd.example"
    procfile = (Path(__file__).resolve().parent.parent / "Procfile").read_text()
    assert "runserver 127.0.0.1:${WEB_PORT:-8000}" in procfile  # the port the default follows

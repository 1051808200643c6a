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
        "hung.nq": Role.LEADERSHIP,
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

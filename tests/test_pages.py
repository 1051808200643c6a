"""What people see on the home and team pages, at a constant number of queries."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from team import services
from team.models import OperatingRegulation
from tests.conftest import appoint


def schedule_week(team, people):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for offset in range(7):
        day = monday + timedelta(days=offset)
        services.schedule_shift(
            team=team,
            day=day,
            start=time(7, 30),
            end=time(17, 0),
            member=people[offset % len(people)],
            backup=people[(offset + 1) % len(people)],
        )
        services.schedule_shift(
            team=team,
            day=day,
            start=time(17, 0),
            end=time(7, 30),
            member=people[(offset + 2) % len(people)],
            backup=people[(offset + 3) % len(people)],
        )


def test_the_team_page_shows_the_roster_with_roles_and_contacts(client, staff, full_team, leader, deputy):
    leader.phone = "0912 345 678"
    leader.save()
    client.force_login(staff)
    page = client.get(reverse("team:team")).content.decode()
    assert "Hoàng Văn Minh" in page and "Tổ trưởng" in page
    assert "Trần Thị Lan" in page and "Tổ phó" in page
    assert "0912 345 678" in page
    assert leader.email in page
    assert "Phòng Nội chính - Pháp chế" in page
    assert "7/7" in page


def test_the_team_page_hides_ended_members(client, staff, team, member):
    services.end_membership(membership=member.memberships.get(), end_date=timezone.localdate())
    client.force_login(staff)
    assert member.full_name not in client.get(reverse("team:team")).content.decode()


def test_the_team_page_shows_today_and_this_week(client, staff, team, leader, deputy, member):
    schedule_week(team, [leader, deputy, member])
    client.force_login(staff)
    response = client.get(reverse("team:team"))
    assert len(response.context["week_shifts"]) == 14
    assert len(response.context["today_shifts"]) == 2
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert today in response.content.decode()


def test_the_team_page_shows_the_current_regulation(client, staff, team):
    OperatingRegulation.objects.create(
        team=team, version=1, title="Quy chế cũ", effective_from="2023-07-15", content="Bản 1"
    )
    OperatingRegulation.objects.create(
        team=team, version=2, title="Quy chế sửa đổi", effective_from="2025-01-01", content="Điều 1. Bản 2"
    )
    client.force_login(staff)
    page = client.get(reverse("team:team")).content.decode()
    assert "Quy chế sửa đổi" in page and "Điều 1. Bản 2" in page
    assert "Quy chế cũ" not in page


def test_the_team_page_before_the_team_exists(client, staff):
    client.force_login(staff)
    response = client.get(reverse("team:team"))
    assert response.status_code == 200
    assert response.context["team"] is None


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["team:team", "home"])
def test_pages_run_a_constant_number_of_queries(
    client, staff, team, leader, deputy, member, chief, make_user, positions, departments, category, name
):
    """With the office's real data: colleagues of several departments reading Vietnamese or English,
    with and without phones, the week's shifts, and notifications about incidents in rooms of buildings."""
    from tests.support import realistic

    client.force_login(staff)
    schedule_week(team, [leader, deputy, member])
    places = realistic.places("Nhà A")
    incidents = realistic.stream(
        3, staff=[staff], member=member, leader=leader, chief=chief, category=category, places=places
    )
    realistic.inbox(staff, incidents)
    url = reverse(name)
    client.get(url)  # the first request after login also saves the session
    small = _count_queries(client, url)
    newcomers = realistic.colleagues(make_user, positions, departments, 4)
    for person in newcomers:
        appoint(team, person)
    schedule_week(team, newcomers)
    realistic.inbox(staff, incidents * 5)
    large = _count_queries(client, url)
    assert small == large
    # team page: session, user, roles, team, week's shifts, regulation, unread badge, roster, the viewer's
    # own coming shifts (home: on duty)
    assert large <= 9


def test_home_shows_who_is_on_duty_now(client, staff, team, member):
    now = timezone.localtime()
    started = now - timedelta(minutes=1)
    services.schedule_shift(
        team=team, day=started.date(), start=started.time(), end=(now + timedelta(hours=1)).time(), member=member
    )
    client.force_login(staff)
    page = client.get(reverse("home")).content.decode()
    assert member.full_name in page

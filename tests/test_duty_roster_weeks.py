"""The duty roster on the team page: any week (previous/next, or the one an address names) and the viewer's own
coming shifts ("Ca trực của tôi")."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from team import selectors, services
from tests.conftest import appoint


def monday_of(day):
    return day - timedelta(days=day.weekday())


def on(team, day, member, backup=None, start=time(7, 30), end=time(17, 0)):
    return services.schedule_shift(team=team, day=day, start=start, end=end, member=member, backup=backup)


@pytest.fixture
def this_monday():
    return monday_of(timezone.localdate())


def week_param(day):
    return selectors.iso_week(day)


def test_the_next_week_shows_its_own_shifts(client, staff, team, member, deputy, this_monday):
    next_monday = this_monday + timedelta(days=7)
    on(team, this_monday + timedelta(days=2), member)
    on(team, next_monday + timedelta(days=3), deputy)
    client.force_login(staff)
    response = client.get(reverse("team:team"), {"week": week_param(next_monday)})
    assert [s.member for s in response.context["week_shifts"]] == [deputy]
    page = response.content.decode()
    number = next_monday.isocalendar().week
    sunday = next_monday + timedelta(days=6)
    assert f"Lịch trực tuần {number} ({next_monday:%d/%m/%Y} – {sunday:%d/%m/%Y})" in page


def test_previous_and_next_links_step_one_week(client, staff, team, this_monday):
    client.force_login(staff)
    page = client.get(reverse("team:team")).content.decode()
    assert f'href="?week={week_param(this_monday - timedelta(days=7))}#week-duty"' in page
    assert f'href="?week={week_param(this_monday + timedelta(days=7))}#week-duty"' in page
    assert "Tuần trước" in page and "Tuần sau" in page
    other = client.get(reverse("team:team"), {"week": week_param(this_monday + timedelta(days=7))}).content.decode()
    assert f'href="?week={week_param(this_monday)}#week-duty"' in other  # back from next week
    assert "Tuần này" in other


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%Y-%m-%d"])
def test_a_date_names_its_week(client, staff, team, member, this_monday, fmt):
    thursday = this_monday + timedelta(days=17)
    on(team, thursday, member)
    client.force_login(staff)
    response = client.get(reverse("team:team"), {"week": thursday.strftime(fmt)})
    assert response.context["week_start"] == this_monday + timedelta(days=14)
    assert [s.date for s in response.context["week_shifts"]] == [thursday]


def test_the_week_crosses_a_year_end(client, staff, team):
    client.force_login(staff)
    response = client.get(reverse("team:team"), {"week": "2026-W53"})
    assert response.context["week_start"].isoformat() == "2026-12-28"
    assert response.context["next_week"] == "2027-W01"


@pytest.mark.parametrize("value", ["next", "2026-W60", "31/02/2026", "9999-W01", "01/01/0001", "2026-13-01"])
def test_a_week_that_is_not_one_shows_this_week_and_says_so(client, staff, team, this_monday, value):
    client.force_login(staff)
    response = client.get(reverse("team:team"), {"week": value})
    assert response.status_code == 200
    assert response.context["week_start"] == this_monday
    assert "không phải là một tuần" in response.content.decode()


def test_todays_duty_stays_while_another_week_is_shown(client, staff, team, member, deputy, this_monday):
    today = timezone.localdate()
    on(team, today, member, backup=deputy)
    client.force_login(staff)
    response = client.get(reverse("team:team"), {"week": week_param(this_monday + timedelta(days=7))})
    assert [s.member for s in response.context["today_shifts"]] == [member]
    assert response.context["week_shifts"] == []
    assert "Tuần đó chưa xếp ca trực." in response.content.decode()


def test_my_duty_shifts_lists_the_viewers_coming_shifts_only(client, team, member, deputy, leader, this_monday):
    today = timezone.localdate()
    past = on(team, today - timedelta(days=3), member)
    as_member = on(team, today + timedelta(days=9), member, backup=deputy)
    as_backup = on(team, today + timedelta(days=2), leader, backup=member)
    not_mine = on(team, today + timedelta(days=4), deputy, backup=leader)
    client.force_login(member)
    response = client.get(reverse("team:team"))
    assert response.context["my_shifts"] == [as_backup, as_member]
    assert past not in response.context["my_shifts"] and not_mine not in response.context["my_shifts"]
    page = response.content.decode()
    assert "Ca trực của tôi" in page
    assert "trực dự bị cho đ/c Hoàng Văn Minh" in page
    assert "đồng chí trực chính · dự bị: Trần Thị Lan" in page


def test_a_member_without_coming_shifts_is_told_so(client, team, member):
    client.force_login(member)
    page = client.get(reverse("team:team")).content.decode()
    assert "Đồng chí không có ca trực nào sắp tới." in page


def test_staff_outside_the_team_see_no_empty_my_shifts_box(client, staff, team, member):
    client.force_login(staff)
    assert "Ca trực của tôi" not in client.get(reverse("team:team")).content.decode()


def test_another_week_runs_a_constant_number_of_queries(client, staff, team, member, deputy, make_user, this_monday):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    next_monday = this_monday + timedelta(days=7)
    url = f"{reverse('team:team')}?week={week_param(next_monday)}"
    client.force_login(staff)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    on(team, next_monday, member, backup=deputy)
    small = count()
    others = [make_user() for _ in range(3)]
    for person in others:
        appoint(team, person)
    for offset, person in enumerate(others, start=1):
        on(team, next_monday + timedelta(days=offset), person, backup=member)
        on(team, timezone.localdate(), person, start=time(offset, 0), end=time(offset, 30))
    assert count() == small

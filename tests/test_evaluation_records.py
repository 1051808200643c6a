"""Unit ratings (criteria 4 and 5) and discipline records (personal data: the leadership and administrators)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from evaluations import calendar
from evaluations.models import DisciplineRecord, Evaluation, UnitRating
from evaluations.services import records
from evaluations.services.cycle import start_year
from team.models import Department
from tests.conftest import log_in
from tests.evaluation_support import ensure_tt124_data

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user"]
RATES = {"member", "deputy", "leader", "chief"}  # the team and the office leadership
SEES_DISCIPLINE = {"leader", "chief", "admin_user"}  # the leader is also a Deputy Chief (leadership)


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def everyone(request, team, staff, member, deputy, leader, chief, admin_user):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def evaluation(team, leader, deputy, member, chief):
    return start_year(year=timezone.localdate().year, actor=leader)


@pytest.fixture
def leadership_group(office):
    return Department.objects.create(office=office, name="Lãnh đạo Văn phòng", is_subordinate_unit=False, order=0)


def ratings_url(evaluation):
    return reverse("evaluations:ratings", args=[evaluation.year])


def unit_data(prefix, *, rating="", tt="", number="", day="", seen=None):
    """One row of the ratings table as posted, with the values the person saw ("initial-…")."""
    seen = seen or {}
    data = {
        f"{prefix}-rating": rating,
        f"{prefix}-decision_number": number,
        f"{prefix}-decision_date": day,
        f"initial-{prefix}-rating": seen.get("rating", ""),
        f"initial-{prefix}-decision_number": seen.get("decision_number", ""),
        f"initial-{prefix}-decision_date": seen.get("decision_date", ""),
        f"initial-{prefix}-advanced_collective": seen.get("advanced_collective", "False"),
    }
    if tt:
        data[f"{prefix}-advanced_collective"] = "on"
    return data


def all_rows(team, departments, **rows):
    """A whole page: every unit, unchanged unless given in `rows` (by prefix)."""
    data = {}
    prefixes = [f"team-{team.pk}", *(f"dept-{d.pk}" for d in departments)]
    for prefix in prefixes:
        data.update(unit_data(prefix, **rows.get(prefix, {})))
    return data


# --- ratings ----------------------------------------------------------------------------------


def test_the_page_lists_the_team_and_every_department_with_the_uncounted_apart(
    english, evaluation, leader, team, departments, leadership_group
):
    english.force_login(leader)
    page = english.get(ratings_url(evaluation)).content.decode()
    assert f'data-testid="unit-team-{team.pk}"' in page
    for department in departments.values():
        assert f'data-testid="unit-dept-{department.pk}"' in page
    # The office leadership is shown, after the heading that says it does not count.
    assert page.index('data-testid="section-not-counted"') < page.index(
        f'data-testid="unit-dept-{leadership_group.pk}"'
    )
    assert page.index(f'data-testid="unit-dept-{departments["TH"].pk}"') < page.index("section-not-counted")
    assert "Not counted in criterion 5 (not a subordinate unit)" in page
    assert 'data-testid="share-count">0/2<' in page


def test_ratings_are_saved_all_at_once_and_the_share_follows(english, evaluation, leader, team, departments):
    english.force_login(leader)
    ncpc, th = departments["NCPC"], departments["TH"]
    data = all_rows(
        team,
        [ncpc, th],
        **{
            f"team-{team.pk}": {"rating": "good", "number": "15/QĐ-VP", "day": "2026-01-10"},
            f"dept-{ncpc.pk}": {"rating": "completed", "tt": "on"},
            f"dept-{th.pk}": {"rating": "completed"},
        },
    )
    response = english.post(ratings_url(evaluation), data, follow=True)
    page = response.content.decode()
    assert "Saved the ratings of 3 units." in page
    team_rating = UnitRating.objects.get(year=evaluation.year, team=team)
    assert team_rating.rating == "good" and team_rating.decision_number == "15/QĐ-VP"
    assert team_rating.decision_date == date(2026, 1, 10) and team_rating.recorded_by == leader
    assert UnitRating.objects.get(department=ncpc).advanced_collective  # the title qualifies on its own
    # One of two subordinate units qualifies: 50 %, below 70 %.
    assert 'data-testid="share-count">1/2<' in page and 'data-testid="share-percent">50.0%<' in page
    assert 'data-testid="share-not-met"' in page
    assert 'data-testid="team-qualifies">' in page and "Qualifies" in page


def test_saving_again_updates_the_same_rows(english, evaluation, leader, team, departments):
    english.force_login(leader)
    th = departments["TH"]
    english.post(ratings_url(evaluation), all_rows(team, [th], **{f"dept-{th.pk}": {"rating": "completed"}}))
    seen = {"rating": "completed"}
    response = english.post(
        ratings_url(evaluation),
        all_rows(team, [th], **{f"dept-{th.pk}": {"rating": "excellent", "seen": seen}}),
        follow=True,
    )
    assert "Saved the rating of 1 unit." in response.content.decode()
    assert UnitRating.objects.filter(year=evaluation.year).count() == 1
    assert UnitRating.objects.get(department=th).rating == "excellent"
    response = english.post(
        ratings_url(evaluation),
        all_rows(team, [th], **{f"dept-{th.pk}": {"rating": "excellent", "seen": {"rating": "excellent"}}}),
        follow=True,
    )
    assert "Nothing was changed." in response.content.decode()


def test_a_colleagues_rating_saved_meanwhile_is_kept(client, evaluation, leader, member, team, departments):
    ncpc, th = departments["NCPC"], departments["TH"]
    records.save_ratings(year=evaluation.year, actor=member, rows=[{"department_id": ncpc.pk, "rating": "good"}])
    client.force_login(leader)  # his page was loaded before: NCPC was still blank
    client.post(ratings_url(evaluation), all_rows(team, [ncpc, th], **{f"dept-{th.pk}": {"rating": "completed"}}))
    assert UnitRating.objects.get(department=ncpc).rating == "good"
    assert UnitRating.objects.get(department=th).rating == "completed"


@pytest.mark.parametrize(
    ("qualifying", "total", "met"),
    [(7, 10, True), (6, 10, False), (69, 99, False), (70, 100, True), (0, 0, False), (5, 5, True)],
)
def test_seventy_percent_is_counted_in_integers(qualifying, total, met):
    share = records.UnitShare(qualifying=qualifying, total=total)
    assert share.met is met


def test_seven_of_ten_departments_reach_the_share(english, evaluation, leader, office, team, departments):
    units = [*departments.values(), *(Department.objects.create(office=office, name=f"Phòng {n}") for n in range(8))]
    rows = [{"department_id": d.pk, "rating": "good" if n < 7 else "completed"} for n, d in enumerate(units)]
    records.save_ratings(year=evaluation.year, actor=leader, rows=rows)
    assert records.unit_share(evaluation.year) == records.UnitShare(qualifying=7, total=10)
    english.force_login(leader)
    page = english.get(ratings_url(evaluation)).content.decode()
    assert 'data-testid="share-count">7/10<' in page and 'data-testid="share-met"' in page


def test_a_future_decision_date_and_a_made_up_rating_are_refused(english, evaluation, leader, team, departments):
    english.force_login(leader)
    th = departments["TH"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = english.post(
        ratings_url(evaluation), all_rows(team, [th], **{f"dept-{th.pk}": {"rating": "best", "day": tomorrow}})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved: correct the rows marked in red." in page
    assert "The decision cannot be dated in the future." in page
    assert not UnitRating.objects.exists()
    with pytest.raises(ValidationError):
        records.save_ratings(year=evaluation.year, actor=leader, rows=[{"department_id": th.pk, "rating": "best"}])
    with pytest.raises(ValidationError):
        records.save_ratings(year=evaluation.year, actor=leader, rows=[{"rating": "good"}])  # names no unit


def test_ratings_need_the_years_evaluation(leader, departments):
    with pytest.raises(ValidationError):
        records.save_ratings(year=1999, actor=leader, rows=[{"department_id": departments["TH"].pk, "rating": "good"}])


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_and_who_rates(client, everyone, persona, evaluation, team, departments):
    client.force_login(everyone[persona])
    th = departments["TH"]
    data = all_rows(team, [th], **{f"dept-{th.pk}": {"rating": "good"}})
    response = client.get(ratings_url(evaluation))
    if persona == "staff":
        assert response.status_code == 404
        assert client.post(ratings_url(evaluation), data).status_code == 404
        return
    assert response.status_code == 200
    assert ('name="dept-' in response.content.decode()) == (persona in RATES)
    assert client.post(ratings_url(evaluation), data).status_code == (302 if persona in RATES else 403)
    assert UnitRating.objects.filter(department=th).exists() == (persona in RATES)
    if persona not in RATES:
        with pytest.raises(PermissionDenied):
            records.save_ratings(year=evaluation.year, actor=everyone[persona], rows=[])


def test_the_ratings_page_runs_a_constant_number_of_queries(client, evaluation, leader, office):
    client.force_login(leader)

    def count():
        client.get(ratings_url(evaluation))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ratings_url(evaluation)).status_code == 200
        return len(captured)

    few = count()
    for n in range(15):
        unit = Department.objects.create(office=office, name=f"Phòng {n}", is_subordinate_unit=n % 3 > 0)
        UnitRating.objects.create(year=evaluation.year, department=unit, rating="good", recorded_by=leader)
    # session, user, roles, evaluation, team, departments, ratings (+ the unread badge)
    assert count() == few
    assert few <= 9, few


# --- discipline -------------------------------------------------------------------------------


def listed(response) -> str:
    """The table of records only (the add form's person list names everyone)."""
    page = response.content.decode()
    return page[page.index('data-testid="discipline-table"') : page.index('data-testid="discipline-end"')]


def discipline_url(year=None):
    base = reverse("evaluations:discipline")
    return f"{base}?year={year}" if year else base


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_leadership_and_administrators_reach_discipline(client, everyone, persona):
    client.force_login(everyone[persona])
    expected = 200 if persona in SEES_DISCIPLINE else 404  # a 404: not even a hint that the page exists
    assert client.get(discipline_url()).status_code == expected
    data = {"person": everyone["staff"].pk, "form": "1", "decided_on": "2026-03-12"}
    assert client.post(discipline_url(), data).status_code == (302 if persona in SEES_DISCIPLINE else 404)
    assert DisciplineRecord.objects.exists() == (persona in SEES_DISCIPLINE)


def test_the_leadership_records_a_warning(english, chief, staff):
    english.force_login(chief)
    decided = timezone.localdate() - timedelta(days=3)
    response = english.post(
        discipline_url(),
        {
            "person": staff.pk,
            "form": "2",
            "decided_on": decided.isoformat(),
            "decision_number": "45/QĐ-VP",
            "reason": "Vi phạm nội quy",
            "social_evils": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"Recorded a Warning for Phạm Thị Hoa ({decided:%d/%m/%Y})." in page
    record = DisciplineRecord.objects.get()
    assert (record.person, record.form, record.social_evils, record.recorded_by) == (staff, 2, True, chief)
    # It lands on the window holding the decision, with the row in it.
    assert response.redirect_chain[-1][0].endswith(f"?year={calendar.evaluation_year_of(decided)}")
    table = listed(response)
    assert table.count('data-testid="discipline-row"') == 1 and "45/QĐ-VP" in table and "Phòng Tổng hợp" in table


def test_a_decision_in_the_future_or_a_former_colleague_is_refused(english, chief, staff, make_user):
    english.force_login(chief)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = english.post(discipline_url(), {"person": staff.pk, "form": "1", "decided_on": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "The decision cannot be dated in the future." in response.content.decode()
    gone = make_user("Người Đã Nghỉ", is_active=False)
    response = english.post(discipline_url(), {"person": gone.pk, "form": "1", "decided_on": "2026-01-05"})
    assert response.status_code == 200 and "Người Đã Nghỉ" not in response.content.decode()  # not offered
    assert not DisciplineRecord.objects.exists()
    with pytest.raises(ValidationError):
        records.record_discipline(actor=chief, person=gone, form=1, decided_on=date(2026, 1, 5))
    with pytest.raises(ValidationError):
        records.record_discipline(actor=chief, person=staff, form=1, decided_on=tomorrow)


@pytest.mark.parametrize("year", ["abc", "1850", "", "2025&year=x"])
def test_a_bad_year_falls_back_to_the_current_window(client, chief, year):
    client.force_login(chief)
    response = client.get(f"{reverse('evaluations:discipline')}?year={year}")
    assert response.status_code == 200
    start, _end = calendar.default_window(calendar.evaluation_year_of(timezone.localdate()))
    assert start.strftime("%d/%m/%Y") in response.content.decode()


def test_the_list_follows_the_evaluation_window(english, chief, staff, member, team, leader):
    start_year(year=2025, actor=leader)
    # 15/11/2025 closes the 2025 window; 16/11/2025 opens 2026's.
    DisciplineRecord.objects.create(person=staff, form=1, decided_on=date(2025, 11, 15), recorded_by=chief)
    DisciplineRecord.objects.create(person=member, form=2, decided_on=date(2025, 11, 16), recorded_by=chief)
    english.force_login(chief)
    page_2025 = listed(english.get(discipline_url(2025)))
    page_2026 = listed(english.get(discipline_url(2026)))
    assert "Phạm Thị Hoa" in page_2025 and "Lê Anh Tuấn" not in page_2025
    assert "Lê Anh Tuấn" in page_2026 and "Phạm Thị Hoa" not in page_2026
    assert "Decided from 16/11/2024 to 15/11/2025" in english.get(discipline_url(2025)).content.decode()
    # A window moved for 2025 is the one used.
    Evaluation.objects.filter(year=2025).update(window_end=date(2025, 11, 16))
    assert "Lê Anh Tuấn" in listed(english.get(discipline_url(2025)))


def test_only_administrators_get_a_link_to_correct(english, chief, admin_user, staff):
    record = DisciplineRecord.objects.create(person=staff, form=1, decided_on=timezone.localdate(), recorded_by=chief)
    link = reverse("admin:evaluations_disciplinerecord_change", args=[record.pk])
    english.force_login(chief)
    assert link not in english.get(discipline_url()).content.decode()
    english.force_login(admin_user)
    assert link in english.get(discipline_url()).content.decode()


def test_the_discipline_page_runs_a_constant_number_of_queries(client, chief, make_user, departments):
    client.force_login(chief)

    def count():
        client.get(discipline_url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(discipline_url()).status_code == 200
        return len(captured)

    few = count()
    for n in range(15):
        person = make_user(department=departments["TH"])
        DisciplineRecord.objects.create(
            person=person, form=1 + n % 6, decided_on=timezone.localdate(), recorded_by=chief
        )
    assert count() == few


# --- in a browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_chief_rates_the_units_and_records_a_measure(page, live_server, team, leader, deputy, member, chief, staff):
    ensure_tt124_data()
    evaluation = start_year(year=timezone.localdate().year, actor=leader)
    ncpc, th = Department.objects.order_by("name")
    log_in(page, live_server.url, chief.username)
    page.goto(f"{live_server.url}{ratings_url(evaluation)}")
    expect(page.locator("[data-testid=share-count]")).to_have_text("0/2")
    page.select_option(f"select[name=dept-{ncpc.pk}-rating]", "good")
    page.check(f"input[name=dept-{th.pk}-advanced_collective]")
    page.fill(f"input[name=dept-{th.pk}-decision_number]", "20/QĐ-VP")
    page.fill(f"input[name=dept-{th.pk}-decision_date]", f"{evaluation.year}-01-10")
    page.locator("[data-testid=ratings-form] > button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=share-count]")).to_have_text("2/2")  # both qualify: 100 %
    expect(page.locator("[data-testid=share-met]")).to_be_visible()
    assert UnitRating.objects.get(department=th).decision_date == date(evaluation.year, 1, 10)

    page.goto(f"{live_server.url}{discipline_url()}")
    page.select_option("select[name=person]", str(staff.pk))
    page.select_option("select[name=form]", "1")
    page.fill("input[name=decided_on]", timezone.localdate().isoformat())
    page.fill("input[name=decision_number]", "46/QĐ-VP")
    page.locator("[data-testid=discipline-form] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=discipline-row]")).to_have_count(1)
    assert DisciplineRecord.objects.get().decision_number == "46/QĐ-VP"


def test_the_ratings_close_with_the_sign_off_of_their_year(evaluation, leader, departments):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.SIGNED_OFF)
    department = departments["TH"]
    with translation.override("en"), pytest.raises(PermissionDenied, match="signed off"):
        records.save_ratings(
            year=evaluation.year, actor=leader, rows=[{"department_id": department.pk, "rating": "excellent"}]
        )
    assert not UnitRating.objects.filter(department=department).exists()

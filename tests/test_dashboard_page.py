"""/dashboard/: who sees it, the periods and filters, the links behind every number, and its cost."""

import re
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import EscalationLevel, ExternalReport, Incident, Status
from tests.support import realistic
from tests.support.incidents import report

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/dashboard/"


@pytest.fixture(autouse=True)
def no_cache(settings):
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 404), ("member", 404), ("deputy", 200), ("leader", 200), ("chief", 200), ("admin_user", 200)],
)
def test_the_dashboard_is_for_the_command_the_leadership_and_administrators(request, client, team, persona, status):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == status
    home = client.get("/").content.decode()
    assert ('data-testid="dashboard-link"' in home) is (status == 200)


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_page_shows_this_month_by_default_and_the_evaluation_year_on_request(client, leader):
    client.force_login(leader)
    today = timezone.localdate()
    page = client.get(URL).content.decode()
    assert f"từ {today.replace(day=1):%d/%m/%Y}" in page
    year = client.get(URL, {"period": "year"}).context["board"].period
    assert (year.start.day, year.start.month, year.end.day, year.end.month) == (16, 11, 15, 11)


def test_custom_dates_are_typed_as_dd_mm_yyyy(client, leader):
    client.force_login(leader)
    response = client.get(URL, {"period": "custom", "since": "01/06/2026", "until": "30/06/2026"})
    assert response.context["board"].period.start == date(2026, 6, 1)
    assert "Vụ việc tiếp nhận từ 01/06/2026 đến 30/06/2026" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "31/02/2026", "until": "30/06/2026"}, "Nhập một ngày hợp lệ."),
        ({"since": "01/07/2026", "until": "30/06/2026"}, "Khoảng thời gian kết thúc trước khi bắt đầu."),
        ({"period": "custom", "since": "01/06/2026"}, "Nhập cả hai ngày của khoảng thời gian, theo dạng dd/mm/yyyy."),
        ({"since": "01/01/2020", "until": "30/06/2026"}, "Chọn khoảng thời gian không quá ba năm."),
        ({"since": "01/01/0001", "until": "31/12/9999"}, "Nhập ngày trong khoảng từ 01/01/2000 đến 31/12/2100."),
        ({"period": "forever"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"category": "x"}, "Hãy chọn một lựa chọn hợp lệ."),
    ],
)
def test_bad_input_gets_a_message_in_vietnamese_and_this_months_figures(client, leader, params, message):
    client.force_login(leader)
    response = client.get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, re.findall(r'data-testid="filter-error">([^<]*)', page)
    assert response.context["board"].period.start == timezone.localdate().replace(day=1)


def test_no_inline_script_the_charts_data_travels_as_json(client, leader, staff, category):
    report(staff, category)
    client.force_login(leader)
    page = client.get(URL).content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attributes or 'type="application/json"' in attributes for attributes in scripts)
    assert 'id="chart-category"' in page and 'data-chart="chart-category"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/dashboard.js" in page


def queue_of(client, url) -> list[str]:
    """The references the queue lists at `url` (the desk's table)."""
    page = client.get(url).content.decode()
    return sorted(set(re.findall(r"VV-\d{4}-\d{4}", page)))


def test_every_number_leads_to_the_incidents_it_counts(client, leader, member, staff, category, positions, departments):
    from incidents.models import Category

    EscalationLevel.objects.create(order=1, position=positions["deputy_chief"])
    fire = Category.objects.create(code="fire", name="Cháy nổ")
    now = timezone.now()
    theft = report(staff, category)
    burning = report(staff, fire, proposed_severity=4)
    late = report(member, category)
    outsider = report(leader, category)
    Incident.objects.filter(pk=late.pk).update(acknowledge_due_at=now - timedelta(minutes=5))
    Incident.objects.filter(pk=burning.pk).update(escalation_level=1, status=Status.ESCALATED)
    ExternalReport.objects.create(incident=burning, agency="114", notified_by=member)
    client.force_login(leader)
    response = client.get(URL)
    board = response.context["board"]
    summary = {testid: cell for testid, _label, cell in board.summary}
    assert summary["filed"].value == 4 and summary["overdue"].value == 1 and summary["escalated"].value == 1
    assert queue_of(client, summary["overdue"].url) == [late.reference]
    assert queue_of(client, summary["escalated"].url) == [burning.reference]
    assert queue_of(client, summary["filed"].url) == sorted(i.reference for i in (theft, burning, late, outsider))
    panels = {panel.key: panel for panel in board.panels}
    rows = dict(panels["category"].rows)
    assert queue_of(client, rows["Cháy nổ"][0].url) == [burning.reference]
    assert rows["Trộm cắp, mất tài sản"][0].value == 3
    assert len(queue_of(client, rows["Trộm cắp, mất tài sản"][0].url)) == 3
    [(_level, [escalated])] = panels["escalations"].rows
    assert queue_of(client, escalated.url) == [burning.reference]
    [(agency, [told])] = panels["authorities"].rows
    assert agency == "Cứu hỏa 114" or "114" in agency
    assert queue_of(client, told.url) == [burning.reference]
    # The reporter's department: the staff member's Phòng Tổng hợp (the member's too).
    narrowed = client.get(URL, {"department": departments["TH"].pk}).context["board"]
    filed = dict((testid, cell) for testid, _label, cell in narrowed.summary)["filed"]
    assert filed.value == 3
    assert parse_qs(urlparse(filed.url).query)["department"] == [str(departments["TH"].pk)]
    assert queue_of(client, filed.url) == sorted(i.reference for i in (theft, burning, late))
    # The chart's bars carry the same links as the table.
    chart = panels["category"].chart
    assert chart["datasets"][0]["links"] == [cells[0].url for _name, cells in panels["category"].rows]


def test_the_figures_are_kept_a_short_while(client, leader, staff, category, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    report(staff, category)
    client.force_login(leader)
    with CaptureQueriesContext(connection) as cold:
        client.get(URL, {"period": "quarter"})
    with CaptureQueriesContext(connection) as warm:
        assert client.get(URL, {"period": "quarter"}).context["board"].summary[0][2].value == 1
    assert len(warm) < len(cold) - 8  # the figures' queries are not run again
    cache.clear()


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_data(
    client, staff, member, leader, chief, category, make_user, positions, departments, team
):
    places = realistic.places("Nhà A")
    people = [staff, *realistic.colleagues(make_user, positions, departments, 4)]
    EscalationLevel.objects.create(order=1, position=positions["chief"])  # the chief acknowledges in the stream
    views = [URL, URL + "?period=year", URL + f"?department={departments['TH'].pk}&period=six_months"]
    counts = []
    made = 0
    for size in (3, 12):
        realistic.stream(
            size, start=made, staff=people, member=member, leader=leader, chief=chief, category=category, places=places
        )
        made += size
        places.extend(realistic.places(f"Nhà {size}"))
        client.force_login(leader)
        counts.append([count_queries(client, view) for view in views])
    assert counts[0] == counts[1]
    assert Incident.objects.count() == 15


def test_an_incident_filed_just_before_midnight_counts_for_that_day(client, leader, staff, category):
    incident = report(staff, category)
    Incident.objects.filter(pk=incident.pk).update(created_at=datetime(2026, 5, 31, 23, 50, tzinfo=HCM))
    client.force_login(leader)
    may = client.get(URL, {"since": "01/05/2026", "until": "31/05/2026"}).context["board"]
    june = client.get(URL, {"since": "01/06/2026", "until": "30/06/2026"}).context["board"]
    assert may.summary[0][2].value == 1 and june.summary[0][2].value == 0
    assert queue_of(client, may.summary[0][2].url) == [incident.reference]


def test_the_form_shows_the_period_chosen_and_the_pickers_take_the_typed_dates(client, leader, category):
    client.force_login(leader)
    page = client.get(URL, {"since": "01/06/2026", "until": "30/06/2026", "category": category.pk}).content.decode()
    assert 'value="2026-06-01"' in page and 'value="2026-06-30"' in page
    assert '<option value="custom" selected>' in page
    assert f'<option value="{category.pk}" selected>' in page
    assert '<option value="quarter" selected>' in client.get(URL, {"period": "quarter"}).content.decode()


def test_a_long_list_of_places_charts_the_ten_largest_and_folds_the_rest(client, leader, staff, category):
    from incidents.models import Place

    for n in range(14):
        place = Place.objects.create(name=f"Phòng {n + 101}", kind=Place.Kind.ROOM)
        for _ in range(n + 1):
            report(staff, category, place=place)
    client.force_login(leader)
    response = client.get(URL)
    [panel] = [panel for panel in response.context["board"].panels if panel.key == "place"]
    assert panel.chart["labels"][0] == "Phòng 114" and len(panel.chart["labels"]) == 10
    assert [heading for heading, _cells in panel.more_rows] == ["Phòng 104", "Phòng 103", "Phòng 102", "Phòng 101"]
    page = response.content.decode()
    assert 'data-testid="more-place"' in page and "4 dòng nữa" in page
    assert ">Phòng 101<" in page  # still in the table, behind the fold


def test_numbers_are_written_as_the_reader_writes_them(english_text):
    from django.utils import translation

    from dashboard.board import Cell

    assert Cell(99991).text == "99,991"
    with translation.override("vi"):
        assert Cell(99991).text == "99.991"
    assert Cell("—").text == "—"

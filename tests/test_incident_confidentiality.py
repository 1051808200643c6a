"""A confidential reporter stays hidden everywhere, not only on the incident's page.

Only the team leader, the deputy, the office leadership and the person who reported or filed it
may see who reported a confidential incident (incidents.see_reporter). A search is a way of
seeing: typing a visitor's name or phone must not tell anyone else which incident he reported,
in the queue, in its exports or in Django admin.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from incidents import services
from incidents.models import Incident
from tests.conftest import appoint
from tests.support.incidents import report as file

VISITOR = "Nguyễn Văn Bình, 0912 345 678"
OPEN_VISITOR = "Trần Văn Cường, 0987 654 321"
# What a colleague who suspects Mr Bình would type: his name without diacritics, or his phone.
SEARCHES_FOR_THE_VISITOR = ["Nguyen Van Binh", "binh", "0912 345 678"]


@pytest.fixture
def gatekeeper(team, make_user):
    """The member at the gate who typed in the visitor's report."""
    user = make_user("Đỗ Văn Gác")
    appoint(team, user)
    return user


@pytest.fixture
def confidential(gatekeeper, category):
    return file(gatekeeper, category, reporter_name=VISITOR, confidential_reporter=True)


@pytest.fixture
def leadership_admin(make_user, positions):
    """An administrator who is also the Chief of Office: he may see reporters, in admin too."""
    return make_user("Nguyễn Quốc Hùng", position=positions["chief"], is_staff=True, username="hung.admin")


def queue(client, user, words) -> str:
    client.force_login(user)
    return client.get(reverse("incidents:list"), {"q": words}).content.decode()


def csv_export(client, user, words) -> str:
    client.force_login(user)
    return client.get(reverse("incidents:export", args=["csv"]), {"q": words}).content.decode("utf-8-sig")


def xlsx_references(client, user, words) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("incidents:export", args=["xlsx"]), {"q": words})
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


# --- the queue and its exports ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "admin_user"])
@pytest.mark.parametrize("words", SEARCHES_FOR_THE_VISITOR)
def test_a_member_or_an_administrator_cannot_find_a_confidential_visitor_by_name_or_phone(
    client, request, confidential, who, words
):
    user = request.getfixturevalue(who)
    assert confidential.reference in queue(client, user, "may tinh xach tay")  # the incident itself is visible
    assert confidential.reference not in queue(client, user, words)
    text = csv_export(client, user, words)
    assert confidential.reference not in text and "0912" not in text
    assert confidential.reference not in xlsx_references(client, user, words)


@pytest.mark.parametrize("who", ["leader", "deputy", "chief"])
@pytest.mark.parametrize("words", SEARCHES_FOR_THE_VISITOR)
def test_the_leader_the_deputy_and_the_leadership_find_it_by_the_reporters_name(
    client, request, confidential, who, words
):
    user = request.getfixturevalue(who)
    assert confidential.reference in queue(client, user, words)
    rows = list(csv.reader(io.StringIO(csv_export(client, user, words))))
    assert [row[0] for row in rows[1:]] == [confidential.reference]
    assert VISITOR in rows[1]  # and the export names him, as the page does


def test_the_member_who_filed_it_finds_his_own_report_by_the_visitors_name(client, confidential, gatekeeper):
    assert confidential.reference in queue(client, gatekeeper, "0912 345 678")
    assert confidential.reference in csv_export(client, gatekeeper, "binh")


def test_a_visitor_who_is_not_confidential_is_found_by_the_whole_team(client, member, gatekeeper, category):
    incident = file(gatekeeper, category, reporter_name=OPEN_VISITOR)
    assert incident.reference in queue(client, member, "tran van cuong")
    assert incident.reference in csv_export(client, member, "0987 654 321")


def test_a_staff_reporters_name_finds_nothing_either(client, member, staff, gatekeeper, category):
    incident = file(gatekeeper, category, reporter=staff, confidential_reporter=True)
    assert incident.reference in queue(client, member, "may tinh")
    assert incident.reference not in queue(client, member, "Phạm Thị Hoa")
    assert incident.reference not in queue(client, member, "pham thi hoa")


@pytest.mark.parametrize("words", ["binh may tinh", "phong hop 0912", "xach tay Nguyễn Bình"])
def test_mixing_the_visitors_name_with_words_of_the_incident_finds_nothing_either(
    client, member, leader, confidential, words
):
    # Each word may match the name or the incident's own text; the name counts only where it may be seen.
    assert confidential.reference not in queue(client, member, words)
    assert confidential.reference not in csv_export(client, member, words)
    assert confidential.reference in queue(client, leader, words)


def test_the_reporters_name_is_not_part_of_the_document_everyone_searches(confidential):
    assert "binh" not in confidential.search_text and "0912" not in confidential.search_text
    assert "binh" in confidential.reporter_search_text


def test_turning_a_report_confidential_later_hides_the_name_from_the_next_search(client, member, gatekeeper, category):
    # The rule is applied when searching, not only when the text is folded at save time.
    incident = file(gatekeeper, category, reporter_name=VISITOR)
    assert incident.reference in queue(client, member, "binh")
    Incident.objects.filter(pk=incident.pk).update(confidential_reporter=True)
    assert incident.reference not in queue(client, member, "binh")


def test_existing_reports_are_rewritten_by_the_migration(client, member, leader, confidential):
    from importlib import import_module

    migration = import_module("incidents.migrations.0009_reporter_search_text")
    # A row as the old code wrote it: the visitor folded into the text everyone searches.
    Incident.objects.filter(pk=confidential.pk).update(
        search_text=f"{confidential.search_text} nguyen van binh, 0912 345 678", reporter_search_text=""
    )
    assert confidential.reference in queue(client, member, "binh")
    migration.split_reporter(apps, None)
    assert confidential.reference not in queue(client, member, "binh")
    assert confidential.reference in queue(client, leader, "binh")
    assert confidential.reference in queue(client, member, "may tinh")


# --- Django admin -------------------------------------------------------------------------------


def admin_page(client, user, name, *args, **query) -> str:
    client.force_login(user)
    response = client.get(reverse(f"admin:incidents_incident_{name}", args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_an_administrator_sees_no_confidential_reporter_in_admin(client, admin_user, confidential, gatekeeper):
    listing = admin_page(client, admin_user, "changelist")
    assert confidential.reference in listing and "Văn Bình" not in listing
    detail = admin_page(client, admin_user, "change", confidential.pk)
    assert confidential.reference in detail
    assert "Văn Bình" not in detail and "0912" not in detail  # reporter_name
    assert gatekeeper.full_name not in detail  # neither as the filer nor as the actor of "Filed" in the timeline
    assert "giữ bí mật" in detail  # what he sees instead: "confidential"


def test_an_administrator_does_not_see_a_confidential_staff_reporter_in_admin(
    client, admin_user, staff, gatekeeper, category
):
    incident = file(gatekeeper, category, reporter=staff, confidential_reporter=True)
    services.add_info(incident_id=incident.pk, actor=staff, text="Tôi thấy một người lạ lúc 14 giờ")
    detail = admin_page(client, admin_user, "change", incident.pk)
    assert "Tôi thấy một người lạ" in detail  # the timeline is there
    assert staff.full_name not in detail and gatekeeper.full_name not in detail


@pytest.mark.parametrize("words", SEARCHES_FOR_THE_VISITOR)
def test_the_admin_search_does_not_find_a_confidential_visitor(client, admin_user, confidential, words):
    assert confidential.reference not in admin_page(client, admin_user, "changelist", q=words)
    assert confidential.reference in admin_page(client, admin_user, "changelist", q="may tinh xach tay")


def test_an_administrator_from_the_leadership_sees_and_finds_the_reporter_in_admin(
    client, leadership_admin, confidential, gatekeeper
):
    assert confidential.reference in admin_page(client, leadership_admin, "changelist", q="0912 345 678")
    detail = admin_page(client, leadership_admin, "change", confidential.pk)
    assert VISITOR in detail and gatekeeper.full_name in detail


def test_a_report_that_is_not_confidential_shows_its_reporter_in_admin(client, admin_user, gatekeeper, category):
    incident = file(gatekeeper, category, reporter_name=OPEN_VISITOR)
    assert incident.reference in admin_page(client, admin_user, "changelist", q="tran van cuong")
    detail = admin_page(client, admin_user, "change", incident.pk)
    assert OPEN_VISITOR in detail and gatekeeper.full_name in detail


def test_a_member_on_duty_who_reports_confidentially_is_not_assigned_his_own_report(db, team, leader, member):

    from incidents import services
    from incidents.models import Category
    from team import services as team_services

    now = timezone.localtime()
    start = now - timedelta(minutes=5)
    team_services.schedule_shift(
        team=team, day=start.date(), start=start.time(), end=(now + timedelta(hours=2)).time(), member=member
    )
    category = Category.objects.get_or_create(code="theft", defaults={"name": "Trộm cắp"})[0]
    fields = {
        "category": category,
        "occurred_at": now - timedelta(hours=1),
        "detected_at": now,
        "description": "Nghi vấn lộ tài liệu",
        "proposed_severity": 2,
    }
    # The assignee is shown to the whole team: he would be named as the reporter.
    confidential = services.file_incident(filed_by=member, fields={**fields, "confidential_reporter": True})
    assert confidential.assignee is None
    assert services.file_incident(filed_by=member, fields=fields).assignee == member

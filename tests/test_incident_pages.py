"""The incident pages as people use them: filing, the queue, the detail page, downloads."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from PIL import Image

from incidents import services
from incidents.models import Attachment, Category, Incident, IncidentEvent, Place, Severity, Status
from tests.support import realistic


@pytest.fixture
def gate(db):
    return Place.objects.create(name="Cổng chính", kind=Place.Kind.GATE)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form_data(category, place=None, **extra):
    now = timezone.localtime()
    data = {
        "category": category.pk,
        "place": place.pk if place else "",
        "occurred_at": (now - timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M"),
        "detected_at": (now - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Mất ví trong phòng họp <script>alert(1)</script>",
        "proposed_severity": Severity.MEDIUM,
    }
    data.update(extra)
    return data


def photo(name="hien-truong.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def file_one(reporter, category, **extra):
    now = timezone.now()
    fields = {
        "category": category,
        "occurred_at": now - timedelta(hours=1),
        "detected_at": now,
        "description": "Sự việc",
        "proposed_severity": Severity.LOW,
        **extra,
    }
    return services.file_incident(filed_by=reporter, fields=fields)


def test_a_staff_member_files_a_report_with_a_photo(client, staff, category, gate):
    client.force_login(staff)
    assert client.get(reverse("incidents:new")).status_code == 200
    response = client.post(reverse("incidents:new"), {**form_data(category, gate), "attachments": [photo()]})
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.reporter == staff and incident.place == gate
    attachment = incident.attachments.get()
    assert attachment.original_name == "hien-truong.jpg" and attachment.content_type == "image/jpeg"
    page = client.get(incident.get_absolute_url()).content.decode()
    assert incident.reference in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page  # shown, never run


def test_bad_dates_get_a_message_and_nothing_is_saved(client, staff, category):
    client.force_login(staff)
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("incidents:new"), form_data(category, occurred_at=future))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert not Incident.objects.exists()


def test_a_disguised_file_is_refused_and_the_form_is_kept(client, staff, category):
    client.force_login(staff)
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "anh.jpg"
    response = client.post(reverse("incidents:new"), {**form_data(category), "attachments": [fake]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "anh.jpg" in page
    assert "Mất ví trong phòng họp" in page  # what the person typed is still there
    assert not Incident.objects.exists() and not Attachment.objects.exists()


def test_downloads_check_permission_and_are_safe(client, staff, member, make_user, category, settings):
    client.force_login(staff)
    client.post(reverse("incidents:new"), {**form_data(category), "attachments": [photo()]})
    attachment = Attachment.objects.get()
    url = reverse("incidents:attachment", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "hien-truong.jpg" in response["Content-Disposition"]
    client.force_login(make_user())
    assert client.get(url).status_code == 404  # another staff member: as if it did not exist
    client.force_login(member)
    assert client.get(url).status_code == 200  # the team sees it


def test_staff_see_only_their_own_reports_the_team_sees_the_queue(client, staff, member, make_user, category):
    mine = file_one(staff, category)
    theirs = file_one(make_user(), category)
    client.force_login(staff)
    page = client.get(reverse("incidents:list")).content.decode()
    assert mine.reference in page and theirs.reference not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    client.force_login(member)
    page = client.get(reverse("incidents:list")).content.decode()
    assert mine.reference in page and theirs.reference in page


def test_the_queue_filters_and_searches_without_diacritics(client, member, staff, category):
    fire = Category.objects.get_or_create(code="fire-explosion", defaults={"name": "Cháy, nổ"})[0]
    file_one(staff, category, description="Trộm cắp điện thoại")
    file_one(staff, fire, description="Cháy ổ điện", proposed_severity=Severity.HIGH)
    client.force_login(member)
    found = client.get(reverse("incidents:list"), {"q": "trom cap"}).context["page"].items
    assert [i.description for i in found] == ["Trộm cắp điện thoại"]
    found = client.get(reverse("incidents:list"), {"severity": Severity.HIGH}).context["page"].items
    assert [i.category for i in found] == [fire]
    found = client.get(reverse("incidents:list"), {"status": "open"}).context["page"].items
    assert len(found) == 2
    assert client.get(reverse("incidents:list"), {"severity": "abc", "since": "hôm qua"}).status_code == 200


def test_keyset_pages_and_a_forged_cursor(client, member, staff, category):
    for _ in range(30):
        file_one(staff, category)
    client.force_login(member)
    first = client.get(reverse("incidents:list")).context["page"]
    assert len(first.items) == 25 and first.next_cursor
    second = client.get(reverse("incidents:list"), {"after": first.next_cursor}).context["page"]
    assert len(second.items) == 5 and second.next_cursor is None
    assert not {i.pk for i in first.items} & {i.pk for i in second.items}
    forged = client.get(reverse("incidents:list"), {"after": "'; DROP TABLE x;--"})
    assert forged.status_code == 200 and len(forged.context["page"].items) == 25


def test_the_reporter_never_sees_internal_notes(client, staff, member, category):
    incident = file_one(staff, category)
    services.add_note(incident_id=incident.pk, actor=member, text="Nghi vấn người quen", to_reporter=False)
    services.add_note(incident_id=incident.pk, actor=member, text="Đã tiếp nhận, đang xác minh", to_reporter=True)
    client.force_login(staff)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Đã tiếp nhận, đang xác minh" in page
    assert "Nghi vấn người quen" not in page
    client.force_login(member)
    assert "Nghi vấn người quen" in client.get(incident.get_absolute_url()).content.decode()


def test_a_confidential_reporter_is_hidden_from_members_not_from_the_leader(client, staff, member, leader, category):
    incident = file_one(staff, category, confidential_reporter=True)
    client.force_login(member)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert staff.full_name not in page
    client.force_login(leader)
    assert staff.full_name in client.get(incident.get_absolute_url()).content.decode()


def test_actions_by_post_and_their_refusals(client, staff, member, category):
    incident = file_one(staff, category)
    url = reverse("incidents:transition", args=[incident.pk])
    client.force_login(staff)
    response = client.post(url, {"action": "acknowledge", "version": incident.version}, follow=True)
    incident.refresh_from_db()
    assert incident.status == Status.NEW  # refused, with a message, no change
    assert response.status_code == 200
    client.force_login(member)
    client.post(url, {"action": "acknowledge", "version": 1})
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED
    stale = client.post(url, {"action": "start", "version": 1}, follow=True)
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED
    assert any("Someone else changed" in str(m) or "người khác" in str(m).lower() for m in stale.context["messages"])
    assert client.post(url, {"action": "launch", "version": "x"}).status_code == 302  # junk: message, no 500


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# The quick tabs (new, overdue, escalated) are filters like the others and cost what they cost.
QUEUE_VIEWS = [
    {},
    {"status": "open"},
    {"q": "phong hop"},
    {"q": "201 trộm nha A"},
    {"sort": "severity"},
    {"severity": Severity.HIGH},
    {"status": "new"},
    {"overdue": "on"},
    {"status": "escalated"},
]


@pytest.fixture
def reports(staff, member, leader, chief, category, make_user, positions, departments):
    """The office as it is, growing: nested places, colleagues in two languages, a stream of reports."""
    places = realistic.places("Nhà A")
    people = [staff, *realistic.colleagues(make_user, positions, departments, 4)]
    made: list[Incident] = []

    def report(count, *, new_building: str = ""):
        if new_building:  # the office moves into another building: more rooms in the forms' lists
            places.extend(realistic.places(new_building))
        made.extend(
            realistic.stream(
                count,
                start=len(made),
                staff=people,
                member=member,
                leader=leader,
                chief=chief,
                category=category,
                places=places,
            )
        )
        return made

    return report


def page_queries(client, people) -> dict:
    """Queries of each queue view, the second keyset page, the detail page and the report form, per person."""
    counts = {}
    for name, (person, incident) in people.items():
        client.force_login(person)
        for params in QUEUE_VIEWS:
            url = reverse("incidents:list") + ("?" + urlencode(params) if params else "")
            counts[name, url] = count_queries(client, url)
        cursor = client.get(reverse("incidents:list")).context["page"].next_cursor
        if cursor:  # the older page costs what the first one costs
            after = reverse("incidents:list") + "?" + urlencode({"after": cursor})
            assert count_queries(client, after) == counts[name, reverse("incidents:list")], name
        counts[name, "detail"] = count_queries(client, incident.get_absolute_url())
        counts[name, "form"] = count_queries(client, reverse("incidents:new"))
    return counts


def test_queue_and_detail_queries_do_not_grow(client, reports, member, leader, chief, staff):
    """On the office's real data: rooms in buildings, confidential and outside reporters, every kind of entry."""
    incidents = reports(6)  # one of each life; the first has an entry of every kind
    watched = incidents[0]
    assert watched.reporter == staff and watched.confidential_reporter
    # The member does not see the confidential reporter, the leader and the chief do, staff see their own.
    people = {"member": (member, watched), "leader": (leader, watched), "chief": (chief, watched)}
    people["staff"] = (staff, watched)
    small = page_queries(client, people)

    reports(26, new_building="Nhà C")  # more than a page of 25, and more rooms
    for _ in range(20):
        services.add_note(incident_id=watched.pk, actor=member, text="ghi chú", to_reporter=False)
        services.add_note(incident_id=watched.pk, actor=leader, text="Đã báo cáo lãnh đạo", to_reporter=True)
        services.add_info(incident_id=watched.pk, actor=staff, text="Thêm chi tiết")
        services._store(watched, member, realistic.PDF, [])
    assert page_queries(client, people) == small
    assert set(IncidentEvent.objects.filter(incident=watched).values_list("action", flat=True)) == set(
        IncidentEvent.Action.values
    )
    assert watched.attachments.count() == 20
    # Queue: session, user, roles, the page (incidents with category, place › floor › building and
    # assignee), unread badge, and the filter's categories, members, places and departments.
    assert small["member", reverse("incidents:list")] == 9
    # Detail: session, user, roles, incident, badge, who acknowledged the escalation, attachments,
    # timeline (with actors), reports to the authorities. The leader also gets the assignee list and the
    # categories to re-grade it to, and the audit log records that he saw a confidential reporter
    # (savepoint, insert, release).
    assert small["member", "detail"] == 9 and small["leader", "detail"] <= 9 + 5


def test_the_queue_shows_a_room_with_its_floor_and_building(client, reports, member):
    reports(12)
    client.force_login(member)
    page = client.get(reverse("incidents:list")).content.decode()
    assert "Nhà A › Tầng 2 › Phòng 201" in page and "Nhà A › Tầng 3 › Phòng 305" in page


def test_a_new_installation_has_the_incident_categories(db):
    codes = set(Category.objects.values_list("code", flat=True))
    assert {"theft", "fire-explosion", "mass-petition", "state-secret-leak", "other"} <= codes


def test_sorting_pages_through_every_incident_once(client, member, staff, category):
    for n in range(30):
        file_one(staff, category, proposed_severity=1 + n % 4)
    client.force_login(member)
    for order in ("newest", "oldest", "severity"):
        seen, cursor = [], None
        while True:
            params = {"sort": order, **({"after": cursor} if cursor else {})}
            page = client.get(reverse("incidents:list"), params).context["page"]
            seen += page.items
            cursor = page.next_cursor
            if not cursor:
                break
        assert len(seen) == 30 and len({i.pk for i in seen}) == 30, order
        if order == "severity":
            assert [i.severity for i in seen] == sorted((i.severity for i in seen), reverse=True)
        if order == "oldest":
            assert seen[0].created_at <= seen[-1].created_at


def test_an_incident_cannot_be_assigned_to_someone_outside_the_team(client, leader, staff, make_user, category):
    incident = file_one(staff, category)
    outsider = make_user("Không Thuộc Tổ")
    client.force_login(leader)
    client.post(reverse("incidents:assign", args=[incident.pk]), {"assignee": outsider.pk, "version": 1})
    incident.refresh_from_db()
    assert incident.assignee != outsider
    page = client.get(incident.get_absolute_url()).content.decode()
    assign_form = page.split('data-testid="assign-form"')[1].split("</form>")[0]
    assert f'value="{outsider.pk}"' not in assign_form  # not even offered

"""The register of visitors at the gate: pre-registration, check in and out, identity numbers, the evening flag."""

import io
import threading
from datetime import datetime, timedelta

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from duty.models import LogEntry
from notifications.models import Notification
from tests.conftest import requires_postgresql
from tests.support.visitors import expected, inside, put_on_duty
from visitors import evening, exports, forms, panels, retention, services
from visitors.models import StillInsideFlag, Visit, masked

CCCD = "001190012345"
MASKED = "••••••••2345"


def local(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


# --- the rules of a visit ------------------------------------------------------------------------------


def test_a_pre_registration_is_changed_or_cancelled_only_while_the_visitor_is_awaited(staff, member):
    visit = services.register(
        by=staff,
        fields={
            "visitor_name": "Nguyễn Văn An",
            "purpose": "Họp",
            "host": staff,
            "expected_at": timezone.now() + timedelta(hours=2),
        },
    )
    visit = services.update_registration(visit=visit, fields={"purpose": "Họp dự án"})
    assert visit.purpose == "Họp dự án" and visit.is_pending
    services.check_in(visit=visit, by=member, fields={"id_document_type": Visit.IdDocument.NOT_CHECKED})
    with pytest.raises(ValidationError):
        services.update_registration(visit=visit, fields={"purpose": "x"})
    with pytest.raises(ValidationError):
        services.cancel_registration(visit=visit)


def test_checking_in_from_the_pre_registration_keeps_what_was_typed_and_tells_the_host(staff, member):
    visit = expected(staff, organisation="Sở Tư pháp")
    checked = services.check_in(
        visit=visit,
        by=member,
        fields={
            "id_document_type": Visit.IdDocument.CCCD,
            "id_number": CCCD,
            "vehicle_plate": "30A-123.45",
            "badge_number": "K05",
        },
    )
    assert (checked.organisation, checked.checked_in_by, checked.badge_number) == ("Sở Tư pháp", member, "K05")
    assert checked.checked_in_at is not None and checked.is_inside
    notice = Notification.objects.get(recipient=staff, kind="visitors.arrived")
    assert notice.url == reverse("visitors:detail", args=[visit.pk])
    assert "Nguyễn Văn An" in notice.title and f"đ/c {member.get_full_name()}" in notice.body
    assert CCCD not in notice.body  # the host never reads the number


def test_the_host_who_keeps_the_gate_himself_is_not_told(member):
    services.check_in(
        by=member,
        fields={
            "visitor_name": "Lý Văn C",
            "purpose": "x",
            "host": member,
            "id_document_type": Visit.IdDocument.NOT_CHECKED,
        },
    )
    assert not Notification.objects.filter(kind="visitors.arrived").exists()


def test_a_visitor_is_checked_in_once_and_out_once(staff, member, deputy):
    visit = expected(staff)
    services.check_in(visit=visit, by=member, fields={})
    with pytest.raises(ValidationError) as refused:
        services.check_in(visit=visit, by=deputy, fields={})
    assert refused.value.code == "already_in"
    services.check_out(visit=visit, by=member)
    with pytest.raises(ValidationError) as refused:
        services.check_out(visit=visit, by=deputy)
    assert refused.value.code == "already_out"
    assert Visit.objects.get(pk=visit.pk).checked_out_by == member


def test_a_cancelled_or_awaited_visit_is_neither_checked_in_nor_out(staff, member):
    cancelled = services.cancel_registration(visit=expected(staff))
    with pytest.raises(ValidationError) as refused:
        services.check_in(visit=cancelled, by=member, fields={})
    assert refused.value.code == "cancelled"
    with pytest.raises(ValidationError) as refused:
        services.check_out(visit=expected(staff, name="Khác"), by=member)
    assert refused.value.code == "not_in"


def test_a_number_is_masked_but_its_last_four_characters(db):
    assert masked(CCCD) == MASKED
    assert masked("B1234567") == "••••4567"
    assert masked("12345") == "•••••"  # too short to show any of it
    assert masked("") == ""


@pytest.mark.parametrize("typed", ["nguyen van an", "NGUYỄN an", "30A12345", "30a-123.45", "30A 123", "so tu phap"])
def test_search_finds_names_organisations_and_plates_without_diacritics_or_separators(staff, typed):
    found = expected(staff, vehicle_plate="30A-123.45", organisation="Sở Tư pháp")
    expected(staff, name="Trần Thị Bình", vehicle_plate="29B-999.99")
    assert list(Visit.objects.matching(typed)) == [found]


# --- the gate page --------------------------------------------------------------------------------------


@pytest.fixture
def on_duty(team, member):
    put_on_duty(team, member)
    return member


def test_the_member_on_duty_checks_a_pre_registered_visitor_in_and_out(client, on_duty, staff):
    visit = expected(staff)
    client.force_login(on_duty)
    page = client.get(reverse("visitors:check_in", args=[visit.pk]))
    assert page.context["form"]["visitor_name"].value() == "Nguyễn Văn An"  # everything pre-filled
    assert b'data-testid="privacy-notice"' in page.content
    response = client.post(
        reverse("visitors:check_in", args=[visit.pk]),
        {
            "visitor_name": "Nguyễn Văn An",
            "purpose": visit.purpose,
            "host": staff.pk,
            "id_document_type": "cccd",
            "id_number": "0011 9001 2345",
            "vehicle_plate": "30a-123.45",
            "badge_number": "K1",
        },
        follow=True,
    )
    visit.refresh_from_db()
    time_in = f"{timezone.localtime(visit.checked_in_at):%H:%M}"
    said = _("Visitor %(visitor)s was checked in at %(time)s.") % {"visitor": "Nguyễn Văn An", "time": time_in}
    assert said in response.content.decode()
    assert (visit.id_number, visit.vehicle_plate) == (CCCD, "30A-123.45")
    response = client.post(reverse("visitors:check_out", args=[visit.pk]), follow=True)
    visit.refresh_from_db()
    time_out = f"{timezone.localtime(visit.checked_out_at):%H:%M}"
    assert _("Visitor %(visitor)s left at %(time)s.") % {"visitor": "Nguyễn Văn An", "time": time_out} in (
        response.content.decode()
    )


def arrive_with_cccd(client, number="0011 9001 2345"):
    data = {"visitor_name": "Lý Văn C", "purpose": "Nộp hồ sơ", "host_detail": "Phòng Hành chính - Tổ chức"}
    return client.post(reverse("visitors:new_arrival"), {**data, "id_document_type": "cccd", "id_number": number})


def test_an_office_that_keeps_only_the_last_four_characters_stores_nothing_more(client, on_duty, settings):
    settings.VISITOR_ID_NUMBERS = "last4"
    client.force_login(on_duty)
    form = client.get(reverse("visitors:new_arrival")).content.decode()
    assert str(forms.LAST_FOUR_KEPT) in form
    assert arrive_with_cccd(client).status_code == 302
    visit = Visit.objects.get()
    assert visit.id_number == "••••••••2345" and CCCD not in visit.search_text
    assert arrive_with_cccd(client, "12345").status_code == 200  # the whole number is still checked
    assert Visit.objects.count() == 1
    page = client.get(reverse("visitors:detail", args=[visit.pk])).content.decode()
    assert "••••••••2345" in page and CCCD not in page  # even for the member on duty


def test_an_office_that_keeps_no_number_records_only_the_document_checked(client, on_duty, settings):
    settings.VISITOR_ID_NUMBERS = "none"
    client.force_login(on_duty)
    assert 'name="id_number"' not in client.get(reverse("visitors:new_arrival")).content.decode()
    assert arrive_with_cccd(client).status_code == 302  # a number sent anyway is not kept
    visit = Visit.objects.get()
    assert (visit.id_document_type, visit.id_number) == ("cccd", "")


def test_a_wrong_identity_number_is_a_clear_message_not_an_error(client, on_duty):
    client.force_login(on_duty)
    response = client.post(
        reverse("visitors:new_arrival"),
        {"visitor_name": "Lý Văn C", "purpose": "x", "id_document_type": "cccd", "id_number": "12345"},
    )
    assert response.status_code == 200
    assert str(forms.CCCD_INVALID) in response.content.decode()
    assert not Visit.objects.exists()


def test_who_registered_a_visit_for_a_colleague_follows_it_and_so_does_the_colleague(client, staff, make_user):
    colleague, stranger = make_user("Mai Văn Cường"), make_user("Hà Thị Duyên")
    visit = expected(staff, host=colleague)
    for person, status in ((staff, 200), (colleague, 200), (stranger, 404)):
        client.force_login(person)
        assert client.get(reverse("visitors:detail", args=[visit.pk])).status_code == status, person


def test_a_registration_needs_someone_to_see(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("visitors:register"),
        {"visitor_name": "A", "purpose": "x", "expected_at": "2026-12-01T09:00", "host": ""},
    )
    assert response.status_code == 200 and str(forms.HOST_NEEDED) in response.content.decode()
    response = client.post(
        reverse("visitors:register"),
        {"visitor_name": "A", "purpose": "x", "expected_at": "01/12/2026 09:00", "host_detail": "Phòng Tổng hợp"},
    )
    assert response.status_code == 302
    assert Visit.objects.get().host_detail == "Phòng Tổng hợp"


def test_the_gate_page_shows_another_day_and_finds_by_plate(client, on_duty, staff):
    yesterday = timezone.localdate() - timedelta(days=1)
    then = timezone.make_aware(datetime.combine(yesterday, datetime.min.time())) + timedelta(hours=9)
    gone = inside(on_duty, name="Hoàng Văn Em", since=then, vehicle_plate="30A-123.45")
    services.check_out(visit=gone, by=on_duty, now=then + timedelta(hours=1))
    inside(on_duty, name="Phan Văn Gia", since=then, vehicle_plate="29B-111.11")
    client.force_login(on_duty)
    page = client.get(reverse("visitors:gate"), {"day": f"{yesterday:%d/%m/%Y}", "q": "30A12345"})
    assert [visit.visitor_name for visit in page.context["gate_day"].left] == ["Hoàng Văn Em"]
    assert page.context["gate_day"].inside == []
    page = client.get(reverse("visitors:gate"), {"day": "31/02/2026"})
    assert page.status_code == 200 and b'data-testid="filter-error"' in page.content


def page_queries(client, user, name="visitors:gate") -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


def fill_the_register(by, host, count):
    now = timezone.now()
    Visit.objects.bulk_create(
        Visit(
            registered_by=by,
            host=host,
            visitor_name=f"Khách {n}",
            purpose="Làm việc",
            expected_at=now + timedelta(minutes=n),
            checked_in_at=now - timedelta(minutes=n) if n % 3 else None,
            checked_in_by=by if n % 3 else None,
            checked_out_at=now if n % 2 and n % 3 else None,
            checked_out_by=by if n % 2 and n % 3 else None,
            id_document_type="cccd",
            id_number=f"0011900{n:05d}",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("name", ["visitors:gate", "visitors:export", "visitors:print", "duty:my_shift"])
def test_the_gate_pages_run_the_same_queries_for_5_visitors_as_for_200(client, on_duty, staff, name):
    fill_the_register(on_duty, staff, 5)
    page_queries(client, on_duty, name)  # warm the per-process caches (the calendar, the content types)
    few = page_queries(client, on_duty, name)
    fill_the_register(on_duty, staff, 195)
    assert page_queries(client, on_duty, name) == few
    # The gate: session, user, roles, three lists, the shift on duty (once for three rules), the unread count.
    # "Ca trực của tôi" belongs to the duty app: only that the visitors' panel adds no query per visitor.
    assert name == "duty:my_shift" or few <= 8, few


def test_my_visitors_runs_the_same_queries_for_5_visits_as_for_200(client, staff, member):
    def queries():
        client.force_login(staff)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("visitors:mine")).status_code == 200
        return len(captured)

    fill_the_register(staff, staff, 5)
    queries()  # warm the per-process caches
    few = queries()
    fill_the_register(staff, member, 195)
    assert queries() == few


# --- identity numbers: who reads them -------------------------------------------------------------------


@pytest.fixture
def visit_with_number(staff, member):
    # A minute ago: today's register even just after midnight.
    return inside(
        member, host=staff, id_document_type="cccd", id_number=CCCD, since=timezone.now() - timedelta(minutes=1)
    )


@pytest.mark.parametrize(
    "persona, full",
    [("staff", False), ("member", False), ("deputy", True), ("leader", True)],
)
def test_the_number_is_shown_in_full_only_to_the_command_and_the_team_on_duty(
    client, request, visit_with_number, persona, full
):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("visitors:detail", args=[visit_with_number.pk])).content.decode()
    assert (CCCD in body) is full
    assert (MASKED in body) is not full


def test_the_member_on_duty_now_reads_the_number_and_the_one_off_duty_does_not(
    client, team, visit_with_number, member, make_user
):
    from tests.conftest import appoint

    off_duty = make_user("Đỗ Văn Hậu")
    appoint(team, off_duty)
    put_on_duty(team, member)
    for person, full in ((member, True), (off_duty, False)):
        client.force_login(person)
        body = client.get(reverse("visitors:gate")).content.decode()
        assert (CCCD in body) is full and (MASKED in body) is not full


def test_the_admin_never_shows_the_number_in_full(client, admin_user, visit_with_number):
    client.force_login(admin_user)
    for url in (
        reverse("admin:visitors_visit_changelist"),
        reverse("admin:visitors_visit_change", args=[visit_with_number.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and CCCD not in response.content.decode()
    assert MASKED in client.get(reverse("admin:visitors_visit_change", args=[visit_with_number.pk])).content.decode()


# --- the export ----------------------------------------------------------------------------------------


def read_back(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response)))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)], book


def test_the_day_exports_to_excel_with_real_times_and_no_numbers(client, on_duty, visit_with_number):
    client.force_login(on_duty)
    response = client.get(reverse("visitors:export"), {"day": f"{timezone.localdate():%d/%m/%Y}"})
    assert response.status_code == 200
    rows, book = read_back(response)
    assert rows[0] == exports.header(with_numbers=False) and len(rows[0]) == 13
    first = rows[1]
    assert first[0] == 1 and first[4] == "Trần Thị Bình"
    assert isinstance(first[2], datetime) and first[3] is None
    assert first[12] == on_duty.get_full_name()
    assert not any(CCCD in str(cell) or "2345" in str(cell) for row in rows for cell in row)
    assert book.worksheets[1]["A2"].value == exports.privacy_notice()  # the privacy notice travels with the register
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_type="visitors.visit").count() == 1


def test_only_the_command_exports_the_numbers_and_it_is_audited(client, on_duty, leader, visit_with_number):
    client.force_login(on_duty)
    assert client.get(reverse("visitors:export"), {"numbers": "1"}).status_code == 404
    client.force_login(leader)
    rows, _book = read_back(client.get(reverse("visitors:export"), {"numbers": "1"}))
    assert CCCD in rows[1][5]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert "identity numbers" in entry.detail and entry.actor == leader


# --- retention -------------------------------------------------------------------------------------------


def test_the_retention_sweep_erases_old_numbers_and_keeps_the_visits(settings, member, staff):
    settings.VISITOR_ID_RETENTION_DAYS = 90
    now = timezone.now()
    old = inside(
        member, since=now - timedelta(days=91), id_document_type="cccd", id_number=CCCD, vehicle_plate="30A-123.45"
    )
    recent = inside(member, name="Mới", since=now - timedelta(days=89), id_document_type="cccd", id_number=CCCD)
    never_came = expected(staff, name="Không đến", id_number="B1234567", id_document_type="passport")
    Visit.objects.filter(pk=never_came.pk).update(registered_at=now - timedelta(days=120))

    assert retention.erase_expired_id_numbers(now) == 2
    old.refresh_from_db()
    assert (old.id_number, old.id_erased_at) == ("", now)
    assert (old.visitor_name, old.vehicle_plate, old.checked_in_at) == (
        "Trần Thị Bình",
        "30A-123.45",
        now - timedelta(days=91),
    )
    assert Visit.objects.get(pk=recent.pk).id_number == CCCD
    assert Visit.objects.get(pk=never_came.pk).id_number == ""
    assert retention.erase_expired_id_numbers(now) == 0  # nothing left to erase; the erasure date stays
    assert Visit.objects.get(pk=old.pk).id_erased_at == now


def test_an_erased_number_reads_as_erased(client, leader, member):
    visit = inside(member, since=timezone.now() - timedelta(days=100), id_document_type="cccd", id_number=CCCD)
    retention.erase_expired_id_numbers()
    client.force_login(leader)
    body = client.get(reverse("visitors:detail", args=[visit.pk])).content.decode()
    assert 'data-testid="id-erased"' in body and CCCD not in body


# --- the end of the working day ----------------------------------------------------------------------------

WEDNESDAY = (2026, 11, 25)  # a working day: no holiday, no swap


def test_visitors_still_inside_after_the_working_day_are_flagged_once(team, member, deputy, staff, settings):
    settings.WORKING_HOURS = [(datetime.min.time().replace(hour=7, minute=30), datetime.min.time().replace(hour=17))]
    evening_time = local(*WEDNESDAY, 17, 15)
    shift = put_on_duty(team, member, now=evening_time, backup=deputy)
    inside(member, since=local(*WEDNESDAY, 9), badge_number="K05", host=staff)
    inside(member, name="Lê Văn Phúc", since=local(*WEDNESDAY, 14))

    assert evening.flag_visitors_still_inside(local(*WEDNESDAY, 16, 45)) == 0  # the working day is not over
    assert evening.flag_visitors_still_inside(evening_time) == 2
    assert evening.flag_visitors_still_inside(evening_time + timedelta(minutes=15)) == 0  # once a day

    entry = LogEntry.objects.get(shift=shift)
    assert entry.kind == LogEntry.Kind.VISITORS and entry.to_hand_over and entry.author is None
    assert "Trần Thị Bình" in entry.text and "Lê Văn Phúc" in entry.text
    notices = Notification.objects.filter(kind="visitors.still_inside")
    assert {notice.recipient for notice in notices} == {member, deputy}  # the member on duty and the backup
    assert all("K05" in notice.body for notice in notices) and notices.count() == 2
    assert StillInsideFlag.objects.get().visitors == 2


def test_nothing_is_flagged_on_a_day_off_or_when_everyone_left(team, member):
    sunday = local(2026, 11, 29, 18)
    put_on_duty(team, member, now=sunday)
    inside(member, since=sunday - timedelta(hours=5))
    assert evening.flag_visitors_still_inside(sunday) == 0
    Visit.objects.update(checked_out_at=sunday)
    assert evening.flag_visitors_still_inside(local(*WEDNESDAY, 18)) == 0
    assert not StillInsideFlag.objects.exists()


def test_the_handover_lists_visitors_still_inside_in_one_query(member, django_assert_num_queries):
    for n in range(20):
        inside(member, name=f"Khách {n}", badge_number=f"K{n}")
    with django_assert_num_queries(1):
        items = panels.handover_items(timezone.now())
    assert len(items) == 20
    assert items[0]["url"].startswith("/visitors/") and "Khách" in items[0]["text"]


# --- the panel of "Ca trực của tôi" ---------------------------------------------------------------------


def test_the_panel_counts_today_for_the_member_on_duty_and_is_a_link_for_others(team, member, staff, client):
    shift = put_on_duty(team, member)
    expected(staff, at=timezone.now() + timedelta(minutes=30))
    inside(member)
    panel = panels.shift_panel(member, shift, timezone.now())
    assert (panel["on_duty"], panel["expected"], panel["inside"], len(panel["upcoming"])) == (True, 1, 1, 1)
    assert panels.shift_panel(member, None, timezone.now()) == {"on_duty": False, "gate_url": "/visitors/"}
    client.force_login(member)
    body = client.get(reverse("duty:my_shift")).content.decode()
    assert 'data-testid="visitors-gate-button"' in body and 'data-testid="visitors-expected-count">1<' in body


def test_the_printed_register_has_the_header_and_the_notice_and_never_the_number(client, leader, visit_with_number):
    client.force_login(leader)  # the command, who reads the number on screen
    body = client.get(reverse("visitors:print")).content.decode()
    assert 'data-testid="official-header"' in body and 'data-testid="register-row"' in body
    assert exports.privacy_notice().replace("'", "&#x27;") in body
    assert CCCD not in body and "2345" not in body


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_guards_checking_the_same_visitor_in_at_once_record_one_arrival_and_tell_the_host_once(
    staff, member, deputy
):
    # The member at the gate and the deputy on his phone tap "Arrived" together: the row lock makes the
    # second wait, then see the arrival and stop.
    visit = expected(staff)
    barrier = threading.Barrier(2)
    outcomes = {}

    def arrive(guard):
        try:
            barrier.wait()
            services.check_in(visit=visit, by=guard, fields={"badge_number": guard.username})
            outcomes[guard.username] = "done"
        except ValidationError as error:
            outcomes[guard.username] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=arrive, args=(guard,)) for guard in (member, deputy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["already_in", "done"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "done")
    assert Visit.objects.get(pk=visit.pk).badge_number == winner
    assert Notification.objects.filter(recipient=staff, kind="visitors.arrived").count() == 1


def test_the_duty_handover_lists_the_visitors_still_inside(team, member):
    from duty.handover_items import open_items

    shift = put_on_duty(team, member)
    visit = inside(member, badge_number="K05")
    items = [item for item in open_items(shift, timezone.now()) if item.get("url") == visit.get_absolute_url()]
    assert len(items) == 1 and "Trần Thị Bình" in items[0]["text"] and "K05" in items[0]["text"]

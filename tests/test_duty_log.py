"""The duty logbook and the handover, as the member on duty, the next shift and the leader meet them."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from duty import services
from duty.models import Handover, KeyLoan, LogEntry, MissingHandoverFlag
from incidents.models import Incident, Place, Status
from notifications.models import Notification
from team.models import DutyShift
from tests.support.duty import shift_from, shift_now
from tests.support.incidents import report


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg(name="cua-kho.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def local_input(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def shift(team, member, deputy):
    return shift_now(team, member, backup=deputy)


@pytest.fixture
def next_shift(team, shift, leader):
    return shift_from(team, leader, shift.ends_at)


@pytest.fixture
def gate(db):
    return Place.objects.create(name="Cổng chính", kind=Place.Kind.GATE)


def write(client, shift, **data):
    payload = {"occurred_at": local_input(timezone.now()), "text": "Kiểm tra cổng, bình thường", **data}
    return client.post(reverse("duty:entry_add", args=[shift.pk]), payload)


def entry_of(shift, author, text="Cửa kho tầng 1 mở", **fields) -> LogEntry:
    return services.write_entry(shift=shift, author=author, fields={"text": text, **fields})


# --- writing ----------------------------------------------------------------------------------


def test_the_member_on_duty_writes_an_entry_whose_time_defaults_to_now(client, shift, member, gate):
    client.force_login(member)
    page = client.get(reverse("duty:my_shift")).content.decode()
    assert 'data-testid="entry-form"' in page and local_input(timezone.now())[:13] in page

    response = write(client, shift, text="Khách lạ đứng trước cổng", place=gate.pk, next="my_shift")
    assert response.status_code == 302 and response["Location"] == reverse("duty:my_shift")
    entry = LogEntry.objects.get()
    assert (entry.shift, entry.author, entry.place, entry.kind) == (shift, member, gate, LogEntry.Kind.NOTE)
    page = client.get(reverse("duty:my_shift")).content.decode()
    assert "Khách lạ đứng trước cổng" in page
    assert f"Đã ghi vào sổ lúc {timezone.localtime(entry.occurred_at):%H:%M %d/%m/%Y}." in page


def test_the_backup_writes_too_and_a_photo_is_stored_cleaned_and_served_only_to_readers(
    client, shift, deputy, staff, make_user, team
):
    client.force_login(deputy)
    assert write(client, shift, photo=jpeg()).status_code == 302
    entry = LogEntry.objects.get()
    assert entry.author == deputy and entry.photo_content_type == "image/jpeg" and entry.photo_extension == ".jpg"
    photo = client.get(reverse("duty:entry_photo", args=[entry.pk]))
    assert photo.status_code == 200 and photo["X-Content-Type-Options"] == "nosniff"
    client.force_login(staff)
    assert client.get(reverse("duty:entry_photo", args=[entry.pk])).status_code == 404


def test_the_incoming_member_writes_from_half_an_hour_before_his_shift(client, team, member):
    coming = shift_from(team, member, timezone.now() + timedelta(minutes=20))
    client.force_login(member)
    page = client.get(reverse("duty:my_shift")).content.decode()
    assert 'data-testid="my-shift"' in page and 'data-testid="entry-form"' in page
    assert write(client, coming).status_code == 302 and LogEntry.objects.get().shift == coming
    later = shift_from(team, member, timezone.now() + timedelta(hours=20))
    assert write(client, later).status_code == 302 and LogEntry.objects.count() == 1  # refused, with a message
    assert 'data-testid="off-duty"' not in page


def test_a_file_that_is_not_a_photo_is_refused_with_a_message_and_nothing_is_written(client, shift, member):
    client.force_login(member)
    fake = SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = write(client, shift, photo=fake)
    assert response.status_code == 200
    assert "anh.jpg" in response.content.decode()
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (lambda shift: timezone.now() + timedelta(hours=1), "Không được nhập thời điểm trong tương lai."),
        (lambda shift: shift.starts_at - timedelta(hours=3), "trước khi ca trực bắt đầu"),
    ],
)
def test_a_time_in_the_future_or_long_before_the_shift_is_refused(client, shift, member, moment, message):
    client.force_login(member)
    response = write(client, shift, occurred_at=local_input(moment(shift)))
    assert response.status_code == 200 and message in response.content.decode()
    assert not LogEntry.objects.exists()


def test_nobody_but_the_shifts_people_writes_in_it(client, shift, leader, staff, team, make_user):
    from tests.conftest import appoint

    other_member = make_user("Đỗ Văn Nam")
    appoint(team, other_member)
    for person, status in ((staff, 404), (other_member, 404), (leader, 302)):
        client.force_login(person)
        assert write(client, shift).status_code == status
    assert not LogEntry.objects.exists()  # the leader reads every log, but only the shift writes in it


# --- append-only after the handover -----------------------------------------------------------


def test_an_entry_is_edited_by_its_author_until_the_handover_then_only_corrected(client, shift, member, next_shift):
    entry = entry_of(shift, member, "Cửa kho mở")
    client.force_login(member)
    edit = reverse("duty:entry_edit", args=[entry.pk])
    data = {"occurred_at": local_input(entry.occurred_at), "text": "Cửa kho tầng 1 mở, đã khóa lại"}
    assert client.post(edit, data).status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Cửa kho tầng 1 mở, đã khóa lại"

    services.hand_over(shift=shift, actor=member, premises="", instructions="")
    response = client.post(edit, {**data, "text": "Viết lại sau khi giao ca"}, follow=True)
    assert "Ca trực này đã giao" in response.content.decode()
    entry.refresh_from_db()
    assert entry.text == "Cửa kho tầng 1 mở, đã khóa lại"
    assert write(client, shift).status_code == 302 and LogEntry.objects.count() == 1

    response = client.post(reverse("duty:entry_correct", args=[entry.pk]), {"text": "Khóa lúc 22:10, không phải 22:00"})
    assert response.status_code == 302
    correction = LogEntry.objects.get(corrects=entry)
    assert correction.kind == LogEntry.Kind.CORRECTION and correction.shift == shift
    entry.refresh_from_db()
    assert entry.text == "Cửa kho tầng 1 mở, đã khóa lại"
    page = client.get(reverse("duty:shift_log", args=[shift.pk])).content.decode()
    assert "Khóa lúc 22:10" in page and "Đính chính mục ghi lúc" in page


def test_a_correction_by_someone_outside_the_shift_and_the_command_is_a_404(client, shift, member, staff):
    entry = entry_of(shift, member)
    services.hand_over(shift=shift, actor=member, premises="", instructions="")
    client.force_login(staff)
    assert client.post(reverse("duty:entry_correct", args=[entry.pk]), {"text": "x"}).status_code == 404
    assert LogEntry.objects.count() == 1


# --- an entry becomes an incident -------------------------------------------------------------


def test_an_entry_is_reported_as_an_incident_prefilled_with_its_photo_and_linked_both_ways(
    client, shift, member, gate, category
):
    client.force_login(member)
    write(client, shift, text="Phát hiện cửa kho bị cạy", place=gate.pk, photo=jpeg())
    entry = LogEntry.objects.get()
    form = client.get(reverse("duty:entry_incident", args=[entry.pk])).content.decode()
    assert "Phát hiện cửa kho bị cạy" in form and f'value="{gate.pk}" selected' in form
    data = {
        "category": category.pk,
        "occurred_at": local_input(entry.occurred_at),
        "detected_at": local_input(entry.occurred_at),
        "place": gate.pk,
        "description": "Phát hiện cửa kho bị cạy",
        "proposed_severity": 3,
    }
    response = client.post(reverse("duty:entry_incident", args=[entry.pk]), data, follow=True)
    incident = Incident.objects.get()
    entry.refresh_from_db()
    assert entry.incident == incident and incident.filed_by == member and incident.place == gate
    assert [a.content_type for a in incident.attachments.all()] == ["image/jpeg"]
    page = response.content.decode()
    assert f"Đã báo cáo vụ việc {incident.reference} từ mục ghi sổ trực lúc" in page
    assert 'data-testid="from-log"' in page  # the incident links back to the log
    log = client.get(reverse("duty:shift_log", args=[shift.pk])).content.decode()
    assert incident.reference in log and 'data-testid="make-incident"' not in log

    again = client.post(reverse("duty:entry_incident", args=[entry.pk]), data)
    assert again.status_code == 302 and Incident.objects.count() == 1


def test_the_link_back_to_the_log_is_not_shown_to_the_staff_reporter(client, shift, member, staff, category):
    entry = entry_of(shift, member)
    incident = services.turn_into_incident(
        entry=entry,
        actor=member,
        fields={
            "category": category,
            "reporter": staff,
            "occurred_at": entry.occurred_at,
            "detected_at": entry.occurred_at,
            "description": entry.text,
            "proposed_severity": 2,
        },
    )
    client.force_login(staff)
    page = client.get(incident.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="from-log"' not in page.content.decode()


# --- the handover ----------------------------------------------------------------------------


def test_the_handover_lists_what_is_open_and_the_next_shift_is_told(
    client, shift, member, deputy, next_shift, leader, staff, category
):
    open_incident = report(staff, category)
    closed = report(staff, category)
    Incident.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    services.lend_key(actor=member, key="Phòng 201", holder="Nguyễn Văn Hải (Phòng Tổng hợp)")
    entry_of(shift, member, "Xe biển 30A-123.45 đỗ qua đêm", to_hand_over=True)
    entry_of(shift, member, "Tuần tra tầng 2, bình thường")

    client.force_login(member)
    form = client.get(reverse("duty:handover", args=[shift.pk])).content.decode()
    assert open_incident.reference in form and closed.reference not in form
    assert "Phòng 201" in form and "Xe biển 30A-123.45" in form and "Tuần tra tầng 2" not in form
    response = client.post(
        reverse("duty:handover", args=[shift.pk]), {"premises": "Cửa đã khóa, camera hoạt động", "instructions": ""}
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.next_shift == next_shift and handover.handed_by == member and not handover.is_confirmed
    groups = {item["group"] for item in handover.open_items}
    assert groups == {"incidents", "keys", "entries"}
    told = Notification.objects.filter(kind="duty.handover_waiting")
    assert [n.recipient for n in told] == [leader]
    assert "Đ/c Lê Anh Tuấn đã giao ca trực" in told.get().title
    assert client.get(reverse("duty:my_shift")).status_code == 200


def test_the_next_shift_takes_over_once_and_nobody_else_can(client, shift, member, next_shift, leader, deputy):
    handover = services.hand_over(shift=shift, actor=member, premises="Bình thường", instructions="Trực tết")
    receive = reverse("duty:receive", args=[handover.pk])
    client.force_login(deputy)  # the backup of the shift handing over: reads it, cannot take it over
    page = client.get(receive).content.decode()
    assert "Trực tết" in page and 'data-testid="receive-form"' not in page
    assert client.post(receive, {"remarks": ""}).status_code == 200
    assert not Handover.objects.get().is_confirmed

    client.force_login(leader)
    assert 'data-testid="handover-to-receive"' in client.get(reverse("duty:my_shift")).content.decode()
    response = client.post(receive, {"remarks": "Thiếu 1 bình chữa cháy tầng 2"}, follow=True)
    assert "Đồng chí đã nhận ca từ đ/c Lê Anh Tuấn lúc" in response.content.decode()
    handover.refresh_from_db()
    assert handover.received_by == leader and handover.receiver_remarks == "Thiếu 1 bình chữa cháy tầng 2"
    first = handover.received_at
    client.post(receive, {"remarks": "lần hai"})
    handover.refresh_from_db()
    assert handover.received_at == first and handover.receiver_remarks == "Thiếu 1 bình chữa cháy tầng 2"


def test_a_shift_is_handed_over_only_once(shift, member, next_shift):
    services.hand_over(shift=shift, actor=member, premises="", instructions="")
    with pytest.raises(Exception):  # noqa: B017  (PermissionDenied)
        services.hand_over(shift=shift, actor=member, premises="", instructions="")
    assert Handover.objects.count() == 1


# --- a shift without a confirmed handover is flagged to the leader, once ---------------------


def ended_shift(team, person, hours_ago):
    return shift_from(team, person, timezone.now() - timedelta(hours=8 + hours_ago), hours=8)


def test_a_shift_ended_without_a_confirmed_handover_is_flagged_once_after_the_grace_period(
    settings, team, member, deputy, leader
):
    settings.DUTY_HANDOVER_GRACE = timedelta(minutes=60)
    forgotten = ended_shift(team, member, hours_ago=2)
    not_taken = ended_shift(team, deputy, hours_ago=3)
    services.hand_over(shift=not_taken, actor=deputy, premises="", instructions="")
    confirmed = ended_shift(team, member, hours_ago=12)
    handover = services.hand_over(shift=confirmed, actor=member, premises="", instructions="")
    Handover.objects.filter(pk=handover.pk).update(received_at=timezone.now(), received_by=leader)
    recent = ended_shift(team, deputy, hours_ago=0)  # ended minutes ago: within the grace period

    assert services.flag_missing_handovers() == 2
    flagged = set(MissingHandoverFlag.objects.values_list("shift_id", flat=True))
    assert flagged == {forgotten.pk, not_taken.pk}
    assert recent.pk not in flagged and confirmed.pk not in flagged
    told = Notification.objects.filter(kind="duty.handover_missing")
    assert {n.recipient for n in told} == {leader, deputy}  # the team's command
    assert told.count() == 4
    bodies = {n.body for n in told}
    assert any("Không ai giao ca." in body for body in bodies)
    assert any("Đ/c Trần Thị Lan đã giao ca lúc" in body for body in bodies)

    assert services.flag_missing_handovers() == 0
    assert services.flag_missing_handovers(timezone.now() + timedelta(hours=5)) == 1  # now `recent` is late too
    assert Notification.objects.filter(kind="duty.handover_missing").count() == 6


# --- reading: the leader sees every shift's log; staff nothing --------------------------------


def test_who_reads_a_shifts_log(client, shift, member, deputy, leader, chief, staff, admin_user, team, make_user):
    from tests.conftest import appoint

    entry_of(shift, member, "Bí mật của ca")
    other_member = make_user("Đỗ Văn Nam")
    appoint(team, other_member)
    url = reverse("duty:shift_log", args=[shift.pk])
    for person, status in (
        (member, 200),
        (deputy, 200),
        (leader, 200),
        (chief, 200),
        (other_member, 404),
        (staff, 404),
        (admin_user, 404),
    ):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == status, person
        if status == 404:
            assert "Bí mật của ca" not in response.content.decode()


def test_the_day_log_prints_on_a4_with_the_office_header_and_exports_to_excel(
    client, office, shift, member, leader, next_shift
):
    entry_of(shift, member, "Tuần tra toàn bộ tòa nhà, bình thường")
    handover = services.hand_over(shift=shift, actor=member, premises="Đã khóa cửa", instructions="")
    services.receive(handover=handover, actor=leader)
    day = timezone.localdate(shift.starts_at).isoformat()
    client.force_login(leader)

    screen = client.get(reverse("duty:day", args=[day])).content.decode()
    assert "Tuần tra toàn bộ tòa nhà" in screen and "đã nhận ca" in screen
    assert 'data-testid="make-incident"' not in screen  # the day is read here; incidents are reported from the shift
    shift_page = client.get(reverse("duty:shift_log", args=[shift.pk])).content.decode()
    assert 'data-testid="make-incident"' in shift_page
    printed = client.get(reverse("duty:day_print", args=[day])).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in printed and "SỔ NHẬT KÝ CA TRỰC" in printed
    assert office.name.upper() in printed and "Tuần tra toàn bộ tòa nhà" in printed
    assert "{#" not in printed and "comment" not in printed  # no template comment leaks onto the sheet

    response = client.get(reverse("duty:day_xlsx", args=[day]))
    assert response["Content-Disposition"].endswith(f'so-truc-{day}.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Ca trực", "Người trực", "Người trực dự bị")
    entry_row = next(row for row in rows if row[5] == "Tuần tra toàn bộ tòa nhà, bình thường")
    assert isinstance(entry_row[3], datetime)  # a real date cell, in office time
    assert entry_row[3].strftime("%d/%m/%Y %H:%M") == timezone.localtime(LogEntry.objects.get().occurred_at).strftime(
        "%d/%m/%Y %H:%M"
    )
    assert any(row[4] == "Giao ca" and "Đã khóa cửa" in row[5] for row in rows)


@pytest.mark.parametrize("value", ["2026-13-45", "hom-nay", "0000-01-01"])
def test_a_day_that_does_not_exist_is_a_404_not_a_500(client, leader, value):
    client.force_login(leader)
    assert client.get(reverse("duty:day", args=[value])).status_code == 404


def test_the_day_picker_says_what_is_wrong_with_a_bad_date(client, leader):
    client.force_login(leader)
    response = client.get(reverse("duty:days"), {"day": "31/02/2026"})
    assert response.status_code == 200 and "Nhập một ngày hợp lệ" in response.content.decode()
    assert client.get(reverse("duty:days"), {"day": "01/12/2026"})["Location"].endswith("/duty/days/2026-12-01/")


# --- keys -------------------------------------------------------------------------------------


def test_a_key_handed_out_stays_open_until_it_comes_back(client, member):
    client.force_login(member)
    response = client.post(reverse("duty:keys"), {"key": "Kho lưu trữ", "holder": "Trần Văn Bảo"}, follow=True)
    assert "Đã giao chìa khóa Kho lưu trữ cho Trần Văn Bảo." in response.content.decode()
    loan = KeyLoan.objects.get()
    response = client.post(reverse("duty:key_return", args=[loan.pk]), follow=True)
    assert "Chìa khóa Kho lưu trữ đã được trả." in response.content.decode()
    loan.refresh_from_db()
    assert loan.returned_at and loan.received_by == member


# --- cost: constant queries whatever the size of the log --------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_shift_pages_run_a_constant_number_of_queries(client, team, shift, member, next_shift, leader, staff):
    building = Place.objects.create(name="Nhà A", kind=Place.Kind.BUILDING)
    floor = Place.objects.create(name="Tầng 2", kind=Place.Kind.FLOOR, parent=building)
    room = Place.objects.create(name="Phòng 201", kind=Place.Kind.ROOM, parent=floor)
    day = timezone.localdate(shift.starts_at).isoformat()

    def grow(n):
        for i in range(n):
            entry = entry_of(shift, member, f"Mục {i}", place=room, to_hand_over=i % 3 == 0)
            if i % 5 == 0:
                LogEntry.objects.filter(pk=entry.pk).update(author=None, kind=LogEntry.Kind.PATROL)
            KeyLoan.objects.create(key=f"Phòng {i}", holder="Nguyễn Văn A", lent_by=member)

    def costs():
        client.force_login(member)
        mine = [
            count_queries(client, reverse(name, args=args))
            for name, args in (
                ("duty:my_shift", []),
                ("duty:shift_log", [shift.pk]),
                ("duty:handover", [shift.pk]),
                ("duty:keys", []),
            )
        ]
        client.force_login(leader)
        return mine + [
            count_queries(client, reverse("duty:day", args=[day])),
            count_queries(client, reverse("duty:days")),
        ]

    grow(3)
    small = costs()
    grow(40)
    assert costs() == small


# --- plain members: whose log each reads and corrects (the command reads every log anyway) ------------


def test_plain_members_read_the_shifts_they_worked_and_the_one_handed_to_them_and_no_other(team, make_user):
    from core.access import can, visible
    from tests.conftest import appoint

    on_duty, backup, incoming, incoming_backup, elsewhere = people = [
        make_user(name) for name in ("Lê Văn An", "Trần Văn Bình", "Phạm Văn Cường", "Đỗ Văn Dũng", "Vũ Văn Em")
    ]
    for person in people:
        appoint(team, person)
    shift = shift_now(team, on_duty, backup=backup)
    shift_from(team, incoming, shift.ends_at, backup=incoming_backup)
    entry_of(shift, on_duty, "Cửa kho mở")

    def readers():
        fresh = DutyShift.objects.select_related("handover__next_shift").get(pk=shift.pk)
        by_rule = {p for p in people if can(p, "duty.view_log", fresh)}
        by_scope = {p for p in people if visible(p, LogEntry.objects.filter(shift=shift)).exists()}
        assert by_rule == by_scope
        return by_rule

    assert readers() == {on_duty, backup}
    services.hand_over(shift=shift, actor=backup, premises="", instructions="")
    assert readers() == {on_duty, backup, incoming, incoming_backup}
    corrects = {p for p in people if can(p, "duty.correct", shift)}
    assert corrects == {on_duty, backup}  # the next shift reads the log; it corrects nothing in it
    with pytest.raises(PermissionDenied):
        services.correct_entry(entry=LogEntry.objects.get(), author=elsewhere, text="Sửa hộ")

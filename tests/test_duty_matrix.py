"""Roles × URLs for the duty logbook and handover: the shift's people, the command, and everyone else (404)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.uploads import inspect_upload
from duty import services
from duty.models import Handover, KeyLoan, LogEntry
from tests.support.duty import shift_from, shift_now

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user"]

# Every duty URL this file checks; test_url_matrix.py requires every site URL to be listed somewhere.
COVERED = {
    "duty:my_shift",
    "duty:shift_log",
    "duty:entry_add",
    "duty:handover",
    "duty:entry_edit",
    "duty:entry_correct",
    "duty:entry_photo",
    "duty:entry_incident",
    "duty:receive",
    "duty:keys",
    "duty:key_return",
    "duty:days",
    "duty:day",
    "duty:day_print",
    "duty:day_xlsx",
}


@pytest.fixture
def everyone(request, team, staff, member, deputy, leader, chief, admin_user):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def book(everyone, team, settings, tmp_path):
    """The member's shift in progress (with an entry and its photo), handed over to the deputy's next shift."""
    settings.MEDIA_ROOT = tmp_path
    member, deputy = everyone["member"], everyone["deputy"]
    shift = shift_now(team, member)
    shift_from(team, deputy, shift.ends_at)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    photo = inspect_upload(SimpleUploadedFile("anh.png", buffer.getvalue()))
    entry = services.write_entry(shift=shift, author=member, fields={"text": "Cửa kho mở"}, photo=photo)
    loan = services.lend_key(actor=member, key="Phòng 201", holder="Nguyễn Văn A")
    return {"shift": shift, "entry": entry, "loan": loan}


def handed_over(book, member):
    return services.hand_over(shift=book["shift"], actor=member, premises="", instructions="")


def test_my_shift_and_keys_are_for_the_team(client, everyone):
    for persona, user in everyone.items():
        client.force_login(user)
        team = persona in ("member", "deputy", "leader")  # staff, the leadership and the administrator: 404
        assert client.get(reverse("duty:my_shift")).status_code == (200 if team else 404), persona
        assert client.get(reverse("duty:keys")).status_code == (200 if team else 404), persona


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_shifts_log_its_entry_and_photo_are_read_by_the_shift_the_command_and_the_leadership(
    client, everyone, book, persona
):
    client.force_login(everyone[persona])
    reads = persona in ("member", "deputy", "leader", "chief")  # the deputy and the leader are the command
    entry = book["entry"]
    for url in (
        reverse("duty:shift_log", args=[book["shift"].pk]),
        reverse("duty:entry_photo", args=[entry.pk]),
    ):
        assert client.get(url).status_code == (200 if reads else 404), (persona, url)
    # Only the shift's own people write; the command reads but writes nothing in another's shift.
    writes = persona == "member"
    form = client.get(reverse("duty:entry_add", args=[book["shift"].pk]))
    assert form.status_code == (200 if writes else 302 if reads else 404), persona
    assert client.get(reverse("duty:handover", args=[book["shift"].pk])).status_code == (
        200 if writes else 302 if reads else 404
    )
    assert client.get(reverse("duty:entry_edit", args=[entry.pk])).status_code == (
        200 if writes else 302 if reads else 404
    )
    files = persona in ("member", "deputy", "leader")  # the team files incidents on someone's behalf
    assert client.get(reverse("duty:entry_incident", args=[entry.pk])).status_code == (200 if files else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_posts_by_the_wrong_people_change_nothing(client, everyone, book, persona):
    client.force_login(everyone[persona])
    shift, entry = book["shift"], book["entry"]
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("duty:entry_add", args=[shift.pk]), {"occurred_at": now, "text": "Ghi trộm"})
    client.post(reverse("duty:entry_edit", args=[entry.pk]), {"occurred_at": now, "text": "Sửa trộm"})
    client.post(reverse("duty:handover", args=[shift.pk]), {"premises": "", "instructions": ""})
    written = set(LogEntry.objects.values_list("text", flat=True))
    handed = Handover.objects.exists()
    if persona == "member":
        assert written == {"Ghi trộm", "Sửa trộm"} and handed
    else:
        assert written == {"Cửa kho mở"} and not handed


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_handover_is_read_by_both_shifts_and_the_command_and_taken_over_by_the_next_only(
    client, everyone, book, persona
):
    handover = handed_over(book, everyone["member"])
    client.force_login(everyone[persona])
    url = reverse("duty:receive", args=[handover.pk])
    reads = persona in ("member", "deputy", "leader", "chief")
    assert client.get(url).status_code == (200 if reads else 404)
    client.post(url, {"remarks": ""})
    handover.refresh_from_db()
    assert handover.is_confirmed == (persona == "deputy")
    client.post(reverse("duty:entry_correct", args=[book["entry"].pk]), {"text": "Đính chính"})
    corrected = LogEntry.objects.filter(kind=LogEntry.Kind.CORRECTION).exists()
    assert corrected == (persona in ("member", "deputy", "leader"))  # the shift and the command


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_days_log_is_for_the_command_and_the_leadership(client, everyone, book, persona):
    client.force_login(everyone[persona])
    reads = persona in ("deputy", "leader", "chief")
    day = timezone.localdate(book["shift"].starts_at).isoformat()
    for url in (
        reverse("duty:days"),
        reverse("duty:day", args=[day]),
        reverse("duty:day_print", args=[day]),
        reverse("duty:day_xlsx", args=[day]),
    ):
        assert client.get(url).status_code == (200 if reads else 404), (persona, url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_keys_are_taken_back_by_the_team_only(client, everyone, book, persona):
    client.force_login(everyone[persona])
    response = client.post(reverse("duty:key_return", args=[book["loan"].pk]))
    team = persona in ("member", "deputy", "leader")
    assert response.status_code == (302 if team else 404)
    assert KeyLoan.objects.get().returned_at is not None if team else KeyLoan.objects.get().returned_at is None


def test_anonymous_visitors_are_sent_to_the_login_page(client, book):
    day = timezone.localdate(book["shift"].starts_at).isoformat()
    for url in (
        reverse("duty:my_shift"),
        reverse("duty:shift_log", args=[book["shift"].pk]),
        reverse("duty:entry_photo", args=[book["entry"].pk]),
        reverse("duty:day_xlsx", args=[day]),
        reverse("duty:keys"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url

"""The second factor: who must have one, enrolment with recovery codes, verification once per session, throttling,
the pages reachable before it, the next page, the audit log and the administrator's reset."""

import html
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from core.middleware import _SEEN_AT
from mfa import forms, policy, services
from tests.conftest import PASSWORD

SETUP = reverse("mfa:setup")
VERIFY = reverse("mfa:verify")
CODES = reverse("mfa:codes")
STATUS = reverse("mfa:status")


@pytest.fixture
def enforced(settings):
    """Production's defaults: enforced, and required of those who may see confidential reporters."""
    settings.MFA_ENFORCED = True
    settings.MFA_FOR_REPORTER_READERS = True
    return settings


def log_in(user) -> Client:
    """A new browser session, logged in with the password: the second factor is still to be given."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def code_for(device) -> str:
    """The code the person's authenticator app shows now, computed from the device's key as the app does."""
    device.refresh_from_db()
    now_step = int(time.time() - device.t0) // device.step
    if device.last_t >= now_step - 1:
        # A code is accepted once; the next test step plays the app 30 seconds later, not the same code again.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=now_step - 2)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code_for(device) -> str:
    right = {f"{totp(device.bin_key, device.step, device.t0, device.digits, d):06d}" for d in (-1, 0, 1)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in right)


def wait_out_the_throttle(user) -> None:
    """As if the wait after a wrong code (1 s after one, 2 s after two, …) were over."""
    earlier = timezone.now() - timedelta(hours=1)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).exclude(throttling_failure_timestamp=None).update(
            throttling_failure_timestamp=earlier
        )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    """Set up the authenticator through the pages; returns it and the recovery codes shown."""
    assert client.get(SETUP).status_code == 200
    user_id = int(client.session["_auth_user_id"])
    device = TOTPDevice.objects.get(user_id=user_id, confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"].startswith(CODES)
    shown = client.get(response["Location"])
    codes = [code.replace(" ", "") for code in shown.context["codes"]]
    return TOTPDevice.objects.get(pk=device.pk), codes


def second_factor_entries(user):
    return list(
        AuditEntry.objects.filter(action=AuditEntry.Action.SECOND_FACTOR, actor=user)
        .order_by("at", "id")
        .values_list("detail", flat=True)
    )


# --- who must ---------------------------------------------------------------------------------------


def test_an_administrator_must_set_up_the_second_factor_before_admin_or_any_page(enforced, admin_user):
    client = log_in(admin_user)
    for url in ["/", "/admin/", reverse("incidents:list"), reverse("admin:team_user_changelist")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{SETUP}?next={url.replace('/', '%2F')}", url

    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page_text(page)  # the QR code, inline (the CSP allows no inline script or style)
    assert "Thiết lập xác thực hai bước" in page_text(page)
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed
    assert "otpauth://totp/T%E1%BB%B1Qu%E1%BA%A3n%3Aadmin?" in page_text(page)  # issuer "TựQuản" in the app
    assert client.get(SETUP).context["secret_groups"] == page.context["secret_groups"]  # a reload keeps the key


@pytest.mark.parametrize("persona", ["leader", "deputy", "chief"])
def test_those_who_may_see_confidential_reporters_must_enrol_by_the_setting(request, enforced, persona):
    person = request.getfixturevalue(persona)
    assert policy.required(person)
    response = log_in(person).get(reverse("incidents:list"))
    assert response.status_code == 302 and response["Location"].startswith(SETUP)

    enforced.MFA_FOR_REPORTER_READERS = False
    assert not policy.required(person)
    assert log_in(person).get(reverse("incidents:list")).status_code == 200


@pytest.mark.parametrize("persona", ["member", "staff"])
def test_a_plain_member_or_staff_member_is_never_forced(request, enforced, persona):
    person = request.getfixturevalue(persona)
    assert not policy.required(person)
    client = log_in(person)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("incidents:new")).status_code == 200


def test_with_enforcement_off_nobody_is_asked_as_in_the_demo(settings, admin_user, leader):
    settings.MFA_ENFORCED = False  # the default with DEBUG=1 (`make run`) and in this test suite
    for person in (admin_user, leader):
        assert not policy.required(person)
        assert log_in(person).get("/admin/" if person.is_staff else "/").status_code == 200


# --- enrolment and verification ------------------------------------------------------------------------


def test_enrolment_shows_the_recovery_codes_once_and_verifies_the_session(enforced, admin_user):
    client = log_in(admin_user)
    client.get("/admin/")  # sent to the set-up, which remembers /admin/
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=admin_user)
    response = client.post(f"{SETUP}?next=/admin/", {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == f"{CODES}?next=%2Fadmin%2F"

    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "chỉ hiện một lần" in page_text(shown)  # "shown only this once", with advice to print or keep them
    assert 'href="/admin/"' in page_text(shown)  # then on to the page asked for
    stored = set(StaticToken.objects.filter(device__user=admin_user).values_list("token", flat=True))
    assert stored == {code.replace(" ", "") for code in codes}

    again = client.get(CODES)  # a reload shows nothing: the codes were shown once
    assert again.status_code == 302 and again["Location"] == STATUS
    assert client.get("/admin/").status_code == 200  # verified for this session
    device.refresh_from_db()
    assert device.confirmed


def test_a_new_session_must_verify_again_then_reaches_the_page(enforced, admin_user):
    device, _codes = enrol(log_in(admin_user))
    client = log_in(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert "mã gồm 6 chữ số" in page_text(page)
    response = client.post(response["Location"], {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_same_code_cannot_be_used_twice(enforced, admin_user):
    device, _codes = enrol(log_in(admin_user))
    code = code_for(device)
    assert log_in(admin_user).post(VERIFY, {"code": code}).status_code == 302
    replay = log_in(admin_user).post(VERIFY, {"code": code})
    assert replay.status_code == 200
    assert str(services.WRONG_CODE_OR_RECOVERY) in page_text(replay)


def test_someone_with_only_the_password_cannot_replace_the_authenticator(enforced, admin_user):
    enrol(log_in(admin_user))
    intruder = log_in(admin_user)
    response = intruder.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1


def test_a_wrong_code_is_refused_with_a_message_and_repeated_failures_are_throttled(enforced, admin_user):
    device, _codes = enrol(log_in(admin_user))
    client = log_in(admin_user)

    response = client.post(VERIFY, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert str(services.WRONG_CODE_OR_RECOVERY) in page_text(response)
    assert "Mã không đúng" in page_text(response)
    response = client.post(VERIFY, {"code": "12ab"})  # not a code at all: a message, not a 500
    assert response.status_code == 200 and str(forms.CODE_OR_RECOVERY) in page_text(response)

    for _ in range(3):
        client.post(VERIFY, {"code": wrong_code_for(device)})
    # Four wrong codes in a row: even the right code is refused for a while (django-otp's exponential throttle).
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "Nhập sai quá nhiều lần" in page_text(response)
    assert client.get("/admin/").status_code == 302  # still not verified

    # Once the wait is over, the right code is accepted and the count starts again.
    wait_out_the_throttle(admin_user)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get("/admin/").status_code == 200


def test_the_throttle_also_refuses_recovery_codes(enforced, admin_user):
    device, codes = enrol(log_in(admin_user))
    client = log_in(admin_user)
    for _ in range(4):
        client.post(VERIFY, {"code": wrong_code_for(device)})
    response = client.post(VERIFY, {"code": codes[0]})  # switching to recovery codes does not give more tries
    assert "Nhập sai quá nhiều lần" in page_text(response)
    assert StaticToken.objects.filter(token=codes[0]).exists()  # and the code was not used up


def test_a_recovery_code_works_once(enforced, admin_user):
    _device, codes = enrol(log_in(admin_user))
    client = log_in(admin_user)
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"  # as printed, in capitals: still accepted
    response = client.post(VERIFY, {"code": typed}, follow=True)
    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert "còn 9" in page_text(response)  # "you used a recovery code; 9 left"
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    again = log_in(admin_user).post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and str(services.WRONG_CODE_OR_RECOVERY) in page_text(again)
    wait_out_the_throttle(admin_user)
    assert log_in(admin_user).post(VERIFY, {"code": codes[1]}).status_code == 302


def test_the_verification_ends_with_the_session_after_idle_time(enforced, admin_user):
    client = log_in(admin_user)
    device, _codes = enrol(client)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[_SEEN_AT] = time.time() - 31 * 60  # half an hour without a request
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    client.post(reverse("login"), {"username": admin_user.username, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


# --- before verifying, and afterwards ----------------------------------------------------------------


def test_log_out_and_the_language_switcher_work_before_verifying(enforced, admin_user):
    enrol(log_in(admin_user))
    client = log_in(admin_user)
    response = client.post(reverse("set_language"), {"language": "en", "next": VERIFY})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert "Enter the 6-digit code" in page_text(client.get(VERIFY))

    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("healthz")).status_code in (200, 503)


def test_a_posted_form_is_not_replayed_and_its_page_is_not_kept(enforced, admin_user):
    enrol(log_in(admin_user))
    response = log_in(admin_user).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302 and response["Location"] == VERIFY


@pytest.mark.parametrize(
    ("asked", "lands"),
    [
        ("/incidents/?q=kho", "/incidents/?q=kho"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/", "/"),
        ("http://testserver/admin/", "http://testserver/admin/"),
    ],
)
def test_the_next_page_is_honoured_on_this_site_only(enforced, admin_user, asked, lands):
    device, _codes = enrol(log_in(admin_user))
    client = log_in(admin_user)
    response = client.post(f"{VERIFY}?next={asked}", {"code": code_for(device), "next": asked})
    assert response.status_code == 302 and response["Location"] == lands


def test_a_verified_visitor_of_the_verify_page_goes_on(enforced, admin_user):
    client = log_in(admin_user)
    enrol(client)
    response = client.get(f"{VERIFY}?next=/team/")
    assert response.status_code == 302 and response["Location"] == "/team/"


# --- the person's own page ---------------------------------------------------------------------------


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(enforced, admin_user):
    client = log_in(admin_user)
    device, old_codes = enrol(client)
    assert "10 mã khôi phục" in page_text(client.get(STATUS))

    refused = client.post(reverse("mfa:regenerate_codes"), {"codes-code": wrong_code_for(device)}, follow=True)
    assert str(services.WRONG_CODE_OR_RECOVERY) in page_text(refused)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old_codes)

    wait_out_the_throttle(admin_user)
    response = client.post(reverse("mfa:regenerate_codes"), {"codes-code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == CODES
    new_codes = {code.replace(" ", "") for code in client.get(CODES).context["codes"]}
    assert len(new_codes) == 10 and not new_codes & set(old_codes)
    assert set(StaticToken.objects.values_list("token", flat=True)) == new_codes


def test_a_session_verified_with_a_recovery_code_stays_verified_after_new_codes(enforced, admin_user):
    _device, codes = enrol(log_in(admin_user))
    client = log_in(admin_user)  # the phone is lost: in with a recovery code, then new codes at once
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    response = client.post(reverse("mfa:regenerate_codes"), {"codes-code": codes[1]})
    assert response.status_code == 302 and response["Location"] == CODES
    assert client.get(CODES).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_volunteer_is_asked_for_the_code_and_may_switch_it_off(enforced, member):
    client = log_in(member)
    assert client.get(STATUS).status_code == 200
    device, codes = enrol(client)
    client = log_in(member)
    assert client.get("/").status_code == 302  # having set it up, a code is asked at every log-in
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302

    response = client.post(reverse("mfa:switch_off"), {"off-code": code_for(device)}, follow=True)
    assert "Đã tắt xác thực hai bước" in page_text(response)
    assert not TOTPDevice.objects.filter(user=member).exists() and not StaticDevice.objects.filter(user=member).exists()
    assert log_in(member).get("/").status_code == 200


def test_someone_who_must_have_it_cannot_switch_it_off(enforced, leader):
    client = log_in(leader)
    device, _codes = enrol(client)
    page = client.get(STATUS)
    assert reverse("mfa:switch_off") not in page_text(page)
    response = client.post(reverse("mfa:switch_off"), {"off-code": code_for(device)}, follow=True)
    assert str(services.MUST_KEEP) in page_text(response)
    assert TOTPDevice.objects.filter(user=leader, confirmed=True).exists()


def test_a_new_phone_replaces_the_authenticator(enforced, admin_user):
    client = log_in(admin_user)
    old, _codes = enrol(client)
    response = client.post(reverse("mfa:start_over"), {"phone-code": code_for(old)})
    assert response.status_code == 302 and response["Location"] == SETUP
    assert client.get("/admin/").status_code == 302  # the old phone's verification went with it
    new, _codes = enrol(client)
    assert new.pk != old.pk and new.key != old.key
    assert client.get("/admin/").status_code == 200


# --- audit and administration ------------------------------------------------------------------------


def test_setup_success_failure_and_recovery_codes_are_audited_without_any_code(enforced, admin_user):
    device, codes = enrol(log_in(admin_user))
    client = log_in(admin_user)
    wrong = wrong_code_for(device)
    client.post(VERIFY, {"code": wrong}, REMOTE_ADDR="10.4.4.4")
    wait_out_the_throttle(admin_user)
    right = code_for(device)
    client.post(VERIFY, {"code": right})
    log_in(admin_user).post(VERIFY, {"code": codes[0]})

    details = second_factor_entries(admin_user)
    assert details == [
        "set up: authenticator app confirmed, 10 recovery codes generated",
        "wrong code",
        "verified with the authenticator app",
        "verified with a recovery code (9 left)",
    ]
    failure = AuditEntry.objects.get(action=AuditEntry.Action.SECOND_FACTOR, detail="wrong code")
    assert failure.ip_address == "10.4.4.4" and failure.object_id == str(admin_user.pk)
    everything = " ".join(AuditEntry.objects.values_list("detail", flat=True))
    for secret in [wrong, right, *codes, device.key]:
        assert secret not in everything


def test_an_administrator_resets_a_colleagues_lost_phone_in_admin(enforced, admin_user, leader, make_user):
    device, _codes = enrol(log_in(leader))
    other_admin = make_user("Quản trị viên hai", is_staff=True)
    client = log_in(other_admin)
    other_device, _codes = enrol(client)

    listing = client.get(reverse("admin:mfa_secondfactor_changelist"))
    assert listing.status_code == 200
    assert "Hoàng Văn Minh" in page_text(listing) and device.key not in page_text(listing)
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404  # django-otp's page

    response = client.post(reverse("admin:mfa_secondfactor_delete", args=[device.pk]), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=leader).exists() and not StaticDevice.objects.filter(user=leader).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.SECOND_FACTOR, actor=other_admin, object_id=str(leader.pk), detail__startswith="reset"
    ).exists()
    # The leader sets it up again at the next log-in.
    assert log_in(leader).get("/").headers["Location"].startswith(SETUP)


def test_the_personal_menu_links_to_the_page_in_vietnamese(client, staff):
    client.force_login(staff)
    home = page_text(client.get("/"))
    assert f'href="{STATUS}"' in home and "Xác thực hai bước" in home
    status = page_text(client.get(STATUS))
    assert "Thiết lập xác thực hai bước" in status

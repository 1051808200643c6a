"""Abuse limits: the client address behind the proxy, the check-in code, password reset requests, and credential
stuffing across usernames — each as the person at the keyboard (or the administrator) would notice it."""

import re
import statistics
import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.db import connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Participant
from core import ratelimit
from core.clientip import client_ip
from core.models import Attempt
from core.tasks import clear_expired_sessions
from notifications import delivery
from notifications.models import Delivery, Notification
from team import passwords
from tests.conftest import PASSWORD, requires_postgresql
from tests.support.campaigns import campaign_of, session_now

PROXY = "127.0.0.1"  # nginx on the same host: every request reaches gunicorn from here


def login(client, username, password, *, ip="10.0.0.5", forwarded=None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def ip_of(**meta):
    return client_ip(RequestFactory().get("/", **meta))


# --- the client address ------------------------------------------------------------------------------


def test_without_a_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert ip_of(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="10.9.9.9") == "10.0.0.5"
    assert ip_of(REMOTE_ADDR="::ffff:10.0.0.5") == "10.0.0.5"


def test_without_a_proxy_a_forged_header_does_not_dodge_the_lockout(client, settings, staff):
    settings.TRUSTED_PROXY_HOPS = 0
    for n in range(5):
        login(client, staff.username, "not-the-password", forwarded=f"10.8.0.{n}")
    # Still the same machine to axes: locked, whatever the header says this time.
    assert login(client, staff.username, PASSWORD, forwarded="10.8.0.99").status_code == 429


def test_behind_one_proxy_the_right_most_address_is_the_client(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.0.0.7") == "10.0.0.7"
    # A client that sends its own X-Forwarded-For only adds entries on the left of what nginx appends.
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.6.6.6, 10.0.0.7") == "10.0.0.7"
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="garbage, 10.0.0.7") == "10.0.0.7"
    # No header at all: the proxy is misconfigured; the peer is all we know.
    assert ip_of(REMOTE_ADDR=PROXY) == PROXY


def test_behind_two_proxies_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    # client → load balancer (appends the client) → nginx (appends the load balancer) → gunicorn
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.6.6.6, 10.0.0.7, 10.0.0.2") == "10.0.0.7"


def test_behind_the_proxy_a_colleagues_typos_do_not_lock_the_leader_out(client, settings, leader, staff):
    """The issue's case: five wrong passwords typed on one computer locked every colleague out for 15 minutes."""
    settings.TRUSTED_PROXY_HOPS = 1
    for _ in range(5):
        login(client, leader.username, "not-the-password", ip=PROXY, forwarded="10.0.0.66")
    assert login(client, leader.username, PASSWORD, ip=PROXY, forwarded="10.0.0.66").status_code == 429
    # The leader, at her own computer, logs in.
    response = login(client, leader.username, PASSWORD, ip=PROXY, forwarded="10.0.0.10")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(leader.pk)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.66"}


def test_behind_the_proxy_a_forged_entry_cannot_choose_the_address(client, settings, staff):
    settings.TRUSTED_PROXY_HOPS = 1
    for n in range(5):
        # The attacker writes a new address each time; nginx appends the real one after it.
        login(client, staff.username, "not-the-password", ip=PROXY, forwarded=f"10.7.0.{n}, 10.0.0.66")
    assert login(client, staff.username, PASSWORD, ip=PROXY, forwarded="10.7.0.99, 10.0.0.66").status_code == 429


# --- credential stuffing: one address, many usernames --------------------------------------------------


def test_thirty_failures_from_one_address_block_it_whatever_the_username(client, settings, staff, make_user):
    settings.LOGIN_FAILURES_PER_ADDRESS = 30
    colleague = make_user("Đồng Nghiệp Cùng Mạng")
    for n in range(29):
        login(client, f"guess{n}", "password123", ip="10.0.0.66")
    # A colleague behind the same address logs in in between: that does not wipe the count.
    assert login(client, colleague.username, PASSWORD, ip="10.0.0.66").status_code == 302
    client.logout()
    login(client, "guess29", "password123", ip="10.0.0.66")

    locked = login(client, staff.username, PASSWORD, ip="10.0.0.66")  # right password, never failed before
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "địa chỉ mạng" in page and "15 phút" in page  # in Vietnamese: why, and for how long
    assert "_auth_user_id" not in client.session

    # Another computer is not blocked, and the block lifts by itself after 15 minutes.
    assert login(client, staff.username, PASSWORD, ip="10.0.0.5").status_code == 302
    client.logout()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, staff.username, PASSWORD, ip="10.0.0.66").status_code == 302


def test_a_few_failures_by_several_people_do_not_block_an_address(client, staff, make_user):
    for _ in range(6):
        login(client, make_user().username, "typo-typo-typo", ip="10.0.0.66")
    assert login(client, staff.username, PASSWORD, ip="10.0.0.66").status_code == 302


# --- the check-in code ---------------------------------------------------------------------------------


@pytest.fixture
def running(member, staff):
    campaign = campaign_of(member)
    session_now(campaign)
    campaign_services.schedule(campaign)
    return campaign


def wrong_codes(right: str, n: int) -> list[str]:
    return [code for code in (f"{k:06d}" for k in range(n + 1)) if code != right][:n]


def check_in(client, code, ip="10.0.0.5"):
    return client.post(reverse("campaigns:check_in"), {"code": code}, REMOTE_ADDR=ip)


def test_five_wrong_codes_pause_check_in_even_for_the_right_code(client, running, staff):
    code = running.sessions.get().check_in_code
    client.force_login(staff)
    for wrong in wrong_codes(code, 5):
        assert check_in(client, wrong).status_code == 200
    response = check_in(client, code)
    assert response.status_code == 200
    page = response.content.decode()
    paused_until = timezone.localtime(timezone.now() + timedelta(minutes=15))
    assert "tạm dừng" in page
    assert re.search(r"\b\d{2}:\d{2}\b", page).group(0) in {
        f"{paused_until:%H:%M}",
        f"{paused_until + timedelta(minutes=1):%H:%M}",
    }
    assert Participant.objects.get(campaign=running, user=staff).attended_at is None

    # After the cool-off, the right code checks in.
    Attempt.objects.update(at=timezone.now() - timedelta(minutes=16))
    response = check_in(client, code)
    assert response.status_code == 302
    assert Participant.objects.get(campaign=running, user=staff).attended_at is not None


def test_right_codes_do_not_count(running, staff):
    code = running.sessions.get().check_in_code
    for _ in range(10):
        campaign_services.check_in(user=staff, code=code, client="10.0.0.5")
    for wrong in wrong_codes(code, 4):
        with pytest.raises(ValidationError):
            campaign_services.check_in(user=staff, code=wrong, client="10.0.0.5")
    campaign_services.check_in(user=staff, code=code, client="10.0.0.5")  # 4 wrong: not paused


def test_one_person_pausing_does_not_pause_a_colleague(running, staff, member):
    code = running.sessions.get().check_in_code
    for wrong in wrong_codes(code, 5):
        with pytest.raises(ValidationError):
            campaign_services.check_in(user=staff, code=wrong, client="10.0.0.5")
    campaign_services.check_in(user=member, code=code, client="10.0.0.6")
    assert Participant.objects.get(campaign=running, user=member).attended_at is not None


def test_many_accounts_guessing_from_one_computer_pause_that_computer(running, make_user, staff):
    code = running.sessions.get().check_in_code
    guesses = iter(wrong_codes(code, 20))
    for _ in range(5):
        accomplice = make_user()
        for _ in range(4):  # under each person's own limit
            with pytest.raises(ValidationError):
                campaign_services.check_in(user=accomplice, code=next(guesses), client="10.0.0.66")
    with pytest.raises(ValidationError, match="paused|tạm dừng"):
        campaign_services.check_in(user=staff, code=code, client="10.0.0.66")
    campaign_services.check_in(user=staff, code=code, client="10.0.0.5")  # from her own computer


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_guesses_sent_all_at_once_are_limited_too(running, staff):
    """Requests served by different workers at the same moment: only five guesses are ever looked at."""
    code = running.sessions.get().check_in_code
    guesses = wrong_codes(code, 19) + [code]
    start = threading.Barrier(len(guesses))
    outcomes: list[str] = []

    def guess(candidate):
        try:
            start.wait()
            campaign_services.check_in(user=staff, code=candidate, client="10.0.0.66")
            outcomes.append("checked in")
        except ValidationError as error:
            outcomes.append("paused" if "tạm dừng" in str(error) or "paused" in str(error) else "wrong")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(candidate,)) for candidate in guesses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("wrong") + outcomes.count("checked in") <= 5
    assert outcomes.count("paused") >= 15


# --- password reset --------------------------------------------------------------------------------------


class SlowSMTP(MemoryBackend):
    """An SMTP server 50 ms away: what a request that mails inline would wait for."""

    def send_messages(self, messages):
        time.sleep(0.05)
        return super().send_messages(messages)


def ask_for_reset(client, email, ip="10.0.0.5"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


@pytest.fixture
def handed_over():
    """The addresses the request hands to the worker (the broker is not called in tests)."""
    with mock.patch("team.tasks.send_password_reset_links.apply_async") as publish:
        yield lambda: [call.args[0][0] for call in publish.call_args_list]


def run_worker(emails):
    """What the worker does with each hand-over, then the outbox's delivery."""
    for email in emails:
        passwords.send_reset_links(email)
    for item in Delivery.objects.filter(status=Delivery.Status.PENDING):
        delivery.deliver(item.pk)


def test_reset_request_answers_alike_and_mails_nothing_in_the_request(
    client, staff, handed_over, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask_for_reset(client, staff.email)
        unknown = ask_for_reset(client, "nobody@example.test", ip="10.0.0.6")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    # Nothing is mailed, or even looked up, while the person waits: both addresses go to the worker.
    assert mail.outbox == [] and not Notification.objects.exists()
    assert handed_over() == [staff.email, "nobody@example.test"]


def test_reset_request_runs_the_same_queries_for_a_known_and_an_unknown_address(client, staff, handed_over):
    def statements(email, ip):
        with CaptureQueriesContext(connection) as queries:
            ask_for_reset(client, email, ip=ip)
        return [re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in queries]

    assert statements(staff.email, "10.0.0.5") == statements("nobody@example.test", "10.0.0.6")


def test_reset_answer_time_does_not_tell_whether_an_account_exists(
    client, settings, make_user, handed_over, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_abuse_limits.SlowSMTP"
    known = [make_user().email for _ in range(20)]
    unknown = [f"nobody{n}@example.test" for n in range(20)]
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for n, (mine, nobody) in enumerate(zip(known, unknown, strict=True)):
        for label, email, ip in (("known", mine, f"10.1.0.{n}"), ("unknown", nobody, f"10.2.0.{n}")):
            with django_capture_on_commit_callbacks(execute=True):
                started = time.perf_counter()
                assert ask_for_reset(client, email, ip=ip).status_code == 302
                times[label].append(time.perf_counter() - started)
    gap_ms = abs(statistics.median(times["known"]) - statistics.median(times["unknown"])) * 1000
    assert gap_ms < 5, f"known and unknown addresses answer {gap_ms:.1f} ms apart"
    assert mail.outbox == []


def test_the_link_arrives_by_email_in_the_persons_language_and_sets_a_new_password(
    client, settings, staff, make_user, handed_over, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://tuquan.vpubnd.example"
    english = make_user("Foreign Expert", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, staff.email)
        ask_for_reset(client, english.email.upper())  # the address is matched ignoring case
    run_worker(handed_over())

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {staff.email, english.email}
    assert "mật khẩu" in by_recipient[staff.email].subject.lower()
    assert by_recipient[english.email].subject == "TựQuản: set a new password"
    body = by_recipient[staff.email].body
    assert staff.username in body
    link = re.search(r"https://tuquan\.vpubnd\.example(/accounts/reset/\S+)", body).group(1)

    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "bay tam chin muoi", "new_password2": "bay tam chin muoi"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("bay tam chin muoi")

    # The link was in the email only, never in the inbox, where a stolen session could have used it.
    assert not Notification.objects.for_inbox(staff).exists()
    client.force_login(staff)
    assert "/accounts/reset/" not in client.get(reverse("notifications:inbox")).content.decode()


def test_three_links_per_address_an_hour_then_silence(client, staff, handed_over, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask_for_reset(client, staff.email, ip=f"10.0.0.{n}") for n in range(5)]
    # The page says the same every time; only three requests reach the worker.
    assert {answer["Location"] for answer in answers} == {reverse("password_reset_done")}
    assert handed_over() == [staff.email] * 3
    Attempt.objects.update(at=timezone.now() - timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, staff.email)
    assert len(handed_over()) == 4


def test_ten_requests_per_client_address_an_hour(client, make_user, handed_over, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(12):
            assert ask_for_reset(client, make_user().email, ip="10.0.0.66").status_code == 302
        ask_for_reset(client, make_user().email, ip="10.0.0.5")
    assert len(handed_over()) == 11  # ten from 10.0.0.66, one from elsewhere


def test_with_the_broker_down_the_link_is_kept_in_the_outbox(client, staff, django_capture_on_commit_callbacks):
    with (
        mock.patch("team.tasks.send_password_reset_links.apply_async", side_effect=OSError("broker down")),
        mock.patch("notifications.delivery.dispatch"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert ask_for_reset(client, staff.email).status_code == 302
    pending = Delivery.objects.get(notification__recipient=staff, notification__kind="team.password_reset")
    assert pending.status == Delivery.Status.PENDING  # the sweep sends it once the broker is back


def test_the_reset_page_shows_errors_for_a_malformed_address(client, handed_over):
    response = client.post(reverse("password_reset"), {"email": "not an address"})
    assert response.status_code == 200 and handed_over() == []


# --- housekeeping --------------------------------------------------------------------------------------


def test_the_nightly_housekeeping_drops_old_attempts(db):
    limit = ratelimit.Limit("test", attempts=1, window=timedelta(minutes=1), cooloff=timedelta(minutes=1))
    ratelimit.attempt([(limit, "someone")])
    Attempt.objects.create(key=limit.key("someone"), at=timezone.now() - timedelta(days=2))
    clear_expired_sessions()
    assert Attempt.objects.count() == 1


def test_attempts_hold_no_address_or_email(db):
    limit = ratelimit.Limit("test", attempts=1, window=timedelta(minutes=1), cooloff=timedelta(minutes=1))
    ratelimit.attempt([(limit, "hoa.pt@example.test"), (limit, "10.0.0.5")])
    stored = " ".join(Attempt.objects.values_list("key", flat=True))
    assert "example" not in stored and "10.0.0.5" not in stored

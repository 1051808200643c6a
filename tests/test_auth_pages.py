"""Login, lockout, logout, password change and reset, in Vietnamese."""

import re
from datetime import timedelta
from unittest import mock

from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import delivery
from notifications.models import Delivery
from team import passwords
from tests.conftest import PASSWORD


def login(client, username, password, ip="10.0.0.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_staff_member_logs_in_and_lands_on_the_home_page(client, staff):
    response = login(client, staff.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Phạm Thị Hoa" in client.get(reverse("home")).content.decode()


def test_a_wrong_password_gets_a_vietnamese_message(client, staff):
    response = login(client, staff.username, "not-the-password")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()  # Django's own Vietnamese catalogue


def test_five_failures_lock_the_username_and_ip_for_15_minutes(client, staff):
    for _ in range(5):
        login(client, staff.username, "not-the-password")
    locked = login(client, staff.username, PASSWORD)  # even the right password is refused now
    assert locked.status_code == 429
    assert "15" in locked.content.decode() and "Đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # The same person from another machine is not locked out (no malicious lockout).
    assert login(client, staff.username, PASSWORD, ip="10.0.0.99").status_code == 302

    # The lock lifts by itself after 15 minutes.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    client.logout()
    assert login(client, staff.username, PASSWORD).status_code == 302


def test_logout_is_a_post_and_ends_the_session(client, staff):
    client.force_login(staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_applies_the_validators(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    assert response.status_code == 200
    assert "12" in response.content.decode()  # "at least 12 characters", in Vietnamese
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "mot hai ba bon nam", "new_password2": "mot hai ba bon nam"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("mot hai ba bon nam")


def test_password_reset_by_email_in_vietnamese(client, staff, django_capture_on_commit_callbacks):
    # The request hands the address to the worker (no mail, no lookup while the person waits) ...
    with (
        mock.patch("team.tasks.send_password_reset_links.apply_async") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("password_reset"), {"email": staff.email})
    assert response.status_code == 302 and mail.outbox == []
    assert publish.call_args.args[0] == (staff.email,)
    # ... which writes the link to the outbox, and the outbox mails it.
    passwords.send_reset_links(staff.email)
    delivery.deliver(Delivery.objects.get(notification__recipient=staff).pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.email]
    assert "mật khẩu" in message.subject.lower()
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "bay tam chin muoi", "new_password2": "bay tam chin muoi"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("bay tam chin muoi")


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302  # same answer as for a known address
    assert mail.outbox == []

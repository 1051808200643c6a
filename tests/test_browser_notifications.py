"""Browser journey: the team leader sees the unread badge, opens the inbox, follows a link."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from notifications.models import Notification
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_reads_a_notification_and_the_badge_goes_down(page, live_server, leader, team, member):
    from datetime import time, timedelta

    from django.utils import timezone

    from team import services
    from team.notices import send_duty_reminders

    tomorrow = timezone.localdate() + timedelta(days=1)
    with transaction.atomic():
        shift = services.schedule_shift(
            team=team, day=tomorrow, start=time(7, 30), end=time(17, 0), member=leader, backup=member
        )
    assert send_duty_reminders(now=shift.starts_at - timedelta(hours=23)) == 2
    unread = Notification.objects.filter(recipient=leader, read_at__isnull=True).count()
    assert unread == 2  # "you were appointed" and the duty reminder

    log_in(page, live_server.url, leader.username)
    badge = page.locator("[data-testid=unread-badge]")
    expect(badge).to_have_text(str(unread))

    page.locator("[data-testid=inbox-link]").click()
    expect(page.locator("h1")).to_have_text("Thông báo")
    first = page.locator("[data-testid=notification]").first
    title = first.locator("span").first.inner_text()
    first.click()

    expect(page).to_have_url(f"{live_server.url}/team/")  # the notification's link
    expect(badge).to_have_text(str(unread - 1))
    assert Notification.objects.get(recipient=leader, title=title).read_at is not None


def test_a_member_switches_off_reminder_emails(page, live_server, member):
    log_in(page, live_server.url, member.username)
    page.goto(f"{live_server.url}/notifications/preferences/")
    email_box = page.locator("input[value='team.duty_reminder:email']")
    expect(email_box).to_be_checked()
    email_box.uncheck()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("input[value='team.duty_reminder:email']")).not_to_be_checked()
    expect(page.locator("input[value='team.duty_reminder:in_app']")).to_be_checked()

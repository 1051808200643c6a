"""notify(), preferences, idempotent delivery, failure and retry, the sweep — in one process."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notifications import delivery, kinds, services
from notifications.models import Channel, Delivery, Notification, Preference

CRITICAL = kinds.Kind("test.critical", "Critical test notice", critical=True)


@pytest.fixture
def critical_templates(settings, tmp_path, monkeypatch):
    # Registered only for the test: the registry is the app's list of kinds, which other tests walk.
    monkeypatch.setitem(kinds._registry, CRITICAL.code, CRITICAL)
    folder = tmp_path / "notifications" / "test.critical"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Critical: {{ what }}")
    (folder / "body.txt").write_text("Something critical: {{ what }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def send(recipient, **extra):
    return services.notify(
        recipient=recipient,
        kind="team.membership_added",
        context={"membership": recipient.memberships.first(), "team": None},
        **extra,
    )


def test_a_rolled_back_transaction_sends_nothing(member, django_capture_on_commit_callbacks):
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            send(member, url="/team/")
            raise RuntimeError("the business action failed")
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert callbacks == []


def test_a_committed_notification_is_dispatched_after_commit(member, django_capture_on_commit_callbacks):
    with mock.patch("notifications.delivery.dispatch") as dispatch:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                notification = send(member, url="/team/")
                dispatch.assert_not_called()  # nothing leaves before the commit
    email = notification.deliveries.get(channel=Channel.EMAIL)
    dispatch.assert_called_once_with([email.pk])
    assert email.status == Delivery.Status.PENDING


def test_it_renders_in_the_recipients_language(member):
    member.language = "en"
    english = send(member)
    member.language = "vi"
    vietnamese = send(member)
    assert english.title.startswith("You were appointed")
    assert vietnamese.title != english.title and "Tổ viên" in vietnamese.title


def test_email_can_be_switched_off_but_the_inbox_keeps_it(member):
    Preference.objects.create(user=member, kind="team.membership_added", channel=Channel.EMAIL, enabled=False)
    notification = send(member)
    assert notification.show_in_inbox
    assert not notification.deliveries.exists()


def test_the_inbox_can_be_switched_off(member):
    Preference.objects.create(user=member, kind="team.membership_added", channel=Channel.IN_APP, enabled=False)
    notification = send(member)
    assert not notification.show_in_inbox
    assert (
        services.unread_count(member) == 0
        or not Notification.objects.for_inbox(member).filter(pk=notification.pk).exists()
    )


def test_critical_kinds_ignore_switched_off_preferences(member, critical_templates):
    for channel in Channel.values:
        Preference.objects.create(user=member, kind="test.critical", channel=channel, enabled=False)
    notification = services.notify(recipient=member, kind="test.critical", context={"what": "fire"})
    assert notification.show_in_inbox
    assert notification.deliveries.filter(channel=Channel.EMAIL).exists()
    services.save_preferences(member, enabled=set())
    assert Preference.objects.get(user=member, kind="test.critical", channel=Channel.EMAIL).enabled is False
    # ...stored as posted, but still not honoured for a critical kind:
    assert services.enabled_channels(member, CRITICAL) == {Channel.IN_APP, Channel.EMAIL}


def test_a_dedupe_key_sends_once_and_does_not_break_the_callers_transaction(member):
    with transaction.atomic():
        first = send(member, dedupe_key="once")
        second = send(member, dedupe_key="once")
        member.phone = "0900"
        member.save()  # the business transaction goes on after the duplicate
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=member, dedupe_key="once").count() == 1
    member.refresh_from_db()
    assert member.phone == "0900"


def test_nobody_notifies_an_inactive_account(member):
    member.is_active = False
    assert send(member) is None


# --- delivery ------------------------------------------------------------------------------


def test_delivering_twice_sends_one_email(member):
    item = send(member, url="/team/").deliveries.get()
    mail.outbox.clear()
    assert delivery.deliver(item.pk) == "sent"
    assert delivery.deliver(item.pk).startswith("skipped")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == item.notification.title
    assert "/team/" in message.body
    item.refresh_from_db()
    assert item.status == Delivery.Status.SENT and item.attempts == 1 and item.sent_at


def test_a_failing_send_is_recorded_then_marked_failed_and_can_be_retried(
    member, settings, django_capture_on_commit_callbacks
):
    from notifications.tasks import MAX_RETRIES, deliver_notification

    item = send(member).deliveries.get()
    settings.EMAIL_BACKEND = "tests.support.email_broken.BrokenBackend"
    with mock.patch.object(deliver_notification, "retry", side_effect=RuntimeError("retry scheduled")):
        with pytest.raises(RuntimeError, match="retry scheduled"):
            deliver_notification.apply(args=(item.pk,), throw=True).get()
    item.refresh_from_db()
    assert item.status == Delivery.Status.PENDING and item.attempts == 1
    assert "SMTP server said no" in item.last_error

    # The last allowed try fails too: the delivery is marked failed with its error.
    result = deliver_notification.apply(args=(item.pk,), retries=MAX_RETRIES).get()
    item.refresh_from_db()
    assert result.startswith("failed") and item.status == Delivery.Status.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with mock.patch("notifications.delivery.dispatch") as dispatch:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            assert delivery.retry(Delivery.objects.filter(pk=item.pk)) == 1
    dispatch.assert_called_once_with([item.pk])  # published again once the retry commits
    item.refresh_from_db()
    assert item.status == Delivery.Status.PENDING and item.attempts == 0 and item.last_error == ""
    assert delivery.deliver(item.pk) == "sent"


def test_dispatch_never_raises_when_the_broker_is_down(member):
    item = send(member).deliveries.get()
    with mock.patch("notifications.tasks.deliver_notification.apply_async", side_effect=OSError("refused")) as pub:
        assert delivery.dispatch([item.pk, item.pk + 1]) == 0
    assert pub.call_count == 1  # stops at the first failure instead of waiting again per row


def test_the_sweep_redispatches_only_rows_past_their_grace(member, staff):
    Notification.objects.all().delete()  # the appointment notice
    fresh = send(member).deliveries.get()
    stale = send(staff).deliveries.get()
    Delivery.objects.filter(pk=stale.pk).update(dispatch_after=timezone.now() - timedelta(seconds=1))
    with mock.patch("notifications.delivery.dispatch") as dispatch:
        assert delivery.redispatch_due() == 1
    dispatch.assert_called_once_with([stale.pk])
    stale.refresh_from_db()
    assert stale.dispatch_after > timezone.now()  # not picked again by the next sweep
    with mock.patch("notifications.delivery.dispatch"):
        assert delivery.redispatch_due() == 0
    assert fresh.status == Delivery.Status.PENDING


def test_the_status_command_prints_the_queue(member, capsys):
    Notification.objects.all().delete()  # the appointment notice
    send(member)
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    call_command("notifications_status")
    out = capsys.readouterr().out
    assert "pending: 1" in out and "failed:  0" in out
    assert "oldest pending: 3" in out  # about 300 s


def test_the_redispatch_command_runs_the_sweep(member, capsys):
    Notification.objects.all().delete()  # the appointment notice
    send(member)
    Delivery.objects.update(dispatch_after=timezone.now() - timedelta(minutes=1))
    with mock.patch("notifications.delivery.dispatch"):
        call_command("notifications_redispatch")
    assert "Re-dispatched 1 pending deliveries." in capsys.readouterr().out


def test_a_shared_kind_is_rendered_once_per_language(staff, member, leader, category):
    from datetime import timedelta as delta

    from incidents import services as incident_services

    now = timezone.now()
    incident = incident_services.file_incident(
        filed_by=staff,
        fields={
            "category": category,
            "occurred_at": now - delta(hours=1),
            "detected_at": now,
            "description": "x",
            "proposed_severity": 2,
        },
    )
    leader.language = "en"
    leader.save()
    with mock.patch("notifications.services.render_to_string", wraps=services.render_to_string) as render:
        sent = services.notify_many(
            recipients=[staff, member, leader], kind="incidents.filed", context={"incident": incident}, url="/x/"
        )
    assert len(sent) == 3
    assert render.call_count == 4  # subject + body, once in Vietnamese and once in English
    titles = {notification.recipient_id: notification.title for notification in sent}
    assert titles[staff.pk] == titles[member.pk] != titles[leader.pk]

"""Administrators see failed deliveries with their error and can put them back in the queue."""

from unittest import mock

from django.urls import reverse

from notifications.models import Delivery


def failed_delivery(member):
    item = Delivery.objects.get(notification__recipient=member)  # "you were added to the team"
    Delivery.objects.filter(pk=item.pk).update(
        status=Delivery.Status.FAILED, attempts=6, last_error="SMTPDataError: (554, 'SMTP server said no')"
    )
    return item


def test_failed_deliveries_are_listed_with_their_error(client, admin_user, member):
    failed_delivery(member)
    client.force_login(admin_user)
    page = client.get(reverse("admin:notifications_delivery_changelist") + "?status__exact=failed")
    assert page.status_code == 200
    assert "SMTP server said no" in page.content.decode()


def test_the_retry_action_queues_them_again(client, admin_user, member, django_capture_on_commit_callbacks):
    item = failed_delivery(member)
    client.force_login(admin_user)
    with mock.patch("notifications.delivery.dispatch") as dispatch, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_delivery_changelist"),
            {"action": "retry_deliveries", "_selected_action": [item.pk]},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Delivery.Status.PENDING and item.attempts == 0
    dispatch.assert_called_once_with([item.pk])


def test_only_administrators_reach_the_deliveries(client, leader, member):
    client.force_login(leader)
    for name in ("admin:notifications_delivery_changelist", "admin:notifications_notification_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

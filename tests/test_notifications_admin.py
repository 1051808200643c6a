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


def test_the_admin_never_tells_whose_report_a_status_notice_was(client, admin_user, staff, member):
    from notifications.models import Delivery, Notification

    # "The status of your report changed" goes to the reporter, who may be confidential.
    confidential = Notification.objects.create(
        recipient=staff,
        kind="incidents.status_changed",
        title="Báo cáo VV-2026-0007 của đồng chí đã được xử lý",
        body="Trạng thái: đã giải quyết",
        url="/incidents/7/",
    )
    Delivery.objects.create(notification=confidential, channel="email")
    ordinary = Notification.objects.create(
        recipient=member, kind="incidents.assigned", title="Giao vụ việc VV-2026-0008"
    )
    client.force_login(admin_user)
    notifications = reverse("admin:notifications_notification_changelist")
    listing = client.get(notifications).content.decode()
    assert ordinary.title in listing and member.full_name in listing
    assert confidential.title not in listing and staff.full_name not in listing
    link = reverse("admin:notifications_notification_change", args=[confidential.pk])
    for words in (staff.full_name, "VV-2026-0007"):  # searched by the person or by the report: not found
        assert link not in client.get(notifications, {"q": words}).content.decode()
    detail = client.get(link).content.decode()
    assert "VV-2026-0007" not in detail and staff.full_name not in detail and "/incidents/7/" not in detail
    deliveries = client.get(reverse("admin:notifications_delivery_changelist")).content.decode()
    assert "VV-2026-0007" not in deliveries and staff.full_name not in deliveries

"""Notification texts are plain text: the stored body and the e-mail say what people typed; the inbox escapes once."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from incidents import services as incident_services
from incidents.models import Category, Severity
from notifications import delivery
from notifications.models import Notification

TYPED = '"Tổ 1" & <b>'
ESCAPED_ONCE = "&quot;Tổ 1&quot; &amp; &lt;b&gt;"


def report(staff, category):
    now = timezone.now()
    return incident_services.file_incident(
        filed_by=staff,
        fields={
            "category": category,
            "occurred_at": now - timedelta(minutes=30),
            "detected_at": now,
            "description": f"Người lạ xưng là {TYPED} vào phòng họp",
            "proposed_severity": Severity.MEDIUM,
        },
    )


def test_the_mail_and_the_stored_text_say_what_was_typed(staff, leader, member):
    category = Category.objects.create(code="odd-name", name='Trộm "đồ" & <thiết bị>')
    report(staff, category)
    notification = Notification.objects.get(recipient=leader, kind="incidents.filed")
    assert TYPED in notification.body  # not &quot;Tổ 1&quot; &amp; &lt;b&gt;
    assert 'Trộm "đồ" & <thiết bị>' in notification.title
    assert "&quot;" not in notification.body + notification.title and "&amp;" not in notification.body

    mail.outbox.clear()
    assert delivery.deliver(notification.deliveries.get().pk) == "sent"
    message = mail.outbox[0]
    assert TYPED in message.body and "&" + "quot;" not in message.body
    assert 'Trộm "đồ" & <thiết bị>' in message.subject


def test_the_inbox_escapes_it_exactly_once(client, staff, leader, category):
    report(staff, category)
    client.force_login(leader)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert ESCAPED_ONCE in page  # shown as typed in the browser, never run as markup
    assert "<b>" not in page.split('data-testid="inbox"')[1]
    assert "&amp;quot;" not in page and "&amp;amp;" not in page and "&amp;lt;" not in page  # not twice


def test_english_readers_get_plain_text_too(staff, leader, category):
    leader.language = "en"
    leader.save()
    report(staff, category)
    notification = Notification.objects.get(recipient=leader, kind="incidents.filed")
    assert notification.title.startswith("New incident")
    assert TYPED in notification.body

"""Getting Delivery rows out: publish after commit, deliver idempotently, sweep what is stuck.

The Delivery row is the source of truth. Publishing a Celery task is only a wake-up call:
if the broker is down or hung, the row stays pending and the periodic sweep publishes it again.
"""

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import Channel, Delivery

log = logging.getLogger(__name__)

# A web request must never wait long for the broker: one quick retry, then give up and let
# the sweep publish the row later.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Rows the outbox sweep publishes a minute. A broker outage during an SLA sweep of 100,000
# overdue incidents leaves about 150,000 deliveries pending; in chunks (dispatch_in_bulk) this
# many cost a handful of messages, and the backlog is out in about a quarter of an hour.
SWEEP_BATCH = 10_000


def dispatch(delivery_ids: list[int]) -> int:
    """Publish one delivery task per id. Returns how many were published.

    Stops at the first broker error: the rest would only wait on the same dead broker, and
    every row stays pending for the sweep.
    """
    from notifications.tasks import deliver_notification

    published = 0
    for delivery_id in delivery_ids:
        try:
            deliver_notification.apply_async((delivery_id,), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        except Exception as error:  # kombu raises several types; none may break the caller
            left = len(delivery_ids) - published
            log.warning("Broker unavailable, %d deliveries left for the sweep: %s", left, error)
            break
        published += 1
    return published


# Publishing costs about 1 ms a message (measured with Redis: ~1,000 apply_async a second, almost
# all of it kombu and Celery in Python), so a sweep that wrote 300,000 deliveries would spend five
# minutes publishing them one by one. Past a handful, one message carries a chunk of ids and a
# worker publishes the single delivery tasks (dispatch_deliveries): each delivery keeps its own
# task, lock and retries.
FAN_OUT_FROM = 20
FAN_OUT_CHUNK = 500


def dispatch_in_bulk(delivery_ids: list[int]) -> int:
    """Publish many deliveries at once: one message per chunk of ids. Returns how many ids were published.

    Like dispatch(), never raises and stops at the first broker error: the rows stay pending
    and the sweep publishes them after their grace period.
    """
    if len(delivery_ids) < FAN_OUT_FROM:
        return dispatch(delivery_ids)
    from notifications.tasks import dispatch_deliveries

    published = 0
    for start in range(0, len(delivery_ids), FAN_OUT_CHUNK):
        chunk = delivery_ids[start : start + FAN_OUT_CHUNK]
        try:
            dispatch_deliveries.apply_async((chunk,), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        except Exception as error:  # as in dispatch(): nothing may break the caller
            left = len(delivery_ids) - published
            log.warning("Broker unavailable, %d deliveries left for the sweep: %s", left, error)
            break
        published += len(chunk)
    return published


class AlreadyHandled(Exception):
    pass


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is still pending. Safe to call any number of times.

    The row is locked while the message is sent and marked sent in the same transaction: a
    worker killed mid-send rolls back, the row stays pending and the redelivered task sends
    it once. A second task for the same row skips it (locked, or no longer pending).
    """
    with transaction.atomic():
        item = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if item is None:
            return "skipped: locked by another worker or deleted"
        if item.status != Delivery.Status.PENDING:
            return f"skipped: already {item.status}"
        send(item)
        item.status = Delivery.Status.SENT
        item.sent_at = timezone.now()
        item.attempts += 1
        item.last_error = ""
        item.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return "sent"


def send(item: Delivery) -> None:
    if item.channel != Channel.EMAIL:
        raise ValueError(f"No sender for channel {item.channel!r}")
    notification = item.notification
    body = f"{salutation(notification.recipient)}\n\n{notification.body}"
    if notification.url:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
    EmailMessage(
        subject=notification.title,
        body=body,
        to=[notification.recipient.email],
        headers={"X-TuQuan-Delivery": str(item.pk)},
    ).send()


def salutation(recipient) -> str:
    """The first line of every mail, in the recipient's language: the office's one form of address (README,
    "Notifications"). Only the mail has it: the inbox is the person's own, and the stored text stays shared."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        return gettext("Dear %(name)s,") % {"name": recipient.get_full_name()}


def record_failure(delivery_id: int, error: BaseException, *, final: bool, retry_in: timedelta) -> None:
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    updates = {"last_error": text[:2000], "dispatch_after": timezone.now() + retry_in + timedelta(minutes=2)}
    if final:
        updates["status"] = Delivery.Status.FAILED
    with transaction.atomic():
        item = Delivery.objects.select_for_update().filter(pk=delivery_id, status=Delivery.Status.PENDING).first()
        if item is None:
            return
        for field, value in updates.items():
            setattr(item, field, value)
        item.attempts += 1
        item.save(update_fields=[*updates, "attempts"])


def redispatch_due(now=None, batch: int = SWEEP_BATCH) -> int:
    """Publish again every pending delivery whose grace period is over. Returns the count.

    Bumps `dispatch_after` first (in its own transaction), so a second sweep running at the
    same moment picks other rows, and a broker still down costs one more grace period.
    """
    from notifications.services import DISPATCH_GRACE

    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.filter(status=Delivery.Status.PENDING, dispatch_after__lte=now)
            .order_by("dispatch_after")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch]
        )
        Delivery.objects.filter(pk__in=due).update(dispatch_after=now + DISPATCH_GRACE)
    if due:
        dispatch_in_bulk(due)
    return len(due)


@transaction.atomic
def retry(deliveries) -> int:
    """Admin action: put failed deliveries back in the queue now."""
    ids = list(deliveries.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, attempts=0, last_error="", dispatch_after=timezone.now()
    )
    transaction.on_commit(lambda: dispatch(ids))
    return len(ids)


def queue_state(now=None) -> dict:
    now = now or timezone.now()
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "pending": pending.count(),
        "failed": Delivery.objects.filter(status=Delivery.Status.FAILED).count(),
        "sent": Delivery.objects.filter(status=Delivery.Status.SENT).count(),
        "oldest_pending_age_seconds": int((now - oldest).total_seconds()) if oldest else None,
    }

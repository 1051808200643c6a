"""Celery tasks: thin adapters that take ids and call the delivery functions."""

import random
from datetime import timedelta

from celery import shared_task

from notifications import delivery

MAX_RETRIES = 5
BACKOFF_CAP_SECONDS = 60  # never schedule a countdown longer than this (see quality.md R7)


def backoff_seconds(retries: int) -> int:
    """5, 10, 20, 40, 60 s with jitter: a flaky SMTP server gets time, the queue does not stall."""
    return min(BACKOFF_CAP_SECONDS, 5 * 2**retries) + random.randint(0, 3)  # noqa: S311 (jitter, not crypto)


# The Delivery row records the outcome; a result in the backend would only fill Redis.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES, ignore_result=True)
def deliver_notification(self, delivery_id: int) -> str:
    try:
        return delivery.deliver(delivery_id)
    except Exception as error:
        final = self.request.retries >= self.max_retries
        countdown = backoff_seconds(self.request.retries)
        delivery.record_failure(delivery_id, error, final=final, retry_in=timedelta(seconds=countdown))
        if final:
            return f"failed: {error}"
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(expires=60, ignore_result=True)
def redispatch_pending_deliveries() -> int:
    return delivery.redispatch_due()


# A chunk of deliveries written at once (delivery.dispatch_in_bulk): publish their own tasks from
# the worker. Run twice (acks_late, a lost worker), it publishes twice; deliver() sends once.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def dispatch_deliveries(delivery_ids: list[int]) -> int:
    return delivery.dispatch(delivery_ids)

from celery import shared_task

from campaigns import reminders


@shared_task(expires=15 * 60, ignore_result=True)
def sweep_campaigns() -> dict:
    return reminders.sweep()

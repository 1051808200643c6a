from celery import shared_task

from evaluations import reminders


@shared_task(expires=60 * 60, ignore_result=True)
def sweep_evaluation_deadlines() -> dict:
    return reminders.sweep()

from celery import shared_task

from team import notices


@shared_task(expires=60, ignore_result=True)
def send_duty_reminders() -> int:
    return notices.send_duty_reminders()


@shared_task(expires=60 * 60, ignore_result=True)
def send_weekly_duty_summary() -> int:
    return notices.send_weekly_duty_summary()

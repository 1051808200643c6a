from celery import shared_task

from team import notices, passwords


@shared_task(expires=60, ignore_result=True)
def send_duty_reminders() -> int:
    return notices.send_duty_reminders()


@shared_task(expires=60 * 60, ignore_result=True)
def send_weekly_duty_summary() -> int:
    return notices.send_weekly_duty_summary()


@shared_task(ignore_result=True)
def send_password_reset_links(email: str) -> int:
    return passwords.send_reset_links(email)

from celery import shared_task

from dashboard import digest


@shared_task(expires=60 * 60, ignore_result=True)
def send_weekly_digest() -> int:
    return digest.send_weekly_digest()

from celery import shared_task

from duty import services


@shared_task(expires=5 * 60, ignore_result=True)
def flag_missing_handovers() -> int:
    return services.flag_missing_handovers()

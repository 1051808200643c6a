from celery import shared_task

from patrols import sweep


@shared_task(expires=5 * 60, ignore_result=True)
def check_ended_rounds() -> int:
    return sweep.check_ended_rounds()

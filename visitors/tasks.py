from celery import shared_task

from visitors import evening, retention


@shared_task(ignore_result=True)
def erase_expired_id_numbers() -> int:
    return retention.erase_expired_id_numbers()


@shared_task(expires=15 * 60, ignore_result=True)
def flag_visitors_still_inside() -> int:
    return evening.flag_visitors_still_inside()

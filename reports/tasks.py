from celery import shared_task

from reports import services


@shared_task(expires=60 * 60, ignore_result=True)
def create_monthly_draft() -> bool:
    return services.create_monthly_draft() is not None

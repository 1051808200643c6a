from celery import shared_task

from incidents import sla


@shared_task(expires=60, ignore_result=True)
def sweep_incident_deadlines() -> int:
    return sla.sweep()

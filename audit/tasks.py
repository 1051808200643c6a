from celery import shared_task

from audit import retention


@shared_task(ignore_result=True)
def purge_old_audit_entries() -> int:
    return retention.purge()

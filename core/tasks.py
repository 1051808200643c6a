from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def ping() -> str:
    """Round-trip probe: proves a worker is consuming from the broker."""
    return "pong"

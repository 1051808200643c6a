from celery import shared_task
from django.core.management import call_command

from core import ratelimit


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    """Nightly housekeeping: expired sessions, and rate-limit attempts no limit looks at any more."""
    call_command("clearsessions")
    ratelimit.purge()


@shared_task
def ping() -> str:
    """Round-trip probe: proves a worker is consuming from the broker."""
    return "pong"

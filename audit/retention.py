"""Purging audit entries older than the retention period (settings.AUDIT_RETENTION_DAYS). The purge leaves an entry.

The database refuses to delete audit rows (a trigger) unless the transaction says it is the purge
(`SET LOCAL tuquan.audit_purge = 'on'`): no other code path, and no stray SQL, can thin the log.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import Action, record


@transaction.atomic
def purge(now=None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL tuquan.audit_purge = 'on'")
    # QuerySet.delete() issues a plain DELETE; the model's own delete() is never called.
    removed, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    record(
        Action.PURGE,
        detail=f"{removed} entries older than {cutoff:%d/%m/%Y} ({settings.AUDIT_RETENTION_DAYS} days) purged",
    )
    return removed

"""Filing an incident in a test: through the real service, with plausible values for what the test does not check."""

from datetime import timedelta

from django.utils import timezone

from incidents import services
from incidents.models import Incident, Severity


def report(filed_by, category, *, uploads=(), **fields) -> Incident:
    now = timezone.now()
    return services.file_incident(
        filed_by=filed_by,
        fields={
            "category": category,
            "occurred_at": now - timedelta(hours=1),
            "detected_at": now,
            "description": "Mất máy tính xách tay ở phòng họp tầng 3",
            "proposed_severity": Severity.MEDIUM,
            **fields,
        },
        uploads=uploads,
    )

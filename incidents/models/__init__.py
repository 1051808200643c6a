from incidents.models.attachment import Attachment
from incidents.models.catalog import Category, Place
from incidents.models.escalation import EscalationLevel, SlaPolicy
from incidents.models.external import ExternalReport
from incidents.models.incident import Incident, ReferenceCounter, Severity, Status
from incidents.models.timeline import IncidentEvent

__all__ = [
    "Attachment",
    "Category",
    "EscalationLevel",
    "ExternalReport",
    "Incident",
    "IncidentEvent",
    "Place",
    "ReferenceCounter",
    "Severity",
    "SlaPolicy",
    "Status",
]

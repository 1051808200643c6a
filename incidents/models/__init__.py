from incidents.models.attachment import Attachment
from incidents.models.catalog import Category, Place
from incidents.models.incident import Incident, ReferenceCounter, Severity, Status
from incidents.models.timeline import IncidentEvent

__all__ = ["Attachment", "Category", "Incident", "IncidentEvent", "Place", "ReferenceCounter", "Severity", "Status"]

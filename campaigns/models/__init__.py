from campaigns.models.campaign import Audience, Campaign, Theme
from campaigns.models.participation import AbsenceReason, MaterialOpen, Participant
from campaigns.models.session import Material, Session

__all__ = ["AbsenceReason", "Audience", "Campaign", "Material", "MaterialOpen", "Participant", "Session", "Theme"]

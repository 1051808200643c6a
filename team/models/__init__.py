from team.models.duty import DutyShift
from team.models.membership import Membership
from team.models.office import Department, Office, Position
from team.models.team import Decision, OperatingRegulation, Team
from team.models.user import User

__all__ = [
    "Decision",
    "Department",
    "DutyShift",
    "Membership",
    "Office",
    "OperatingRegulation",
    "Position",
    "Team",
    "User",
]

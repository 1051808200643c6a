"""The header and signatures of "Phiếu báo cáo vụ việc", the printed incident (Nghị định 30/2020, Mẫu 1.4).

The sheet is a team document: the office is the managing body (top left, upright) and the security
team the issuer (bold, underlined), as ND 30/2020 Phụ lục I II.3 has it for a Tổ of an agency.
"""

from dataclasses import dataclass
from datetime import date

from evaluations.documents.layout import MOTTO, NATIONAL_NAME, place_date_line
from team.models import Membership
from team.selectors import current_team

DEFAULT_TEAM_NAME = "Tổ bảo vệ an ninh, trật tự cơ quan"


@dataclass(frozen=True)
class SheetHeader:
    managing_body: str
    issuer: str
    place_and_date: str
    leader: object  # the team leader (a User) who signs, or None while the team has none
    national_name: str = NATIONAL_NAME
    motto: str = MOTTO


def sheet_header(day: date) -> SheetHeader:
    """The header of a sheet printed on `day` (two queries: the team with its office, its leader)."""
    team = current_team()
    office = team.office if team else None
    leader = (
        Membership.objects.filter(team=team, role=Membership.Role.LEADER).active().with_people().first()
        if team
        else None
    )
    return SheetHeader(
        managing_body=(office.name if office else "").upper(),
        issuer=(team.name if team else DEFAULT_TEAM_NAME).upper(),
        place_and_date=place_date_line(office.place_name if office else "", day),
        leader=leader.user if leader else None,
    )

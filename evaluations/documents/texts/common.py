"""What every generated document shares: Vietnamese wording of dates, numbers and labels, the office's names,
the "Căn cứ" lines and the "Nơi nhận" ending.

The documents are official Vietnamese texts, so nothing here goes through gettext: a team leader who
reads TựQuản in English still prints a Vietnamese report. Labels of choices are therefore mapped
here rather than taken from `get_FOO_display()`, whose msgids are English.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from evaluations.models import Assessment, DocumentKind, IssuedDocument, MeetingParticipant, Rating
from evaluations.models import Evidence as Document
from team.models import Membership, Office, Position, Team, User
from team.selectors import current_team

STANDARD = "“An toàn về an ninh, trật tự”"
MOVEMENT = "phong trào toàn dân bảo vệ an ninh Tổ quốc"
PLACEHOLDER = "…"
END = "./."

RESULT = {
    Assessment.Result.MET: "Đạt",
    Assessment.Result.NOT_MET: "Chưa đạt",
    Assessment.Result.NOT_APPLICABLE: "Không áp dụng",
    Assessment.Result.PENDING: "Chưa đánh giá",
}

RATING = {
    Rating.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Rating.GOOD: "Hoàn thành tốt nhiệm vụ",
    Rating.COMPLETED: "Hoàn thành nhiệm vụ",
    Rating.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}
ADVANCED_COLLECTIVE = "Tập thể lao động tiên tiến"

# Codes of evaluations.services.movement.classification.
MOVEMENT_CLASS = {"excellent": "Xuất sắc", "good": "Khá", "average": "Trung bình", "weak": "Yếu"}

REGISTRATION_KIND = {
    Document.DocumentKind.PARTY_RESOLUTION: "Nghị quyết",
    Document.DocumentKind.SECURITY_PLAN: "Kế hoạch",
    Document.DocumentKind.REGISTRATION_PLEDGE: "Bản đăng ký",
    Document.DocumentKind.COORDINATION: "Quy chế phối hợp",
}

PARTICIPANT_ROLE = {
    MeetingParticipant.Role.LEADERSHIP: "Lãnh đạo Văn phòng",
    MeetingParticipant.Role.PARTY_COMMITTEE: "Đại diện cấp ủy",
    MeetingParticipant.Role.TRADE_UNION: "Đại diện Công đoàn",
    MeetingParticipant.Role.YOUTH_UNION: "Đại diện Đoàn Thanh niên",
    MeetingParticipant.Role.TEAM: "Tổ bảo vệ an ninh, trật tự cơ quan",
    MeetingParticipant.Role.WARD_POLICE: "Đại diện Công an phường",
    MeetingParticipant.Role.MANAGING_AUTHORITY: "Đại diện cơ quan quản lý",
    MeetingParticipant.Role.DEPARTMENT: "Lãnh đạo các phòng, đơn vị",
    MeetingParticipant.Role.OTHER: "Thành phần khác",
}

CHIEF_TITLE = "Chánh Văn phòng"
DEPUTY_CHIEF_TITLE = "Phó Chánh Văn phòng"

# Lines a generated body must not start with, or body.py would read them as markup.
_MARKUP_START = re.compile(r"^(\|+|##\s+)")


@dataclass
class Texts:
    """The editable parts of a document. `body` starts with its "Căn cứ …" lines, if any (see `split_bases`)."""

    summary: str
    body: str
    addressees: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


@dataclass
class OfficeInfo:
    """The office and its team as printed on documents. Built once per document (three queries)."""

    office: Office | None
    team: Team | None
    members: list[Membership]
    chief: User | None

    @property
    def name(self) -> str:
        return self.office.name if self.office else "Văn phòng"

    @property
    def abbreviation(self) -> str:
        return self.office.abbreviation if self.office else ""

    @property
    def team_name(self) -> str:
        return self.team.name if self.team else "Tổ bảo vệ an ninh, trật tự cơ quan"

    @property
    def team_abbreviation(self) -> str:
        return (self.team.abbreviation if self.team else "") or self.abbreviation

    def member(self, role: str) -> User | None:
        return next((m.user for m in self.members if m.role == role), None)


def office_info() -> OfficeInfo:
    team = current_team()
    members = list(Membership.objects.filter(team=team).active().with_people().in_roster_order()) if team else []
    return OfficeInfo(office=team.office if team else Office.objects.first(), team=team, members=members, chief=chief())


def chief() -> User | None:
    """The Chief of Office: the default signer of every document."""
    return (
        User.objects.filter(is_active=True, position__kind=Position.Kind.CHIEF)
        .select_related("position")
        .order_by("pk")
        .first()
    )


def issuer_name(office: Office | None) -> str:
    """The issuing body as printed under the managing body: "Văn phòng UBND tỉnh Bình An" → "Văn phòng"."""
    if office is None:
        return "Văn phòng"
    name = office.name.strip()
    managing = office.managing_body.strip()
    candidates = [managing]
    if managing.upper().startswith("UBND "):
        candidates.append("Ủy ban nhân dân " + managing[5:])
    for suffix in candidates:
        if suffix and name.lower().endswith(" " + suffix.lower()):
            return name[: -len(suffix)].strip()
    return name


def province(office: Office | None) -> str:
    """'UBND tỉnh Bình An' → 'tỉnh Bình An' (for "Công an tỉnh Bình An")."""
    managing = office.managing_body.strip() if office else ""
    for prefix in ("UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân "):
        if managing.startswith(prefix):
            return managing[len(prefix) :]
    return "tỉnh"


# --- wording of values ---------------------------------------------------------------------


def day(value: date | None) -> str:
    """dd/mm/yyyy, or a blank to fill in."""
    return value.strftime("%d/%m/%Y") if value else PLACEHOLDER


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def clock(moment: datetime | None) -> str:
    """'lúc 08:15 ngày 05/03/2026' in the office's time."""
    if moment is None:
        return f"lúc {PLACEHOLDER} ngày {PLACEHOLDER}"
    moment = local(moment)
    return f"lúc {moment:%H:%M} ngày {moment:%d/%m/%Y}"


def hours_and_minutes(seconds: float) -> str:
    """5400 → '1 giờ 30 phút'; 2700 → '45 phút'; 7200 → '2 giờ'."""
    minutes = max(round(seconds / 60), 0)
    hours, minutes = divmod(minutes, 60)
    parts = ([f"{hours} giờ"] if hours else []) + ([f"{minutes} phút"] if minutes or not hours else [])
    return " ".join(parts)


def number(value: Decimal | float | int | None) -> str:
    """Vietnamese decimals: 2.5 → '2,5', 3.00 → '3', 93.5 → '93,5'; None → a blank."""
    if value is None:
        return PLACEHOLDER
    value = Decimal(str(value))
    text = f"{value.normalize():f}" if value != value.to_integral_value() else str(int(value))
    return text.replace(".", ",")


def percent(value: float) -> str:
    return f"{number(round(value, 1))}%"


def count(value: int) -> str:
    """Counts below ten get a leading zero in Vietnamese administrative style: 01 vụ, 12 vụ."""
    return f"{value:02d}"


def inline(text: str) -> str:
    """Free text from the records on one line, so it cannot break the body's markup."""
    return " ".join(text.split())


def without_end(text: str) -> str:
    return inline(text).rstrip(" .;")


def paragraphs(text: str) -> list[str]:
    """Free text as body paragraphs: one per line, never read as a table row or a bold marker."""
    return [_MARKUP_START.sub("", line.strip()) for line in text.splitlines() if line.strip()]


def result(assessment) -> str:
    return RESULT.get(assessment.result, RESULT[Assessment.Result.PENDING])


def rating(unit_rating) -> str:
    """'Tập thể lao động tiên tiến, Hoàn thành tốt nhiệm vụ' or '' when nothing is recorded."""
    if unit_rating is None:
        return ""
    parts = [ADVANCED_COLLECTIVE] if unit_rating.advanced_collective else []
    if unit_rating.rating:
        parts.append(RATING.get(unit_rating.rating, unit_rating.rating))
    return ", ".join(parts)


def cite(kind: str, document) -> str:
    """'Nghị quyết số 05-NQ/CB ngày 10/01/2026' for a recorded document (Evidence or IssuedDocument)."""
    if isinstance(document, IssuedDocument):
        return f"{kind} số {document.number_text} ngày {day(document.issued_on)}"
    text = f"{kind} số {document.number}" if document.number else (inline(document.title) or kind)
    return f"{text} ngày {day(document.dated)}" if document.dated else text


def numbered_reference(kind: str, issued: IssuedDocument | None, symbol: str) -> str:
    """'Báo cáo số 05/BC-VP ngày 20/11/2026', or 'Báo cáo số …/BC-VP' while it is not issued."""
    if issued is None:
        return f"{kind} số {PLACEHOLDER}/{symbol}"
    return cite(kind, issued)


def latest_issued(evaluation, kind: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(draft__evaluation=evaluation, draft__kind=kind)
        .order_by("-issued_at", "-version")
        .first()
    )


def bases(evaluation, *extra: str) -> list[str]:
    """'Căn cứ …;' lines: the criteria set's legal basis, then `extra`; the last one ends with '.'."""
    lines = [line.strip().rstrip(";.") for line in evaluation.criteria_set.legal_basis.splitlines() if line.strip()]
    lines += [line.rstrip(";.") for line in extra if line]
    return basis_lines(lines)


def basis_lines(lines: list[str]) -> list[str]:
    out = [line if line.startswith("Căn cứ") else f"Căn cứ {line}" for line in lines]
    return [f"{line}{'.' if index == len(out) - 1 else ';'}" for index, line in enumerate(out)]


def recipients(info: OfficeInfo, *first: str) -> list[str]:
    """'Nơi nhận' lines; the last is 'Lưu: VT, <team abbreviation>.'"""
    return [*(line for line in first if line), f"Lưu: VT, {info.team_abbreviation}."]


def symbol(kind: str, info: OfficeInfo) -> str:
    code = TYPE_CODES.get(kind)
    return f"{code}-{info.abbreviation}" if code and info.abbreviation else (code or "")


def join(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line is not None)


TYPE_CODES = {
    DocumentKind.PLEDGE: "ĐK",
    DocumentKind.REPORT: "BC",
    DocumentKind.SUBMISSION: "TTr",
    DocumentKind.MINUTES: "BB",
    DocumentKind.COMMENDATION: "TTr",
}

TYPE_NAMES = {
    DocumentKind.PLEDGE: "Bản đăng ký",
    DocumentKind.REPORT: "Báo cáo",
    DocumentKind.SUBMISSION: "Tờ trình",
    DocumentKind.MINUTES: "Biên bản",
    DocumentKind.SCORE_SHEET: "Bảng chấm điểm",
    DocumentKind.COMMENDATION: "Tờ trình",
}

"""The annual cycle's default dates and bodies (domain.md §1.5). Each evaluation stores its own copy.

TT 124 Điều 8.2.b: the window runs from 16/11 of the previous year to 15/11. The recognising body
must decide "before 20/11" (Điều 9.1.c) and agencies close the movement classification "before
30/11" (QĐ 510 Điều 11), so those deadlines are the 19th and the 29th. Provinces often set earlier
internal dates and TT 48/2025 moved the reception of dossiers: the team changes them per year.
"""

from datetime import date

from evaluations.models import Stage

K = Stage.Kind

# kind, (month, day) of the evaluation year
STAGE_DEADLINES = [
    (K.REGISTRATION, (3, 31)),  # Quarter I
    (K.SELF_ASSESSMENT, (10, 31)),
    (K.MEETING, (11, 10)),
    (K.DOSSIER, (11, 15)),
    (K.DECISION, (11, 19)),
    (K.MOVEMENT, (11, 29)),
]

DEFAULT_RECEIVING_BODY = (
    "Công an tỉnh (Phòng Xây dựng phong trào bảo vệ an ninh Tổ quốc), Thường trực Ban Chỉ đạo phòng, chống tội "
    "phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc tỉnh"
)


def default_window(year: int) -> tuple[date, date]:
    return date(year - 1, 11, 16), date(year, 11, 15)


def evaluation_year_of(day: date) -> int:
    """The evaluation year whose window holds `day`: from 16/11 on, a day counts for the next year."""
    return day.year + 1 if (day.month, day.day) >= (11, 16) else day.year


def default_recognising_body(managing_body: str) -> str:
    """'UBND tỉnh Bình An' → 'Ủy ban nhân dân tỉnh Bình An' (TT 124 Điều 10.3: the provincial People's Committee)."""
    name = managing_body.strip()
    for short in ("UBND ", "Ubnd "):
        if name.startswith(short):
            return "Ủy ban nhân dân " + name[len(short) :]
    return name or "Ủy ban nhân dân tỉnh"

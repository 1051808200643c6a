"""The report as a Nghị định 30/2020 .docx (evaluations/documents/layout.py) and as Excel tables.

Both print the figures of dashboard.figures for the report's period, as the viewer may see them, and the
notable incidents of the period: high or critical, escalated, or reported to an authority. The document is
an official Vietnamese text, so it is written in Vietnamese whatever language its reader uses.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation

from campaigns.models import Campaign
from core.spreadsheets import xlsx_book
from dashboard import figures
from evaluations.documents.layout import OfficialDocument, Signature, render
from evaluations.documents.texts.common import END, number, office_info, paragraphs
from incidents.models import ExternalReport, Severity
from reports.models import ReportKind

TITLE = {
    ReportKind.MONTHLY: "tháng {start:%m/%Y}",
    ReportKind.QUARTERLY: "quý {quarter} năm {start:%Y}",
    ReportKind.SIX_MONTH: "6 tháng {part} năm {start:%Y}",
    ReportKind.ANNUAL: "năm {end:%Y} (từ {start:%d/%m/%Y} đến {end:%d/%m/%Y})",
}
# Table titles, also the Excel sheets' names (at most 31 characters).
FIGURE_TABLES = [
    "Tổng hợp",
    "Theo tháng",
    "Theo loại vụ việc",
    "Theo mức độ",
    "Theo địa điểm",
    "Thời gian tiếp nhận, giải quyết",
    "Chuyển cấp",
    "Báo cáo cơ quan có thẩm quyền",
]
NOTABLE = "Vụ việc đáng chú ý"
CAMPAIGNS = "Đợt tuyên truyền"
COVERAGE = "Bao phủ tuyên truyền theo phòng"
DUTY_GAPS = "Ngày không có người trực"
TYPE_CODE = "BC"  # Báo cáo (Nghị định 30/2020, Phụ lục III)
NOTABLE_LIMIT = 200  # a month has a handful; a busy year stays printable


@dataclass
class Tables:
    """Every table of the report: (title, header, rows), in the order printed."""

    items: list[tuple[str, list[str], list[list]]]


def period_words(report) -> str:
    start, end = report.starts_on, report.ends_on
    return TITLE[report.kind].format(
        start=start,
        end=end,
        quarter=(start.month - 1) // 3 + 1,
        part="đầu" if start.month == 1 else "cuối",
    )


def notable_incidents(report, viewer):
    reported = ExternalReport.objects.filter(incident=OuterRef("pk"))
    return (
        figures.incidents(report.period, figures.Filters(), viewer)
        .annotate(reported=Exists(reported))
        .filter(Q(severity__gte=Severity.HIGH) | Q(escalation_level__gt=0) | Q(reported=True))
        .select_related("category")
        .order_by("created_at", "pk")
    )


def tables(report, viewer) -> Tables:
    """The figures as tables, with Vietnamese labels."""
    period, filters = report.period, figures.Filters()
    with translation.override("vi"):
        summary = figures.summary(period, filters, viewer)
        items = [
            (
                "Tổng hợp",
                ["Chỉ tiêu", "Số vụ"],
                [
                    ["Vụ việc tiếp nhận trong kỳ", summary.filed],
                    ["Còn đang xử lý", summary.open],
                    ["Quá hạn", summary.overdue],
                    ["Đang chuyển cấp", summary.escalated],
                    ["Chưa tiếp nhận", summary.unacknowledged],
                ],
            ),
            (
                "Theo tháng",
                ["Tháng", "Số vụ", "Cùng kỳ năm trước"],
                [[f"{m.month:%m/%Y}", m.count, m.last_year] for m in figures.by_month(period, filters, viewer)],
            ),
            (
                "Theo loại vụ việc",
                ["Loại vụ việc", "Số vụ"],
                [[s.name, s.count] for s in figures.by_category(period, filters, viewer)],
            ),
            (
                "Theo mức độ",
                ["Mức độ", "Số vụ"],
                [[str(Severity(s.key).label), s.count] for s in figures.by_severity(period, filters, viewer)],
            ),
            (
                "Theo địa điểm",
                ["Địa điểm", "Số vụ"],
                [[s.name or "Không ghi địa điểm", s.count] for s in figures.by_place(period, filters, viewer)],
            ),
            (
                "Thời gian tiếp nhận, giải quyết",
                [
                    "Mức độ",
                    "Đã tiếp nhận",
                    "Tiếp nhận: trung vị (phút)",
                    "Tiếp nhận: 90% (phút)",
                    "Tiếp nhận đúng hạn (%)",
                    "Đã giải quyết",
                    "Giải quyết: trung vị (phút)",
                    "Giải quyết: 90% (phút)",
                    "Giải quyết đúng hạn (%)",
                ],
                [_times_row(times) for times in figures.response_times(period, filters, viewer)],
            ),
            (
                "Chuyển cấp",
                ["Cấp", "Số vụ"],
                [
                    [share.name or f"Cấp {share.key}", share.count]
                    for share in figures.escalations_by_level(period, filters, viewer)
                ],
            ),
            (
                "Báo cáo cơ quan có thẩm quyền",
                ["Cơ quan", "Số vụ"],
                [
                    [str(ExternalReport.Agency(s.key).label), s.count]
                    for s in figures.authority_reports(period, filters, viewer)
                ],
            ),
            (
                NOTABLE,
                ["Số hiệu", "Thời gian tiếp nhận", "Loại", "Mức độ", "Trạng thái", "Nội dung"],
                [
                    [
                        incident.reference,
                        timezone.localtime(incident.created_at),
                        incident.category.name,
                        incident.get_severity_display(),
                        incident.get_status_display(),
                        _short(incident.description),
                    ]
                    for incident in notable_incidents(report, viewer)[:NOTABLE_LIMIT]
                ],
            ),
            (
                CAMPAIGNS,
                ["Đợt tuyên truyền", "Từ ngày", "Đến ngày"],
                [
                    [c.title, c.starts_on, c.ends_on]
                    for c in Campaign.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start)
                    .exclude(status=Campaign.Status.DRAFT)
                    .order_by("starts_on", "pk")
                ],
            ),
            (
                COVERAGE,
                ["Phòng, đơn vị", "Số người", "Đã được tuyên truyền", "Tỷ lệ (%)"],
                [
                    [name, row.staff, row.briefed, row.percent]
                    for _key, name, row in figures.coverage_by_department(period, filters, viewer)
                ],
            ),
            (
                DUTY_GAPS,
                ["Ngày"],
                [[day] for day in figures.days_without_duty(period, filters, viewer)],
            ),
        ]
    return Tables(items)


def _times_row(times) -> list:
    severity = str(Severity(times.severity).label) if times.severity is not None else "Tất cả"
    ack, resolve = times.acknowledge, times.resolve
    return [
        severity,
        ack.count,
        _blank(ack.median),
        _blank(ack.p90),
        _blank(ack.percent_in_time),
        resolve.count,
        _blank(resolve.median),
        _blank(resolve.p90),
        _blank(resolve.percent_in_time),
    ]


def _blank(value):
    # No incident stopped the clock: a dash rather than a zero that would read as "at once".
    return "—" if value is None else value


def _short(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _cell(value) -> str:
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M %d/%m/%Y") if hasattr(value, "hour") else value.strftime("%d/%m/%Y")
    if isinstance(value, float | Decimal):
        return number(value)
    return str(value).replace("|", "/")


def _table_lines(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| STT | " + " | ".join(header) + " |"]
    lines += [f"| {index} | " + " | ".join(_cell(value) for value in row) + " |" for index, row in enumerate(rows, 1)]
    return lines


def body(report, data: Tables) -> str:
    sections = dict((title, (header, rows)) for title, header, rows in data.items)
    lines = ["I. TÌNH HÌNH AN NINH, TRẬT TỰ TẠI CƠ QUAN"]
    for index, title in enumerate(FIGURE_TABLES, 1):
        header, rows = sections[title]
        lines.append(f"## {index}. {title}")
        lines += _table_lines(header, rows) if rows else ["Không có."]
    lines.append("II. VỤ VIỆC ĐÁNG CHÚ Ý")
    lines.append("Vụ việc mức độ cao, đặc biệt nghiêm trọng, đã chuyển cấp hoặc đã báo cơ quan có thẩm quyền.")
    header, rows = sections[NOTABLE]
    lines += _table_lines(header, rows) if rows else ["Không có."]
    lines.append("III. TUYÊN TRUYỀN, PHỔ BIẾN PHÁP LUẬT")
    for title in (CAMPAIGNS, COVERAGE):
        header, rows = sections[title]
        lines.append(f"## {title}")
        lines += _table_lines(header, rows) if rows else ["Không có."]
    lines.append("IV. CÔNG TÁC TRỰC BẢO VỆ")
    gaps = sections[DUTY_GAPS][1]
    if gaps:
        lines.append(f"Có {len(gaps)} ngày không có người trực: " + ", ".join(_cell(row[0]) for row in gaps) + ".")
    else:
        lines.append("Tất cả các ngày trong kỳ đều có người trực.")
    for heading, text in (
        ("V. KẾT QUẢ ĐẠT ĐƯỢC", report.achievements),
        ("VI. TỒN TẠI, HẠN CHẾ", report.shortcomings),
        ("VII. ĐỀ XUẤT, KIẾN NGHỊ", report.proposals),
    ):
        lines.append(heading)
        lines += paragraphs(text) or ["…"]
    lines[-1] = lines[-1].rstrip(" .") + END
    return "\n".join(lines)


def docx_bytes(report, viewer) -> bytes:
    info = office_info()
    leader = info.member("leader")
    document = OfficialDocument(
        managing_body=info.name,
        issuer=info.team_name,
        type_name="Báo cáo",
        summary=f"Kết quả công tác bảo vệ an ninh, trật tự {period_words(report)}",
        symbol=symbol(info),
        number=report.number,
        place=_place(info),
        issued_on=report.issued_on,
        year=report.ends_on.year,
        addressees=["Lãnh đạo Văn phòng."],
        body=body(report, tables(report, viewer)),
        signatures=[Signature(title="Tổ trưởng", name=leader.get_full_name() if leader else "")],
        recipients=["Như trên;", f"Lưu: VT, {info.team_abbreviation}."],
        draft=not report.is_issued,
    )
    return render(document)


def symbol(info) -> str:
    return f"{TYPE_CODE}-{info.team_abbreviation}" if info.team_abbreviation else TYPE_CODE


def _place(info) -> str:
    return info.office.place_name if info.office else ""


def xlsx_bytes(report, viewer) -> bytes:
    return xlsx_book([(title, [header, *rows]) for title, header, rows in tables(report, viewer).items])


def file_name(report, extension: str) -> str:
    return f"bao-cao-{report.kind}-{report.starts_on:%Y-%m-%d}.{extension}"

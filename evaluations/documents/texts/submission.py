"""Tờ trình đề nghị xét duyệt, công nhận (evaluation-documents.md §5).

It cites the report and the minutes by their issued numbers, so it is issued after both (the service
refuses before); generated earlier, it leaves "…" where the numbers will go.
"""

from evaluations.models import DocumentKind, Meeting
from evaluations.models import Evidence as Document

from . import common as c
from .facts import Facts


def submission(evaluation) -> c.Texts:
    facts = Facts(evaluation)
    info = facts.info
    report = c.latest_issued(evaluation, DocumentKind.REPORT)
    minutes = c.latest_issued(evaluation, DocumentKind.MINUTES)
    report_ref = c.numbered_reference("Báo cáo", report, c.symbol(DocumentKind.REPORT, info))
    minutes_ref = c.numbered_reference("Biên bản", minutes, c.symbol(DocumentKind.MINUTES, info))
    recognising = evaluation.recognising_body.strip().rstrip(".;")
    lines = c.bases(evaluation, f"{minutes_ref} họp đánh giá, xét đề nghị công nhận của {facts.office}")
    figures = facts.figures
    criterion_3 = (
        "không để xảy ra các trường hợp quy định tại tiêu chí 3"
        if figures.incidents.disqualifying == 0
        else f"có {figures.incidents.disqualifying} trường hợp thuộc tiêu chí 3"
    )
    lines.append(
        f"Trong kỳ đánh giá ({facts.window}), {facts.office} đã triển khai thực hiện các tiêu chí xây dựng cơ quan "
        f"đạt tiêu chuẩn {c.STANDARD} năm {facts.year}. Kết quả: {facts.holding_line}; {criterion_3}; "
        f"{facts.briefing_line} được phổ biến, quán triệt; {facts.units_line} đạt “Hoàn thành tốt nhiệm vụ” "
        f"trở lên; tự chấm điểm {c.MOVEMENT}: {facts.movement_line} (chi tiết tại {report_ref})."
    )
    lines.append(_meeting_sentence(facts, minutes_ref))
    proposal = (
        f"{facts.office} kính trình {recognising} xem xét, công nhận {facts.office} đạt tiêu chuẩn {c.STANDARD} "
        f"năm {facts.year}"
    )
    if facts.movement_class:
        proposal += f" và phân loại {c.MOVEMENT} năm {facts.year} đạt loại {facts.movement_class}"
    lines.append(proposal + ".")
    lines.append("## Hồ sơ kèm theo:")
    attached = [report_ref, minutes_ref]
    pledge = facts.registration_citation(Document.DocumentKind.REGISTRATION_PLEDGE)
    attached.append(pledge or "Bản đăng ký phấn đấu đạt tiêu chuẩn")
    attached += [
        facts.registration_citation(kind)
        for kind in (Document.DocumentKind.PARTY_RESOLUTION, Document.DocumentKind.SECURITY_PLAN)
        if facts.registration(kind)
    ]
    attached.append(f"Bảng chấm điểm {c.MOVEMENT} năm {facts.year}")
    lines += [f"- {item};" for item in attached[:-1]] + [f"- {attached[-1]}."]
    lines.append(f"Kính trình {recognising} xem xét, quyết định{c.END}")
    return c.Texts(
        summary=f"Đề nghị xét duyệt, công nhận {facts.office} đạt tiêu chuẩn {c.STANDARD} năm {facts.year}",
        addressees=[f"{recognising}."],
        body=c.join(lines),
        recipients=c.recipients(info, "Như trên;", f"{evaluation.receiving_body.strip().rstrip('.;')};"),
    )


def _meeting_sentence(facts: Facts, minutes_ref: str) -> str:
    meeting = Meeting.objects.filter(evaluation=facts.evaluation).first()
    when = c.day(c.local(meeting.starts_at).date()) if meeting and meeting.starts_at else c.PLACEHOLDER
    text = (
        f"Ngày {when}, {facts.office} đã tổ chức họp đánh giá, xét đề nghị công nhận với sự tham gia của đại diện "
        f"cấp ủy, các đoàn thể, lực lượng bảo vệ cơ quan và Công an phường ({minutes_ref})"
    )
    present = meeting.present if meeting else 0
    if meeting and meeting.votes_for is not None and present:
        text += f"; hội nghị biểu quyết tán thành {meeting.votes_for}/{present} đề nghị công nhận"
    return text + "."

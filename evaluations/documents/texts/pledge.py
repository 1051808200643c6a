"""Bản đăng ký phấn đấu đạt tiêu chuẩn "An toàn về an ninh, trật tự" (Quarter I; evaluation-documents.md §1).

The office's profile, then one commitment per criterion of the evaluation's set in its legal wording
(criterion 3 with its items a–h), the movement target and the closing request.
"""

from evaluations.models import Criterion
from evaluations.models import Evidence as Document

from . import common as c
from .facts import Facts


def pledge(evaluation) -> c.Texts:
    facts = Facts(evaluation)
    info = facts.info
    recognising = evaluation.recognising_body.strip().rstrip(".;")
    receiving = evaluation.receiving_body.strip().rstrip(".;")
    lines = c.bases(
        evaluation,
        facts.registration_citation(Document.DocumentKind.PARTY_RESOLUTION),
        facts.registration_citation(Document.DocumentKind.SECURITY_PLAN),
    )
    lines += _profile(facts)
    lines.append(f"{facts.office} đăng ký phấn đấu đạt tiêu chuẩn {c.STANDARD} năm {facts.year}, với các nội dung sau:")
    criteria = [a.criterion for a in facts.assessments]
    items = _items(evaluation)
    for number, criterion in enumerate(criteria, start=1):
        lines.append(f"## {number}. Tiêu chí {criterion.code}: {criterion.title}")
        lines += c.paragraphs(criterion.text)
        children = items.get(criterion.pk, [])
        lines += [f"{child.tt124_item or child.code}) {c.inline(child.text)}" for child in children]
        if criterion.evidence == Criterion.Evidence.BRIEFING and info.team:
            model = f"Mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc duy trì: {info.team.name}"
            decision = info.team.establishment_decision
            if decision:
                model += f" (Quyết định thành lập số {decision.number} ngày {c.day(decision.signed_on)})"
            lines.append(model + ".")
    lines.append(f"## {len(criteria) + 1}. Phong trào toàn dân bảo vệ an ninh Tổ quốc")
    lines.append(
        f"Thu hút 90% trở lên cán bộ, công chức, viên chức, người lao động tham gia {c.MOVEMENT}; phấn đấu phân loại "
        "phong trào đạt loại Xuất sắc."
    )
    lines.append(
        f"Đề nghị {recognising} theo dõi, hướng dẫn, kiểm tra, đánh giá và xem xét công nhận {facts.office} đạt "
        f"tiêu chuẩn {c.STANDARD} năm {facts.year}{c.END}"
    )
    return c.Texts(
        summary=f"Phấn đấu đạt tiêu chuẩn {c.STANDARD} năm {facts.year}",
        addressees=[f"{recognising};", f"{receiving}."],
        body=c.join(lines),
        recipients=c.recipients(info, "Như trên;", "Lãnh đạo Văn phòng;"),
    )


def _profile(facts: Facts) -> list[str]:
    info, office = facts.info, facts.info.office
    lines = [f"- Tên cơ quan: {facts.office};"]
    if office and office.address:
        lines.append(f"- Địa chỉ: {c.inline(office.address)};")
    if info.chief:
        title = info.chief.position.name if info.chief.position_id else c.CHIEF_TITLE
        lines.append(f"- Người đứng đầu: đồng chí {info.chief.full_name}, {title};")
    lines.append(f"- Số cán bộ, công chức, viên chức, người lao động: {facts.figures.briefing.staff} người;")
    lines.append(f"- Số phòng, đơn vị trực thuộc: {facts.figures.units.total};")
    if info.team:
        lines.append(f"- Lực lượng bảo vệ cơ quan: {info.team.name}, gồm {len(info.members)} thành viên;")
    if office and office.phone:
        lines.append(f"- Điện thoại: {c.inline(office.phone)};")
    lines[-1] = lines[-1][:-1] + "."
    return lines


def _items(evaluation) -> dict[int, list[Criterion]]:
    items: dict[int, list[Criterion]] = {}
    for item in Criterion.objects.filter(
        criteria_set_id=evaluation.criteria_set_id, parent__isnull=False, is_active=True
    ):
        items.setdefault(item.parent_id, []).append(item)
    return items

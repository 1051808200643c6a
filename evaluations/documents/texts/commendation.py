"""Tờ trình đề nghị khen thưởng (evaluation-documents.md §7): the nominee, the form and kind of award, the
achievement in the proposer's words, the incidents and campaigns behind it and the year's evaluation result.

Numbered in the office's Tờ trình series, shared with the evaluation's submission ("TTr-VP").
"""

from evaluations.models import Commendation
from evaluations.results import outcome

from . import common as c

F, K = Commendation.Form, Commendation.Kind

FORM = {
    F.CHIEF_CERTIFICATE: "Giấy khen của Chánh Văn phòng",
    F.PROVINCE_MERIT: "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
    F.POLICE_CERTIFICATE: "Giấy khen của Giám đốc Công an tỉnh",
    F.MINISTER_MERIT: "Bằng khen của Bộ trưởng Bộ Công an",
    F.SECURITY_MEDAL: "Kỷ niệm chương “Bảo vệ an ninh Tổ quốc”",
}
KIND = {
    K.REGULAR: "khen thưởng thường xuyên (thành tích năm)",
    K.THEMATIC: "khen thưởng theo đợt (chuyên đề)",
    K.AD_HOC: "khen thưởng đột xuất",
}


def commendation(proposal: Commendation) -> c.Texts:
    info = c.office_info()
    office = info.name
    addressee = _addressee(proposal.form, info)
    nominee = _nominee(proposal)
    form = FORM.get(proposal.form, proposal.form)
    lines = c.basis_lines(["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"])
    lines.append(
        f"Xét thành tích trong công tác bảo đảm an ninh, trật tự và {c.MOVEMENT} năm {proposal.year}, {office} "
        f"kính trình {addressee} xem xét, {_verb(proposal.form)} {form} cho {nominee}, cụ thể như sau:"
    )
    lines.append("## 1. Đối tượng đề nghị khen thưởng")
    lines.append(_nominee_line(proposal))
    lines.append("## 2. Hình thức, loại khen thưởng")
    lines.append(f"Hình thức: {form}; loại: {KIND.get(proposal.kind, proposal.kind)}.")
    lines.append("## 3. Thành tích")
    lines += c.paragraphs(proposal.achievement)
    incidents = list(proposal.incidents.select_related("category").order_by("occurred_at", "pk"))
    if incidents:
        lines.append("Các vụ việc liên quan:")
        lines += [
            f"- Vụ việc số {incident.reference}, ngày {c.day(c.local(incident.occurred_at).date())}: "
            f"{c.inline(incident.category.name)};"
            for incident in incidents
        ]
        lines[-1] = lines[-1][:-1] + "."
    campaigns = list(proposal.campaigns.order_by("starts_on", "pk"))
    if campaigns:
        lines.append("Các đợt tuyên truyền, phổ biến liên quan:")
        lines += [
            f"- “{c.inline(campaign.title)}” (từ ngày {c.day(campaign.starts_on)} đến ngày {c.day(campaign.ends_on)});"
            for campaign in campaigns
        ]
        lines[-1] = lines[-1][:-1] + "."
    if proposal.evaluation_id:
        lines.append(_evaluation_line(proposal.evaluation, office))
    lines.append(f"{office} kính trình {addressee} xem xét, quyết định{c.END}")
    return c.Texts(
        summary=f"Đề nghị tặng {form} cho {nominee}",
        addressees=[f"{addressee}."],
        body=c.join(lines),
        recipients=c.recipients(info, "Như trên;"),
    )


def _nominee(proposal: Commendation) -> str:
    if proposal.person_id:
        return f"đồng chí {proposal.person.full_name}"
    return c.inline(proposal.collective)


def _nominee_line(proposal: Commendation) -> str:
    if not proposal.person_id:
        return f"Tập thể: {c.inline(proposal.collective)}."
    person = proposal.person
    parts = [f"Đồng chí {person.full_name}"]
    if person.position_id:
        parts.append(person.position.name)
    if person.department_id:
        parts.append(person.department.name)
    return ", ".join(parts) + "."


def _verb(form: str) -> str:
    return "tặng" if form != F.SECURITY_MEDAL else "tặng thưởng"


def _addressee(form: str, info: c.OfficeInfo) -> str:
    where = c.province(info.office)
    return {
        F.CHIEF_CERTIFICATE: f"Hội đồng Thi đua - Khen thưởng {info.name}",
        F.PROVINCE_MERIT: f"Ủy ban nhân dân {where}",
        F.POLICE_CERTIFICATE: f"Giám đốc Công an {where}",
        F.MINISTER_MERIT: f"Bộ trưởng Bộ Công an (qua Công an {where})",
        F.SECURITY_MEDAL: f"Bộ trưởng Bộ Công an (qua Công an {where})",
    }.get(form, info.name)


def _evaluation_line(evaluation, office: str) -> str:
    if evaluation.recognised and evaluation.decision_number:
        when = f" ngày {c.day(evaluation.decision_date)}" if evaluation.decision_date else ""
        return (
            f"Năm {evaluation.year}, {office} được công nhận đạt tiêu chuẩn {c.STANDARD} (Quyết định số "
            f"{evaluation.decision_number}{when})."
        )
    result = outcome(evaluation.assessments.all())
    status = "" if evaluation.is_locked else " (chưa hoàn thành đánh giá)"
    return (
        f"Kết quả tự đánh giá năm {evaluation.year}: {office} đạt {result.holding}/{result.total} tiêu chí xây dựng "
        f"cơ quan đạt tiêu chuẩn {c.STANDARD}{status}."
    )

"""Báo cáo kết quả xây dựng cơ quan đạt tiêu chuẩn "An toàn về an ninh, trật tự" (evaluation-documents.md §3).

I. situation (staff, units, the team, incidents) → II. results: leadership documents, then each
criterion with its evidence and the line "Tự đánh giá: …", then the movement → III. general
assessment → IV. self-assessment "đạt n/5 tiêu chí", the self-assessment table, the movement score and
the proposal, ending "./.".
"""

from evaluations.evidence.incidents import Verdict
from evaluations.models import Criterion
from evaluations.models import Evidence as Document
from incidents.models.catalog import Tt124Item

from . import common as c
from .facts import ITEM_ORDER, REGISTRATION_LABEL, Facts

AGENCY = {
    "113": "Công an (số 113)",
    "114": "lực lượng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ (số 114)",
    "115": "cơ sở cấp cứu (số 115)",
    "ward_police": "Công an phường",
    "provincial_police": "Công an tỉnh",
    "other": "cơ quan có thẩm quyền",
}
VERDICT_NOTE = {
    Verdict.HANDLED: (
        "đã kịp thời phát hiện, sử dụng các biện pháp giảm thiểu hậu quả và báo cáo ngay cấp có thẩm quyền"
    ),
    Verdict.FORCE_MAJEURE: "trường hợp bất khả kháng",
    Verdict.UNCONFIRMED: "đang chờ cơ quan Công an xác định tính chất",
    Verdict.DISQUALIFYING: "",
}


def report(evaluation) -> c.Texts:
    facts = Facts(evaluation)
    info = facts.info
    extra_bases = [
        facts.registration_citation(Document.DocumentKind.PARTY_RESOLUTION),
        facts.registration_citation(Document.DocumentKind.SECURITY_PLAN),
    ]
    lines = c.bases(evaluation, *extra_bases)
    lines.append(
        f"{facts.office} báo cáo kết quả xây dựng cơ quan đạt tiêu chuẩn {c.STANDARD} năm {facts.year} "
        f"({facts.window}) như sau:"
    )
    lines += _situation(facts)
    lines += _results(facts)
    lines += _assessment(facts)
    lines += _proposal(facts)
    return c.Texts(
        summary=f"Kết quả xây dựng cơ quan đạt tiêu chuẩn {c.STANDARD} năm {facts.year}",
        addressees=[f"{evaluation.recognising_body.strip().rstrip('.;')}."],
        body=c.join(lines),
        recipients=c.recipients(info, "Như trên;", f"{evaluation.receiving_body.strip().rstrip('.;')};"),
    )


def _situation(facts: Facts) -> list[str]:
    info, briefing, units = facts.info, facts.figures.briefing, facts.figures.units
    lines = ["I. ĐẶC ĐIỂM, TÌNH HÌNH"]
    lines.append(
        f"{facts.office} có {units.total} phòng, đơn vị trực thuộc với {briefing.staff} cán bộ, công chức, "
        f"viên chức và người lao động (tính đến ngày {c.day(briefing.population_day)})."
    )
    if info.office and info.office.address:
        lines.append(f"Trụ sở làm việc: {c.inline(info.office.address)}.")
    lines.append(_team_sentence(info))
    flagged = len(facts.figures.incidents.flagged)
    lines.append(
        f"Trong kỳ đánh giá ({facts.window}), {info.team_name} đã tiếp nhận, xử lý {facts.incidents_in_window} "
        f"vụ việc về an ninh, trật tự tại cơ quan; trong đó có {flagged} vụ việc thuộc các trường hợp quy định "
        "tại tiêu chí 3."
    )
    return lines


def _team_sentence(info: c.OfficeInfo) -> str:
    team = info.team
    if team is None:
        return "Cơ quan chưa thành lập Tổ bảo vệ an ninh, trật tự."
    text = f"Lực lượng bảo vệ cơ quan là {team.name}"
    if team.establishment_decision:
        decision = team.establishment_decision
        text += f", thành lập theo Quyết định số {decision.number} ngày {c.day(decision.signed_on)}"
    text += f", gồm {len(info.members)} thành viên"
    leader, deputy = info.member("leader"), info.member("deputy")
    if leader:
        text += f"; Tổ trưởng: đồng chí {leader.full_name}"
        if leader.position_id:
            text += f", {leader.position.name}"
    if deputy:
        text += f"; Tổ phó: đồng chí {deputy.full_name}"
    return text + "."


# --- II. results -----------------------------------------------------------------------------


def _results(facts: Facts) -> list[str]:
    lines = ["II. KẾT QUẢ THỰC HIỆN", "## 1. Công tác lãnh đạo, chỉ đạo"]
    for kind, label in REGISTRATION_LABEL.items():
        citation = facts.registration_citation(kind)
        lines.append(f"- {label}: {citation or 'chưa cập nhật số, ngày văn bản'};")
    lines[-1] = lines[-1][:-1] + "."
    lines.append("## 2. Kết quả thực hiện các tiêu chí")
    for assessment in facts.assessments:
        criterion = assessment.criterion
        lines.append(f"## Tiêu chí {criterion.code}: {criterion.title}")
        lines += _criterion_lines(facts, assessment)
        lines += [f"- Minh chứng: {_evidence(ev)}." for ev in assessment.evidence.all()]
        lines += c.paragraphs(assessment.explanation)
        lines.append(f"Tự đánh giá: {c.result(assessment)}.")
    lines += _movement(facts)
    return lines


def _evidence(document) -> str:
    text = c.inline(document.title)
    if document.number:
        text += f", số {document.number}"
    if document.dated:
        text += f", ngày {c.day(document.dated)}"
    return text


def _criterion_lines(facts: Facts, assessment) -> list[str]:
    kind = assessment.criterion.evidence
    if kind == Criterion.Evidence.BRIEFING:
        return _briefing(facts)
    if kind == Criterion.Evidence.INCIDENTS:
        return _incidents(facts)
    if kind == Criterion.Evidence.PROTECTION_FORCE:
        return _force(facts)
    if kind == Criterion.Evidence.UNITS:
        return _units(facts)
    if assessment.criterion.code == "2" and facts.coordination:
        kind_name = c.REGISTRATION_KIND[Document.DocumentKind.COORDINATION]
        return [f"- Thực hiện {c.cite(kind_name, facts.coordination)} với lực lượng Công an."]
    return []


def _briefing(facts: Facts) -> list[str]:
    briefing, info = facts.figures.briefing, facts.info
    lines = [
        f"- Phổ biến, quán triệt các nội quy, quy định và tiêu chí xây dựng cơ quan đạt tiêu chuẩn {c.STANDARD}: "
        f"{facts.briefing_line} được phổ biến, tính đến ngày {c.day(briefing.population_day)}"
        + (":" if briefing.campaigns else ".")
    ]
    for campaign, reached in briefing.campaigns:
        lines.append(
            f"+ “{c.inline(campaign.title)}” (từ ngày {c.day(campaign.starts_on)} đến ngày "
            f"{c.day(campaign.ends_on)}): {reached} người;"
        )
    if briefing.campaigns:
        lines[-1] = lines[-1][:-1] + "."
    missing = briefing.staff - briefing.briefed
    if missing > 0:
        lines.append(f"- Còn {missing} người chưa được phổ biến, quán triệt.")
    team = info.team
    if team is not None:
        model = f"- Mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc: {team.name}"
        if team.establishment_decision:
            decision = team.establishment_decision
            model += f", thành lập theo Quyết định số {decision.number} ngày {c.day(decision.signed_on)}"
        regulation = briefing.regulation
        if regulation is not None:
            model += (
                f"; hoạt động theo {c.inline(regulation.title)} (phiên bản {regulation.version}, áp dụng từ ngày "
                f"{c.day(regulation.effective_from)})"
            )
        lines.append(model + ".")
    return lines


def _incidents(facts: Facts) -> list[str]:
    figures = facts.figures.incidents
    lines = ["Trong kỳ đánh giá:"]
    for letter in ITEM_ORDER:
        title = facts.item_titles.get(letter, "")
        flagged = figures.by_item.get(letter, [])
        records = figures.discipline_h if letter == Tt124Item.H else []
        label = f"{letter}) {title}" if title else f"Điểm {letter}"
        if not flagged and not records:
            lines.append(f"{label}: không để xảy ra;")
            continue
        lines.append(f"{label}: xảy ra {c.count(len(flagged) + len(records))} trường hợp:")
        lines += [_incident(entry) for entry in flagged]
        if records:
            lines.append(
                f"+ {c.count(len(records))} trường hợp cán bộ bị kỷ luật từ hình thức cảnh cáo trở lên do mắc tệ nạn "
                "xã hội;"
            )
    lines[-1] = lines[-1][:-1] + "."
    return lines


def _incident(entry) -> str:
    incident = entry.incident
    text = (
        f"+ Vụ việc số {incident.reference} ({c.inline(incident.category.name)}) xảy ra ngày "
        f"{c.day(c.local(incident.occurred_at).date())}"
    )
    if entry.item == Tt124Item.DD:
        text += f": phát hiện {c.clock(incident.detected_at)}"
        actions = c.without_end(incident.immediate_actions)
        text += f"; biện pháp xử lý ngay: {actions}" if actions else "; chưa ghi nhận biện pháp xử lý ngay"
        report = entry.first_report
        if report is not None:
            agency = AGENCY.get(report.agency, "cơ quan có thẩm quyền")
            if report.agency_detail:
                agency += f" ({c.inline(report.agency_detail)})"
            elapsed = (report.notified_at - incident.detected_at).total_seconds()
            text += (
                f"; đã báo cáo {agency} {c.clock(report.notified_at)}, sau {c.hours_and_minutes(elapsed)} "
                "kể từ khi phát hiện"
            )
        else:
            text += "; chưa báo cáo cấp có thẩm quyền"
    note = VERDICT_NOTE.get(entry.verdict, "")
    return f"{text} ({note});" if note else f"{text};"


def _force(facts: Facts) -> list[str]:
    force, info = facts.figures.force, facts.info
    rated = c.rating(force.rating)
    if rated:
        line = f"- {info.team_name} được bình xét “{rated}” năm {facts.year}"
        if force.rating.decision_number:
            line += f" (Quyết định số {force.rating.decision_number}"
            line += f" ngày {c.day(force.rating.decision_date)})" if force.rating.decision_date else ")"
        lines = [line + "."]
    else:
        lines = [f"- {info.team_name} chưa có kết quả bình xét thi đua năm {facts.year}."]
    if force.disciplined:
        lines.append(
            f"- Có {c.count(len(force.disciplined))} trường hợp thành viên bị kỷ luật từ hình thức cảnh cáo trở lên."
        )
    else:
        lines.append("- Không có thành viên bị kỷ luật từ hình thức cảnh cáo trở lên.")
    return lines


def _units(facts: Facts) -> list[str]:
    units = facts.figures.units
    lines = [
        f"- {facts.units_line} đạt danh hiệu “{c.ADVANCED_COLLECTIVE}” hoặc được đánh giá “Hoàn thành tốt nhiệm vụ” "
        "trở lên" + (":" if units.units else ".")
    ]
    for department, unit_rating in units.units:
        lines.append(f"+ {department.name}: {c.rating(unit_rating) or 'chưa bình xét'};")
    if units.units:
        lines[-1] = lines[-1][:-1] + "."
    if units.disciplined:
        lines.append(
            f"- Có {c.count(len(units.disciplined))} trường hợp cán bộ bị kỷ luật từ hình thức cảnh cáo trở lên."
        )
    else:
        lines.append("- Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên.")
    return lines


def _movement(facts: Facts) -> list[str]:
    campaigns = facts.figures.briefing.campaigns
    lines = [f"## 3. Kết quả thực hiện {c.MOVEMENT}"]
    reaches = sum(reached for _campaign, reached in campaigns)
    lines.append(
        f"- Tổ chức {len(campaigns)} đợt tuyên truyền, phổ biến, quán triệt với {reaches} lượt cán bộ tham gia."
    )
    lines.append(f"- Tự chấm điểm {c.MOVEMENT} theo Quyết định số 510/QĐ-BCA-V05: {facts.movement_line}.")
    return lines


# --- III and IV ---------------------------------------------------------------------------------


def _assessment(facts: Facts) -> list[str]:
    result = facts.outcome
    lines = ["III. ĐÁNH GIÁ CHUNG", "## 1. Ưu điểm"]
    if result.passed:
        lines.append(
            f"{facts.office} đã triển khai thực hiện đầy đủ các tiêu chí xây dựng cơ quan đạt tiêu chuẩn "
            f"{c.STANDARD}; tình hình an ninh, trật tự tại cơ quan được giữ vững."
        )
    else:
        lines.append(
            f"{facts.office} đã triển khai thực hiện các tiêu chí xây dựng cơ quan đạt tiêu chuẩn {c.STANDARD}; "
            f"kết quả {facts.holding_line}."
        )
    lines.append("## 2. Tồn tại, hạn chế và nguyên nhân")
    open_points = [a for a in facts.assessments if not a.passes]
    for assessment in open_points:
        lines.append(
            f"- Tiêu chí {assessment.criterion.code} ({assessment.criterion.title}): {c.result(assessment).lower()}."
        )
    if not open_points:
        lines.append("(Nêu tồn tại, hạn chế, nếu có, và nguyên nhân.)")
    return lines


def _proposal(facts: Facts) -> list[str]:
    evaluation = facts.evaluation
    lines = [
        "IV. TỰ ĐÁNH GIÁ VÀ ĐỀ NGHỊ",
        f"Đối chiếu với các tiêu chí quy định, {facts.office} tự đánh giá {facts.holding_line}, cụ thể như sau:",
        "| TT | Tiêu chí | Kết quả, minh chứng | Tự đánh giá |",
    ]
    for assessment in facts.assessments:
        criterion = assessment.criterion
        summary = c.inline(facts.summary(assessment)).replace("|", "/")
        lines.append(f"| {criterion.code} | {criterion.title} | {summary} | {c.result(assessment)} |")
    lines.append(f"Tự chấm điểm {c.MOVEMENT} năm {facts.year}: {facts.movement_line}.")
    recognising = evaluation.recognising_body.strip().rstrip(".;")
    if facts.outcome.passed is False:
        lines.append(
            f"{facts.office} chưa đủ điều kiện đề nghị công nhận đạt tiêu chuẩn {c.STANDARD} năm {facts.year}; "
            f"tiếp tục khắc phục các tiêu chí chưa đạt{c.END}"
        )
    else:
        lines.append(
            f"{facts.office} kính đề nghị {recognising} xem xét, công nhận {facts.office} đạt tiêu chuẩn "
            f"{c.STANDARD} năm {facts.year}{c.END}"
        )
    return lines

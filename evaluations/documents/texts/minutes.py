"""Biên bản họp đánh giá, xét đề nghị công nhận (Mẫu 1.9 of Nghị định 30/2020; evaluation-documents.md §4).

Time, place, who came and who did not (by the capacity they were invited in), chair and secretary, then
the meeting as it went: purpose, the draft report, each criterion with "Kết luận: …", the members'
opinions, the movement score, the vote and the chair's conclusion, and the closing lines. Signed by the
secretary (left) and the chair (right); filed only ("Lưu: VT, Hồ sơ.").
"""

from evaluations.models import Meeting, MeetingParticipant

from . import common as c
from .facts import Facts

VOTE_METHOD = {Meeting.VoteMethod.HANDS: "giơ tay", Meeting.VoteMethod.BALLOT: "bỏ phiếu kín"}


def minutes(evaluation) -> c.Texts:
    facts = Facts(evaluation)
    meeting = Meeting.objects.filter(evaluation=evaluation).select_related("chair__position", "secretary__position")
    meeting = meeting.first()
    participants = list(meeting.participants.all()) if meeting else []
    present = [p for p in participants if p.present]
    lines = [
        f"Thời gian bắt đầu: {_time(meeting.starts_at if meeting else None)}.",
        f"Địa điểm: {c.inline(meeting.place) if meeting and meeting.place else c.PLACEHOLDER}.",
        f"Thành phần tham dự: có mặt {len(present)}/{len(participants)} người được mời, gồm:",
    ]
    lines += _by_role(present) or [f"- {c.PLACEHOLDER}"]
    absent = [p for p in participants if not p.present]
    if absent:
        names = "; ".join(f"{_person(p)} ({c.PARTICIPANT_ROLE.get(p.role, '')})" for p in absent)
        lines.append(f"Vắng mặt: {names}.")
    else:
        lines.append("Vắng mặt: không.")
    lines.append(f"Chủ trì (chủ tọa): {_user(meeting.chair if meeting else None)}.")
    lines.append(f"Thư ký: {_user(meeting.secretary if meeting else None)}.")
    lines.append("## Nội dung cuộc họp:")
    lines += _agenda(facts, meeting, len(present))
    lines.append(f"Cuộc họp kết thúc vào hồi {_time(meeting.ends_at if meeting else None)}.")
    lines.append("Biên bản đã được đọc lại, các thành viên dự họp nhất trí thông qua.")
    return c.Texts(
        summary=(
            f"Họp đánh giá, xét đề nghị công nhận {facts.office} đạt tiêu chuẩn {c.STANDARD} năm {evaluation.year}"
        ),
        body=c.join(lines),
        recipients=["Lưu: VT, Hồ sơ."],
    )


def _time(moment) -> str:
    """'08 giờ 00 phút, ngày 03/11/2026' in the office's time."""
    if moment is None:
        return f"{c.PLACEHOLDER} giờ {c.PLACEHOLDER} phút, ngày {c.PLACEHOLDER}"
    moment = c.local(moment)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def _person(participant) -> str:
    name = c.inline(participant.name)
    return f"{name}, {c.inline(participant.position)}" if participant.position else name


def _user(user) -> str:
    if user is None:
        return c.PLACEHOLDER
    return f"đồng chí {user.full_name}, {user.position.name}" if user.position_id else f"đồng chí {user.full_name}"


def _by_role(participants) -> list[str]:
    groups: dict[str, list] = {}
    for participant in participants:
        groups.setdefault(participant.role, []).append(participant)
    order = [role for role in MeetingParticipant.Role.values if role in groups]
    lines = [f"- {c.PARTICIPANT_ROLE[role]}: {'; '.join(_person(p) for p in groups[role])};" for role in order]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    return lines


def _agenda(facts: Facts, meeting, present: int) -> list[str]:
    evaluation, info = facts.evaluation, facts.info
    chair = meeting.chair if meeting else None
    leader = info.member("leader")
    presenter = f"Đồng chí {leader.full_name}, Tổ trưởng {info.team_name}," if leader else info.team_name
    lines = [
        "## 1. Mục đích, yêu cầu và chương trình cuộc họp",
        f"{'Đồng chí ' + chair.full_name if chair else 'Chủ trì'} nêu mục đích, yêu cầu của cuộc họp: đánh giá kết "
        f"quả thực hiện các tiêu chí và xét đề nghị công nhận {facts.office} đạt tiêu chuẩn {c.STANDARD} năm "
        f"{evaluation.year} ({facts.window}).",
        "## 2. Báo cáo kết quả và tự đánh giá",
        f"{presenter} trình bày dự thảo Báo cáo kết quả xây dựng cơ quan đạt tiêu chuẩn {c.STANDARD} năm "
        f"{evaluation.year} và kết quả tự đánh giá: {facts.holding_line}.",
        "## 3. Xem xét, đánh giá từng tiêu chí",
    ]
    for assessment in facts.assessments:
        criterion = assessment.criterion
        lines.append(
            f"- Tiêu chí {criterion.code} ({criterion.title}): {c.without_end(facts.summary(assessment))}. "
            f"Kết luận: {c.result(assessment)}."
        )
    lines.append("## 4. Ý kiến của các thành viên dự họp")
    opinions = c.paragraphs(meeting.opinions) if meeting else []
    lines += [line if line.startswith("-") else f"- {line}" for line in opinions] or [
        "Các thành viên dự họp nhất trí với dự thảo Báo cáo và kết quả tự đánh giá, không có ý kiến khác."
    ]
    lines.append(f"## 5. Kết quả tự chấm điểm {c.MOVEMENT}")
    lines.append(f"Tự chấm điểm {c.MOVEMENT} năm {evaluation.year}: {facts.movement_line}.")
    lines.append("## 6. Biểu quyết")
    lines += _vote(facts, meeting, present)
    lines.append("## 7. Kết luận của chủ trì")
    conclusion = c.paragraphs(meeting.conclusion) if meeting else []
    lines += conclusion or [_conclusion(facts)]
    return lines


def _vote(facts: Facts, meeting, present: int) -> list[str]:
    if meeting is None:
        return [f"Hình thức biểu quyết: {c.PLACEHOLDER}."]
    votes_for, against, abstain = meeting.votes_for, meeting.votes_against, meeting.abstentions

    def shown(value):
        return c.PLACEHOLDER if value is None else str(value)

    share = f" ({c.percent(votes_for * 100 / present)})" if votes_for is not None and present else ""
    lines = [
        f"Hình thức biểu quyết: {VOTE_METHOD.get(meeting.vote_method, meeting.vote_method)}. Số thành viên có mặt: "
        f"{present}. Tán thành: {shown(votes_for)}/{present}{share}; không tán thành: {shown(against)}; không biểu "
        f"quyết: {shown(abstain)}."
    ]
    if votes_for is not None and present and votes_for == present and facts.outcome.passed:
        recognising = facts.evaluation.recognising_body.strip().rstrip(".;")
        lines.append(
            f"Hội nghị biểu quyết thống nhất 100% ({votes_for}/{present}) đề nghị {recognising} công nhận "
            f"{facts.office} đạt tiêu chuẩn {c.STANDARD} năm {facts.year}."
        )
    return lines


def _conclusion(facts: Facts) -> str:
    evaluation = facts.evaluation
    recognising = evaluation.recognising_body.strip().rstrip(".;")
    if facts.outcome.passed is False:
        return (
            f"{facts.office} {facts.holding_line}, chưa đủ điều kiện đề nghị công nhận đạt tiêu chuẩn {c.STANDARD} "
            f"năm {facts.year}. Giao {facts.info.team_name} tham mưu khắc phục các tiêu chí chưa đạt."
        )
    return (
        f"{facts.office} {facts.holding_line}; thống nhất đề nghị {recognising} xem xét, công nhận {facts.office} "
        f"đạt tiêu chuẩn {c.STANDARD} năm {facts.year}, tự phân loại {c.MOVEMENT}: "
        f"{facts.movement_class or c.PLACEHOLDER}. "
        f"Giao {facts.info.team_name} hoàn thiện hồ sơ đề nghị công nhận, gửi cơ quan có thẩm quyền đúng thời hạn."
    )

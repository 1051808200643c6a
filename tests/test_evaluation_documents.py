"""The dossier's documents as a văn thư receives them: generated from hand-made records, edited, issued with a
number, and read back with python-docx (header, number, date, fonts, margins, signatures, Nơi nhận, body).

Numbering runs on PostgreSQL too: four people issuing at the same moment get four consecutive numbers, and a
failed issue gives its number back to the next one.
"""

import io
import threading
from datetime import date, datetime, time
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from campaigns.models import Campaign, Participant
from core.uploads import SafeUpload
from evaluations.documents import numbering
from evaluations.models import (
    Assessment,
    Commendation,
    DocumentCounter,
    DocumentKind,
    Draft,
    Evaluation,
    EvaluationEvent,
    IssuedDocument,
    ItemScore,
    Meeting,
    MeetingParticipant,
    Rating,
    Stage,
    UnitRating,
)
from evaluations.models import Evidence as Document_
from evaluations.services import documents as services
from evaluations.services.common import Conflict
from evaluations.services.cycle import start_year
from incidents.models import ExternalReport, Incident, Severity, Status
from team.models import Department, User
from tests.conftest import requires_postgresql

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LONG_AGO = datetime(2020, 1, 1, tzinfo=VN)
FONT = "Times New Roman"
BLANK = " " * 6
K = DocumentKind
ISSUE_DAY = date(2026, 11, 20)


def local(year, month, day, hour=0, minute=0) -> datetime:
    return datetime.combine(date(year, month, day), time(hour, minute), tzinfo=VN)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def english():
    """Refusals and history entries in English (the msgids), so the assertions hold once Vietnamese is added.
    The documents themselves are Vietnamese whatever the language."""
    with translation.override("en"):
        yield


# --- hand-made records of 2026 -------------------------------------------------------------------


@pytest.fixture
def dossier(team, leader, deputy, member, chief, staff, make_user, departments, category):
    return build_dossier(team, leader, deputy, member, chief, staff, make_user, departments, category)


def build_dossier(team, leader, deputy, member, chief, staff, make_user, departments, category):
    """The 2026 evaluation (window 16/11/2025 – 15/11/2026, closed) with records whose figures are known:

    31 staff, 29 briefed in March; 4 departments, 3 rated well; the team rated "well completed";
    one theft (3.đ) detected at 08:15 and reported to the ward police at 09:45 on 05/03/2026.
    """
    team.abbreviation = "TBV"
    team.save()
    extra = [make_user(f"Cán bộ Bổ Sung {n:02d}") for n in range(26)]
    User.objects.update(date_joined=LONG_AGO)
    evaluation = start_year(year=2026, actor=leader)

    rules = Campaign.objects.create(
        title="Phổ biến Nội quy bảo vệ cơ quan",
        theme="internal_rules",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        organiser=member,
        counts_for_tt124=True,
        status=Campaign.Status.COMPLETED,
    )
    for person in [leader, deputy, member, chief, staff, *extra[:24]]:  # 29 of 31
        Participant.objects.create(
            campaign=rules, user=person, invited_at=LONG_AGO, attended_at=local(2026, 3, 5, 8, 30)
        )

    office = team.office
    more = [
        Department.objects.create(office=office, name="Phòng Quản trị - Tài vụ", order=3),
        Department.objects.create(office=office, name="Phòng Hành chính - Tổ chức", order=4),
    ]
    ratings = [Rating.GOOD, Rating.EXCELLENT, Rating.GOOD, Rating.COMPLETED]
    for department, rating in zip([departments["NCPC"], departments["TH"], *more], ratings, strict=True):
        UnitRating.objects.create(year=2026, department=department, rating=rating, recorded_by=leader)
    UnitRating.objects.create(
        year=2026,
        team=team,
        rating=Rating.GOOD,
        decision_number="45/QĐ-VP",
        decision_date=date(2026, 11, 10),
        recorded_by=leader,
    )

    theft = Incident.objects.create(
        reference="VV-2026-0007",
        category=category,
        occurred_at=local(2026, 3, 5, 8, 0),
        detected_at=local(2026, 3, 5, 8, 15),
        description="Đối tượng lạ lấy trộm xe máy tại nhà xe",
        immediate_actions="Giữ nguyên hiện trường, báo lãnh đạo Văn phòng.",
        proposed_severity=Severity.HIGH,
        severity=Severity.HIGH,
        filed_by=staff,
        reporter=staff,
        tt124_item="đ",
        status=Status.CLOSED,
    )
    ExternalReport.objects.create(
        incident=theft,
        agency="ward_police",
        agency_detail="Đại úy Phan Văn Tâm",
        notified_at=local(2026, 3, 5, 9, 45),
        notified_by=leader,
    )

    registration = evaluation.stages.get(kind=Stage.Kind.REGISTRATION)
    for kind, number, day in (
        (Document_.DocumentKind.PARTY_RESOLUTION, "05-NQ/CB", date(2026, 1, 10)),
        (Document_.DocumentKind.SECURITY_PLAN, "12/KH-VP", date(2026, 1, 15)),
    ):
        Document_.objects.create(
            evaluation=evaluation,
            stage=registration,
            document_kind=kind,
            title=kind.label,
            number=number,
            dated=day,
            added_by=leader,
        )

    Assessment.objects.filter(evaluation=evaluation).update(result=Assessment.Result.MET, assessed_by=leader)
    Assessment.objects.filter(evaluation=evaluation, criterion__code="2").update(
        explanation="Thực hiện Quy chế phối hợp số 03/QC-VP-CAP với Công an phường Bình An."
    )
    for score in ItemScore.objects.filter(sheet__evaluation=evaluation).select_related("item"):
        score.self_score = {"1": 3, "2": 3, "3": Decimal("4.5"), "4.a": 1}[score.item.code]
        score.save()

    meeting = Meeting.objects.get(evaluation=evaluation)
    meeting.starts_at, meeting.ends_at = local(2026, 11, 3, 8, 0), local(2026, 11, 3, 10, 30)
    meeting.place, meeting.chair, meeting.secretary = "Phòng họp số 2", chief, deputy
    meeting.votes_for, meeting.votes_against, meeting.abstentions = 4, 0, 0
    meeting.opinions = "Đại diện Công an phường: đề nghị duy trì tuần tra ban đêm."
    meeting.save()
    R = MeetingParticipant.Role
    for order, (role, name, position, present) in enumerate(
        [
            (R.LEADERSHIP, "Nguyễn Quốc Hùng", "Chánh Văn phòng", True),
            (R.PARTY_COMMITTEE, "Đỗ Văn Đảng", "Bí thư Chi bộ", True),
            (R.TEAM, "Hoàng Văn Minh", "Tổ trưởng", True),
            (R.WARD_POLICE, "Phan Văn Tâm", "Công an phường Bình An", True),
            (R.TRADE_UNION, "Lê Thị Vắng", "Chủ tịch Công đoàn", False),
        ]
    ):
        MeetingParticipant.objects.create(
            meeting=meeting, role=role, name=name, position=position, present=present, order=order
        )
    return evaluation


def sign_off(evaluation) -> None:
    """The Chief's sign-off (its own service is tested elsewhere): only the status matters here."""
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.SIGNED_OFF)
    evaluation.refresh_from_db()


def draft(evaluation, kind, actor) -> Draft:
    return services.draft_for(evaluation, kind, actor)


def issue(evaluation, kind, actor, day=ISSUE_DAY) -> IssuedDocument:
    return services.issue(draft(evaluation, kind, actor).pk, actor, day)


# --- reading a .docx back -----------------------------------------------------------------------


def read(data: bytes):
    return Document(io.BytesIO(data))


def read_issued(issued: IssuedDocument):
    with issued.file.open("rb") as stored:
        return read(stored.read())


def cell_texts(table, row, column) -> list[str]:
    return [p.text for p in table.cell(row, column).paragraphs if p.text]


def body_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def all_runs(doc):
    for paragraph in doc.paragraphs:
        yield from paragraph.runs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def paragraph(doc, startswith: str):
    return next(p for p in doc.paragraphs if p.text.startswith(startswith))


def mm(length) -> float:
    return length / 36000


# --- the report -----------------------------------------------------------------------------------


def test_the_report_preview_is_a_draft_without_number_or_date(dossier, leader):
    doc = read(services.preview_bytes(draft(dossier, K.REPORT, leader)))
    header = doc.tables[0]
    assert cell_texts(header, 0, 0) == ["UBND TỈNH BÌNH AN", "VĂN PHÒNG"]
    assert cell_texts(header, 0, 1) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert cell_texts(header, 1, 0) == [f"Số:{BLANK}/BC-VP"]  # room for the văn thư's number
    assert cell_texts(header, 1, 1) == [f"Bình An, ngày{BLANK}tháng{BLANK}năm 2026"]
    assert doc.paragraphs[0].text.strip("\u00a0 ") == "DỰ THẢO"
    texts = body_texts(doc)
    assert "BÁO CÁO" in texts
    assert "Kết quả xây dựng cơ quan đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026" in texts
    assert "Kính gửi: Ủy ban nhân dân tỉnh Bình An." in texts


def test_the_issued_report_has_its_number_date_fonts_sizes_and_margins(dossier, leader):
    sign_off(dossier)
    issued = issue(dossier, K.REPORT, leader)
    assert (issued.number, issued.number_text, issued.version) == (1, "01/BC-VP", 1)
    doc = read_issued(issued)
    header = doc.tables[0]
    assert cell_texts(header, 1, 0) == ["Số: 01/BC-VP"]
    assert cell_texts(header, 1, 1) == ["Bình An, ngày 20 tháng 11 năm 2026"]
    assert not any("DỰ THẢO" in p.text for p in doc.paragraphs)
    section = doc.sections[0]
    margins = [mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)]
    assert margins == pytest.approx([20, 20, 30, 15], abs=0.5)
    assert mm(section.page_width) == pytest.approx(210, abs=0.5)
    runs = list(all_runs(doc))
    assert len(runs) > 50
    for run in runs:
        fonts = run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {FONT}, run.text
    body = paragraph(doc, "Văn phòng UBND tỉnh Bình An có 4 phòng")
    assert {run.font.size for run in body.runs} == {Pt(14)}
    assert paragraph(doc, "Căn cứ Thông tư số 124/2021/TT-BCA").runs[0].italic
    heading = paragraph(doc, "I. ĐẶC ĐIỂM, TÌNH HÌNH")
    assert heading.runs[0].bold and heading.runs[0].font.size == Pt(14)


def test_the_report_body_holds_the_figures_of_the_records(dossier, leader):
    body = draft(dossier, K.REPORT, leader).body
    lines = body.splitlines()
    # The bases come first: the legal texts, then the Party resolution and the plan as recorded.
    assert lines[0].startswith("Căn cứ Thông tư số 124/2021/TT-BCA") and lines[0].endswith(";")
    assert "Căn cứ Nghị quyết số 05-NQ/CB ngày 10/01/2026;" in lines
    assert "Căn cứ Kế hoạch số 12/KH-VP ngày 15/01/2026." in lines
    assert "Văn phòng UBND tỉnh Bình An có 4 phòng, đơn vị trực thuộc với 31 cán bộ" in body
    assert "gồm 3 thành viên; Tổ trưởng: đồng chí Hoàng Văn Minh, Phó Chánh Văn phòng" in body
    assert "29/31 cán bộ (93,5%) được phổ biến" in body
    assert "+ “Phổ biến Nội quy bảo vệ cơ quan” (từ ngày 01/03/2026 đến ngày 31/03/2026): 29 người." in lines
    assert "- Còn 2 người chưa được phổ biến, quán triệt." in lines
    # Criterion 3: every item stated, the theft described with its times.
    assert "a) Tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật: không để xảy ra;" in lines
    assert (
        "h) Cán bộ bị xử phạt hành chính về an ninh, trật tự hoặc kỷ luật do tệ nạn xã hội: không để xảy ra." in lines
    )
    theft = next(line for line in lines if "VV-2026-0007" in line)
    assert "phát hiện lúc 08:15 ngày 05/03/2026" in theft
    assert "biện pháp xử lý ngay: Giữ nguyên hiện trường, báo lãnh đạo Văn phòng;" in theft
    assert (
        "Công an phường (Đại úy Phan Văn Tâm) lúc 09:45 ngày 05/03/2026, sau 1 giờ 30 phút kể từ khi phát hiện" in theft
    )
    assert "được bình xét “Hoàn thành tốt nhiệm vụ” năm 2026 (Quyết định số 45/QĐ-VP ngày 10/11/2026)." in body
    assert "3/4 phòng, đơn vị (75%) đạt danh hiệu" in body
    assert "+ Phòng Hành chính - Tổ chức: Hoàn thành nhiệm vụ." in lines
    # Each criterion ends with its self-assessment; IV sums them up with the annex table.
    assert lines.count("Tự đánh giá: Đạt.") == 5
    assert "tự đánh giá đạt 5/5 tiêu chí" in body
    assert "| TT | Tiêu chí | Kết quả, minh chứng | Tự đánh giá |" in lines
    assert any(
        line.startswith("| 5 | Các đầu mối trực thuộc | 3/4 phòng") and line.endswith("| Đạt |") for line in lines
    )
    assert "11,5/100 điểm, tự phân loại: Yếu (tạm tính)" in body
    assert lines[-1].endswith("đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026./.")


def test_a_criterion_not_met_is_said_so_and_no_recognition_is_asked(dossier, leader):
    Assessment.objects.filter(evaluation=dossier, criterion__code="5").update(result=Assessment.Result.NOT_MET)
    body = draft(dossier, K.REPORT, leader).body
    assert body.splitlines().count("Tự đánh giá: Chưa đạt.") == 1
    assert "tự đánh giá đạt 4/5 tiêu chí" in body
    assert "- Tiêu chí 5 (Các đầu mối trực thuộc): chưa đạt." in body
    assert "chưa đủ điều kiện đề nghị công nhận" in body and "kính đề nghị" not in body


def test_the_report_in_the_docx_has_its_annex_table_and_signature(dossier, leader, chief):
    sign_off(dossier)
    doc = read_issued(issue(dossier, K.REPORT, leader))
    annex = next(t for t in doc.tables if t.rows[0].cells[0].text == "TT")
    assert [cell.text for cell in annex.rows[0].cells] == ["TT", "Tiêu chí", "Kết quả, minh chứng", "Tự đánh giá"]
    assert [row.cells[3].text for row in annex.rows[1:]] == ["Đạt"] * 5
    signature = doc.tables[-1]
    # The Chief of Office is the default signer.
    assert cell_texts(signature, 0, 1) == ["CHÁNH VĂN PHÒNG", "Nguyễn Quốc Hùng"]
    assert cell_texts(signature, 0, 0) == [
        "Nơi nhận:",
        "- Như trên;",
        f"- {dossier.receiving_body};",
        "- Lưu: VT, TBV.",
    ]


def test_a_deputy_chief_signs_on_behalf_of_the_chief(dossier, leader, member):
    report = draft(dossier, K.REPORT, member)
    services.save_draft(
        report.pk, member, report.summary, report.addressees, report.body, report.recipients, signer=leader
    )
    sign_off(dossier)
    doc = read_issued(services.issue(report.pk, leader, ISSUE_DAY))
    assert cell_texts(doc.tables[-1], 0, 1) == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Hoàng Văn Minh"]


def test_only_a_chief_or_deputy_chief_can_be_the_signer(dossier, member, deputy):
    report = draft(dossier, K.REPORT, member)
    with pytest.raises(ValidationError) as refused:
        services.save_draft(report.pk, member, report.summary, "", report.body, "", signer=deputy)
    assert refused.value.message_dict == {"signer": [str(services.SIGNER_NOT_LEADERSHIP)]}


# --- the minutes ----------------------------------------------------------------------------------


def test_the_minutes_record_who_came_each_criterion_the_vote_and_the_close(dossier, leader):
    body = draft(dossier, K.MINUTES, leader).body
    lines = body.splitlines()
    assert lines[:3] == [
        "Thời gian bắt đầu: 08 giờ 00 phút, ngày 03/11/2026.",
        "Địa điểm: Phòng họp số 2.",
        "Thành phần tham dự: có mặt 4/5 người được mời, gồm:",
    ]
    assert "- Lãnh đạo Văn phòng: Nguyễn Quốc Hùng, Chánh Văn phòng;" in lines
    assert "- Đại diện Công an phường: Phan Văn Tâm, Công an phường Bình An." in lines
    assert "Vắng mặt: Lê Thị Vắng, Chủ tịch Công đoàn (Đại diện Công đoàn)." in lines
    assert "Chủ trì (chủ tọa): đồng chí Nguyễn Quốc Hùng, Chánh Văn phòng." in lines
    assert "Thư ký: đồng chí Trần Thị Lan, Chuyên viên." in lines
    conclusions = [line for line in lines if line.startswith("- Tiêu chí ")]
    assert len(conclusions) == 5 and all(line.endswith("Kết luận: Đạt.") for line in conclusions)
    assert "- Đại diện Công an phường: đề nghị duy trì tuần tra ban đêm." in lines
    assert "Tán thành: 4/4 (100%); không tán thành: 0; không biểu quyết: 0." in body
    assert "Hội nghị biểu quyết thống nhất 100% (4/4) đề nghị Ủy ban nhân dân tỉnh Bình An công nhận" in body
    assert lines[-2:] == [
        "Cuộc họp kết thúc vào hồi 10 giờ 30 phút, ngày 03/11/2026.",
        "Biên bản đã được đọc lại, các thành viên dự họp nhất trí thông qua.",
    ]


def test_the_issued_minutes_follow_form_1_9(dossier, leader):
    sign_off(dossier)
    doc = read_issued(issue(dossier, K.MINUTES, leader))
    header = doc.tables[0]
    assert cell_texts(header, 1, 0) == ["Số: 01/BB-VP"]
    assert cell_texts(header, 1, 1) == []  # Mẫu 1.9: the time is in the body, not in the header
    assert "BIÊN BẢN" in body_texts(doc)
    signatures = doc.tables[-1]
    assert cell_texts(signatures, 0, 0) == ["THƯ KÝ", "Trần Thị Lan"]
    assert cell_texts(signatures, 0, 1) == ["CHỦ TỌA", "Nguyễn Quốc Hùng"]
    assert body_texts(doc)[-2:] == ["Nơi nhận:", "- Lưu: VT, Hồ sơ."]


# --- the submission and the order of issuing -----------------------------------------------------


def test_report_and_minutes_wait_for_the_sign_off_but_the_pledge_does_not(dossier, leader):
    for kind in (K.REPORT, K.MINUTES):
        with pytest.raises(ValidationError) as refused:
            issue(dossier, kind, leader)
        assert "once the Chief of Office has signed off" in refused.value.messages[0]
    pledge = issue(dossier, K.PLEDGE, leader, date(2026, 2, 5))
    assert pledge.number_text == "01/ĐK-VP"
    assert IssuedDocument.objects.count() == 1
    assert not DocumentCounter.objects.filter(type_code__in=["BC", "BB"]).exists()  # refused before a number


def test_the_submission_waits_for_the_report_and_the_minutes_then_cites_them(dossier, leader, member):
    sign_off(dossier)
    with pytest.raises(ValidationError) as refused:
        issue(dossier, K.SUBMISSION, leader)
    assert refused.value.messages == [
        "Issue the results report and the minutes first: the submission cites their numbers. Not issued yet: "
        "Results report, Minutes of the evaluation meeting."
    ]
    assert not DocumentCounter.objects.filter(type_code="TTr").exists()
    report = issue(dossier, K.REPORT, leader, date(2026, 11, 16))
    minutes = issue(dossier, K.MINUTES, leader, date(2026, 11, 16))
    # The draft was generated before: it still says "…/BC-VP", so issuing it is refused.
    with pytest.raises(ValidationError) as stale:
        issue(dossier, K.SUBMISSION, leader)
    assert "must cite the issued 01/BC-VP, 01/BB-VP" in stale.value.messages[0]
    submission = services.regenerate(draft(dossier, K.SUBMISSION, member).pk, member)
    assert "Căn cứ Biên bản số 01/BB-VP ngày 16/11/2026 họp đánh giá" in submission.body
    assert "- Báo cáo số 01/BC-VP ngày 16/11/2026;" in submission.body
    assert "- Bản đăng ký phấn đấu đạt tiêu chuẩn;" in submission.body  # the pledge is not recorded
    issued = issue(dossier, K.SUBMISSION, leader)
    doc = read_issued(issued)
    assert cell_texts(doc.tables[0], 1, 0) == ["Số: 01/TTr-VP"]
    assert "TỜ TRÌNH" in body_texts(doc)
    assert (report.number, minutes.number, issued.number) == (1, 1, 1)


def test_the_pledge_lists_the_commitments_of_every_criterion(dossier, leader):
    pledge = draft(dossier, K.PLEDGE, leader)
    assert pledge.summary == "Phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026"
    assert pledge.addressees.splitlines() == ["Ủy ban nhân dân tỉnh Bình An;", f"{dossier.receiving_body}."]
    lines = pledge.body.splitlines()
    assert "- Số cán bộ, công chức, viên chức, người lao động: 31 người;" in lines
    assert "- Người đứng đầu: đồng chí Nguyễn Quốc Hùng, Chánh Văn phòng;" in lines
    assert [line for line in lines if line.startswith("## ")][:5] == [
        "## 1. Tiêu chí 1: Nghị quyết, kế hoạch, đăng ký, nội quy, phổ biến quán triệt, mô hình phong trào",
        "## 2. Tiêu chí 2: Triển khai chủ trương, chính sách, pháp luật; phối hợp với lực lượng Công an",
        "## 3. Tiêu chí 3: Không để xảy ra các trường hợp quy định",
        "## 4. Tiêu chí 4: Lực lượng bảo vệ cơ quan",
        "## 5. Tiêu chí 5: Các đầu mối trực thuộc",
    ]
    items = [line[:2] for line in lines if line[1:3] == ") "]
    assert items == ["a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)"]
    doc = read(services.preview_bytes(pledge))
    assert "BẢN ĐĂNG KÝ" in body_texts(doc)
    assert [p.text for p in doc.paragraphs if p.text.startswith(("Kính gửi", "- Công an tỉnh"))] == [
        "Kính gửi:\t- Ủy ban nhân dân tỉnh Bình An;",
        f"- {dossier.receiving_body}.",
    ]


# --- the score sheet ------------------------------------------------------------------------------


def test_the_score_sheet_is_an_unnumbered_annex_with_its_table(dossier, leader):
    issued = issue(dossier, K.SCORE_SHEET, leader)
    assert (issued.number, issued.number_text, issued.version) == (None, "", 1)
    assert not DocumentCounter.objects.exists()  # no series touched
    doc = read_issued(issued)
    header = doc.tables[0]
    assert cell_texts(header, 1, 0) == []  # no "Số:" line at all
    assert cell_texts(header, 1, 1) == ["Bình An, ngày 20 tháng 11 năm 2026"]
    assert "BẢNG CHẤM ĐIỂM" in body_texts(doc)
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "TT",
        "Nội dung chấm điểm",
        "Điểm chuẩn",
        "Điểm tự chấm",
    ]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "4.a", ""]
    assert rows[3][2:] == ["5", "4,5"]
    assert rows[4][2:] == ["1", "1"]  # line 4 is the sum of its sub-line
    assert rows[-1][1:] == ["Tổng cộng", "12", "11,5"]
    assert "Tự phân loại: Yếu." in body_texts(doc)


# --- numbering -----------------------------------------------------------------------------------


def test_numbers_run_per_series_and_year(db):
    from django.db import transaction

    with transaction.atomic():
        taken = [numbering.allocate(2026, "VP", "BC") for _ in range(3)]
        other_type = numbering.allocate(2026, "VP", "BB")
        other_issuer = numbering.allocate(2026, "TBV", "BC")
        next_year = numbering.allocate(2027, "VP", "BC")
    assert taken == [1, 2, 3]
    assert (other_type, other_issuer, next_year) == (1, 1, 1)


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="SQLite has no row locks, so Django cannot refuse one"
)
def test_numbering_refuses_to_run_outside_a_transaction(transactional_db):
    from django.db.transaction import TransactionManagementError

    with pytest.raises(TransactionManagementError):
        numbering.allocate(2026, "VP", "BC")


def test_a_reissue_gets_a_new_number_and_version_while_the_first_stays(dossier, leader, member, client):
    sign_off(dossier)
    first = issue(dossier, K.REPORT, leader)
    report = draft(dossier, K.REPORT, member)
    services.save_draft(
        report.pk,
        member,
        report.summary,
        report.addressees,
        report.body + "\nBổ sung sau khi ký.",
        report.recipients,
        report.signer,
    )
    second = issue(dossier, K.REPORT, leader, date(2026, 11, 21))
    assert (first.version, first.number_text) == (1, "01/BC-VP")
    assert (second.version, second.number_text) == (2, "02/BC-VP")
    first.refresh_from_db()
    assert "Bổ sung sau khi ký." not in first.body and "Bổ sung sau khi ký." in second.body
    assert cell_texts(read_issued(first).tables[0], 1, 0) == ["Số: 01/BC-VP"]
    assert cell_texts(read_issued(second).tables[0], 1, 0) == ["Số: 02/BC-VP"]
    assert list(
        EvaluationEvent.objects.filter(evaluation=dossier, action=EvaluationEvent.Action.DOCUMENT_ISSUED).values_list(
            "detail", flat=True
        )
    ) == ["Issued 01/BC-VP", "Issued 02/BC-VP"]


def test_a_new_year_starts_again_at_01(dossier, leader):
    sign_off(dossier)
    assert issue(dossier, K.REPORT, leader, date(2026, 12, 30)).number_text == "01/BC-VP"
    assert issue(dossier, K.REPORT, leader, date(2026, 12, 31)).number_text == "02/BC-VP"
    assert issue(dossier, K.REPORT, leader, date(2027, 1, 2)).number_text == "01/BC-VP"


def test_the_commendation_proposal_shares_the_submission_series(dossier, leader, member, category):
    sign_off(dossier)
    commendation = Commendation.objects.create(
        year=2026,
        kind=Commendation.Kind.AD_HOC,
        form=Commendation.Form.CHIEF_CERTIFICATE,
        person=member,
        achievement="Phát hiện và ngăn chặn kịp thời vụ trộm xe máy tại nhà xe cơ quan.",
        proposed_by=leader,
        proposed_at=local(2026, 3, 6, 9),
    )
    proposal = services.draft_for(commendation, K.COMMENDATION, leader)
    assert services.issue(proposal.pk, leader, ISSUE_DAY).number_text == "01/TTr-VP"
    issue(dossier, K.REPORT, leader)
    issue(dossier, K.MINUTES, leader)
    services.regenerate(draft(dossier, K.SUBMISSION, leader).pk, leader)
    assert issue(dossier, K.SUBMISSION, leader).number_text == "02/TTr-VP"


def test_a_failed_issue_gives_its_number_back(dossier, leader, media):
    sign_off(dossier)
    report = draft(dossier, K.REPORT, leader)
    with mock.patch.object(services, "_record_issue", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            services.issue(report.pk, leader, ISSUE_DAY)
    assert not IssuedDocument.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]  # no orphan .docx left behind
    assert services.issue(report.pk, leader, ISSUE_DAY).number_text == "01/BC-VP"


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_four_people_issuing_at_once_get_four_consecutive_numbers(team, leader, deputy, member):
    # Transactional: the criteria of the data migration are flushed, so four commendation proposals
    # (series TTr-VP) stand for four documents of one series.
    proposals = []
    for n in range(4):
        commendation = Commendation.objects.create(
            year=2026,
            kind=Commendation.Kind.REGULAR,
            form=Commendation.Form.CHIEF_CERTIFICATE,
            collective=f"Tập thể số {n}",
            achievement="Hoàn thành xuất sắc nhiệm vụ.",
            proposed_by=member,
            proposed_at=local(2026, 11, 1, 8),
        )
        proposals.append(services.draft_for(commendation, K.COMMENDATION, member))
    barrier = threading.Barrier(4)
    numbers, errors = [], []

    def issue_one(proposal, actor):
        try:
            barrier.wait()
            numbers.append(services.issue(proposal.pk, User.objects.get(pk=actor.pk), ISSUE_DAY).number)
        except Exception as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connection.close()

    actors = [leader, deputy, leader, deputy]
    threads = [threading.Thread(target=issue_one, args=pair) for pair in zip(proposals, actors, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]
    assert DocumentCounter.objects.get(year=2026, issuer="VP", type_code="TTr").last == 4


# --- drafts: edits, regeneration, permissions ----------------------------------------------------


def test_the_edited_text_is_what_gets_issued(dossier, leader, member):
    report = draft(dossier, K.REPORT, member)
    body = report.body.replace("I. ĐẶC ĐIỂM, TÌNH HÌNH", "I. ĐẶC ĐIỂM, TÌNH HÌNH CHUNG")
    services.save_draft(
        report.pk, member, "Kết quả năm 2026 (đã sửa)", report.addressees, body, report.recipients, None
    )
    sign_off(dossier)
    issued = issue(dossier, K.REPORT, leader)
    assert issued.summary == "Kết quả năm 2026 (đã sửa)" and issued.body == body
    doc = read_issued(issued)
    assert "I. ĐẶC ĐIỂM, TÌNH HÌNH CHUNG" in body_texts(doc)
    assert "Kết quả năm 2026 (đã sửa)" in body_texts(doc)
    assert cell_texts(doc.tables[-1], 0, 1) == []  # the signer was cleared: no signature block


def test_a_stale_edit_is_refused_instead_of_overwriting(dossier, member, deputy):
    report = draft(dossier, K.REPORT, member)
    seen = report.updated_at
    services.save_draft(report.pk, deputy, report.summary, "", "Văn bản của Tổ phó.", "", None, seen=seen)
    with pytest.raises(Conflict):
        services.save_draft(report.pk, member, report.summary, "", "Văn bản của tổ viên.", "", None, seen=seen)
    assert Draft.objects.get(pk=report.pk).body == "Văn bản của Tổ phó."


def test_regenerating_replaces_the_edits_with_todays_figures(dossier, member, make_user):
    report = draft(dossier, K.REPORT, member)
    services.save_draft(report.pk, member, "Tạm", "", "Văn bản tạm.", "", None)
    Participant.objects.create(
        campaign=Campaign.objects.get(),
        user=User.objects.get(full_name="Cán bộ Bổ Sung 24"),
        invited_at=LONG_AGO,
        acknowledged_at=local(2026, 4, 1, 9),
    )
    fresh = services.regenerate(report.pk, member)
    assert "Văn bản tạm." not in fresh.body and fresh.summary.startswith("Kết quả xây dựng")
    assert "30/31 cán bộ (96,7%)" in fresh.body


def test_who_may_edit_and_who_may_issue(dossier, member, deputy, chief, staff):
    report = draft(dossier, K.REPORT, member)
    with pytest.raises(PermissionDenied):
        services.save_draft(report.pk, chief, "X", "", "Y", "", None)  # the leadership reads, the team writes
    with pytest.raises(PermissionDenied):
        services.issue(report.pk, member, ISSUE_DAY)  # a member edits but does not issue
    with pytest.raises(PermissionDenied):
        services.draft_for(dossier, K.REPORT, staff)
    sign_off(dossier)
    assert services.issue(report.pk, deputy, ISSUE_DAY).number_text == "01/BC-VP"


def test_a_rejected_commendation_gets_no_proposal(dossier, leader):
    commendation = Commendation.objects.create(
        year=2026,
        kind=Commendation.Kind.REGULAR,
        form=Commendation.Form.PROVINCE_MERIT,
        collective="Tổ bảo vệ an ninh, trật tự cơ quan",
        achievement="Năm 2026 không để xảy ra vụ việc phức tạp.",
        proposed_by=leader,
        proposed_at=local(2026, 11, 1, 8),
        status=Commendation.Status.REJECTED,
    )
    proposal = services.draft_for(commendation, K.COMMENDATION, leader)
    with pytest.raises(ValidationError) as refused:
        services.issue(proposal.pk, leader, ISSUE_DAY)
    assert refused.value.messages == [str(services.NOT_APPROVED)]


def test_the_commendation_proposal_names_the_nominee_award_and_records(dossier, leader, member):
    theft = Incident.objects.get(reference="VV-2026-0007")
    commendation = Commendation.objects.create(
        year=2026,
        kind=Commendation.Kind.AD_HOC,
        form=Commendation.Form.POLICE_CERTIFICATE,
        person=member,
        achievement="Phát hiện đối tượng trộm xe máy.\nPhối hợp Công an phường bắt giữ đối tượng.",
        proposed_by=leader,
        proposed_at=local(2026, 3, 6, 9),
        evaluation=dossier,
    )
    commendation.incidents.add(theft)
    commendation.campaigns.add(Campaign.objects.get())
    texts = services.draft_for(commendation, K.COMMENDATION, leader)
    assert texts.summary == "Đề nghị tặng Giấy khen của Giám đốc Công an tỉnh cho đồng chí Lê Anh Tuấn"
    assert texts.addressees == "Giám đốc Công an tỉnh Bình An."
    lines = texts.body.splitlines()
    assert "Đồng chí Lê Anh Tuấn, Chuyên viên, Phòng Tổng hợp." in lines
    assert "Hình thức: Giấy khen của Giám đốc Công an tỉnh; loại: khen thưởng đột xuất." in lines
    assert "Phối hợp Công an phường bắt giữ đối tượng." in lines
    assert "- Vụ việc số VV-2026-0007, ngày 05/03/2026: Trộm cắp, mất tài sản." in lines
    assert "- “Phổ biến Nội quy bảo vệ cơ quan” (từ ngày 01/03/2026 đến ngày 31/03/2026)." in lines
    assert any("chưa hoàn thành đánh giá" in line and "đạt 5/5 tiêu chí" in line for line in lines)
    assert lines[-1].endswith("xem xét, quyết định./.")
    doc = read(services.preview_bytes(texts))
    assert cell_texts(doc.tables[0], 1, 0) == [f"Số:{BLANK}/TTr-VP"]
    assert texts.recipients.splitlines()[-1] == "Lưu: VT, TBV."


# --- signed copies --------------------------------------------------------------------------------


def pdf(name="ban-ky.pdf") -> SafeUpload:
    return SafeUpload(
        original_name=name, content_type="application/pdf", extension=".pdf", data=b"%PDF-1.4 signed", is_image=False
    )


def test_the_signed_copy_is_kept_once_per_version(dossier, leader, member):
    issued = issue(dossier, K.PLEDGE, leader)
    with pytest.raises(PermissionDenied):
        services.add_signed_copy(issued.pk, member, pdf())
    services.add_signed_copy(issued.pk, leader, pdf())
    issued.refresh_from_db()
    assert issued.signed_extension == ".pdf" and issued.signed_uploaded_by == leader
    with issued.signed_file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 signed"
    with pytest.raises(ValidationError) as twice:
        services.add_signed_copy(issued.pk, leader, pdf("lan-hai.pdf"))
    assert twice.value.messages == ["A signed copy of 01/ĐK-VP is already uploaded; it cannot be replaced."]
    assert (
        EvaluationEvent.objects.filter(action=EvaluationEvent.Action.SIGNED_COPY_ADDED, detail="01/ĐK-VP").count() == 1
    )


def test_a_spreadsheet_is_not_a_signed_copy(dossier, leader):
    issued = issue(dossier, K.PLEDGE, leader)
    sheet = SafeUpload(
        original_name="x.xlsx", content_type="application/vnd.ms-excel", extension=".xlsx", data=b"PK", is_image=False
    )
    with pytest.raises(ValidationError):
        services.add_signed_copy(issued.pk, leader, sheet)
    issued.refresh_from_db()
    assert not issued.signed_file


def test_file_names(dossier, leader):
    sign_off(dossier)
    report = issue(dossier, K.REPORT, leader)
    pledge = issue(dossier, K.PLEDGE, leader)
    sheet = issue(dossier, K.SCORE_SHEET, leader)
    assert services.draft_file_name(report.draft) == "BC-VP-2026-du-thao.docx"
    assert services.draft_file_name(pledge.draft) == "DK-VP-2026-du-thao.docx"
    assert services.issued_file_name(report) == "01-BC-VP.docx"
    assert services.issued_file_name(pledge) == "01-DK-VP.docx"
    assert services.issued_file_name(sheet) == "bang-cham-diem-2026-v1.docx"

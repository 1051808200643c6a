"""The .docx layout checked the way a văn thư checks a document before it is signed.

Every document is rendered to bytes and read back with python-docx, so these tests see
exactly what Word would open. No database is involved.
"""

import ast
import dataclasses
import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from evaluations.documents.body import Heading, Paragraph, Table, parse_body
from evaluations.documents.layout import (
    OfficialDocument,
    Signature,
    number_line,
    place_date_line,
    render,
)

FONT = "Times New Roman"
BLANK = " " * 6

REPORT_BODY = """\
I. ĐẶC ĐIỂM TÌNH HÌNH
Văn phòng có 12 phòng, đơn vị trực thuộc với 154 cán bộ, công chức, viên chức và người lao động.

II. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ
## 1. Tiêu chí 1: Thực hiện tốt chủ trương, chính sách, pháp luật
- Tổ chức quán triệt các văn bản về bảo đảm an ninh, trật tự cho 100% cán bộ;


| TT | Tiêu chí | Kết quả |
|----|----------|---------|
| 1 | Tiêu chí 1 | Đạt |
| 2 | Tiêu chí 2 | Đạt |
III. ĐỀ XUẤT, KIẾN NGHỊ
Đề nghị Ủy ban nhân dân tỉnh xem xét, công nhận./.
"""

REPORT = OfficialDocument(
    managing_body="UBND tỉnh Bình An",
    issuer="Văn phòng",
    type_name="Báo cáo",
    summary="Kết quả xây dựng cơ quan đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026",
    symbol="BC-VP",
    number=5,
    place="Bình An",
    issued_on=date(2026, 2, 5),
    addressees=["Ủy ban nhân dân tỉnh Bình An."],
    bases=["Căn cứ Thông tư số 124/2021/TT-BCA ngày 28/12/2021 của Bộ trưởng Bộ Công an;"],
    body=REPORT_BODY,
    signatures=[Signature("Phó Chánh Văn phòng", "Hoàng Văn Minh", "KT. Chánh Văn phòng")],
    recipients=["Như trên;", "Công an tỉnh (PV05);", "Lưu: VT, TBV."],
)

MINUTES = OfficialDocument(
    managing_body="UBND tỉnh Bình An",
    issuer="Văn phòng",
    type_name="Biên bản",
    summary="Họp đánh giá, xét đề nghị công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026",
    symbol="BB-VP",
    year=2026,
    place="Bình An",
    body="Thời gian bắt đầu: 08 giờ 00 phút, ngày 03 tháng 11 năm 2026.\nĐịa điểm: Phòng họp số 2.",
    signatures=[Signature("Thư ký", "Trần Thị Lan"), Signature("Chủ tọa", "Nguyễn Quốc Hùng")],
    recipients=["Lưu: VT, Hồ sơ."],
    minutes=True,
)


def read(document: OfficialDocument):
    return Document(io.BytesIO(render(document)))


@pytest.fixture(scope="module")
def report():
    return read(REPORT)


@pytest.fixture(scope="module")
def minutes():
    return read(MINUTES)


def mm(length) -> float:
    return length / 36000


def texts(paragraphs) -> list[str]:
    return [paragraph.text for paragraph in paragraphs]


def only_run(paragraph):
    assert len(paragraph.runs) == 1, paragraph.text
    return paragraph.runs[0]


def is_short_line(paragraph) -> bool:
    bottom = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    return not paragraph.text and bottom is not None and bottom.get(qn("w:val")) == "single"


def line_length_mm(paragraph, available_mm: float) -> float:
    fmt = paragraph.paragraph_format
    return available_mm - mm(fmt.left_indent) - mm(fmt.right_indent)


def cell_paragraphs(table, row, column):
    return table.cell(row, column).paragraphs


def header_table(doc):
    return doc.tables[0]


def signature_table(doc):
    return doc.tables[-1]


def header_texts(doc) -> list[str]:
    table = header_table(doc)
    return [paragraph.text for row in table.rows for cell in row.cells for paragraph in cell.paragraphs]


def all_paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    section = doc.sections[0]
    yield from section.header.paragraphs
    yield from section.first_page_header.paragraphs


def body_paragraphs(doc):
    """Paragraphs of the body proper: between the "Căn cứ" line and the signature table."""
    paragraphs = doc.paragraphs
    start = next(i for i, paragraph in enumerate(paragraphs) if paragraph.text.startswith("Căn cứ")) + 1
    return [paragraph for paragraph in paragraphs[start:] if paragraph.text]


# --- number and date lines -------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [(5, "Số: 05/BC-VP"), (12, "Số: 12/BC-VP"), (None, f"Số:{BLANK}/BC-VP"), (105, "Số: 105/BC-VP")],
)
def test_number_line(number, expected):
    assert number_line("BC-VP", number) == expected


def test_number_line_rejects_zero():
    with pytest.raises(ValueError):
        number_line("BC-VP", 0)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 5), "Bình An, ngày 05 tháng 02 năm 2026"),
        (date(2026, 1, 15), "Bình An, ngày 15 tháng 01 năm 2026"),
        (date(2026, 3, 5), "Bình An, ngày 05 tháng 3 năm 2026"),
        (date(2026, 11, 20), "Bình An, ngày 20 tháng 11 năm 2026"),
        (date(2026, 12, 1), "Bình An, ngày 01 tháng 12 năm 2026"),
    ],
)
def test_place_date_line(day, expected):
    assert place_date_line("Bình An", day) == expected


def test_place_date_line_leaves_blanks_for_an_unsigned_draft():
    assert place_date_line("Bình An", None, 2026) == f"Bình An, ngày{BLANK}tháng{BLANK}năm 2026"


# --- body parser -----------------------------------------------------------------------


def test_parser_recognises_headings_bold_paragraphs_and_list_items():
    blocks = parse_body(
        "I. ĐẶC ĐIỂM\nIV. KIẾN NGHỊ\nPhần I\nPhần lớn cán bộ đã tham gia.\n## 1. Tiêu chí 1\n- Một;\nVăn bản."
    )
    assert blocks == [
        Heading("I. ĐẶC ĐIỂM"),
        Heading("IV. KIẾN NGHỊ"),
        Heading("Phần I"),
        Paragraph("Phần lớn cán bộ đã tham gia."),
        Paragraph("1. Tiêu chí 1", bold=True),
        Paragraph("- Một;"),
        Paragraph("Văn bản."),
    ]


def test_parser_ignores_blank_lines():
    assert parse_body("\n\nMột.\n\n   \n\nHai.\n\n") == [Paragraph("Một."), Paragraph("Hai.")]


def test_parser_builds_tables_from_pipe_lines():
    blocks = parse_body("Trước.\n| TT | Nội dung |\n|---|---|\n|1|Một|\n| 2 | Hai\nSau.\n\n| A | B |\n| x |")
    assert blocks == [
        Paragraph("Trước."),
        Table((("TT", "Nội dung"), ("1", "Một"), ("2", "Hai"))),
        Paragraph("Sau."),
        Table((("A", "B"), ("x", ""))),
    ]
    assert blocks[1].header == ("TT", "Nội dung")


# --- page ------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["report", "minutes"])
def test_page_is_a4_portrait_with_decree_margins(fixture, request):
    section = request.getfixturevalue(fixture).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert mm(section.page_width) == pytest.approx(210, abs=0.5)
    assert mm(section.page_height) == pytest.approx(297, abs=0.5)
    assert mm(section.top_margin) == pytest.approx(20, abs=0.5)
    assert mm(section.bottom_margin) == pytest.approx(20, abs=0.5)
    assert mm(section.left_margin) == pytest.approx(30, abs=0.5)
    assert mm(section.right_margin) == pytest.approx(15, abs=0.5)


def test_landscape_only_when_asked():
    section = read(dataclasses.replace(REPORT, landscape=True)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert mm(section.page_width) == pytest.approx(297, abs=0.5)
    assert mm(section.page_height) == pytest.approx(210, abs=0.5)
    assert mm(section.left_margin) == pytest.approx(30, abs=0.5)


def test_page_number_in_the_header_but_not_on_the_first_page(report):
    section = report.sections[0]
    assert section.different_first_page_header_footer
    default = section.header
    assert not default.is_linked_to_previous
    instructions = [node.text.strip() for node in default._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert default.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {run.font.size for run in default.paragraphs[0].runs} == {Pt(14)}
    assert mm(section.header_distance) < mm(section.top_margin)
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert not list(first._element.iter(qn("w:instrText")))
    assert not list(first._element.iter(qn("w:fldSimple")))
    assert not "".join(texts(first.paragraphs)).strip()


# --- fonts -----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["report", "minutes"])
def test_every_run_is_times_new_roman_in_every_font_slot(fixture, request):
    doc = request.getfixturevalue(fixture)
    for run in (run for paragraph in all_paragraphs(doc) for run in paragraph.runs):
        assert run.font.name == FONT, run.text
        assert run.font.color.rgb in (None, (0, 0, 0))
    # Straight from the XML too, so runs python-docx does not surface (fields) are covered.
    section = doc.sections[0]
    parts = (doc.element.body, section.header._element, section.first_page_header._element)
    runs = [run for part in parts for run in part.iter(qn("w:r"))]
    assert len(runs) > 15
    for run in runs:
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {FONT}


def test_normal_style_and_document_defaults_are_times_new_roman(report):
    normal = report.styles["Normal"]
    assert normal.font.name == FONT
    assert normal.font.size == Pt(14)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == FONT
    defaults = report.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert {defaults.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {FONT}
    assert not [name for name in defaults.attrib if name.endswith("Theme") or name.endswith("theme")]


# --- header ----------------------------------------------------------------------------


def test_header_holds_issuer_national_name_number_and_date(report):
    table = header_table(report)
    left = [p for p in cell_paragraphs(table, 0, 0) if p.text]
    right = [p for p in cell_paragraphs(table, 0, 1) if p.text]
    assert texts(left) == ["UBND TỈNH BÌNH AN", "VĂN PHÒNG"]
    assert texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    managing_body, issuer = (only_run(p) for p in left)
    national_name, motto = (only_run(p) for p in right)
    assert not managing_body.bold and managing_body.font.size == Pt(13)
    assert issuer.bold and issuer.font.size == Pt(13)
    assert national_name.bold and national_name.font.size == Pt(13)
    assert motto.bold and motto.font.size == Pt(14)
    number = only_run(cell_paragraphs(table, 1, 0)[0])
    assert number.text == "Số: 05/BC-VP" and number.font.size == Pt(13)
    when = only_run(cell_paragraphs(table, 1, 1)[0])
    assert when.text == "Bình An, ngày 05 tháng 02 năm 2026"
    assert when.italic and when.font.size == Pt(14)
    for paragraph in (*left, *right, cell_paragraphs(table, 1, 0)[0], cell_paragraphs(table, 1, 1)[0]):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_header_table_has_no_borders(report):
    borders = header_table(report)._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_short_lines_under_issuer_and_motto(report):
    table = header_table(report)
    left_mm, right_mm = (mm(column.width) for column in table.columns)
    issuer_lines = [p for p in cell_paragraphs(table, 0, 0) if is_short_line(p)]
    motto_lines = [p for p in cell_paragraphs(table, 0, 1) if is_short_line(p)]
    assert len(issuer_lines) == len(motto_lines) == 1
    # Under the issuer: 1/3–1/2 of "VĂN PHÒNG" (about 28 mm at 13 pt bold).
    assert 9 <= line_length_mm(issuer_lines[0], left_mm) <= 14
    # Under the motto: as long as the motto (about 60 mm at 14 pt bold).
    assert 55 <= line_length_mm(motto_lines[0], right_mm) <= 65


def test_minutes_have_no_place_and_date_line(minutes):
    header = " ".join(header_texts(minutes))
    assert "ngày" not in header and "tháng" not in header and "năm" not in header
    assert f"Số:{BLANK}/BB-VP" in header_texts(minutes)


def test_draft_marker_only_on_drafts(report):
    assert not any("DỰ THẢO" in paragraph.text for paragraph in all_paragraphs(report))
    draft = read(dataclasses.replace(REPORT, draft=True))
    first = draft.paragraphs[0]
    assert first.text.strip("\u00a0 ") == "DỰ THẢO"
    assert only_run(first).bold
    assert first.runs[0]._r.rPr.find(qn("w:bdr")).get(qn("w:val")) == "single"
    # It comes before the header, at the very top of page 1.
    body = draft.element.body
    assert body.index(first._p) < body.index(header_table(draft)._tbl)


# --- title, addressees, bases ----------------------------------------------------------


def title_paragraphs(doc):
    paragraphs = doc.paragraphs
    return paragraphs[0], paragraphs[1], paragraphs[2]


@pytest.mark.parametrize("fixture", ["report", "minutes"])
def test_type_name_and_summary_bold_centred_with_a_line_under(fixture, request):
    doc = request.getfixturevalue(fixture)
    type_name, summary, line = title_paragraphs(doc)
    assert type_name.text in ("BÁO CÁO", "BIÊN BẢN")
    assert summary.text.startswith(("Kết quả", "Họp đánh giá"))
    for paragraph in (type_name, summary):
        run = only_run(paragraph)
        assert run.bold and run.font.size == Pt(14)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert is_short_line(line)
    assert 20 <= line_length_mm(line, 165) <= 80


def test_single_addressee_on_the_kinh_gui_line(report):
    assert "Kính gửi: Ủy ban nhân dân tỉnh Bình An." in texts(report.paragraphs)


def test_several_addressees_each_on_its_own_dashed_line():
    doc = read(dataclasses.replace(REPORT, addressees=["Ủy ban nhân dân tỉnh;", "Công an tỉnh."]))
    lines = [p.text for p in doc.paragraphs if p.text.startswith(("Kính gửi", "- Công an tỉnh."))]
    assert lines == ["Kính gửi:\t- Ủy ban nhân dân tỉnh;", "- Công an tỉnh."]


def test_bases_are_italic_14pt(report):
    basis = next(p for p in report.paragraphs if p.text.startswith("Căn cứ"))
    run = only_run(basis)
    assert run.italic and run.font.size == Pt(14)


# --- body ------------------------------------------------------------------------------


def test_body_paragraphs_are_justified_indented_14pt(report):
    paragraph = next(p for p in report.paragraphs if p.text.startswith("Văn phòng có 12"))
    fmt = paragraph.paragraph_format
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.first_line_indent.cm == pytest.approx(Cm(1.27).cm, abs=0.01)
    assert fmt.space_after.pt >= 6
    assert 1.0 <= fmt.line_spacing <= 1.5
    assert only_run(paragraph).font.size == Pt(14)
    assert not only_run(paragraph).bold


def test_body_headings_bold_list_items_and_no_empty_paragraphs(report):
    paragraphs = body_paragraphs(report)
    assert texts(paragraphs) == [
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "Văn phòng có 12 phòng, đơn vị trực thuộc với 154 cán bộ, công chức, viên chức và người lao động.",
        "II. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ",
        "1. Tiêu chí 1: Thực hiện tốt chủ trương, chính sách, pháp luật",
        "- Tổ chức quán triệt các văn bản về bảo đảm an ninh, trật tự cho 100% cán bộ;",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Đề nghị Ủy ban nhân dân tỉnh xem xét, công nhận./.",
    ]
    heading, _, _, khoan, item, *_ = paragraphs
    assert only_run(heading).bold and not heading.paragraph_format.first_line_indent
    assert only_run(khoan).bold and khoan.paragraph_format.first_line_indent == Cm(1.27)
    assert not only_run(item).bold and item.paragraph_format.first_line_indent == Cm(1.27)
    # The blank lines of the textarea produced nothing between the body paragraphs.
    body = report.element.body
    first, last = body.index(paragraphs[0]._p), body.index(paragraphs[-1]._p)
    between = [node for node in body[first:last] if node.tag == qn("w:p")]
    assert all("".join(node.itertext()) for node in between)


def test_body_table_is_a_real_table_with_a_bold_header(report):
    table = report.tables[1]
    assert [cell.text for cell in table.rows[0].cells] == ["TT", "Tiêu chí", "Kết quả"]
    assert [cell.text for cell in table.rows[2].cells] == ["2", "Tiêu chí 2", "Đạt"]
    assert len(table.rows) == 3  # the Markdown separator row is not a row
    for cell in table.rows[0].cells:
        paragraph = cell.paragraphs[0]
        assert only_run(paragraph).bold and paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body_cell = table.cell(1, 1).paragraphs[0]
    assert not only_run(body_cell).bold and only_run(body_cell).font.size == Pt(13)
    assert not body_cell.paragraph_format.first_line_indent
    assert table.cell(1, 0).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    widths = [column.width for column in table.columns]
    assert widths[0] < widths[1] and widths[0] < widths[2]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}


# --- signatures and recipients ---------------------------------------------------------


def test_signature_block_of_a_report(report):
    table = signature_table(report)
    right = cell_paragraphs(table, 0, 1)
    assert texts(right) == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "", "", "", "", "Hoàng Văn Minh"]
    for paragraph in right:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        for run in paragraph.runs:
            assert run.bold and run.font.size == Pt(14)
    left = cell_paragraphs(table, 0, 0)
    assert texts(left) == ["Nơi nhận:", "- Như trên;", "- Công an tỉnh (PV05);", "- Lưu: VT, TBV."]
    heading = only_run(left[0])
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    for line in left[1:]:
        run = only_run(line)
        assert run.font.size == Pt(11) and not run.bold and not run.italic
        assert line.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_no_authority_line_when_the_head_signs_himself():
    doc = read(dataclasses.replace(REPORT, signatures=[Signature("Chánh Văn phòng", "Nguyễn Quốc Hùng")]))
    right = [p.text for p in cell_paragraphs(signature_table(doc), 0, 1) if p.text]
    assert right == ["CHÁNH VĂN PHÒNG", "Nguyễn Quốc Hùng"]


def test_minutes_signed_by_secretary_left_and_chair_right(minutes):
    table = signature_table(minutes)
    left = [p for p in cell_paragraphs(table, 0, 0) if p.text]
    right = [p for p in cell_paragraphs(table, 0, 1) if p.text]
    assert texts(left) == ["THƯ KÝ", "Trần Thị Lan"]
    assert texts(right) == ["CHỦ TỌA", "Nguyễn Quốc Hùng"]
    assert all(only_run(p).bold for p in (*left, *right))
    # "Nơi nhận" goes under the signatures, as ordinary paragraphs of the page.
    tail = texts(minutes.paragraphs)[-2:]
    assert tail == ["Nơi nhận:", "- Lưu: VT, Hồ sơ."]
    heading = only_run(minutes.paragraphs[-2])
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    assert only_run(minutes.paragraphs[-1]).font.size == Pt(11)


def test_signature_table_is_separated_from_a_trailing_body_table():
    doc = read(dataclasses.replace(REPORT, body="| TT | Nội dung |\n| 1 | Một |"))
    body = doc.element.body
    tables = [node for node in body if node.tag == qn("w:tbl")]
    for earlier, later in zip(tables, tables[1:], strict=False):
        assert earlier.getnext() is not later, "Word would merge two adjacent tables"


# --- module hygiene --------------------------------------------------------------------


def test_render_returns_a_docx_zip():
    assert render(MINUTES)[:2] == b"PK"


def test_layout_does_not_depend_on_django():
    package = Path(__file__).resolve().parent.parent / "evaluations" / "documents"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), source.name

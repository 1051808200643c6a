"""Lay out a Vietnamese administrative document as .docx (Nghị định 30/2020/NĐ-CP, Phụ lục I).

`render(OfficialDocument(...))` returns the bytes of a Word file that a văn thư can print,
number, sign and seal without retouching it:

* A4, margins 20/20/30/15 mm (top/bottom/left/right); landscape only on request.
* Times New Roman everywhere, black: set on the document defaults, on the Normal style and
  on every run, in all four font slots (ascii, hAnsi, eastAsia, cs), because Word picks the
  slot per character and a Vietnamese letter falling into an unset slot switches font.
* Header (Mẫu 1.4; Mẫu 1.9 for minutes): a borderless 2×2 table. Row 1: managing body,
  issuer, short line | national name, motto, line as long as the motto. Row 2: "Số: 05/BC-VP"
  | place and date (empty for minutes, whose time is in the body), so both sit on one level.
* Short solid lines are empty 2 pt paragraphs with a single bottom border, whose left and
  right indents centre a border of the wanted length; lengths come from Times New Roman Bold
  advance widths. Tests find them as text-less paragraphs with `w:pBdr/w:bottom`.
* Body: see `body`; paragraphs 14 pt, justified, first line 1.27 cm, 6 pt after, 1.15 lines.
* Signatures: a borderless table, "Nơi nhận" left and the signer right; with several
  signers (minutes: THƯ KÝ, CHỦ TỌA) one column each and "Nơi nhận" below.
* Page numbers centred in the top margin, absent from page 1 (distinct first-page header).

Nothing here touches Django: callers pass plain values, so the layout is testable alone.
"""

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .body import (
    BODY_SIZE,
    CENTER,
    LEFT,
    PARAGRAPH_GAP,
    Container,
    add_blocks,
    add_table,
    add_text,
    body_paragraph,
    element,
    keep_row_together,
    mark_font,
    parse_body,
    set_fonts,
    style_run,
)

LANGUAGE = "vi-VN"
PAGE_SIZE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
HEADER_DISTANCE = Mm(10)  # keeps the page number inside the 20 mm top margin
ISSUER_LINE_RATIO = 0.4  # Phụ lục I: lines under issuer and summary are 1/3–1/2 of the text
SUMMARY_LINE_RATIO = 1 / 3  # a long summary wraps; half a full line would look like a rule
MIN_SHORT_LINE = Mm(10)
SIGNATURE_GAP_LINES = 4  # room for the handwritten signature and the seal
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"
BLANK = " " * 6  # room for a handwritten number or date on drafts


@dataclass(frozen=True)
class Signature:
    title: str
    name: str
    authority: str = ""


@dataclass(frozen=True)
class OfficialDocument:
    managing_body: str
    issuer: str
    type_name: str
    summary: str
    symbol: str
    number: int | None = None
    place: str = ""
    issued_on: date | None = None
    year: int | None = None
    addressees: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    body: str = ""
    signatures: list[Signature] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    minutes: bool = False
    draft: bool = False
    landscape: bool = False
    numbered: bool = True  # False for an annex (a score sheet): no "Số:" line at all


def number_line(symbol: str, number: int | None) -> str:
    """'Số: 05/BC-VP'; numbers below 10 get a leading zero; None leaves room to write it."""
    if number is not None and number < 1:
        raise ValueError(f"document numbers start at 1, got {number}")
    digits = BLANK if number is None else f" {number:02d}"
    return f"Số:{digits}/{symbol}" if symbol else f"Số:{digits}"


def place_date_line(place: str, day: date | None, year: int | None = None) -> str:
    """'Bình An, ngày 05 tháng 02 năm 2026'; only days < 10 and months 1–2 get a zero."""
    if day is None:
        when = f"ngày{BLANK}tháng{BLANK}năm {year}" if year else f"ngày{BLANK}tháng{BLANK}năm{BLANK}"
    else:
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        when = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {when}" if place else when


def render(document: OfficialDocument) -> bytes:
    """The .docx file for `document`."""
    doc = Document()
    section = doc.sections[0]
    _setup_page(section, document.landscape)
    _setup_styles(doc)
    _add_page_numbers(section)
    width = Emu(section.page_width - section.left_margin - section.right_margin)
    if document.draft:
        _add_draft_mark(doc)
    _add_header(doc, document, width)
    title_line = _add_title(doc, document, width)
    _add_addressees(doc, document.addressees)
    for basis in document.bases:
        body_paragraph(doc, basis, italic=True)
    add_blocks(doc, parse_body(document.body), width)
    _add_signatures(doc, document, width)
    _space_after_title(doc, title_line)
    doc.core_properties.title = f"{document.type_name} {document.summary}".strip()
    doc.core_properties.author = document.issuer
    doc.core_properties.comments = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- page ------------------------------------------------------------------------------


def _setup_page(section: Section, landscape: bool) -> None:
    width, height = PAGE_SIZE
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = section.footer_distance = HEADER_DISTANCE


def _setup_styles(doc: DocxDocument) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    properties = normal.element.get_or_add_rPr()
    set_fonts(properties)
    # Word then spell-checks and hyphenates in Vietnamese.
    properties.insert_element_before(element("lang", val=LANGUAGE), "w:eastAsianLayout", "w:specVanish")
    # The template adds 10 pt after every paragraph; spacing is set where it is meant instead.
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _add_page_numbers(section: Section) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    mark_font(paragraph, BODY_SIZE)
    field_parts = (
        element("fldChar", fldCharType="begin"),
        element("instrText"),
        element("fldChar", fldCharType="separate"),
    )
    field_parts[1].set(qn("xml:space"), "preserve")
    field_parts[1].text = " PAGE "
    for part in field_parts:
        style_run(paragraph.add_run(), BODY_SIZE)._r.append(part)
    style_run(paragraph.add_run("2"), BODY_SIZE)  # shown until the viewer updates the field
    style_run(paragraph.add_run(), BODY_SIZE)._r.append(element("fldChar", fldCharType="end"))
    first = section.first_page_header
    first.is_linked_to_previous = False
    mark_font(first.paragraphs[0], BODY_SIZE)


# --- short lines -----------------------------------------------------------------------


def _short_line(container: Container, available: Length, length: float) -> DocxParagraph:
    length = max(min(length, available), MIN_SHORT_LINE)
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Emu(int((available - length) / 2))
    fmt.line_spacing = Pt(2)  # a Length means "exactly": the line hugs the text above
    mark_font(paragraph, 1)
    borders = element("pBdr")
    borders.append(element("bottom", val="single", sz="6", space="1", color="000000"))
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )
    return paragraph


# Times New Roman Bold advance widths in em, per base letter (Adobe Times-Bold metrics).
_BOLD_EM_GROUPS = (
    "MW:.97 GHKOQ:.778 ACDNRUVXY:.722 BELTZ:.667 FP:.611 S:.556 J:.5 I:.389 m:.833 w:.722 "
    "bdhknpqu:.556 agovxy0123456789:.5 cerz:.444 s:.389 fjt-:.333 il:.278 ,.;::.25"
)
_BOLD_EM = {
    char: float(em) for group in _BOLD_EM_GROUPS.split() for chars, em in [group.rsplit(":", 1)] for char in chars
}
_BOLD_EM[" "] = 0.25


def _bold_width(text: str, size: float) -> Length:
    """Printed width of `text` in Times New Roman Bold, close enough to size a rule."""
    return Pt(sum(_BOLD_EM.get(_base_letter(char), 0.5) for char in text) * size)


def _base_letter(char: str) -> str:
    # "Đ" does not decompose; every other Vietnamese letter is a Latin base plus marks.
    return {"Đ": "D", "đ": "d"}.get(char) or unicodedata.normalize("NFD", char)[0]


# --- layout tables ---------------------------------------------------------------------


def _borderless_table(doc: DocxDocument, rows: int, widths: Sequence[Length]) -> DocxTable:
    """A layout grid: no borders, no cell padding (so line indents are exact), empty cells."""
    table = add_table(doc, rows, widths, borders=False)
    margins = element("tblCellMar")
    margins.append(element("left", w="0", type="dxa"))
    margins.append(element("right", w="0", type="dxa"))
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell._tc.findall(qn("w:p")):
                cell._tc.remove(paragraph)
    return table


def _fill_empty_cells(table: DocxTable) -> None:
    # A cell without a paragraph is invalid OOXML; Word refuses to open the file.
    for row in table.rows:
        for cell in row.cells:
            if not cell._tc.findall(qn("w:p")):
                add_text(cell, "", BODY_SIZE)


# --- document parts --------------------------------------------------------------------


def _add_draft_mark(doc: DocxDocument) -> None:
    paragraph = add_text(doc, f"\u00a0{DRAFT_MARK}\u00a0", 12, bold=True, align=LEFT)
    frame = element("bdr", val="single", sz="8", space="1", color="000000")
    paragraph.runs[0]._r.get_or_add_rPr().insert_element_before(
        frame, "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"
    )
    paragraph.paragraph_format.space_after = PARAGRAPH_GAP


def _add_header(doc: DocxDocument, document: OfficialDocument, width: Length) -> None:
    # The right column must hold the national name: about 96 mm at 13 pt bold.
    left_width = Emu(int(max(Mm(65), width * 0.4)))
    widths = (left_width, Emu(width - left_width))
    table = _borderless_table(doc, 2, widths)
    left, right = table.cell(0, 0), table.cell(0, 1)
    if document.managing_body:
        add_text(left, document.managing_body.upper(), 13)
    issuer = document.issuer.upper()
    add_text(left, issuer, 13, bold=True)
    _short_line(left, widths[0], _bold_width(issuer, 13) * ISSUER_LINE_RATIO)
    add_text(right, NATIONAL_NAME, 13, bold=True)
    add_text(right, MOTTO, 14, bold=True)
    _short_line(right, widths[1], _bold_width(MOTTO, 14))
    if document.numbered:
        number = add_text(table.cell(1, 0), number_line(document.symbol, document.number), 13)
        number.paragraph_format.space_before = PARAGRAPH_GAP
    if not document.minutes:
        when = place_date_line(document.place, document.issued_on, document.year)
        add_text(table.cell(1, 1), when, 14, italic=True).paragraph_format.space_before = PARAGRAPH_GAP
    _fill_empty_cells(table)


def _add_title(doc: DocxDocument, document: OfficialDocument, width: Length) -> DocxParagraph:
    type_name = add_text(doc, document.type_name.upper(), BODY_SIZE, bold=True)
    type_name.paragraph_format.space_before = Pt(18)
    type_name.paragraph_format.keep_with_next = True
    add_text(doc, document.summary, BODY_SIZE, bold=True).paragraph_format.keep_with_next = True
    summary_width = min(_bold_width(document.summary, BODY_SIZE), width)
    return _short_line(doc, width, summary_width * SUMMARY_LINE_RATIO)


def _space_after_title(doc: DocxDocument, line: DocxParagraph) -> None:
    # Space after a bordered paragraph can land inside the border in some renderers, so the
    # gap under the summary line is the next paragraph's space before, or a spacer before a table.
    following = line._p.getnext()
    if following is not None and following.tag == qn("w:p"):
        DocxParagraph(following, line._parent).paragraph_format.space_before = Pt(12)
    else:
        line._p.addnext(add_text(doc, "", 12)._p)


def _add_addressees(doc: DocxDocument, addressees: Sequence[str]) -> None:
    if len(addressees) == 1:
        add_text(doc, f"Kính gửi: {addressees[0]}", BODY_SIZE).paragraph_format.space_after = PARAGRAPH_GAP
        return
    # Several addressees: "Kính gửi:" once, each "- …" line aligned under the first one.
    start, label = Mm(30), Mm(22)
    paragraphs = [add_text(doc, _dashed(addressee), BODY_SIZE, align=LEFT) for addressee in addressees]
    for paragraph in paragraphs:
        paragraph.paragraph_format.left_indent = start + label
    if paragraphs:
        first = paragraphs[0]
        first.runs[0].text = f"Kính gửi:\t{first.runs[0].text}"
        first.paragraph_format.first_line_indent = -label
        first.paragraph_format.tab_stops.add_tab_stop(start + label)
        paragraphs[-1].paragraph_format.space_after = PARAGRAPH_GAP


def _dashed(line: str) -> str:
    return line if line.startswith("-") else f"- {line}"


def _add_signatures(doc: DocxDocument, document: OfficialDocument, width: Length) -> None:
    signatures = document.signatures
    if len(signatures) >= 2:
        table = _borderless_table(doc, 1, [Emu(int(width / len(signatures)))] * len(signatures))
        for cell, signature in zip(table.rows[0].cells, signatures, strict=True):
            _signature(cell, signature)
        if document.recipients:
            _recipients(doc, document.recipients)[0].paragraph_format.space_before = Pt(12)
    else:
        right_width = Emu(int(max(Mm(85), width / 2)))
        table = _borderless_table(doc, 1, (Emu(width - right_width), right_width))
        if document.recipients:
            _recipients(table.cell(0, 0), document.recipients)
        if signatures:
            _signature(table.cell(0, 1), signatures[0])
    _fill_empty_cells(table)
    keep_row_together(table)
    for cell in table.rows[0].cells:
        cell.paragraphs[0].paragraph_format.space_before = PARAGRAPH_GAP


def _signature(cell: _Cell, signature: Signature) -> None:
    if signature.authority:
        add_text(cell, signature.authority.upper(), BODY_SIZE, bold=True)
    add_text(cell, signature.title.upper(), BODY_SIZE, bold=True)
    for _ in range(SIGNATURE_GAP_LINES):
        add_text(cell, "", BODY_SIZE)
    add_text(cell, signature.name, BODY_SIZE, bold=True)


def _recipients(container: Container, recipients: Sequence[str]) -> list[DocxParagraph]:
    paragraphs = [add_text(container, "Nơi nhận:", 12, bold=True, italic=True, align=LEFT)]
    paragraphs += [add_text(container, _dashed(line), 11, align=LEFT) for line in recipients]
    return paragraphs

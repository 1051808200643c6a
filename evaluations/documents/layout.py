"""Lay out a Vietnamese administrative document as .docx (Nghị định 30/2020/NĐ-CP, Phụ lục I).

`render(OfficialDocument(...))` returns the bytes of a Word file that a văn thư can print,
number, sign and seal without retouching it:

* A4, margins 20/20/30/15 mm (top/bottom/left/right); landscape only on request.
* Times New Roman everywhere, set on the document defaults, on the Normal style and on every
  run, for all four font slots (ascii, hAnsi, eastAsia, cs): Word picks the slot per
  character, and a Vietnamese letter falling into an unset slot silently switches font.
* Header (Mẫu 1.4 / 1.9): a borderless 2×2 table. Row 1: managing body, issuer, short line |
  national name, motto, line as long as the motto. Row 2: "Số: 05/BC-VP" | place and date
  (left empty for minutes, whose time is in the body), so both always sit on one level.
* Short solid lines are empty 2 pt paragraphs with a single bottom border whose left and
  right indents centre a border of the wanted length; the length comes from Times New Roman
  Bold advance widths. Tests find them as text-less paragraphs with `w:pBdr/w:bottom`.
* Body: see `body.parse_body`; paragraphs 14 pt, justified, first line indented 1.27 cm,
  6 pt after, line spacing 1.15.
* Signatures: a borderless table, "Nơi nhận" left and the signer right; with several
  signers (minutes: THƯ KÝ, CHỦ TỌA) one column each and "Nơi nhận" below.
* Page numbers centred in the top margin, absent from page 1 (distinct first-page header).

Nothing here touches Django: callers pass plain values, so the layout is testable alone.
"""

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Emu, Length, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from .body import Block, Heading, Paragraph, Table, parse_body

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
PAGE_SIZE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
HEADER_DISTANCE = Mm(10)  # keeps the page number inside the 20 mm top margin
BODY_SIZE = 14
FIRST_LINE_INDENT = Cm(1.27)
LINE_SPACING = 1.15
SHORT_LINE_RATIO = 0.4  # Phụ lục I: lines under issuer and summary are 1/3–1/2 of the text
MIN_SHORT_LINE = Mm(10)
SIGNATURE_GAP_LINES = 4  # room for the handwritten signature and the seal
ORDINAL_COLUMN = Mm(12)
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"
BLANK = " " * 6  # room for a handwritten number or date on drafts

CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
Container = DocxDocument | _Cell


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
    width = _text_width(section)
    if document.draft:
        _add_draft_mark(doc)
    _add_header(doc, document, width)
    title_line = _add_title(doc, document, width)
    _add_addressees(doc, document.addressees)
    for basis in document.bases:
        _body_paragraph(doc, basis, italic=True)
    _add_blocks(doc, parse_body(document.body), width)
    _add_signatures(doc, document, width)
    _space_after_title(doc, title_line)
    doc.core_properties.title = f"{document.type_name} {document.summary}".strip()
    doc.core_properties.author = document.issuer
    doc.core_properties.comments = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- page and styles -------------------------------------------------------------------


def _setup_page(section: Section, landscape: bool) -> None:
    width, height = PAGE_SIZE
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = section.footer_distance = HEADER_DISTANCE


def _text_width(section: Section) -> Length:
    return Emu(section.page_width - section.left_margin - section.right_margin)


def _setup_styles(doc: DocxDocument) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)  # Word spell-checks and hyphenates in Vietnamese
    rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    # The template's defaults add 10 pt after every paragraph; spacing is set where it is meant.
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _set_fonts(rpr) -> None:
    fonts = rpr.get_or_add_rFonts()
    # Theme attributes win over explicit names in Word, so they must go.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _add_page_numbers(section: Section) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    _mark_font(paragraph, BODY_SIZE)
    for kind, value in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2"), ("end", "")):
        run = paragraph.add_run(value if kind == "text" else None)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._r.append(instr)
        elif kind != "text":
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        _style_run(run, BODY_SIZE)
    first = section.first_page_header
    first.is_linked_to_previous = False
    _mark_font(first.paragraphs[0], BODY_SIZE)


# --- runs, paragraphs, lines -----------------------------------------------------------


def _style_run(run: Run, size: float, *, bold: bool = False, italic: bool = False) -> Run:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(run._r.get_or_add_rPr())
    return run


def _mark_font(paragraph: DocxParagraph, size: float) -> None:
    # The paragraph mark has its own size; left at 14 pt it would stretch 11–13 pt lines
    # and make empty spacer paragraphs the wrong height.
    ppr = paragraph._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    _set_fonts(rpr)
    size_el = OxmlElement("w:sz")
    size_el.set(qn("w:val"), str(round(size * 2)))
    rpr.append(size_el)
    ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")


def _text(
    container: Container,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = CENTER,
) -> DocxParagraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    if text:
        _style_run(paragraph.add_run(text), size, bold=bold, italic=italic)
    _mark_font(paragraph, size)
    return paragraph


def _short_line(container: Container, available: Length, length: float) -> DocxParagraph:
    length = max(min(length, available), MIN_SHORT_LINE)
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Emu(int((available - length) / 2))
    fmt.line_spacing = Pt(2)  # a Length means "exactly": the line hugs the text above
    _mark_font(paragraph, 1)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )
    return paragraph


_BOLD_EM = {
    char: em
    for chars, em in (
        ("MW", 0.97),
        ("GHKOQ", 0.778),
        ("ACDNRUVXY", 0.722),
        ("BELTZ", 0.667),
        ("FP", 0.611),
        ("S", 0.556),
        ("J", 0.5),
        ("I", 0.389),
        ("m", 0.833),
        ("w", 0.722),
        ("bdhknpqu", 0.556),
        ("agovxy0123456789", 0.5),
        ("cerz", 0.444),
        ("s", 0.389),
        ("fjt-", 0.333),
        ("il", 0.278),
        (" ,.;:", 0.25),
    )
    for char in chars
}


def _bold_width(text: str, size: float) -> Length:
    """Printed width in EMU of `text` in Times New Roman Bold (close enough for rules)."""
    ems = sum(_BOLD_EM.get(_base_letter(char), 0.5) for char in text)
    return Pt(ems * size)


def _base_letter(char: str) -> str:
    # "Đ" does not decompose; every other Vietnamese letter is a Latin base plus marks.
    return {"Đ": "D", "đ": "d"}.get(char) or unicodedata.normalize("NFD", char)[0]


# --- tables ----------------------------------------------------------------------------


def _table(doc: DocxDocument, rows: int, widths: Sequence[Length], *, borders: bool) -> DocxTable:
    table = doc.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            line.set(qn("w:sz"), "4")
            line.set(qn("w:color"), "000000")
        edges.append(line)
    tbl_pr = table._tbl.tblPr
    tbl_pr.insert_element_before(edges, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(Emu(width).twips for width in widths)))
    for index, width in enumerate(widths):
        table.columns[index].width = width
        for cell in table.columns[index].cells:
            cell.width = width
    return table


def _borderless_table(doc: DocxDocument, rows: int, widths: Sequence[Length]) -> DocxTable:
    """A layout grid: no borders, no cell padding (so line indents are exact), empty cells."""
    table = _table(doc, rows, widths, borders=False)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
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
                _text(cell, "", BODY_SIZE)


def _keep_row_on_one_page(table: DocxTable, *, repeat: bool = False) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if repeat:
        tr_pr.append(OxmlElement("w:tblHeader"))


# --- document parts --------------------------------------------------------------------


def _add_draft_mark(doc: DocxDocument) -> None:
    paragraph = _text(doc, f"\u00a0{DRAFT_MARK}\u00a0", 12, bold=True, align=LEFT)
    frame = OxmlElement("w:bdr")
    for key, value in (("val", "single"), ("sz", "8"), ("space", "1"), ("color", "000000")):
        frame.set(qn(f"w:{key}"), value)
    run_pr = paragraph.runs[0]._r.get_or_add_rPr()
    run_pr.insert_element_before(frame, "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang")
    paragraph.paragraph_format.space_after = Pt(6)


def _add_header(doc: DocxDocument, document: OfficialDocument, width: Length) -> None:
    left_width = Emu(int(max(Mm(65), width * 0.4)))
    widths = (left_width, Emu(width - left_width))
    table = _borderless_table(doc, 2, widths)
    left, right = table.cell(0, 0), table.cell(0, 1)
    if document.managing_body:
        _text(left, document.managing_body.upper(), 13)
    issuer = document.issuer.upper()
    _text(left, issuer, 13, bold=True)
    _short_line(left, widths[0], _bold_width(issuer, 13) * SHORT_LINE_RATIO)
    _text(right, NATIONAL_NAME, 13, bold=True)
    _text(right, MOTTO, 14, bold=True)
    _short_line(right, widths[1], _bold_width(MOTTO, 14))
    number = _text(table.cell(1, 0), number_line(document.symbol, document.number), 13)
    number.paragraph_format.space_before = Pt(6)
    if not document.minutes:
        when = place_date_line(document.place, document.issued_on, document.year)
        _text(table.cell(1, 1), when, 14, italic=True).paragraph_format.space_before = Pt(6)
    _fill_empty_cells(table)


def _add_title(doc: DocxDocument, document: OfficialDocument, width: Length) -> DocxParagraph:
    type_name = _text(doc, document.type_name.upper(), BODY_SIZE, bold=True)
    type_name.paragraph_format.space_before = Pt(18)
    type_name.paragraph_format.keep_with_next = True
    _text(doc, document.summary, BODY_SIZE, bold=True).paragraph_format.keep_with_next = True
    summary_width = min(_bold_width(document.summary, BODY_SIZE), width)
    return _short_line(doc, width, summary_width * SHORT_LINE_RATIO)


def _space_after_title(doc: DocxDocument, line: DocxParagraph) -> None:
    # Space after a bordered paragraph would sit inside the border in some renderers, so the
    # gap under the summary line is the next paragraph's space before.
    following = line._p.getnext()
    if following is not None and following.tag == qn("w:p"):
        DocxParagraph(following, line._parent).paragraph_format.space_before = Pt(12)


def _add_addressees(doc: DocxDocument, addressees: Sequence[str]) -> None:
    if len(addressees) == 1:
        _text(doc, f"Kính gửi: {addressees[0]}", BODY_SIZE).paragraph_format.space_after = Pt(6)
        return
    # Several addressees: "Kính gửi:" once, each "- …" line aligned under the first one.
    start, label = Mm(30), Mm(22)
    paragraphs = [_text(doc, _dashed(addressee), BODY_SIZE, align=LEFT) for addressee in addressees]
    for paragraph in paragraphs:
        paragraph.paragraph_format.left_indent = start + label
    if paragraphs:
        first = paragraphs[0]
        first.runs[0].text = f"Kính gửi:\t{first.runs[0].text}"
        first.paragraph_format.first_line_indent = -label
        first.paragraph_format.tab_stops.add_tab_stop(start + label)
        paragraphs[-1].paragraph_format.space_after = Pt(6)


def _dashed(line: str) -> str:
    return line if line.startswith("-") else f"- {line}"


def _body_paragraph(
    container: Container, text: str, *, bold: bool = False, italic: bool = False, indent: bool = True
) -> DocxParagraph:
    paragraph = _text(container, text, BODY_SIZE, bold=bold, italic=italic, align=JUSTIFY)
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = FIRST_LINE_INDENT if indent else Emu(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = LINE_SPACING
    return paragraph


def _add_blocks(doc: DocxDocument, blocks: Iterable[Block], width: Length) -> None:
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Table):
            if isinstance(previous, Table):
                _text(doc, "", 6)  # Word glues adjacent tables into one
            _body_table(doc, block, width)
        else:
            heading = isinstance(block, Heading)
            bold = heading or (isinstance(block, Paragraph) and block.bold)
            paragraph = _body_paragraph(doc, block.text, bold=bold, indent=not heading)
            # A heading stranded at the foot of a page is the classic văn thư complaint.
            paragraph.paragraph_format.keep_with_next = heading
            if heading or isinstance(previous, Table):
                paragraph.paragraph_format.space_before = Pt(6)
        previous = block


def _body_table(doc: DocxDocument, block: Table, width: Length) -> None:
    ordinal = [name.strip().upper() in ("TT", "STT") for name in block.header]
    table = _table(doc, len(block.rows), _column_widths(block, ordinal, width), borders=True)
    for row_index, row in enumerate(block.rows):
        for column, text in enumerate(row):
            cell = table.cell(row_index, column)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = CENTER if row_index == 0 or ordinal[column] else LEFT
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
            if text:
                _style_run(paragraph.add_run(text), 13, bold=row_index == 0)
            _mark_font(paragraph, 13)
    _keep_row_on_one_page(table, repeat=True)


def _column_widths(block: Table, ordinal: Sequence[bool], width: Length) -> list[Length]:
    # Wide columns for long texts, but clamped so a single long cell cannot starve the rest.
    weights = [min(max(max(len(row[col]) for row in block.rows), 6), 40) for col in range(len(ordinal))]
    free = width - ORDINAL_COLUMN * sum(ordinal)
    shared = sum(weight for weight, narrow in zip(weights, ordinal, strict=True) if not narrow) or 1
    return [
        ORDINAL_COLUMN if narrow else Emu(int(free * weight / shared))
        for weight, narrow in zip(weights, ordinal, strict=True)
    ]


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
    _keep_row_on_one_page(table)
    for cell in table.rows[0].cells:
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _signature(cell: _Cell, signature: Signature) -> None:
    if signature.authority:
        _text(cell, signature.authority.upper(), BODY_SIZE, bold=True)
    _text(cell, signature.title.upper(), BODY_SIZE, bold=True)
    for _ in range(SIGNATURE_GAP_LINES):
        _text(cell, "", BODY_SIZE)
    _text(cell, signature.name, BODY_SIZE, bold=True)


def _recipients(container: Container, recipients: Sequence[str]) -> list[DocxParagraph]:
    paragraphs = [_text(container, "Nơi nhận:", 12, bold=True, italic=True, align=LEFT)]
    paragraphs += [_text(container, _dashed(line), 11, align=LEFT) for line in recipients]
    return paragraphs

"""The body of an administrative document: its plain-text markup and its .docx rendering.

The team leader edits the body in a textarea, so the markup is deliberately tiny:

* every non-empty line is one paragraph; blank lines only separate, they never become
  empty paragraphs (Nghị định 30/2020 spaces paragraphs with "spacing after", not with
  empty lines);
* "I. ", "II. ", "IV. " … or "Phần I", "Phần 1", "Phần thứ …" start a section heading,
  kept exactly as typed (the author writes the case the decree asks for);
* "## " starts a bold paragraph (a khoản with a title); the marker is dropped;
* consecutive lines starting with "|" form a table, the first row being the header;
  Markdown separator rows ("|---|---|") are skipped so pasted Markdown tables work;
* everything else, including "- " list items, is an ordinary body paragraph.

`parse_body` is pure Python. The rest of the module writes blocks with python-docx and also
holds the text primitives `layout` builds the header and signature block with: every run
gets Times New Roman in all four font slots, and every paragraph mark gets the size of its
text, so no line silently grows or changes font.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Length, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

FONT = "Times New Roman"
BODY_SIZE = 14
TABLE_SIZE = 13
FIRST_LINE_INDENT = Cm(1.27)
LINE_SPACING = 1.15
PARAGRAPH_GAP = Pt(6)
ORDINAL_COLUMN = Mm(15)  # "STT" at 13 pt bold plus cell padding, on one line
CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY

# Roman numerals must be upper case: "i. " or "v. " would be typos, not headings.
_ROMAN_HEADING = re.compile(r"^[IVXLC]+\.\s")
# "Phần" alone is not enough: "Phần lớn cán bộ …" ("most of the staff …") is a common
# sentence opener, so a part heading needs a numeral or "thứ" after the word.
_PART_HEADING = re.compile(r"^phần\s+(?:[ivxlc]+\b|\d+\b|thứ\s)", re.IGNORECASE)
_BOLD_MARKER = "## "
_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$")

Container = DocxDocument | _Cell


@dataclass(frozen=True)
class Heading:
    """A section heading (mục "I. …" or "Phần …"): bold, not indented."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """An ordinary body paragraph; `bold` for a khoản with a title."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Table:
    """A table typed with pipes; `rows[0]` is the header row, all rows equally long."""

    rows: tuple[tuple[str, ...], ...]

    @property
    def header(self) -> tuple[str, ...]:
        return self.rows[0]


Block = Heading | Paragraph | Table


# --- parsing ---------------------------------------------------------------------------


def parse_body(text: str) -> list[Block]:
    """Split `text` into headings, paragraphs and tables, in reading order."""
    blocks: list[Block] = []
    table_rows: list[tuple[str, ...]] = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if line.startswith("|"):
            row = _split_row(line)
            if not _is_separator(row):
                table_rows.append(row)
            continue
        if table_rows:
            blocks.append(_make_table(table_rows))
            table_rows = []
        if line:
            blocks.append(_classify(line))
    if table_rows:
        blocks.append(_make_table(table_rows))
    return blocks


def _classify(line: str) -> Block:
    if _ROMAN_HEADING.match(line) or _PART_HEADING.match(line):
        return Heading(line)
    if line.startswith(_BOLD_MARKER):
        return Paragraph(line.removeprefix(_BOLD_MARKER).strip(), bold=True)
    return Paragraph(line)


def _split_row(line: str) -> tuple[str, ...]:
    inner = line.removeprefix("|")
    if inner.endswith("|"):
        inner = inner[:-1]
    return tuple(cell.strip() for cell in inner.split("|"))


def _is_separator(row: tuple[str, ...]) -> bool:
    return any(row) and all(_SEPARATOR_CELL.match(cell) for cell in row if cell)


def _make_table(rows: list[tuple[str, ...]]) -> Table:
    # A short row is a typing slip, not a merged cell: pad it so every header has a cell.
    width = max(len(row) for row in rows)
    return Table(tuple(row + ("",) * (width - len(row)) for row in rows))


# --- text primitives -------------------------------------------------------------------


def element(tag: str, **attributes: str) -> BaseOxmlElement:
    """A new `w:` element; attribute names are given without the prefix."""
    node = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        node.set(qn(f"w:{name}"), value)
    return node


def set_fonts(run_properties: BaseOxmlElement) -> None:
    fonts = run_properties.get_or_add_rFonts()
    # Theme attributes win over explicit names in Word, so they must go.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def style_run(run: Run, size: float, *, bold: bool = False, italic: bool = False) -> Run:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(run._r.get_or_add_rPr())
    return run


def mark_font(paragraph: DocxParagraph, size: float) -> None:
    # The paragraph mark has its own size; left at 14 pt it would stretch 11–13 pt lines
    # and make empty spacer paragraphs the wrong height.
    properties = element("rPr")
    set_fonts(properties)
    properties.append(element("sz", val=str(round(size * 2))))
    paragraph._p.get_or_add_pPr().insert_element_before(properties, "w:sectPr", "w:pPrChange")


def add_text(
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
        style_run(paragraph.add_run(text), size, bold=bold, italic=italic)
    mark_font(paragraph, size)
    return paragraph


def body_paragraph(
    container: Container, text: str, *, bold: bool = False, italic: bool = False, indent: bool = True
) -> DocxParagraph:
    paragraph = add_text(container, text, BODY_SIZE, bold=bold, italic=italic, align=JUSTIFY)
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = FIRST_LINE_INDENT if indent else Emu(0)
    fmt.space_after = PARAGRAPH_GAP
    fmt.line_spacing = LINE_SPACING
    return paragraph


def add_table(doc: DocxDocument, rows: int, widths: Sequence[Length], *, borders: bool) -> DocxTable:
    """A fixed-width table; explicit borders (or explicit none) so no viewer guesses."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    edges = element("tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edges.append(element(edge, val="single", sz="4", color="000000") if borders else element(edge, val="nil"))
    properties = table._tbl.tblPr
    properties.insert_element_before(edges, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    total = properties.find(qn("w:tblW"))
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(sum(Emu(width).twips for width in widths)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def keep_row_together(table: DocxTable, *, repeat: bool = False) -> None:
    """Never split the first row across pages; `repeat` it on every page (table header)."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    properties.append(element("cantSplit"))
    if repeat:
        properties.append(element("tblHeader"))


# --- body rendering --------------------------------------------------------------------


def add_blocks(doc: DocxDocument, blocks: Iterable[Block], width: Length) -> None:
    """Append `blocks` to `doc`; `width` is the text width tables are fitted to."""
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Table):
            if isinstance(previous, Table):
                add_text(doc, "", PARAGRAPH_GAP.pt)  # Word glues adjacent tables into one
            _add_table_block(doc, block, width)
        else:
            heading = isinstance(block, Heading)
            paragraph = body_paragraph(doc, block.text, bold=heading or block.bold, indent=not heading)
            # A heading stranded at the foot of a page is the classic văn thư complaint.
            # So is a bold khoản title ("## 1. Ưu điểm") parted from the text it introduces.
            paragraph.paragraph_format.keep_with_next = heading or block.bold
            if heading or isinstance(previous, Table):
                paragraph.paragraph_format.space_before = PARAGRAPH_GAP
        previous = block
    if isinstance(previous, Table):
        add_text(doc, "", PARAGRAPH_GAP.pt)  # nor may it glue the last one to the signatures


def _add_table_block(doc: DocxDocument, block: Table, width: Length) -> None:
    ordinal = [name.strip().upper() in ("TT", "STT") for name in block.header]
    table = add_table(doc, len(block.rows), _column_widths(block, ordinal, width), borders=True)
    for row_index, row in enumerate(block.rows):
        for column, text in enumerate(row):
            paragraph = table.cell(row_index, column).paragraphs[0]
            paragraph.alignment = CENTER if row_index == 0 or ordinal[column] else LEFT
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
            if text:
                style_run(paragraph.add_run(text), TABLE_SIZE, bold=row_index == 0)
            mark_font(paragraph, TABLE_SIZE)
    keep_row_together(table, repeat=True)


def _column_widths(block: Table, ordinal: Sequence[bool], width: Length) -> list[Length]:
    # Wide columns for long texts, but clamped so a single long cell cannot starve the rest.
    weights = [min(max(max(len(row[col]) for row in block.rows), 6), 40) for col in range(len(ordinal))]
    free = width - ORDINAL_COLUMN * sum(ordinal)
    shared = sum(weight for weight, narrow in zip(weights, ordinal, strict=True) if not narrow) or 1
    return [
        ORDINAL_COLUMN if narrow else Emu(int(free * weight / shared))
        for weight, narrow in zip(weights, ordinal, strict=True)
    ]

"""The one layout of every Word document the product writes: an administrative document of a
commune People's Committee as Nghị định 30/2020/NĐ-CP, Phụ lục I, sets it out.

- A4, margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 pt (the
  east-asian and complex-script fonts too, so Vietnamese renders the same everywhere);
- the header: the issuing body ("ỦY BAN NHÂN DÂN / XÃ VĨNH KHÊ") left and the national motto
  right, each with its short rule, then "Số: …/BC-UBND" (the number left for the records
  clerk, văn thư) and, for a letter, its "V/v" line; the place and date in words, italic;
- the document type and summary (tên loại, trích yếu) centred bold, "Kính gửi" where given;
- at the end "Nơi nhận" bottom left, the signing authority ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"
  or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") bottom right with room for signature and seal above the
  signer's full name;
- page numbers from page 2, and "DỰ THẢO" at the top of each page until the office marks the
  document final (numbering and signing happen in the commune's document system).

`start` lays out the head, the body functions add to it, `finish` closes it and gives bytes
that depend only on the inputs: the document's dates are the issue date, its ZIP entries
fixed (`evidence.fixed_zip`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time
from enum import StrEnum

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from pydantic import BaseModel, ConfigDict, Field

from domain.communes import CommuneProfile
from evidence.fixed_zip import repack

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
SMALL_SIZE = Pt(12)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
DRAFT = "DỰ THẢO"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ARCHIVE = "Lưu: VT, VP."
FOR_THE_OFFICE = "(Bộ phận tham mưu bổ sung.)"  # a section the office writes itself
SIGNATURE_ROOM = 4  # empty lines for the signature and the seal
# What follows a paragraph's borders in its properties (the schema's order).
_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
    "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange")  # fmt: skip


class DocumentType(StrEnum):
    """A document type of Nghị định 30/2020, with its abbreviation in the number."""

    REPORT = "BC"  # Báo cáo
    PLAN = "KH"  # Kế hoạch
    DECISION = "QĐ"  # Quyết định
    LETTER = ""  # Công văn: no type name, no abbreviation

    @property
    def name_upper(self) -> str | None:
        return _TYPE_NAMES.get(self)

    def number_line(self) -> str:
        """ "Số: …/BC-UBND"; a letter "Số: …/UBND-VP" (the office drafts it)."""
        code = f"{self.value}-UBND" if self.value else "UBND-VP"
        return f"Số: …/{code}"


_TYPE_NAMES = {DocumentType.REPORT: "BÁO CÁO", DocumentType.PLAN: "KẾ HOẠCH", DocumentType.DECISION: "QUYẾT ĐỊNH"}


class Authority(StrEnum):
    """Who signs: the chairman for the committee, or a vice chairman on his behalf."""

    CHAIRMAN = "chairman"
    VICE_CHAIRMAN = "vice_chairman"

    def lines(self) -> tuple[str, str]:
        if self is Authority.CHAIRMAN:
            return "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
        return "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"


class Signature(BaseModel):
    model_config = ConfigDict(frozen=True)

    authority: Authority = Authority.CHAIRMAN
    full_name: str | None = None  # from the people directory; None leaves the line for the office


class Release(BaseModel):
    """How a document goes out: who signs it, whether the office has marked it final, and who
    gets it besides its addressee ("Nơi nhận"; empty: the commune's leaders)."""

    model_config = ConfigDict(frozen=True)

    signature: Signature = Signature()
    final: bool = False
    copies: tuple[str, ...] = ()

    def recipients(self, addressee: str, leaders: str) -> tuple[str, ...]:
        return (addressee, *(self.copies or (leaders,)))


class Layout(BaseModel):
    """Everything of a document but its body."""

    model_config = ConfigDict(frozen=True)

    issuer: CommuneProfile
    type: DocumentType
    summary: str = Field(min_length=1)  # trích yếu: "Kết quả thực hiện … năm 2025"
    issued: date
    number: str | None = None  # an issued document's "15/QĐ-UBND"; None leaves it for the văn thư
    addressees: tuple[str, ...] = ()  # "Kính gửi"
    recipients: tuple[str, ...] = ()  # "Nơi nhận", before "Lưu: VT, VP."
    signature: Signature = Signature()
    final: bool = False  # the office marked it final: no "DỰ THẢO"


def date_in_words(place: str, day: date) -> str:
    """ "Vĩnh Khê, ngày 05 tháng 01 năm 2026": a day below 10 and the months 1 and 2 take a 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def issuing_body(issuer: CommuneProfile) -> tuple[str, str]:
    """ "ỦY BAN NHÂN DÂN", "XÃ VĨNH KHÊ"."""
    return "ỦY BAN NHÂN DÂN", issuer.title.upper()


def start(layout: Layout) -> DocxDocument:
    """A new document with the page, the fonts, the headers and the head of `layout`."""
    document = Document()
    _fonts(document)
    _page(document, layout.final)
    _head(document, layout)
    return document


def finish(document: DocxDocument, layout: Layout) -> bytes:
    """Close `document` with "Nơi nhận" and the signature; its bytes, fixed for the issue date."""
    _closing(document, layout)
    stamp = datetime.combine(layout.issued, time())
    properties = document.core_properties
    properties.created = properties.modified = properties.last_printed = stamp
    properties.author = properties.last_modified_by = "CCHC"
    properties.title = layout.summary
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return repack(buffer.getvalue())


# --- the body ---------------------------------------------------------------------------------


def paragraph(document: DocxDocument, text: str) -> Paragraph:
    """A body paragraph: justified, its first line indented."""
    added = document.add_paragraph(text)
    added.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    added.paragraph_format.first_line_indent = Mm(10)
    added.paragraph_format.space_after = Pt(6)
    return added


def heading(document: DocxDocument, text: str) -> Paragraph:
    """A section heading of the body: "I. TỔNG HỢP THEO LĨNH VỰC", bold."""
    added = paragraph(document, "")
    added.add_run(text).bold = True
    return added


def table(
    document: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> Table:
    """A bordered table in 12 pt, its header row bold, its columns `widths` mm wide (165 in all:
    the text's width)."""
    added = document.add_table(rows=1, cols=len(headers))
    added.style = "Table Grid"
    added.alignment = WD_TABLE_ALIGNMENT.CENTER
    added.autofit = False
    for column, width in zip(added.columns, widths, strict=True):
        column.width = Mm(width)
    for cell, text in zip(added.rows[0].cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = SMALL_SIZE
    for row in rows:
        for cell, text in zip(added.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(text).font.size = SMALL_SIZE
    for row in added.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    document.add_paragraph()
    return added


# --- the parts ---------------------------------------------------------------------------------


def _fonts(document: DocxDocument) -> None:
    """Times New Roman 14 pt for every script, in the defaults and the Normal style."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            _set_fonts(fonts)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts())
    normal.paragraph_format.space_after = Pt(0)


def _set_fonts(fonts) -> None:
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)


def _page(document: DocxDocument, final: bool) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    numbered = section.header.paragraphs[0]
    numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(numbered)
    if not final:
        for header in (section.first_page_header, section.header):
            mark = header.add_paragraph() if header is section.header else first
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            mark.add_run(DRAFT).bold = True


def _page_number(target: Paragraph) -> None:
    """The PAGE field, as Word writes it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    target._p.append(field)


def _head(document: DocxDocument, layout: Layout) -> None:
    left, right = _two_columns(document, Mm(65), Mm(100))
    body, name = issuing_body(layout.issuer)
    _lines(left, (body, name), bold=True, size=Pt(13))
    _rule(left, Mm(20))
    number = f"Số: {layout.number}" if layout.number else layout.type.number_line()
    _line(left.add_paragraph(), number, size=Pt(13))
    if layout.type is DocumentType.LETTER:
        _line(left.add_paragraph(), f"V/v {layout.summary}", size=SMALL_SIZE)
    _lines(right, (NATION,), bold=True, size=Pt(12))
    _line(right.add_paragraph(), MOTTO, bold=True, size=Pt(13))
    _rule(right, Mm(27))
    _line(right.add_paragraph(), date_in_words(layout.issuer.name, layout.issued), italic=True)
    document.add_paragraph()
    if layout.type.name_upper:
        _centred(document, layout.type.name_upper, bold=True)
        _centred(document, layout.summary, bold=True)
        _rule_paragraph(document.add_paragraph(), Mm(60))
    for addressee in layout.addressees:
        _centred(document, f"Kính gửi: {addressee}.")
    document.add_paragraph()


def _closing(document: DocxDocument, layout: Layout) -> None:
    document.add_paragraph()
    left, right = _two_columns(document, Mm(80), Mm(85))
    recipients = left.paragraphs[0]
    run = recipients.add_run("Nơi nhận:")
    run.bold = run.italic = True
    run.font.size = SMALL_SIZE
    lines = [f"- {recipient};" for recipient in layout.recipients] + [f"- {ARCHIVE}"]
    for text in lines:
        _line(left.add_paragraph(), text, size=Pt(11), centred=False)
    authority = layout.signature.authority.lines()
    _lines(right, authority, bold=True)
    for _ in range(SIGNATURE_ROOM):
        right.add_paragraph()
    _line(right.add_paragraph(), layout.signature.full_name or "", bold=True)


def _two_columns(document: DocxDocument, left: Mm, right: Mm):
    """The two cells of a borderless one-row table, `left` and `right` wide."""
    added = document.add_table(rows=1, cols=2)
    added.autofit = False
    cells = added.rows[0].cells
    for column, cell, width in zip(added.columns, cells, (left, right), strict=True):
        column.width = cell.width = width
    return cells


def _lines(cell, texts: Sequence[str], *, bold: bool = False, size: Pt = BODY_SIZE) -> None:
    """`texts` centred in `cell`, the first in its existing paragraph."""
    for index, text in enumerate(texts):
        target = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        _line(target, text, bold=bold, size=size)


def _line(
    target: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Pt = BODY_SIZE,
    centred: bool = True,
) -> None:
    if centred:
        target.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = target.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = size


def _centred(document: DocxDocument, text: str, *, bold: bool = False) -> None:
    _line(document.add_paragraph(), text, bold=bold)


def _rule(cell, inset: Mm) -> None:
    """A short line under the cell's text: an empty paragraph's bottom border, `inset` in from
    each side of the cell."""
    _rule_paragraph(cell.add_paragraph(), inset)


def _rule_paragraph(target: Paragraph, inset: Mm) -> None:
    target.paragraph_format.left_indent = target.paragraph_format.right_indent = inset
    target.paragraph_format.space_after = Pt(6)
    target.add_run().font.size = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    target._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDERS)

"""Table semantics, the same for every reader: which grid is the task table, what each
column means, which rows are sections and which are tasks.

Columns are recognised by meaning, across the spellings real plans use: the header text is
compared without case, diacritics, spaces or punctuation ("ST T", "Số TT" and "STT" are one
word). A header may be split over two rows (merged header cells). Section rows start with a
roman numeral ("I.", "II", "VIII. ...") in the number column, or alone on a bold or merged
row. Tasks are numbered within their section: code "II.4".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from domain.models import Section, SourceRef
from importers.assembly import TaskDraft
from importers.errors import Findings
from importers.grid import Document, Grid, Row


class Field(StrEnum):
    NUMBER = "number"
    TITLE = "title"
    PRODUCT = "product"
    LEAD = "lead"
    COORDINATING = "coordinating"
    PERIOD = "period"
    BUDGET = "budget"
    NOTES = "notes"
    CRITERIA = "criteria"


# What a missing required column is called in the error, with the usual headers.
REQUIRED = {
    Field.TITLE: "nội dung nhiệm vụ (“Nhiệm vụ cụ thể”, “Nội dung”)",
    Field.LEAD: "bộ phận chủ trì (“Bộ phận chủ trì”, “Cơ quan chủ trì”)",
    Field.PERIOD: "thời gian (“Thời gian thực hiện”, “Thời hạn”)",
}
NO_TASK_TABLE = (
    "không tìm thấy bảng nhiệm vụ (có các cột nhiệm vụ, bộ phận chủ trì, thời gian thực hiện): "
    "hãy cung cấp bảng nhiệm vụ (.docx, .xlsx hoặc .csv), kế hoạch văn xuôi (.txt, .md, .docx) "
    "hoặc kế hoạch theo mẫu YAML cchc-plan/1 (như tệp do “cchc plan export” xuất ra)"
)
MAX_HEADER_WORDS = 8  # a longer cell is content, not a column header

_NUMBER_HEADERS = {"stt", "tt", "sott", "sothutu", "thutu"}
_LEAD_HEADERS = ("chutri", "donvithuchien", "coquanthuchien", "bophanthuchien")
_RULES = (  # the first rule whose needles occur in the folded header wins
    (Field.CRITERIA, ("tctp", "tieuchi", "masotc")),
    (Field.PERIOD, ("thoigian", "thoihan", "tiendo")),
    (Field.BUDGET, ("kinhphi",)),
    (Field.NOTES, ("ghichu",)),
    (Field.PRODUCT, ("sanpham", "ketqua")),
    (Field.TITLE, ("nhiemvu", "noidung", "giaiphap", "congviec", "hoatdong")),
)

_ROMAN = r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_SECTION = re.compile(rf"(?P<code>(?=[IVXL]){_ROMAN})(?:\s*[.):/–-]\s*|\s+|$)(?P<title>.*)", re.DOTALL)
_TASK_NUMBER = re.compile(r"(?P<number>\d{1,3}(?:\.\d{1,3})*)\s*[.)]?")
_CRITERION = re.compile(r"\d+(?:\.\d+)+")
_NAME_SEPARATORS = re.compile(r"[,;\n]+")


def fold(text: str) -> str:
    """A header as compared: lower case, no diacritics, letters and digits only."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", stripped.replace("đ", "d"))


def field_of(header: str) -> Field | None:
    """What a column holds, from its header text."""
    key = fold(header)
    if not key or len(header.split()) > MAX_HEADER_WORDS:
        return None
    if key in _NUMBER_HEADERS:
        return Field.NUMBER
    if "phoihop" in key and "chutri" not in key:
        return Field.COORDINATING
    if any(needle in key for needle in _LEAD_HEADERS):
        return Field.LEAD
    for field, needles in _RULES:
        if any(needle in key for needle in needles):
            return field
    return None


def task_number(text: str) -> str | None:
    """The number a task row is written with: "1.", "2)", "01", "1.2" → "1", "2", "01", "1.2"."""
    match = _TASK_NUMBER.fullmatch(text.strip())
    return match["number"] if match else None


def section_start(text: str) -> tuple[str, str] | None:
    """(code, title) of a section heading: "I. CÔNG TÁC ..." → ("I", "CÔNG TÁC ...")."""
    match = _SECTION.fullmatch(text.strip())
    if match is None or match["title"][:1].isdigit():  # "I.1" numbers a task, not a section
        return None
    return match["code"], " ".join(match["title"].split())


# ---------------------------------------------------------------- the header


@dataclass(frozen=True)
class Header:
    rows: tuple[Row, ...]  # one, or two when the header cells are merged over two rows
    columns: dict[Field, int]
    names: dict[Field, str]  # each column's header as written, for findings

    @property
    def row(self) -> int:
        return self.rows[0].number

    def missing(self) -> list[Field]:
        return [field for field in REQUIRED if field not in self.columns]

    def written(self) -> str:
        return " | ".join(name for name in _combined(self.rows) if name)


def find_header(grid: Grid) -> tuple[int, Header] | None:
    """The first header row of the grid (or pair of rows) and the index of the first data row."""
    rows = grid.rows
    for i, row in enumerate(rows):
        header = _header([row])
        if _header_like(row) and i + 1 < len(rows) and _may_continue_header(rows[i + 1]):
            pair = _header([row, rows[i + 1]])
            if pair is not None and (header is None or len(pair.columns) > len(header.columns)):
                return i + 2, pair
        if header is not None:
            return i + 1, header
    return None


def _header_like(row: Row) -> bool:
    """Short cells, one of which names a column: may be the first of two header rows."""
    texts = [text for text in row.texts() if text]
    return all(len(t.split()) <= MAX_HEADER_WORDS for t in texts) and any(field_of(t) for t in texts)


def _may_continue_header(row: Row) -> bool:
    first = next((text for text in row.texts() if text), "")
    return task_number(first) is None and section_start(first) is None


def _combined(rows: list[Row] | tuple[Row, ...]) -> list[str]:
    """Column by column, the distinct texts of the header rows (merged cells repeat)."""
    width = max(len(row.cells) for row in rows)
    return [" ".join(dict.fromkeys(t for row in rows if (t := row.text(c)))) for c in range(width)]


def _header(rows: list[Row]) -> Header | None:
    columns: dict[Field, int] = {}
    names: dict[Field, str] = {}
    for column, text in enumerate(_combined(rows)):
        field = field_of(text) if text else (Field.NUMBER if column == 0 else None)
        if field is not None and field not in columns:
            columns[field] = column
            names[field] = text or "STT"
    meaningful = set(columns) - {Field.NUMBER}
    if len(meaningful) < 2 or not meaningful & set(REQUIRED):
        return None
    return Header(tuple(rows), columns, names)


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class TaskTable:
    grid: Grid
    header: Header
    sections: list[Section]
    drafts: list[TaskDraft]
    preamble: str  # what the grid holds above its header (a sheet's plan number and date)


def read_task_table(document: Document, report: Findings) -> TaskTable | None:
    """The plan's task table: the first grid whose header has every required column. None,
    with an error, when no grid has one. When the document has several grids, the chosen
    one's label joins the file name in every finding from then on ("kh.docx, bảng 2")."""
    found = [(grid, *located) for grid in document.grids() if (located := find_header(grid))]
    complete = [entry for entry in found if not entry[2].missing()]
    if not complete:
        if found:
            _report_missing_columns(found[0][2], report)
        else:
            report.error(NO_TASK_TABLE)
        return None
    grid, start, header = complete[0]
    if len(document.grids()) > 1 and grid.label:
        report.file = f"{report.file}, {grid.label}"
    above = grid.rows[: start - len(header.rows)]
    preamble = "\n".join(text for row in above for text in row.texts() if text)
    sections, drafts = _read_rows(grid.rows[start:], header, report)
    return TaskTable(grid, header, sections, drafts, preamble)


def _report_missing_columns(header: Header, report: Findings) -> None:
    for field in header.missing():
        report.error(f"thiếu cột {REQUIRED[field]} trong hàng tiêu đề “{header.written()}”", header.row)


def _read_rows(rows: tuple[Row, ...], header: Header, report: Findings) -> tuple[list[Section], list[TaskDraft]]:
    sections: list[Section] = []
    drafts: list[TaskDraft] = []
    section = ""
    for row in rows:
        if _is_filler(row, header):
            continue
        heading = _section_row(row, header)
        if heading is not None:
            section = heading.code
            if all(s.code != section for s in sections):
                sections.append(heading)
            continue
        draft = _task_row(row, header, section, count=sum(d.section == section for d in drafts), report=report)
        if draft is not None:
            drafts.append(draft)
    return sections, drafts


def _is_filler(row: Row, header: Header) -> bool:
    """An empty row, the header repeated on a new page, the "(1) (2) (3)" column numbers, or
    a row holding only values carried down from merged cells above."""
    texts = [t for t in row.texts() if t]
    if not texts or all(cell.merged for cell in row.cells if cell.text):
        return True
    if any([t for t in header_row.texts() if t] == texts for header_row in header.rows):
        return True
    numbers = [t.strip("()") for t in texts]
    return len(numbers) >= 3 and numbers == [str(n) for n in range(1, len(numbers) + 1)]


def _section_row(row: Row, header: Header) -> Section | None:
    """A row starting with a roman numeral in the number column, or alone on its row."""
    filled = [(column, cell) for column, cell in enumerate(row.cells) if cell.text]
    column, first = filled[0]
    start = section_start(first.text)
    if start is None:
        return None
    code, title = start
    number_column = header.columns.get(Field.NUMBER, 0)
    alone = len(filled) == 1
    if column == number_column and not title:
        title = " ".join(cell.text for _, cell in filled[1:2])
    elif not (alone or first.bold or column == number_column):
        return None
    return Section(code=code, title=" ".join(title.split()))


def _task_row(row: Row, header: Header, section: str, count: int, report: Findings) -> TaskDraft | None:
    def text(field: Field) -> str:
        return " ".join(_cell(row, header, field).split())

    names = header.names
    number = task_number(text(Field.NUMBER)) if Field.NUMBER in header.columns else str(count + 1)
    title = text(Field.TITLE)
    if number is None:
        written = text(Field.NUMBER)
        problem = f"không đọc được số thứ tự “{written}”" if written else "hàng không có số thứ tự"
        report.error(problem, row.number, names[Field.NUMBER])
        return None
    if not title:
        report.error("nhiệm vụ không có nội dung", row.number, names[Field.TITLE])
        return None
    return TaskDraft(
        section=section,
        number=number,
        title=title,
        product=text(Field.PRODUCT) or None,
        lead=split_names(_cell(row, header, Field.LEAD)),
        coordinating=split_names(_cell(row, header, Field.COORDINATING)),
        period_text=text(Field.PERIOD),
        criteria=_criteria(text(Field.CRITERIA), row, names.get(Field.CRITERIA), report),
        budget=text(Field.BUDGET) or None,
        notes=text(Field.NOTES) or None,
        source=_source(row),
        row=row.number,
        lead_column=names[Field.LEAD],
        period_column=names[Field.PERIOD],
        coordinating_column=names.get(Field.COORDINATING),
    )


def _cell(row: Row, header: Header, field: Field) -> str:
    """The row's text in the field's column, lines kept ("" when the table has no such column)."""
    column = header.columns.get(field)
    return row.text(column) if column is not None else ""


def split_names(text: str) -> tuple[str, ...]:
    """Unit names in a lead or coordinating cell: separated by commas, semicolons or lines
    ("và" is decided later, against the plan's other names); "Văn phòng - Thống kê" stays
    whole; list bullets and final punctuation go."""
    names = (" ".join(part.split()).lstrip("-+•* ").rstrip(".;: ") for part in _NAME_SEPARATORS.split(text))
    return tuple(name for name in names if name)


def _criteria(text: str, row: Row, column: str | None, report: Findings) -> tuple[str, ...]:
    codes = tuple(_CRITERION.findall(text))
    if text and not codes:
        report.warning(f"không thấy mã tiêu chí (dạng 7.1.5) trong “{text}”", row.number, column)
    return codes


def _source(row: Row) -> SourceRef:
    text = " | ".join(" ".join(t.split()) for t in row.texts() if t)
    if row.last_line is None:
        return SourceRef(row=row.number, text=text)
    return SourceRef(row=row.number, line_start=row.number, line_end=row.last_line, text=text)

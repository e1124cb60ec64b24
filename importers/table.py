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

from importers.grid import Grid, Row


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
    (Field.TITLE, ("nhiemvu", "noidung", "congviec", "hoatdong")),
)
# A title column only when no other names the task ("Giải pháp" beside "Nội dung" is a note).
_WEAK_TITLE = ("giaiphap",)

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
    return Field.TITLE if any(needle in key for needle in _WEAK_TITLE) else None


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
    extra: dict[int, str]  # the other columns with a header ("Nguyên nhân", "Giải pháp"), kept as notes

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
    texts = _combined(rows)
    columns: dict[Field, int] = {}
    strong_titles = []
    for column, text in enumerate(texts):
        field = field_of(text) if text else (Field.NUMBER if column == 0 else None)
        if field is not None and field not in columns:
            columns[field] = column
        if field == Field.TITLE and not any(n in fold(text) for n in _WEAK_TITLE):
            strong_titles.append(column)
    if strong_titles:
        columns[Field.TITLE] = strong_titles[0]
    meaningful = set(columns) - {Field.NUMBER}
    if len(meaningful) < 2 or not meaningful & set(REQUIRED):
        return None
    names = {field: texts[column] or "STT" for field, column in columns.items()}
    taken = set(columns.values())
    extra = {column: text for column, text in enumerate(texts) if text and column not in taken}
    return Header(tuple(rows), columns, names, extra)


def split_names(text: str) -> tuple[str, ...]:
    """Unit names in a lead or coordinating cell: separated by commas, semicolons or lines
    ("và" is decided later, against the plan's other names); "Văn phòng - Thống kê" stays
    whole; list bullets and final punctuation go."""
    names = (" ".join(part.split()).lstrip("-+•* ").rstrip(".;: ") for part in _NAME_SEPARATORS.split(text))
    return tuple(name for name in names if name)

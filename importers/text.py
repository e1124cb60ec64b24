"""Plain text and markdown plans: the whole document, its task table among the prose.

A table is a run of tab-separated lines (three cells or more) or of markdown pipe lines
(`| STT | Nội dung | ... |`). Blank lines and markdown headings between two of its lines
belong to it: a heading there is a section row (`### III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH`).
`<b>`, `**` and `*` markup is taken off and makes a cell bold.

Text renderings of issued documents wrap long cells onto a tab-separated line of their own:
such a line whose first cell is empty may continue the row above (`Row.wraps`), or be a
further task whose number cell was merged; the table decides (`importers.task_rows`),
knowing its columns. A markdown pipe table breaks lines in a cell with `<br>`: its lines
are rows.

A line longer than any a plan has (MAX_LINE_CHARS) is refused before anything reads it.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from importers.errors import fail
from importers.grid import Cell, Document, Grid, Row, clean
from importers.table import section_start

MIN_TAB_CELLS = 3
MAX_LINE_CHARS = 10_000  # a plan's longest paragraph is a few hundred characters
_HEADING = re.compile(r"\s*#{1,6}\s+(?P<text>.*)")
_SEPARATOR_CELL = re.compile(r":?-{3,}:?")
_BOLD = re.compile(r"</?b>|\*\*", re.IGNORECASE)
_TAGS = re.compile(r"</?(?:b|i|u|strong|em)>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1258."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in data and not utf16:
        raise fail(file, f"tệp {file} không phải là tệp văn bản")
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _check_line_lengths(text, file)
        return text
    raise fail(file, f"tệp {file} không đọc được như văn bản (UTF-8, UTF-16 hoặc Windows-1258)")


def _check_line_lengths(text: str, file: str) -> None:
    for number, line in enumerate(lines_of(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise fail(
                file, f"tệp {file}, dòng {number}: dài {len(line)} ký tự (tối đa {MAX_LINE_CHARS} ký tự một dòng)"
            )


def lines_of(text: str) -> list[str]:
    """Lines as an editor numbers them: only line feeds and carriage returns end a line
    (str.splitlines would also split on the form feeds PDF-to-text leaves between pages)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_text(path: Path) -> Document:
    lines = lines_of(decode(path.read_bytes(), path.name))
    kinds = [_kind(line) for line in lines]
    blocks: list[str | Grid] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        if kinds[i] in ("tab", "pipe"):
            end = _table_end(kinds, i)
            label = f"bảng {sum(isinstance(b, Grid) for b in blocks) + 1}"
            blocks.extend(["\n".join(prose), _grid(lines, kinds, i, end, label)])
            prose, i = [], end + 1
        else:
            prose.append(lines[i])
            i += 1
    blocks.append("\n".join(prose))
    return Document(tuple(blocks), lines=tuple(lines))


def _kind(line: str) -> str:
    if not line.strip():
        return "blank"
    if len(line.split("\t")) >= MIN_TAB_CELLS:
        return "tab"
    if _is_pipe_separator(line):
        return "separator"
    if line.strip().startswith("|") and line.strip().endswith("|"):
        return "pipe"
    if _HEADING.fullmatch(line):
        return "heading"
    return "prose"


def _is_pipe_separator(line: str) -> bool:
    """A markdown table's `| --- | :---: |` line (cells of dashes, each maybe with colons)."""
    cells = line.strip().removeprefix("|").removesuffix("|").split("|")
    return all(_SEPARATOR_CELL.fullmatch(cell.strip()) for cell in cells)


def _table_end(kinds: list[str], start: int) -> int:
    """The last line of the table starting at `start`."""
    inside = {kinds[start], "blank", "heading", "separator"}
    last = start
    for i in range(start + 1, len(kinds)):
        if kinds[i] not in inside:
            break
        if kinds[i] == kinds[start]:
            last = i
    return last


def _grid(lines: list[str], kinds: list[str], start: int, end: int, label: str) -> Grid:
    rows: list[Row] = []
    for i in range(start, end + 1):
        number = i + 1
        if kinds[i] == "heading":
            heading = _HEADING.fullmatch(lines[i])
            assert heading is not None  # what _kind calls a heading
            rows.append(Row(number, (_cell(heading["text"], bold=True),), last_line=number))
        elif kinds[i] in ("tab", "pipe"):
            cells = [_cell(raw) for raw in _split(lines[i], kinds[i])]
            wraps = kinds[i] == "tab" and _may_wrap(cells)  # a pipe table's rows are rows: it breaks lines with <br>
            rows.append(Row(number, tuple(cells), last_line=number, wraps=wraps))
    return Grid(tuple(rows), label)


def _split(line: str, kind: str) -> list[str]:
    if kind == "tab":
        return line.split("\t")
    return line.strip().removeprefix("|").removesuffix("|").split("|")


def _cell(raw: str, bold: bool = False) -> Cell:
    bold = bold or bool(_BOLD.search(raw))
    text = _TAGS.sub("", _BREAK.sub("\n", raw)).replace("**", "")
    text = clean(text)
    if len(text) > 1 and text.startswith("*") and text.endswith("*"):
        text = text[1:-1].strip()
    return Cell(text, bold=bold)


def _may_wrap(cells: list[Cell]) -> bool:
    """A line that may be the wrapped rest of the row above: its first cell empty, plain
    text (a bold or "II. ..." line is a section). The table decides, knowing its columns."""
    filled = [c for c in cells if c.text]
    return (
        bool(filled) and not cells[0].text and not any(c.bold for c in filled) and section_start(filled[0].text) is None
    )

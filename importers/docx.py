"""Word plans (.docx): the body's paragraphs and tables, in document order.

Rows are numbered within their table as Word shows them (1 = the table's first row).
Paragraphs are also the document's lines for prose plans, one a paragraph, numbered from 1
in body order; a paragraph in a "Heading N" style reads as a markdown heading of level N.

Merged cells are read from the XML: a cell spanning columns (w:gridSpan, a section title
across the table) keeps its text in its first column; a cell continuing a vertical merge
(w:vMerge="continue", one lead unit for several tasks) carries the text of the cell above.
A span or a row's skipped columns (w:gridBefore) wider than Word's own limit is refused.
The file is checked as an Office package first (importers.office: zip bomb, XML entities).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from importers.errors import fail
from importers.grid import Cell, Document, Grid, Row, clean
from importers.office import check_package

KIND = "tài liệu Word (.docx)"
MAX_COLUMNS = 63  # Word's own limit of a table's columns


def read_docx(path: Path) -> Document:
    check_package(path, KIND)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
        raise fail(path.name, f"tệp {path.name} không phải là {KIND}") from None
    blocks: list[str | Grid] = []
    paragraphs: list[str] = []
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            paragraphs.append(paragraph.text)
            lines.append(_line(paragraph))
        elif element.tag == qn("w:tbl"):
            label = f"bảng {sum(isinstance(b, Grid) for b in blocks) + 1}"
            blocks.extend(["\n".join(paragraphs), _grid(Table(element, document), label, path.name)])
            paragraphs = []
    blocks.append("\n".join(paragraphs))
    return Document(tuple(blocks), lines=tuple(lines), wrapped=False, merges_kept=True)


def _line(paragraph: Paragraph) -> str:
    style = paragraph.style.name if paragraph.style is not None else ""
    level = style.removeprefix("Heading").strip()
    return f"{'#' * int(level)} {paragraph.text}" if style.startswith("Heading") and level.isdigit() else paragraph.text


def _grid(table: Table, label: str, file: str) -> Grid:
    rows: list[Row] = []
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        _check_columns(file, label, number, "gridBefore", tr.grid_before)
        cells = [Cell(merged=True)] * tr.grid_before
        for tc in tr.tc_lst:
            _check_columns(file, label, number, "gridSpan", tc.grid_span)
            if tc.vMerge == "continue":
                above = rows[-1].cells[len(cells)] if rows and len(cells) < len(rows[-1].cells) else Cell()
                cells.append(Cell(above.text, above.bold, merged=True))
            else:
                cells.append(_cell(_Cell(tc, table)))
            cells.extend([Cell(merged=True)] * (tc.grid_span - 1))
            _check_columns(file, label, number, "số cột", len(cells))
        rows.append(Row(number, tuple(cells)))
    return Grid(tuple(rows), label)


def _check_columns(file: str, label: str, row: int, what: str, columns: int) -> None:
    if not 0 <= columns <= MAX_COLUMNS:
        raise fail(file, f"tệp {file}, {label}, hàng {row}: {what} = {columns} cột không hợp lệ (tối đa {MAX_COLUMNS})")


def _cell(cell: _Cell) -> Cell:
    """The cell's text; bold when every run with text is bold (direct formatting: looking up
    each run's style costs more than the rest of the import)."""
    runs = [run for paragraph in cell.paragraphs for run in paragraph.runs if run.text.strip()]
    return Cell(clean(cell.text), bold=bool(runs) and all(run.bold for run in runs))

"""Excel plans (.xlsx): every sheet is a grid; the task table is on the first sheet whose
header is recognised, and what sits above it (plan number, date, title) is document text.

Rows are the sheet's row numbers. A merged range's value comes from its top-left cell: it
is repeated down the range's first column and the range's other columns are empty.

A sheet is a grid of its extent, filled cell by cell: a sheet that declares (or fills, or
merges) more than a plan's rows and columns (`XFD1048576`, a million rows by 16,384 columns)
is refused before its grid is built. The file is checked as an Office package first
(importers.office: zip bomb, XML entities).
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from importers.errors import fail
from importers.grid import Cell, Document, Grid, Row, clean
from importers.office import check_package

KIND = "bảng tính Excel (.xlsx)"
MAX_ROWS = 10_000
MAX_COLUMNS = 200
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_DIMENSION = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}dimension"


def read_xlsx(path: Path) -> Document:
    check_package(path, KIND)
    _check_declared_dimensions(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise fail(path.name, f"tệp {path.name} không phải là {KIND}") from None
    return Document(tuple(_grid(sheet, path.name) for sheet in workbook.worksheets), merges_kept=True)


def _check_declared_dimensions(path: Path) -> None:
    """Each sheet's declared extent (`<dimension ref="A1:F40"/>`, written before its cells)."""
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if _SHEET_PART.fullmatch(part):
                with archive.open(part) as source:
                    for _, element in iterparse(source, events=("start",)):
                        if element.tag == _DIMENSION:
                            _check_extent(path.name, part, element.get("ref", ""))
                            break
                        if element.tag.endswith("}sheetData"):
                            break


def _check_extent(file: str, where: str, ref: str) -> None:
    try:
        _, _, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        raise fail(file, f"tệp {file}: {where} khai báo vùng “{ref[:40]}” không đọc được") from None
    _check_size(file, where, ref, max_row or 1, max_col or 1)


def _check_size(file: str, where: str, ref: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise fail(
            file,
            f"tệp {file}: {where} có vùng {ref} ({rows} hàng × {columns} cột), quá lớn cho một kế hoạch "
            f"(tối đa {MAX_ROWS} hàng × {MAX_COLUMNS} cột)",
        )


def _grid(sheet, file: str) -> Grid:
    where = f"trang tính “{sheet.title}”"
    _check_size(file, where, sheet.dimensions, sheet.max_row, sheet.max_column)
    cells: dict[tuple[int, int], Cell] = {}
    for (r, c), cell in sheet._cells.items():  # the cells the file holds, not the empty ones between
        if cell.value is not None:
            cells[(r, c)] = Cell(_text(cell.value), bold=bool(cell.font and cell.font.b))
    _check_merges(file, where, sheet.merged_cells.ranges)
    for merged in sheet.merged_cells.ranges:
        origin = cells.get((merged.min_row, merged.min_col), Cell())
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    carried = origin.text if c == merged.min_col else ""
                    cells[(r, c)] = Cell(carried, origin.bold, merged=True)
    height = max((r for r, _ in cells), default=0)
    width = max((c for _, c in cells), default=0)
    rows = tuple(Row(r, tuple(cells.get((r, c), Cell()) for c in range(1, width + 1))) for r in range(1, height + 1))
    return Grid(rows, label=where)


def _check_merges(file: str, where: str, merges) -> None:
    """Merged ranges inside a plan's extent, and no more merged cells than it has cells."""
    for merged in merges:
        _check_size(file, where, merged.coord, merged.max_row, merged.max_col)
    merged_cells = sum(merged.size["rows"] * merged.size["columns"] for merged in merges)
    if merged_cells > MAX_ROWS * MAX_COLUMNS:
        raise fail(file, f"tệp {file}: {where} có quá nhiều ô gộp ({merged_cells}; tối đa {MAX_ROWS * MAX_COLUMNS})")


def _text(value) -> str:
    """A cell's value as people read it: whole numbers without ".0", dates as dd/mm/yyyy."""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))

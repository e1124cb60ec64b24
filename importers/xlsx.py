"""Excel plans (.xlsx): every sheet is a grid; the task table is on the first sheet whose
header is recognised, and what sits above it (plan number, date, title) is document text.

Rows are the sheet's row numbers. A merged range's value comes from its top-left cell: it
is repeated down the range's first column and the range's other columns are empty.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from importers.errors import fail
from importers.grid import Cell, Document, Grid, Row, clean


def read_xlsx(path: Path) -> Document:
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise fail(path.name, f"tệp {path.name} không phải là bảng tính Excel (.xlsx)") from None
    return Document(tuple(_grid(sheet) for sheet in workbook.worksheets), merges_kept=True)


def _grid(sheet) -> Grid:
    cells: dict[tuple[int, int], Cell] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                cells[(cell.row, cell.column)] = Cell(_text(cell.value), bold=bool(cell.font and cell.font.b))
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
    return Grid(rows, label=f"trang tính “{sheet.title}”")


def _text(value) -> str:
    """A cell's value as people read it: whole numbers without ".0", dates as dd/mm/yyyy."""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))

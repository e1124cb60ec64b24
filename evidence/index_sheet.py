"""index.xlsx: the package's index as a workbook whose bytes depend only on its content.

openpyxl stamps the save time into docProps/core.xml and its ZIP entries: the properties
are set to the plan's date and the file is repacked the fixed way (`evidence.fixed_zip`).
"""

from __future__ import annotations

import io
from datetime import datetime, time
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from domain.models import Plan
from evidence.fixed_zip import repack
from evidence.index_table import HEADERS, IndexRow

COLUMN_WIDTHS = (6, 16, 12, 50, 18, 16, 12, 14, 16, 16, 12, 50, 40, 66)
HEADER_ROW = 4


def index_workbook(plan: Plan, rows: list[IndexRow], head: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục"
    sheet.append([f"Danh mục tài liệu kiểm chứng: Kế hoạch {plan.number} của {plan.issuer}, năm {plan.year}"])
    sheet.append([f"Mã đầu chuỗi nhật ký (SHA-256): {head}"])
    sheet.append([])
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row.cells())
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for line in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip(sheet.iter_cols(min_row=HEADER_ROW, max_row=HEADER_ROW), COLUMN_WIDTHS, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    return workbook_bytes(workbook, datetime.combine(plan.date, time()))


# A text a spreadsheet would read as a formula (or, in some, as a command): written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def workbook_bytes(workbook: Workbook, stamp: datetime) -> bytes:
    """The workbook saved with its properties dated `stamp`, repacked the fixed way; every text
    that starts like a formula written as text (what people typed never runs as a formula)."""
    _formulas_as_text(workbook)
    workbook.properties.created = workbook.properties.modified = stamp
    buffer = io.BytesIO()
    ExcelWriter(workbook, ZipFile(buffer, "w", ZIP_DEFLATED)).save()  # save() closes the archive
    return repack(buffer.getvalue())


def _formulas_as_text(workbook: Workbook) -> None:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True

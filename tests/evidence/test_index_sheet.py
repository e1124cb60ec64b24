"""The workbooks we hand out: what people typed never runs as a formula in a spreadsheet."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook, load_workbook

from evidence.index_sheet import workbook_bytes

TYPED = ['=HYPERLINK("http://evil.example","Bấm")', "+84 912 345 678", "-1+2", "@SUM(A1:A2)", "Số 10/KH-UBND"]


def test_a_cell_starting_like_a_formula_is_written_as_text_and_read_back_as_typed():
    workbook = Workbook()
    workbook.active.append(TYPED)

    read = load_workbook(io.BytesIO(workbook_bytes(workbook, datetime(2024, 1, 15))))

    cells = next(read.active.iter_rows())
    assert [cell.value for cell in cells] == TYPED
    assert [cell.data_type for cell in cells] == ["s"] * len(TYPED)
    assert [cell.quotePrefix for cell in cells] == [True, True, True, True, False]

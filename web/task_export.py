"""A task list as an .xlsx workbook: the rows and order of the page it comes from, headers in
Vietnamese, dates as real dates shown dd/mm/yyyy, and no cell that a spreadsheet would run as a
formula."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter

from domain.vocabulary import label
from services.tasks import TaskSummary

DATE_FORMAT = "dd/mm/yyyy"
# What a spreadsheet reads as the start of a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@")
HEADERS = (
    "STT",
    "Xã",
    "Mã nhiệm vụ",
    "Nhiệm vụ",
    "Kỳ thực hiện",
    "Đơn vị chủ trì",
    "Hạn hoàn thành",
    "Trạng thái",
    "Số ngày quá hạn",
    "Mức cảnh báo",
)
WIDTHS = (6, 16, 12, 60, 14, 28, 14, 20, 14, 12)

Value = str | int | date | None


def task_row(number: int, task: TaskSummary) -> tuple[Value, ...]:
    return (
        number,
        task.commune,
        task.task_code,
        task.title,
        task.occurrence_key,
        ", ".join(task.lead),
        task.due,
        label(task.state),
        task.days_late or None,
        task.escalation_level or None,
    )


def tasks_workbook(tasks: Sequence[TaskSummary], title: str) -> bytes:
    """The tasks, one row each in their order, under a header row, as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(HEADERS)
    for number, task in enumerate(tasks, start=1):
        sheet.append(task_row(number, task))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            _settle(cell)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _settle(cell: Cell) -> None:
    """A date shown dd/mm/yyyy; a text that looks like a formula kept as text."""
    if isinstance(cell.value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True

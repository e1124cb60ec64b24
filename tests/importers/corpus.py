"""The task tables real communes type, generated from a sample plan.

A plan's tasks become a `Table` as the Vĩnh Khê annex lays them out (sections across the
row, tasks numbered within them; the columns of `builders.HEADER`). Each variant is a pure
function from a table to a table, the way one commune's office types it differently: the
columns in another order, other header words, arabic numbering, number cells merged or
left empty, a section row that is also its first task, a number used twice, the header
repeated after a page break, the document's header and signature around the table, more
columns, titles over two lines. Variants compose. Each table is written as .docx, .xlsx,
.csv and .md; the writer says on which source row (as the reader numbers them) each row of
the table landed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, partial, reduce
from pathlib import Path

import docx
import openpyxl
from openpyxl.styles import Font

from domain.models import Plan, Task
from importers import read_plan
from tests.importers.builders import (
    HEADER,
    SAMPLES,
    docx_merge_down,
    docx_row_across,
    head_lines,
    task_cells,
    xlsx_merge_down,
    xlsx_row_across,
)

# The sample plans, and what read_plan needs to import each.
PLANS: dict[str, tuple[Path, dict]] = {
    "vinh-khe": (SAMPLES / "vinh-khe-2024-cchc-plan.txt", {}),
    "long-dien-a": (SAMPLES / "long-dien-a-2023-cchc-plan.txt", {"year": 2023}),
    "quang-vinh": (SAMPLES / "quang-vinh-2020-par-index-plan.txt", {}),
}
FORMATS = ("docx", "xlsx", "csv", "md")


class Col(StrEnum):
    """What a column holds, whatever its header says."""

    NUMBER = "number"
    TITLE = "title"
    PRODUCT = "product"
    LEAD = "lead"
    COORDINATING = "coordinating"
    PERIOD = "period"
    BUDGET = "budget"
    NOTES = "notes"
    CAUSE = "cause"
    REMEDY = "remedy"


class Kind(StrEnum):
    SECTION = "section"  # a group's row: its number and title across the row, or its first task
    TASK = "task"
    HEADER = "header"  # the header row again, after a page break
    COLUMN_NUMBERS = "column numbers"  # "(1) (2) (3) ..." under the header
    JUNK = "junk"  # a row that is none of these: a stray note, a lone number, a blank row


@dataclass(frozen=True)
class Row:
    kind: Kind
    cells: tuple[str, ...]  # one per column of the table
    across: bool = False  # written as one cell across the row: "<number>. <title>"
    merged_up: frozenset[Col] = frozenset()  # cells that are the cell above them, merged down
    task: Task | None = field(default=None, repr=False)  # the original task the row carries


@dataclass(frozen=True)
class Table:
    plan: Plan = field(repr=False)  # the plan it was typed from
    columns: tuple[Col, ...]
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    above: tuple[str, ...] = ()  # lines of the document above the table
    below: tuple[tuple[str, str], ...] = ()  # (left, right) lines below it: the signature block

    def new_row(self, kind: Kind, cells: Mapping[Col, str] | None = None) -> Row:
        """A row holding `cells`, the others empty."""
        return Row(kind, tuple((cells or {}).get(column, "") for column in self.columns))

    def cell(self, row: Row, column: Col) -> str:
        return row.cells[self.columns.index(column)]

    def with_cell(self, row: Row, column: Col, text: str) -> Row:
        cells = list(row.cells)
        cells[self.columns.index(column)] = text
        return replace(row, cells=tuple(cells))

    def texts(self, row: Row) -> list[str]:
        """The row's cells as written (a merged cell's rest is empty)."""
        if row.kind is Kind.HEADER:
            return list(self.header)
        if row.kind is Kind.COLUMN_NUMBERS:
            return [f"({n})" for n in range(1, len(self.columns) + 1)]
        if row.across:
            return [f"{self.cell(row, Col.NUMBER)}. {self.cell(row, Col.TITLE)}"] + [""] * (len(self.columns) - 1)
        return list(row.cells)


Variant = Callable[[Table], Table]

ROMAN = "I II III IV V VI VII VIII IX X XI XII".split()
LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()  # as Vietnamese lists letter items
# What each column of builders.HEADER holds.
COLUMNS = (Col.NUMBER, Col.TITLE, Col.PRODUCT, Col.LEAD, Col.COORDINATING, Col.PERIOD, Col.BUDGET, Col.NOTES)
SIGNATURE = (
    ("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"),
    ("- UBND huyện;", "CHỦ TỊCH"),
    ("- Lưu: VT.", ""),
    ("", "Nguyễn Văn Hùng"),
)


@cache
def original_plan(name: str) -> Plan:
    """The sample plan as imported. Of a prose plan's draft, the tasks a table can hold: a
    task the draft found no lead for is the office's to complete, and a table refuses it."""
    path, kwargs = PLANS[name]
    plan = read_plan(path, **kwargs).plan
    return plan.model_copy(update={"tasks": tuple(task for task in plan.tasks if task.lead)})


def as_table(plan: Plan, tasks: tuple[Task, ...] | None = None) -> Table:
    """The tasks (the plan's, or some of them in another order) as the Vĩnh Khê annex lays
    them out: grouped by section in the order they come, sections numbered afresh I, II ...
    with their titles from the plan, tasks 1., 2. ... within each."""
    tasks = plan.tasks if tasks is None else tasks
    titles = {section.code: section.title for section in plan.sections}
    blank = ("",) * len(COLUMNS)
    rows = []
    for roman, code in zip(ROMAN, dict.fromkeys(task.section for task in tasks), strict=False):
        rows.append(Row(Kind.SECTION, (roman, titles[code], *blank[2:]), across=True))
        for n, task in enumerate((task for task in tasks if task.section == code), start=1):
            cells = task_cells(task)
            cells[0] = f"{n}."
            cells[COLUMNS.index(Col.NOTES)] = ""  # a prose task keeps its whole body in notes: not a cell
            rows.append(Row(Kind.TASK, tuple(cells), task=task))
    calendar = plan.reporting_calendar.source_text
    return Table(plan, COLUMNS, tuple(HEADER), tuple(rows), above=(calendar,) if calendar else ())


def apply(table: Table, variants: tuple[Variant, ...]) -> Table:
    return reduce(lambda t, variant: variant(t), variants, table)


# ---------------------------------------------------------------- the variants


def columns_in_order(table: Table, order: tuple[Col, ...]) -> Table:
    """The columns in `order`, any others after them as they were."""
    columns = (*order, *(c for c in table.columns if c not in order))
    at = [table.columns.index(c) for c in columns]

    def moved(row: Row) -> Row:
        return replace(row, cells=tuple(row.cells[i] for i in at))

    return replace(
        table, columns=columns, header=tuple(table.header[i] for i in at), rows=tuple(map(moved, table.rows))
    )


def headers_named(table: Table, names: Mapping[Col, str]) -> Table:
    return replace(table, header=tuple(names.get(c, h) for c, h in zip(table.columns, table.header, strict=True)))


def arabic_sections(table: Table, task_number: Callable[[int, int], str]) -> Table:
    """Sections numbered 1, 2 ...; a numbered task row by `task_number(section, n)`."""
    rows, section, n = [], 0, 0
    for row in table.rows:
        if row.kind is Kind.SECTION:
            section, n = section + 1, 0
            row = table.with_cell(row, Col.NUMBER, str(section))
        if row.task is not None:
            n += 1
            if row.kind is Kind.TASK and table.cell(row, Col.NUMBER):
                row = table.with_cell(row, Col.NUMBER, task_number(section, n))
        rows.append(row)
    return replace(table, rows=tuple(rows))


def lettered_tasks(table: Table) -> Table:
    """Sections numbered 1, 2 ..., their tasks a), b) ...: unless a section has more tasks
    than there are letters (no office letters them then)."""
    counts = [0]
    for row in table.rows:
        if row.kind is Kind.SECTION:
            counts.append(0)
        counts[-1] += row.task is not None
    if max(counts) > len(LETTERS):
        return table
    return arabic_sections(table, lambda section, n: f"{LETTERS[n - 1]})")


def numbers_merged(table: Table) -> Table:
    """A task row right under a row carrying a task has no number of its own: its number
    cell is merged with the one above (in .csv and .md it comes out empty)."""
    rows = list(table.rows)
    for i in range(1, len(rows)):
        if rows[i].kind is Kind.TASK and rows[i - 1].task is not None:
            rows[i] = replace(table.with_cell(rows[i], Col.NUMBER, ""), merged_up=rows[i].merged_up | {Col.NUMBER})
    return replace(table, rows=tuple(rows))


def sections_carry_tasks(table: Table) -> Table:
    """Each section row is also its first task: the section's number, the task's cells; the
    section's other tasks sit under it with their number cells merged into its."""
    rows: list[Row] = []
    for row in table.rows:
        section = rows[-1] if rows and rows[-1].kind is Kind.SECTION and rows[-1].task is None else None
        if row.kind is Kind.TASK and section is not None:
            rows[-1] = replace(table.with_cell(row, Col.NUMBER, table.cell(section, Col.NUMBER)), kind=Kind.SECTION)
        else:
            rows.append(row)
    return numbers_merged(replace(table, rows=tuple(rows)))


def section_number_repeated(table: Table) -> Table:
    """The fourth section numbered like the third (two sections "III")."""
    sections = [i for i, row in enumerate(table.rows) if row.kind is Kind.SECTION]
    if len(sections) < 4:
        return table
    rows = list(table.rows)
    third, fourth = rows[sections[2]], rows[sections[3]]
    rows[sections[3]] = table.with_cell(fourth, Col.NUMBER, table.cell(third, Col.NUMBER))
    return replace(table, rows=tuple(rows))


def item_number_repeated(table: Table) -> Table:
    """In the first section with three numbered tasks, the third numbered like the second."""
    rows, numbered = list(table.rows), list[int]()
    for i, row in enumerate(rows):
        if row.kind is Kind.SECTION:
            numbered = []
        elif row.kind is Kind.TASK and table.cell(row, Col.NUMBER):
            numbered.append(i)
            if len(numbered) == 3:
                rows[i] = table.with_cell(row, Col.NUMBER, table.cell(rows[numbered[1]], Col.NUMBER))
                return replace(table, rows=tuple(rows))
    return table


def header_repeated(table: Table) -> Table:
    """The header row again halfway down (a page break), where no merged cell runs through."""
    rows = table.rows
    at = next((i for i in range(len(rows) // 2, len(rows)) if not rows[i].merged_up), len(rows))
    return replace(table, rows=(*rows[:at], table.new_row(Kind.HEADER), *rows[at:]))


def column_numbers(table: Table) -> Table:
    return replace(table, rows=(table.new_row(Kind.COLUMN_NUMBERS), *table.rows))


def document_around(table: Table) -> Table:
    """The issued document's header above the table and its signature block below."""
    return replace(table, above=tuple(line for line in head_lines(table.plan) if line), below=SIGNATURE)


EXTRA = {
    Col.CAUSE: ("Nguyên nhân", "Khối lượng công việc lớn"),
    Col.REMEDY: ("Giải pháp", "Tăng cường kiểm tra, đôn đốc"),
    Col.NOTES: ("Ghi chú", "Đang triển khai"),
}


def extra_columns(table: Table) -> Table:
    """ "Nguyên nhân", "Giải pháp" and "Ghi chú" columns, with text on every task."""
    for column, (name, _) in EXTRA.items():
        if column not in table.columns:
            table = replace(
                table,
                columns=(*table.columns, column),
                header=(*table.header, name),
                rows=tuple(replace(row, cells=(*row.cells, "")) for row in table.rows),
            )

    def filled(row: Row) -> Row:
        for column, (_, text) in EXTRA.items():
            row = table.with_cell(row, column, text)
        return row

    return replace(table, rows=tuple(filled(row) if row.task is not None else row for row in table.rows))


def titles_over_two_lines(table: Table) -> Table:
    """Every task's title broken over two lines inside its cell, at its middle word."""

    def broken(row: Row) -> Row:
        words = table.cell(row, Col.TITLE).split(" ")
        half = (len(words) + 1) // 2
        return table.with_cell(row, Col.TITLE, " ".join(words[:half]) + "\n" + " ".join(words[half:]))

    return replace(table, rows=tuple(broken(row) if row.task is not None else row for row in table.rows))


SYNONYMS = (
    {
        Col.NUMBER: "TT",
        Col.TITLE: "Nội dung",
        Col.LEAD: "Cơ quan chủ trì",
        Col.COORDINATING: "Phối hợp",
        Col.PERIOD: "Thời gian",
        Col.PRODUCT: "Sản phẩm",
    },
    {
        Col.NUMBER: "Số TT",
        Col.TITLE: "Nội dung công việc",
        Col.LEAD: "Đơn vị chủ trì",
        Col.COORDINATING: "Đơn vị phối hợp",
        Col.PERIOD: "Thời hạn",
        Col.PRODUCT: "Kết quả",
    },
    {
        Col.NUMBER: "STT",
        Col.TITLE: "Nhiệm vụ",
        Col.LEAD: "Bộ phận chủ trì",
        Col.COORDINATING: "Phối hợp",
        Col.PERIOD: "Thời gian/Thời hạn hoàn thành",
        Col.PRODUCT: "Kết quả/Sản phẩm",
    },
    {
        Col.NUMBER: "TT",
        Col.TITLE: "Tên nhiệm vụ",
        Col.LEAD: "Chủ trì",
        Col.COORDINATING: "Đơn vị phối hợp",
        Col.PERIOD: "Thời hạn",
        Col.PRODUCT: "Sản phẩm",
    },
)

VARIANTS: dict[str, Variant] = {
    "columns-reordered": partial(
        columns_in_order, order=(Col.NUMBER, Col.PERIOD, Col.LEAD, Col.TITLE, Col.PRODUCT, Col.COORDINATING)
    ),
    **{f"headers-{n}": partial(headers_named, names=names) for n, names in enumerate(SYNONYMS, start=1)},
    "arabic-sections-tasks-1.1": partial(arabic_sections, task_number=lambda section, n: f"{section}.{n}"),
    "arabic-sections-tasks-a)": lettered_tasks,
    "numbers-merged": numbers_merged,
    "sections-carry-tasks": sections_carry_tasks,
    "section-number-repeated": section_number_repeated,
    "item-number-repeated": item_number_repeated,
    "header-repeated": header_repeated,
    "column-numbers": column_numbers,
    "document-around": document_around,
    "extra-columns": extra_columns,
    "titles-over-two-lines": titles_over_two_lines,
}

# Each case: the variants applied to the original, in order. The original as it is, every
# variant alone, and most of them at once.
CASES: dict[str, tuple[Variant, ...]] = {
    "original": (),
    **{name: (variant,) for name, variant in VARIANTS.items()},
    "all-at-once": tuple(
        VARIANTS[name]
        for name in (
            "extra-columns",
            "columns-reordered",
            "headers-2",
            "arabic-sections-tasks-a)",
            "titles-over-two-lines",
            "column-numbers",
            "header-repeated",
            "document-around",
        )
    ),
}

# Rows of junk a table picks up, what they hold and whether that names a unit or a time.
JUNK: dict[str, tuple[Mapping[Col, str], bool]] = {
    "note naming a unit and a time": ({Col.NOTES: "Văn phòng tổng hợp, báo cáo trước ngày 10/12"}, True),
    "note": ({Col.NOTES: "Nội dung đã lồng ghép ở mục trên"}, False),
    "lone number": ({Col.NUMBER: "9."}, False),
    "blank": ({}, False),
}


def with_junk(table: Table, at: int, cells: Mapping[Col, str]) -> Table:
    """A row holding only `cells`, inserted before row `at`."""
    return replace(table, rows=(*table.rows[:at], table.new_row(Kind.JUNK, cells), *table.rows[at:]))


# ---------------------------------------------------------------- what the reader must find


def carried_tasks(table: Table) -> list[Task]:
    """The tasks the table holds, in its order."""
    return [row.task for row in table.rows if row.task is not None]


def without_own_number(table: Table) -> list[int]:
    """Indexes of the task rows whose number cell is merged into the one above."""
    return [i for i, row in enumerate(table.rows) if row.task is not None and Col.NUMBER in row.merged_up]


def numbered_twice(table: Table) -> list[tuple[int, int]]:
    """(first, again) row indexes of a section numbered like an earlier section, or a task
    numbered like an earlier task of its section."""
    pairs: list[tuple[int, int]] = []
    sections: dict[str, int] = {}
    tasks: dict[str, int] = {}
    for i, row in enumerate(table.rows):
        if row.kind not in (Kind.SECTION, Kind.TASK) or not (number := table.cell(row, Col.NUMBER)):
            continue
        if row.kind is Kind.SECTION:
            seen, tasks = sections, {}
        else:
            seen = tasks
        if number in seen:
            pairs.append((seen[number], i))
        else:
            seen[number] = i
    return pairs


# ---------------------------------------------------------------- the four formats


@dataclass(frozen=True)
class Written:
    path: Path
    rows: tuple[int, ...]  # the source row of each row of the table, as the reader numbers them


def merged_runs(table: Table) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of every cell merged down over several rows."""
    runs: list[tuple[int, int, int]] = []
    for column, col in enumerate(table.columns):
        for i, row in enumerate(table.rows):
            if col not in row.merged_up:
                continue
            if runs and runs[-1][0] == column and runs[-1][2] == i - 1:
                runs[-1] = (column, runs[-1][1], i)
            else:
                runs.append((column, i - 1, i))
    return runs


def signature_lines(table: Table) -> list[str]:
    """The signature block as lines: the recipients, then who signs."""
    return [left for left, _ in table.below if left] + [right for _, right in table.below if right]


def write_docx(path: Path, table: Table) -> Written:
    """A Word table under the document's paragraphs; rows are numbered within the table."""
    document = docx.Document()
    for line in table.above:
        document.add_paragraph(line)
    word_rows = document.add_table(rows=1 + len(table.rows), cols=len(table.columns)).rows
    for cell, text in zip(word_rows[0].cells, table.header, strict=True):
        cell.text = text
    for row, word_row in zip(table.rows, word_rows[1:], strict=True):
        if row.across:
            docx_row_across(word_row.cells, table.texts(row)[0])
            continue
        for cell, text in zip(word_row.cells, table.texts(row), strict=True):
            if text:
                cell.text = text
    for column, first, last in merged_runs(table):
        docx_merge_down(word_rows, column, first + 1, last + 1)
    for line in signature_lines(table):
        document.add_paragraph(line)
    document.save(str(path))
    return Written(path, tuple(range(2, len(table.rows) + 2)))


def grid_rows(table: Table) -> tuple[list[list[str]], int]:
    """The sheet's rows, the document's lines and signature in it too, and the index of the
    table's header among them."""
    width = len(table.columns)
    above = [[line] for line in table.above] + ([[]] if table.above else [])
    below = [[left, *[""] * (width - 3), right] for left, right in table.below]
    body = [table.texts(row) for row in table.rows]
    return [*above, list(table.header), *body, *([[]] if below else []), *below], len(above)


def write_xlsx(path: Path, table: Table) -> Written:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kế hoạch"
    rows, header = grid_rows(table)
    for r, texts in enumerate(rows, start=1):
        for column, text in enumerate(texts, start=1):
            if text:
                sheet.cell(r, column, text).font = Font(bold=r == header + 1)
    top = header + 2  # the sheet row of the table's first row
    for i, row in enumerate(table.rows):
        if row.across:
            xlsx_row_across(sheet, top + i, table.texts(row)[0], len(table.columns))
    for column, first, last in merged_runs(table):
        xlsx_merge_down(sheet, column + 1, top + first, top + last)
    workbook.save(path)
    return Written(path, tuple(range(top, top + len(table.rows))))


def write_csv(path: Path, table: Table) -> Written:
    """The sheet saved as CSV: merged cells come out empty; rows are the lines where each
    record starts (a cell over two lines takes two)."""
    rows, header = grid_rows(table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    starts = []
    for texts in rows:
        starts.append(out.getvalue().count("\n") + 1)
        writer.writerow(texts)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return Written(path, tuple(starts[header + 1 :]))


def write_markdown(path: Path, table: Table) -> Written:
    """Pipe rows; a row across the table is a heading; a line break in a cell is <br>."""
    lines = [*table.above, ""]
    lines += ["| " + " | ".join(table.header) + " |", "|" + "---|" * len(table.columns)]
    numbers = []
    for row in table.rows:
        if row.across:
            lines += ["", f"### {table.texts(row)[0]}"]
            numbers.append(len(lines))
            lines.append("")
            continue
        lines.append("| " + " | ".join(text.replace("\n", "<br>") for text in table.texts(row)) + " |")
        numbers.append(len(lines))
    lines += ["", *signature_lines(table)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Written(path, tuple(numbers))


WRITERS: dict[str, Callable[[Path, Table], Written]] = {
    "docx": write_docx,
    "xlsx": write_xlsx,
    "csv": write_csv,
    "md": write_markdown,
}


def write(table: Table, directory: Path, suffix: str) -> Written:
    return WRITERS[suffix](directory / f"ke-hoach.{suffix}", table)

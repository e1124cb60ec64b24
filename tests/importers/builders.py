"""Plan files written by the tests from an imported plan: the same table as .docx, .xlsx,
.csv and .md, so that every reader can be compared with the text import."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import openpyxl
from docx.shared import Pt
from openpyxl.styles import Font

from domain.models import Plan, Task

SAMPLES = Path(__file__).parents[2] / "importers" / "samples"
VINH_KHE = SAMPLES / "vinh-khe-2024-cchc-plan.txt"

HEADER = [
    "STT",
    "Nhiệm vụ cụ thể",
    "Sản phẩm",
    "Bộ phận chủ trì",
    "Bộ phận phối hợp",
    "Thời gian thực hiện",
    "Kinh phí dự kiến",
    "Ghi chú",
]
LEAD = HEADER.index("Bộ phận chủ trì")


def phuong_plan_text() -> str:
    """The Vĩnh Khê sample as a phường would issue it: its header "ỦY BAN NHÂN DÂN / PHƯỜNG ĐÔNG
    HÀ" added, every "xã Vĩnh Khê" a "phường Đông Hà"."""
    text = VINH_KHE.read_text(encoding="utf-8").replace("xã Vĩnh Khê", "phường Đông Hà")
    return "ỦY BAN NHÂN DÂN\nPHƯỜNG ĐÔNG HÀ\n" + text.replace("Vĩnh Khê, ngày", "Đông Hà, ngày")


def head_lines(plan: Plan) -> list[str]:
    """The plan's header as an issued document writes it, and its reporting sentence."""
    return [
        "ỦY BAN NHÂN DÂN",
        f"XÃ {plan.commune.upper()}",
        f"Số: {plan.number}",
        f"{plan.commune}, ngày {plan.date:%d} tháng {plan.date:%m} năm {plan.date:%Y}",
        "KẾ HOẠCH",
        plan.title,
        plan.reporting_calendar.source_text or "",
    ]


def task_cells(task: Task) -> list[str]:
    return [
        f"{task.number}.",
        task.title,
        task.product or "",
        ", ".join(task.lead),
        ", ".join(task.coordinating),
        task.period_text,
        task.budget or "",
        task.notes or "",
    ]


def table(plan: Plan) -> list[tuple[str, list[str]]]:
    """("section" | "task", cells) rows, in the plan's order."""
    rows = []
    for section in plan.sections:
        rows.append(("section", [f"{section.code}. {section.title}"] + [""] * (len(HEADER) - 1)))
        rows += [("task", task_cells(t)) for t in plan.tasks if t.section == section.code]
    return rows


def merged_lead_runs(rows: list[tuple[str, list[str]]], *sections: str) -> list[tuple[int, int]]:
    """(first, last) indexes of task rows of the given sections, to merge their lead cells."""
    runs, current = [], None
    for i, (kind, cells) in enumerate(rows):
        if kind == "section":
            current = cells[0].split(".")[0] if cells[0].split(".")[0] in sections else None
            if current:
                runs.append([i + 1, i])
        elif current:
            runs[-1][1] = i
    return [(first, last) for first, last in runs]


def docx_row_across(row_cells, text: str) -> None:
    """A Word row made one cell across the table, holding `text` in bold: a section title."""
    merged = row_cells[0].merge(row_cells[-1])
    run = merged.paragraphs[0].add_run(text)
    run.bold = True
    run.font.size = Pt(12)


def docx_merge_down(word_rows, column: int, first: int, last: int) -> None:
    """One Word cell for `column` from row `first` to row `last`, holding the first's text."""
    top = word_rows[first].cells[column]
    text = top.text
    top.merge(word_rows[last].cells[column]).text = text


def xlsx_row_across(sheet, row: int, text: str, width: int) -> None:
    """A sheet row merged into one bold cell across `width` columns: a section title."""
    sheet.cell(row, 1, text).font = Font(bold=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def xlsx_merge_down(sheet, column: int, first: int, last: int) -> None:
    """One cell for `column` (1-based) from sheet row `first` to `last`; Excel keeps only the
    top value of a merged range, so the cells below are emptied."""
    for row in range(first + 1, last + 1):
        sheet.cell(row, column).value = None
    sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)


def write_docx(path: Path, plan: Plan, *, merge_leads_of=("III", "VI")) -> Path:
    document = docx.Document()
    for line in head_lines(plan):
        document.add_paragraph(line)
    rows = table(plan)
    word_table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    word_rows = word_table.rows  # table.cell(r, c) recomputes the whole grid: slow
    for column, text in enumerate(HEADER):
        word_rows[0].cells[column].text = text
    for (kind, cells), word_row in zip(rows, word_rows[1:], strict=True):
        row_cells = word_row.cells
        if kind == "section":
            docx_row_across(row_cells, cells[0])
            continue
        for cell, text in zip(row_cells, cells, strict=True):
            cell.text = text
    for first, last in merged_lead_runs(rows, *merge_leads_of):
        docx_merge_down(word_rows, LEAD, first + 1, last + 1)
    document.add_paragraph("Trên đây là Kế hoạch.")
    document.save(str(path))
    return path


def write_xlsx(path: Path, plan: Plan, *, merge_leads_of=("III", "VI")) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kế hoạch"
    lines = head_lines(plan)
    for r, line in enumerate(lines, start=1):
        sheet.cell(r, 1, line)
    top = len(lines) + 2  # a blank row, then the header
    for column, text in enumerate(HEADER, start=1):
        sheet.cell(top, column, text).font = Font(bold=True)
    rows = table(plan)
    for i, (kind, cells) in enumerate(rows):
        r = top + 1 + i
        if kind == "section":
            xlsx_row_across(sheet, r, cells[0], len(HEADER))
            continue
        for column, text in enumerate(cells, start=1):
            if text:
                sheet.cell(r, column, text)
    for first, last in merged_lead_runs(rows, *merge_leads_of):
        xlsx_merge_down(sheet, LEAD + 1, top + 1 + first, top + 1 + last)
    workbook.save(path)
    return path


def write_csv(path: Path, plan: Plan, *, with_head: bool = True, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        if with_head:
            for line in head_lines(plan):
                writer.writerow([line])
        writer.writerow(HEADER)
        writer.writerows(cells for _, cells in table(plan))
    return path


def write_markdown(path: Path, plan: Plan) -> Path:
    lines = [*head_lines(plan), ""]
    lines.append("| " + " | ".join(HEADER) + " |")
    lines.append("|" + "---|" * len(HEADER))
    for kind, cells in table(plan):
        if kind == "section":
            lines += ["", f"### {cells[0]}", ""]
        else:
            lines.append("| " + " | ".join(cells) + " |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path

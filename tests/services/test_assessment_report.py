"""The report and the summary sheet the commune sends with its self-assessment: what the
supervising authority opens, and the same bytes every time they are made."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from evidence.assessment_report import report_docx, summary_xlsx
from services.assessment import explain
from tests.services.test_assessment import LATE, ON, change, item, sheet, year  # noqa: F401  (year is a fixture)
from tests.services.year import live, monthly

ISSUED = date(2026, 1, 20)


def a_scored_year(year):
    live(year[0], year[1], monthly(ON, ON, ON, ON, ON, ON, ON, ON, ON, LATE))
    change(year, explain, code="1.2.2", text="Báo cáo năm gửi qua hệ thống quản lý văn bản, chưa có bản giấy")
    return sheet(year)


def test_the_report_opens_with_each_area_against_its_maximum_the_items_and_the_approving_chairman(year):
    scored = a_scored_year(year)

    document = Document(io.BytesIO(report_docx(scored, approved_by="Trần Văn Hùng", issued=ISSUED)))

    summary, details = document.tables
    rows = [[cell.text for cell in row.cells] for row in summary.rows]
    assert rows[0] == ["Mã", "Lĩnh vực", "Điểm tối đa", "Điểm tự chấm"]
    assert len(rows) == 1 + 8 + 1  # the header, the eight areas, the total
    assert rows[1][:3] == ["1", "Công tác chỉ đạo, điều hành CCHC", "10"]
    assert rows[-1][1:] == ["Tổng cộng", "100", rows[-1][3]]
    assert Decimal(rows[-1][3].replace(",", ".")) == scored.self_score
    plan_completion = next(row for row in details.rows if row.cells[0].text == "1.1.2")
    assert plan_completion.cells[3].text == "1,8"
    assert "0,9 × 2 = 1,8" in plan_completion.cells[4].text
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Tiêu chí 1.2.2" in text and "chưa có bản giấy" in text
    assert "Trần Văn Hùng" in text and "ngày 20/01/2026" in text


def test_the_summary_sheets_totals_equal_the_self_assessment(year):
    scored = a_scored_year(year)

    rows = list(load_workbook(io.BytesIO(summary_xlsx(scored, issued=ISSUED))).active.iter_rows(values_only=True))

    items = {row[0]: row for row in rows[3:] if row[0] and row[2]}
    assert items["1.1.2"][4] == 1.8 and items["1.1.2"][3] == 2
    assert len(items) == len([i for i in scored.items if i.leaf.area])
    total = rows[-1]
    assert total[1:5] == ("Tổng cộng", None, 100, float(scored.self_score))
    adjustments = float(scored.totals.bonus + scored.totals.penalty)
    assert sum(row[4] or 0 for row in items.values()) + adjustments == pytest.approx(float(scored.self_score))


def test_making_the_report_and_the_sheet_twice_gives_the_same_bytes(year):
    scored = a_scored_year(year)

    assert report_docx(scored, approved_by="Trần Văn Hùng", issued=ISSUED) == report_docx(
        sheet(year), approved_by="Trần Văn Hùng", issued=ISSUED
    )
    assert summary_xlsx(scored, issued=ISSUED) == summary_xlsx(sheet(year), issued=ISSUED)
    assert item(scored, "1.1.2").score.points == Decimal("1.8")

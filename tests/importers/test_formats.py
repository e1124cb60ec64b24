"""The Vĩnh Khê table written as .docx, .xlsx, .csv, .tsv and markdown imports to the same plan
as the text rendering. The files are built from the text import, not copied by hand."""

import zipfile
from datetime import date

import openpyxl
import pytest

from importers import read_plan
from tests.importers.builders import write_csv, write_docx, write_markdown, write_xlsx


def tasks(plan):
    return [
        (t.code, t.title, t.product, t.lead, t.coordinating, t.period_text, t.budget, t.occurrences) for t in plan.tasks
    ]


def head(plan):
    return (plan.number, plan.date, plan.issuer, plan.commune, plan.year, plan.title, plan.sections)


@pytest.mark.parametrize(
    "suffix, write", [("docx", write_docx), ("xlsx", write_xlsx), ("csv", write_csv), ("md", write_markdown)]
)
def test_the_table_in_another_format_imports_to_the_same_plan(vinh_khe, tmp_path, suffix, write):
    result = read_plan(write(tmp_path / f"ke-hoach.{suffix}", vinh_khe.plan))
    assert tasks(result.plan) == tasks(vinh_khe.plan)
    assert head(result.plan) == head(vinh_khe.plan)
    assert result.plan.reporting_calendar.deadlines == vinh_khe.plan.reporting_calendar.deadlines
    assert {u.key for u in result.plan.units} == {u.key for u in vinh_khe.plan.units}
    (past_due,) = result.warnings
    assert "II.4" in past_due.message and past_due.column == "Thời gian thực hiện"


def test_the_word_fixture_really_has_merged_section_rows_and_a_merged_lead_column(vinh_khe, tmp_path):
    path = write_docx(tmp_path / "kh.docx", vinh_khe.plan)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert 'w:gridSpan w:val="8"' in xml
    assert 'w:vMerge w:val="restart"' in xml and "<w:vMerge/>" in xml


def test_word_rows_are_numbered_within_the_table_and_merged_leads_carry_down(vinh_khe, tmp_path):
    result = read_plan(write_docx(tmp_path / "kh.docx", vinh_khe.plan))
    by_code = {t.code: t for t in result.plan.tasks}
    assert by_code["I.1"].source.row == 3  # header row 1, section I row 2
    assert [by_code[f"III.{n}"].lead for n in range(1, 6)] == [("Văn phòng",)] * 5
    assert [by_code[f"VI.{n}"].lead for n in range(1, 4)] == [("Tài chính",)] * 3


def test_the_excel_fixture_really_has_merged_ranges(vinh_khe, tmp_path):
    sheet = openpyxl.load_workbook(write_xlsx(tmp_path / "kh.xlsx", vinh_khe.plan)).active
    ranges = [(r.min_col, r.max_col, r.max_row - r.min_row + 1) for r in sheet.merged_cells.ranges]
    assert (1, 8, 1) in ranges  # a section title across the table
    assert (4, 4, 5) in ranges  # one lead cell for the five tasks of section III


def test_excel_rows_are_the_sheet_rows(vinh_khe, tmp_path):
    result = read_plan(write_xlsx(tmp_path / "kh.xlsx", vinh_khe.plan))
    # seven header lines, a blank row, the table header on row 9, section I on row 10
    assert result.plan.tasks[0].source.row == 11


def test_a_bare_csv_table_needs_the_year_and_commune_and_says_what_it_assumed(vinh_khe, tmp_path):
    path = write_csv(tmp_path / "vinh-khe-2024.tsv", vinh_khe.plan, with_head=False, delimiter="\t")
    result = read_plan(path, year=2024, commune="Vĩnh Khê")
    plan = result.plan
    assert (plan.number, plan.date, plan.issuer, plan.commune, plan.year) == (
        "vinh-khe-2024",
        date(2024, 1, 1),
        "UBND xã Vĩnh Khê",
        "Vĩnh Khê",
        2024,
    )
    assert [(t.code, t.lead, t.period_text) for t in plan.tasks] == [
        (t.code, t.lead, t.period_text) for t in vinh_khe.plan.tasks
    ]
    once = [t.code for t in vinh_khe.plan.tasks if len(t.occurrences) == 1]
    assert [t.occurrences for t in plan.tasks if t.code in once] == [
        t.occurrences for t in vinh_khe.plan.tasks if t.code in once
    ]
    messages = " ".join(w.message for w in result.warnings)
    assert "lịch mặc định" in messages
    assert "dùng tên tệp “vinh-khe-2024”" in messages
    assert "01/01/2024" in messages
    assert "UBND xã Vĩnh Khê" in messages


def test_a_semicolon_csv_in_utf8_without_bom_is_read(vinh_khe, tmp_path):
    path = write_csv(tmp_path / "kh.csv", vinh_khe.plan, delimiter=";")
    path.write_bytes(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    assert tasks(read_plan(path).plan) == tasks(vinh_khe.plan)


def test_a_utf16_csv_is_read(vinh_khe, tmp_path):
    path = write_csv(tmp_path / "kh.csv", vinh_khe.plan)
    path.write_text(path.read_text(encoding="utf-8-sig"), encoding="utf-16")
    assert tasks(read_plan(path).plan) == tasks(vinh_khe.plan)


def test_a_word_plan_with_its_header_in_a_layout_table_reads_the_header_and_names_the_task_table(vinh_khe, tmp_path):
    import docx

    path = write_docx(tmp_path / "kh.docx", vinh_khe.plan)
    document = docx.Document(str(path))
    for paragraph in document.paragraphs[:4]:  # the committee, the commune, Số:, the date line
        paragraph._p.getparent().remove(paragraph._p)
    layout = document.add_table(rows=2, cols=2)
    layout.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ VĨNH KHÊ"
    layout.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    layout.cell(1, 0).text = "Số: 10/KH-UBND"
    layout.cell(1, 1).text = "Vĩnh Khê, ngày 15 tháng 01 năm 2024"
    document.element.body.insert(0, layout._tbl)
    document.save(path)
    result = read_plan(path)
    assert head(result.plan) == head(vinh_khe.plan)
    assert tasks(result.plan) == tasks(vinh_khe.plan)
    (past_due,) = result.warnings
    assert past_due.where() == "kh.docx, bảng 2, hàng 13, cột “Thời gian thực hiện”"

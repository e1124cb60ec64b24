"""Task tables as real plans write them: column headers by meaning, split headers, sections."""

from datetime import date

import openpyxl
import pytest

from importers import read_plan
from importers.table import Field, field_of, section_start, split_names, task_number

HEAD = "ỦY BAN NHÂN DÂN\nXÃ VĨNH KHÊ\nSố: 5/KH-UBND\nVĩnh Khê, ngày 20 tháng 02 năm 2024\nKẾ HOẠCH\nNâng cao Chỉ số CCHC năm 2024\n"
CALENDAR = "Báo cáo quý gửi trước ngày 10 tháng cuối cùng của quý.\n"


@pytest.mark.parametrize(
    "header, field",
    [
        ("STT", Field.NUMBER),
        ("ST T", Field.NUMBER),
        ("S TT", Field.NUMBER),
        ("Số TT", Field.NUMBER),
        ("Nhiệm vụ cụ thể", Field.TITLE),
        ("Nội dung", Field.TITLE),
        ("Nội dung công việc", Field.TITLE),
        ("Giải pháp khắc phục", Field.TITLE),
        ("NHIỆM VỤ", Field.TITLE),
        ("Sản phẩm", Field.PRODUCT),
        ("Kết quả/sản phẩm", Field.PRODUCT),
        ("Bộ phận chủ trì", Field.LEAD),
        ("Cơ quan chủ trì", Field.LEAD),
        ("Đơn vị chủ trì", Field.LEAD),
        ("Chủ trì", Field.LEAD),
        ("Cơ quan thực hiện", Field.LEAD),
        ("Bộ phận phối hợp", Field.COORDINATING),
        ("Đơn vị phối hợp", Field.COORDINATING),
        ("Thời gian thực hiện", Field.PERIOD),
        ("Thời gian hoàn thành", Field.PERIOD),
        ("Thời hạn", Field.PERIOD),
        ("Kinh phí (dự kiến)", Field.BUDGET),
        ("Kinh phí dự kiến", Field.BUDGET),
        ("Ghi chú", Field.NOTES),
        ("Mã số TCTP", Field.CRITERIA),
        ("Tiêu chí", Field.CRITERIA),
        ("TCTP", Field.CRITERIA),
        ("Chức năng", None),
    ],
)
def test_a_column_is_recognised_by_the_meaning_of_its_header(header, field):
    assert field_of(header) == field


def test_a_decomposed_unicode_header_is_recognised_too():
    import unicodedata

    assert field_of(unicodedata.normalize("NFD", "Thời gian thực hiện")) == Field.PERIOD


def test_section_headings_and_task_numbers_are_read_as_written():
    assert section_start("I. CÔNG TÁC CHỈ ĐẠO") == ("I", "CÔNG TÁC CHỈ ĐẠO")
    assert section_start("VIII") == ("VIII", "")
    assert section_start("IV - CẢI CÁCH") == ("IV", "CẢI CÁCH")
    assert section_start("Văn phòng") is None
    assert section_start("1. Ban hành") is None
    assert section_start("I.1") is None and section_start("II.2 Ban hành") is None
    assert [task_number(t) for t in ("1.", "2)", "12", "1.2", "a)", "", "Một")] == [
        "1",
        "2",
        "12",
        "1.2",
        None,
        None,
        None,
    ]


def test_unit_cells_are_split_on_commas_semicolons_and_lines_keeping_dashed_names_whole():
    assert split_names("Văn phòng - Thống kê, Tư pháp - Hộ tịch; Tài chính\n- Công an xã.") == (
        "Văn phòng - Thống kê",
        "Tư pháp - Hộ tịch",
        "Tài chính",
        "Công an xã",
    )


def test_variant_headers_with_criteria_codes_are_read(tmp_path):
    path = tmp_path / "kh.txt"
    rows = [
        "ST T\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời hạn\tMã số TCTP",
        "I\tCHỈ ĐẠO, ĐIỀU HÀNH\t\t\t\t",
        "1\tBan hành Kế hoạch CCHC\tVăn phòng - Thống kê\tCác bộ phận liên quan\tTháng 1/2024\t1.1, 1.3",
        "2\tKiểm tra CCHC\tVP - TK\tTư pháp - Hộ tịch, Văn hoá - Xã hội\tQuý II/2024\t1.4.2; 7.1.5",
        "II\tTHỂ CHẾ\t\t\t\t",
        "1\tRà soát VBQPPL\tCông chức Tư pháp - Hộ tịch\tVăn phòng - Thống kê và Văn hóa - Xã hội\tTrước 30/6/2024\t2.1",
    ]
    path.write_text(HEAD + CALENDAR + "\n".join(rows) + "\n", encoding="utf-8")
    result = read_plan(path)
    plan = result.plan
    assert [s.code for s in plan.sections] == ["I", "II"]
    assert plan.sections[0].title == "CHỈ ĐẠO, ĐIỀU HÀNH"
    summary = [(t.code, t.lead, t.coordinating, t.criteria) for t in plan.tasks]
    assert summary == [
        ("I.1", ("Văn phòng - Thống kê",), ("Các bộ phận liên quan",), ("1.1", "1.3")),
        ("I.2", ("Văn phòng - Thống kê",), ("Tư pháp - Hộ tịch", "Văn hoá - Xã hội"), ("1.4.2", "7.1.5")),
        ("II.1", ("Tư pháp - Hộ tịch",), ("Văn phòng - Thống kê", "Văn hoá - Xã hội"), ("2.1",)),
    ]
    assert plan.tasks[2].occurrences[0].due_date == date(2024, 6, 28)  # 29-30/06/2024 is a weekend
    assert (plan.number, plan.date, plan.title, plan.year) == (
        "5/KH-UBND",
        date(2024, 2, 20),
        "Nâng cao Chỉ số CCHC năm 2024",
        2024,
    )
    merged = sorted(w.message for w in result.warnings)
    assert any("“VP - TK” được hiểu là bộ phận “Văn phòng - Thống kê”" in m for m in merged)
    assert any("“Công chức Tư pháp - Hộ tịch” được hiểu là bộ phận “Tư pháp - Hộ tịch”" in m for m in merged)


def test_a_header_merged_over_two_rows_is_read(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["UBND XÃ VĨNH KHÊ"])
    sheet.append(["Số: 5/KH-UBND"])
    sheet.append(["Vĩnh Khê, ngày 20/02/2024"])
    sheet.append(["STT", "Nội dung công việc", "Đơn vị thực hiện", None, "Thời gian hoàn thành", "Kết quả/sản phẩm"])
    sheet.append([None, None, "Chủ trì", "Phối hợp", None, None])
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
    sheet.append(["I", "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH"])
    sheet.append([1, "Ban hành Kế hoạch CCHC", "Văn phòng", "Các bộ phận", "Tháng 1/2024", "Kế hoạch"])
    sheet.append([2, "Kiểm tra CCHC", None, "Tư pháp", "Quý II/2024", "Báo cáo"])
    for cells in ("A4:A5", "B4:B5", "C4:D4", "E4:E5", "F4:F5", "C8:C9"):
        sheet.merge_cells(cells)
    path = tmp_path / "kh.xlsx"
    workbook.save(path)
    result = read_plan(path)
    tasks = [
        (t.code, t.title, t.lead, t.coordinating, t.period_text, t.product, t.source.row) for t in result.plan.tasks
    ]
    assert tasks == [
        ("I.1", "Ban hành Kế hoạch CCHC", ("Văn phòng",), ("Các bộ phận",), "Tháng 1/2024", "Kế hoạch", 8),
        ("I.2", "Kiểm tra CCHC", ("Văn phòng",), ("Tư pháp",), "Quý II/2024", "Báo cáo", 9),
    ]
    assert result.plan.sections[0].title == "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH"
    assert (result.plan.number, result.plan.issuer, result.plan.date) == (
        "5/KH-UBND",
        "UBND xã Vĩnh Khê",
        date(2024, 2, 20),
    )


def test_a_markdown_pipe_table_with_line_breaks_in_cells_is_read(tmp_path):
    path = tmp_path / "kh.md"
    path.write_text(
        HEAD
        + CALENDAR
        + "\n| STT | Nội dung | Chủ trì | Phối hợp | Thời gian thực hiện |\n"
        + "|:---:|---|---|---|---|\n"
        + "| **I** | **CẢI CÁCH THỂ CHẾ** | | | |\n"
        + "| 1 | Rà soát văn bản | Tư pháp | Văn phòng<br>Công an xã | Hàng năm |\n"
        + "| | **II. CẢI CÁCH TTHC** | | | |\n"
        + "| 1 | Niêm yết TTHC | Văn phòng | | Quý I |\n",
        encoding="utf-8",
    )
    plan = read_plan(path).plan
    first, second = plan.tasks
    assert (first.code, first.lead, first.coordinating) == ("I.1", ("Tư pháp",), ("Văn phòng", "Công an xã"))
    assert first.recurrence == "annual"
    assert [s.title for s in plan.sections] == ["CẢI CÁCH THỂ CHẾ", "CẢI CÁCH TTHC"]
    assert second.code == "II.1"


def test_a_cell_without_criteria_codes_is_a_warning(tmp_path):
    path = tmp_path / "kh.txt"
    path.write_text(
        HEAD
        + CALENDAR
        + "STT\tNội dung\tChủ trì\tThời hạn\tTiêu chí\n1\tRà soát\tTư pháp\tQuý I/2024\tChỉ đạo điều hành\n",
        encoding="utf-8",
    )
    result = read_plan(path)
    assert result.plan.tasks[0].criteria == ()
    (warning,) = result.warnings
    assert (warning.row, warning.column) == (9, "Tiêu chí")
    assert "“Chỉ đạo điều hành”" in warning.message


def test_a_table_without_sections_numbers_its_tasks_as_written(tmp_path):
    path = tmp_path / "kh.txt"
    path.write_text(
        HEAD + CALENDAR + "TT\tNhiệm vụ\tChủ trì\tThời gian\n1\tA\tVăn phòng\tQuý I\n2\tB\tVăn phòng\tQuý II\n",
        encoding="utf-8",
    )
    plan = read_plan(path).plan
    assert [(t.code, t.section) for t in plan.tasks] == [("1", ""), ("2", "")]
    assert plan.sections == ()

"""Every row or line of a plan file that holds text is accounted for: a task, a heading, the
continuation of a task, a header row, the document around the table, or skipped with a
reason; an import that finds no task is refused saying what it saw."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest

from domain.models import RowFate
from importers import PlanInputError, read_plan
from importers.rows import fate_counts, must_see
from importers.text import decode, lines_of
from tests.importers.builders import SAMPLES, VINH_KHE, write_csv, write_docx, write_markdown, write_xlsx

TEXT_SAMPLES = [
    (VINH_KHE, {}),
    (SAMPLES / "long-dien-a-2023-cchc-plan.txt", {"year": 2023}),
    (SAMPLES / "quang-vinh-2020-par-index-plan.txt", {}),
]


def task_codes(result) -> list[str]:
    return [account.task for account in result.rows if account.fate == RowFate.TASK]


@pytest.mark.parametrize("path, options", TEXT_SAMPLES, ids=lambda p: getattr(p, "stem", ""))
def test_every_line_of_a_sample_that_holds_text_is_accounted_for_once(path, options):
    result = read_plan(path, **options)
    lines = lines_of(decode(path.read_bytes(), path.name))
    holding_text = [number for number, line in enumerate(lines, start=1) if line.strip()]
    accounted = Counter(account.row or account.line for account in result.rows)
    assert sorted(accounted) == holding_text
    assert [n for n, count in accounted.items() if count > 1] == []
    assert task_codes(result) == [task.code for task in result.plan.tasks]
    assert all(account.reason for account in result.rows if account.fate == RowFate.SKIPPED)


def test_the_vinh_khe_table_is_accounted_row_by_row(vinh_khe):
    counts = fate_counts(vinh_khe.rows)
    assert counts[RowFate.TASK] == 28 and counts[RowFate.HEADING] == 8 and counts[RowFate.HEADER] == 1
    wrapped = [a for a in vinh_khe.rows if a.fate == RowFate.CONTINUATION]
    assert [(a.row, a.task) for a in wrapped] == [(242, "II.1")]  # "xã", "xuyên": the rest of line 240
    assert must_see(vinh_khe.rows) == []


@pytest.mark.parametrize(
    "suffix, write", [("docx", write_docx), ("xlsx", write_xlsx), ("csv", write_csv), ("md", write_markdown)]
)
def test_in_every_format_each_task_has_one_task_row_and_the_plan_header_is_the_document(
    vinh_khe, tmp_path, suffix, write
):
    result = read_plan(write(tmp_path / f"kh.{suffix}", vinh_khe.plan))
    assert task_codes(result) == [task.code for task in vinh_khe.plan.tasks]
    counts = fate_counts(result.rows)
    assert counts[RowFate.HEADING] == len(vinh_khe.plan.sections)
    assert counts[RowFate.DOCUMENT] >= 5  # the header block: committee, commune, number, date, title
    assert RowFate.SKIPPED not in counts


def roman_rows() -> list[list[str]]:
    """A table whose numbered rows are tasks and groups at once, the other tasks of each
    group on rows with no number of their own."""
    return [
        ["STT", "Nội dung", "Chủ trì", "Thời gian", "Mã số TCTP"],
        ["I", "Ban hành Kế hoạch CCHC năm 2024", "Văn phòng", "Tháng 1/2024", "1.1"],
        ["", "Kiểm tra công tác CCHC", "Văn phòng", "Quý II/2024", "1.2"],
        ["", "Tuyên truyền CCHC", "Văn hóa", "Quý III/2024", ""],
        ["II", "Rà soát văn bản QPPL", "Tư pháp", "Quý I/2024", "2.1"],
        ["", "Công bố danh mục văn bản hết hiệu lực", "Tư pháp", "Tháng 12/2024", ""],
    ]


EXPECTED_ROMAN = [
    ("I.1", "Ban hành Kế hoạch CCHC năm 2024", ("Văn phòng",)),
    ("I.2", "Kiểm tra công tác CCHC", ("Văn phòng",)),
    ("I.3", "Tuyên truyền CCHC", ("Văn hóa",)),
    ("II.1", "Rà soát văn bản QPPL", ("Tư pháp",)),
    ("II.2", "Công bố danh mục văn bản hết hiệu lực", ("Tư pháp",)),
]


def merged_number_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN XÃ VĨNH KHÊ")
    document.add_paragraph("Số: 5/KH-UBND")
    document.add_paragraph("Vĩnh Khê, ngày 20 tháng 02 năm 2024")
    rows = roman_rows()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for word_row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(word_row.cells, cells, strict=True):
            cell.text = text
    for first, last in ((1, 3), (4, 5)):
        table.cell(first, 0).merge(table.cell(last, 0)).text = rows[first][0]
    document.save(str(path))
    return path


def merged_number_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ỦY BAN NHÂN DÂN XÃ VĨNH KHÊ"])
    sheet.append(["Số: 5/KH-UBND"])
    sheet.append(["Vĩnh Khê, ngày 20 tháng 02 năm 2024"])
    for cells in roman_rows():
        sheet.append([text or None for text in cells])
    sheet.append([])
    sheet.append(["Nơi nhận:", None, "TM. ỦY BAN NHÂN DÂN"])
    sheet.append(["- Lưu: VT.", None, "CHỦ TỊCH"])
    sheet.append([None, None, "Nguyễn Văn An"])
    sheet.merge_cells("A5:A7")
    sheet.merge_cells("A8:A9")
    workbook.save(path)
    return path


@pytest.mark.parametrize("write", [merged_number_docx, merged_number_xlsx])
def test_numbered_rows_that_are_tasks_and_groups_with_merged_number_cells_give_every_task(tmp_path, write):
    result = read_plan(write(tmp_path / f"kh.{write.__name__[-4:]}"))
    assert [(t.code, t.title, t.lead) for t in result.plan.tasks] == EXPECTED_ROMAN
    assert [s.code for s in result.plan.sections] == ["I", "II"]
    assert not [w for w in result.warnings if "số thứ tự" in w.message]  # the format carries the merge


def test_the_signature_block_below_a_sheet_table_is_the_document(tmp_path):
    result = read_plan(merged_number_xlsx(tmp_path / "kh.xlsx"))
    below = [a for a in result.rows if a.row and a.row >= 11]
    assert [(a.row, a.fate) for a in below] == [(11, RowFate.DOCUMENT), (12, RowFate.DOCUMENT), (13, RowFate.DOCUMENT)]


def test_the_same_table_saved_as_text_with_its_number_cells_emptied_gives_every_task_with_a_warning_each(tmp_path):
    path = tmp_path / "kh.csv"
    head = 'Số: 5/KH-UBND\n"Vĩnh Khê, ngày 20 tháng 02 năm 2024"\nUBND xã Vĩnh Khê\n'
    path.write_text(head + "\n".join(",".join(cells) for cells in roman_rows()) + "\n", encoding="utf-8")
    result = read_plan(path)
    assert [(t.code, t.title, t.lead) for t in result.plan.tasks] == EXPECTED_ROMAN
    followers = [w.row for w in result.warnings if "hàng không có số thứ tự" in w.message]
    assert followers == [6, 7, 9]


def test_a_skipped_row_holding_a_time_is_shown_with_its_reason(tmp_path):
    path = tmp_path / "kh.csv"
    path.write_text(
        "STT,Nội dung,Chủ trì,Thời hạn,Ghi chú\n"
        "1,Ban hành kế hoạch,Văn phòng,Tháng 1/2024,\n"
        ",,,,Quý II/2024\n"
        "2,Rà soát TTHC,Văn phòng,Quý I/2024,\n",
        encoding="utf-8",
    )
    result = read_plan(path, year=2024, commune="Vĩnh Khê")
    (skipped,) = must_see(result.rows)
    assert (skipped.where(), skipped.text) == ("hàng 3", "Quý II/2024")
    assert "không có nội dung nhiệm vụ" in skipped.reason
    assert [t.code for t in result.plan.tasks] == ["1", "2"]


def test_a_table_with_no_task_is_refused_saying_what_it_saw(tmp_path):
    path = tmp_path / "kh.csv"
    path.write_text(
        "STT,Nội dung,Chủ trì,Thời hạn\nI,CÔNG TÁC CHỈ ĐẠO,,\nII,CẢI CÁCH THỂ CHẾ,,\n,Ghi chú chung của kế hoạch,,\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanInputError) as refused:
        read_plan(path, year=2024, commune="Vĩnh Khê")
    (finding,) = refused.value.findings
    assert finding.row == 1
    assert "hàng tiêu đề ở hàng 1 (“STT | Nội dung | Chủ trì | Thời hạn”)" in finding.message
    assert "2 hàng là tiêu đề mục" in finding.message


def test_two_sections_numbered_alike_get_a_suffix_and_a_warning_naming_both_rows(tmp_path):
    path = tmp_path / "kh.csv"
    path.write_text(
        "STT,Nội dung,Chủ trì,Thời hạn\n"
        "III,CẢI CÁCH TTHC,,\n1,Niêm yết TTHC,Văn phòng,Quý I/2024\n"
        "III,CẢI CÁCH TỔ CHỨC BỘ MÁY,,\n1,Rà soát chức năng,Văn phòng,Quý II/2024\n",
        encoding="utf-8",
    )
    result = read_plan(path, year=2024, commune="Vĩnh Khê")
    assert [t.code for t in result.plan.tasks] == ["III.1", "III-2.1"]
    assert [(s.code, s.title) for s in result.plan.sections] == [
        ("III", "CẢI CÁCH TTHC"),
        ("III-2", "CẢI CÁCH TỔ CHỨC BỘ MÁY"),
    ]
    (warning,) = [w for w in result.warnings if "trùng" in w.message]
    assert warning.row == 4 and "hàng 2" in warning.message and "III-2" in warning.message


def test_arabic_sections_work_as_roman_ones_and_other_columns_are_kept_as_notes(tmp_path):
    path = tmp_path / "kh.csv"
    path.write_text(
        "TT,Tên nhiệm vụ,Nguyên nhân,Giải pháp,Đơn vị chủ trì,Thời gian/Thời hạn hoàn thành,Kết quả/Sản phẩm\n"
        "1.,Công tác chỉ đạo điều hành,,,,,\n"
        "1.1,Ban hành kế hoạch,Chậm ban hành,Ban hành sớm,Văn phòng,Tháng 1/2024,Kế hoạch\n"
        "1.2,Kiểm tra CCHC,,,Văn phòng,Quý II/2024,Báo cáo\n"
        "2.,Cải cách thể chế,,,,,\n"
        "a),Rà soát văn bản,,,Tư pháp,Quý III/2024,Báo cáo\n",
        encoding="utf-8",
    )
    result = read_plan(path, year=2024, commune="Vĩnh Khê")
    tasks = [(t.code, t.title, t.product, t.notes) for t in result.plan.tasks]
    assert tasks == [
        ("1.1", "Ban hành kế hoạch", "Kế hoạch", "Nguyên nhân: Chậm ban hành; Giải pháp: Ban hành sớm"),
        ("1.2", "Kiểm tra CCHC", "Báo cáo", None),
        ("2.a", "Rà soát văn bản", "Báo cáo", None),
    ]
    assert [s.code for s in result.plan.sections] == ["1", "2"]

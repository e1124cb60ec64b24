"""Layouts of plans typed in other communes, as their offices lay them out in Word and Excel:
each comes in with its tasks and says what became of every other row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import openpyxl

from domain.models import RowFate
from importers import read_plan

HEADER = [
    "TT",
    "Nội dung công việc",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
    "Ghi chú",
]


def ward_annex(path: Path) -> Path:
    """A ward's annex sheet: the header block above the table, the annex line, sections
    numbered "1." and "3." with their titles across the row, a number used twice, the
    header repeated after a page break, a task row without a number, the signature below."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ỦY BAN NHÂN DÂN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append(["PHƯỜNG AN HÒA", None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.append([None])
    sheet.append(["PHỤ LỤC"])
    sheet.append(["(Kèm theo Kế hoạch số 45/KH-UBND ngày 10/02/2025 của UBND phường An Hòa)"])
    sheet.append(HEADER)
    office, centre = "Văn phòng HĐND và UBND", "Trung tâm Phục vụ hành chính công"
    for row in (
        ["1.", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"],
        ["1.1", "Ban hành Kế hoạch CCHC năm 2025", office, "Các phòng", "Tháng 02/2025", "Kế hoạch", None],
        ["1.2", "Kiểm tra công tác CCHC", office, None, "Quý III/2025", "Báo cáo", "Theo kế hoạch kiểm tra"],
        ["1.2", "Tuyên truyền CCHC", "Phòng Văn hoá - Xã hội", None, "Thường xuyên", "Tin bài", None],
        ["3.", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
        ["3.1", "Rà soát, công khai TTHC", centre, office, "Quý I/2025", "Báo cáo", None],
        HEADER,
        ["3.2", "Số hóa kết quả giải quyết TTHC", centre, None, "Trước 30/6/2025", "Báo cáo", None],
        [None, "Đo lường sự hài lòng", centre, None, "Tháng 10/2025", "Báo cáo", None],
        [None],
        ["Nơi nhận:", None, None, "TM. ỦY BAN NHÂN DÂN"],
        ["- Sở Nội vụ;", None, None, "CHỦ TỊCH"],
        ["- Lưu: VT.", None, None, "Trần Văn Bình"],
    ):
        sheet.append(row)
    for merged in (7, 11):
        sheet.merge_cells(start_row=merged, start_column=2, end_row=merged, end_column=len(HEADER))
    workbook.save(path)
    return path


def test_a_wards_annex_sheet_comes_in_with_its_tasks_and_every_row_accounted(tmp_path):
    result = read_plan(ward_annex(tmp_path / "phu-luc.xlsx"))
    plan = result.plan
    assert (plan.number, plan.date, plan.issuer, plan.commune) == (
        "45/KH-UBND",
        date(2025, 2, 10),
        "UBND phường An Hòa",
        "An Hòa",
    )
    assert [(t.code, t.title) for t in plan.tasks] == [
        ("1.1", "Ban hành Kế hoạch CCHC năm 2025"),
        ("1.2", "Kiểm tra công tác CCHC"),
        ("1.2-2", "Tuyên truyền CCHC"),
        ("3.1", "Rà soát, công khai TTHC"),
        ("3.2", "Số hóa kết quả giải quyết TTHC"),
        ("3.2.1", "Đo lường sự hài lòng"),
    ]
    assert plan.tasks[1].notes == "Theo kế hoạch kiểm tra"
    fates = {account.row: account.fate for account in result.rows}
    assert [fates[row] for row in (1, 2, 4, 5)] == [RowFate.DOCUMENT] * 4
    assert (fates[6], fates[13]) == (RowFate.HEADER, RowFate.HEADER)
    assert (fates[7], fates[11]) == (RowFate.HEADING, RowFate.HEADING)
    assert [fates[row] for row in (17, 18, 19)] == [RowFate.DOCUMENT] * 3
    warned = {(w.row, "trùng" in w.message) for w in result.warnings}
    assert (10, True) in warned and (15, False) in warned


def commune_plan_in_word(path: Path) -> Path:
    """A commune's plan in Word: the header block and the signature in borderless layout
    tables, a header over two rows, a roman section row that is itself the first task with
    the next task under it in the merged number cell, lettered tasks."""
    document = docx.Document()
    head = document.add_table(rows=3, cols=2)
    for cells, texts in zip(
        head.rows,
        (
            ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("XÃ ĐÔNG HẢI", "Độc lập - Tự do - Hạnh phúc"),
            ("Số: 07/KH-UBND", "Đông Hải, ngày 05 tháng 01 năm 2026"),
        ),
        strict=True,
    ):
        cells.cells[0].text, cells.cells[1].text = texts
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2026")
    document.add_paragraph("Báo cáo quý gửi trước ngày 10 tháng cuối quý; báo cáo năm trước ngày 10/12.")
    office = "Văn phòng HĐND và UBND"
    rows = [
        ["STT", "Nội dung", "Đơn vị thực hiện", "", "Thời hạn"],
        ["", "", "Chủ trì", "Phối hợp", ""],
        ["I", "Xây dựng, ban hành Kế hoạch CCHC năm 2026", office, "Các phòng chuyên môn", "Tháng 01/2026"],
        ["", "Ban hành Kế hoạch tuyên truyền CCHC", "Phòng Văn hóa - Xã hội", "", "Quý I/2026"],
        ["II", "", "", "", ""],
        ["a)", "Rà soát văn bản QPPL", office, "", "Quý II/2026"],
        ["b)", "Kiểm tra văn bản QPPL", office, "", "Định kỳ"],
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for word_row, row_texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(word_row.cells, row_texts, strict=True):
            cell.text = text
    for top, bottom in (((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3)), ((0, 4), (1, 4))):
        text = table.cell(*top).text
        table.cell(*top).merge(table.cell(*bottom)).text = text
    table.cell(2, 0).merge(table.cell(3, 0)).text = "I"
    section = table.cell(4, 1).merge(table.cell(4, 4))
    section.paragraphs[0].add_run("CẢI CÁCH THỂ CHẾ").bold = True
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "Nơi nhận:\n- Lưu: VT."
    signature.cell(0, 1).text = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLê Thị Hoa"
    document.save(str(path))
    return path


def test_a_word_plan_with_its_header_block_in_a_layout_table_comes_in_with_its_tasks(tmp_path):
    result = read_plan(commune_plan_in_word(tmp_path / "ke-hoach.docx"))
    plan = result.plan
    assert (plan.number, plan.issuer, plan.title) == ("07/KH-UBND", "UBND xã Đông Hải", "Cải cách hành chính năm 2026")
    summary = [(t.code, t.lead, t.period_text) for t in plan.tasks]
    assert summary == [
        ("I.1", ("Văn phòng HĐND và UBND",), "Tháng 01/2026"),
        ("I.2", ("Phòng Văn hóa - Xã hội",), "Quý I/2026"),
        ("II.a", ("Văn phòng HĐND và UBND",), "Quý II/2026"),
        ("II.b", ("Văn phòng HĐND và UBND",), "Định kỳ"),
    ]
    assert [(s.code, s.title) for s in plan.sections] == [
        ("I", "Xây dựng, ban hành Kế hoạch CCHC năm 2026"),
        ("II", "CẢI CÁCH THỂ CHẾ"),
    ]
    assert len(plan.tasks[3].occurrences) == 4  # one a quarter, from the plan's own reporting sentence
    layout = [a for a in result.rows if a.table in ("bảng 1", "bảng 3")]
    assert {a.fate for a in layout} == {RowFate.DOCUMENT} and len(layout) == 4

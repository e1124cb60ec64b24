"""Prose plans nobody has seen, in the field layout (a) and the unit-first layout (b), as
markdown, wrapped text and Word: the rules follow the structure, not one plan's sentences."""

from datetime import date

import docx
import pytest

from domain.models import Recurrence
from importers import PlanInputError, read_plan

# (a) in markdown: "#" headings, "**" labels, "Đơn vị chủ trì", "Thời hạn", item 3 missing,
# an item without a unit, field lines under the budget section (not a task).
BINH_AN_MD = """\
**ỦY BAN NHÂN DÂN XÃ BÌNH AN**

Số: 12/KH-UBND

Bình An, ngày 20 tháng 01 năm 2024

# KẾ HOẠCH

Cải cách hành chính năm 2024

## I. MỤC TIÊU

- Nâng cao mức độ hài lòng của người dân.

## II. NHIỆM VỤ TRỌNG TÂM

1. Ban hành kế hoạch tuyên truyền cải cách hành chính

- **Đơn vị chủ trì:** Văn hóa - Xã hội
- **Đơn vị phối hợp:** Văn phòng - Thống kê; Đoàn Thanh niên
- **Thời hạn hoàn thành:** Tháng 3/2024

2. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính

- Đơn vị thực hiện: Tư pháp - Hộ tịch, các bộ phận liên quan
- Thời hạn: hàng quý

4. Tổ chức đối thoại với Nhân dân về thủ tục hành chính

## III. KINH PHÍ

- Đơn vị thực hiện: Tài chính - Kế toán
"""

# (b) wrapped like a PDF rendering, numbered units, "•" duties with "+" details.
HOA_LOC = """\
ỦY BAN NHÂN DÂN
XÃ HÒA LỘC
Số: 40/KH-UBND
Hòa Lộc, ngày 02 tháng 3 năm 2022
KẾ HOẠCH
Nâng cao Chỉ số cải cách hành chính năm 2022

I. PHÂN CÔNG NHIỆM VỤ CÁC BỘ PHẬN
1. Công chức Văn phòng - Thống kê
• Tham mưu kiện toàn Bộ phận tiếp nhận và trả kết quả, hoàn thành trong
quý II/2022.
• Theo dõi việc thực hiện kế hoạch, cụ thể:
+ Tổng hợp kết quả thực hiện gửi Chủ tịch UBND xã hằng tháng.
+ Chuẩn bị hồ sơ tự chấm điểm chỉ số CCHC trước ngày 20/11/2022.
2. Công an xã
• Phối hợp bảo đảm an ninh tại Bộ phận một cửa.
3. Tổ chức thực hiện
• Các bộ phận báo cáo kết quả về Văn phòng.
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_code(result):
    return {t.code: t for t in result.plan.tasks}


def test_a_markdown_plan_in_the_field_layout_gives_one_task_per_item_with_its_fields(tmp_path):
    result = read_plan(write(tmp_path, "binh-an.md", BINH_AN_MD))
    tasks = by_code(result)
    assert list(tasks) == ["II.1", "II.2", "II.4"]
    first = tasks["II.1"]
    assert first.title == "Ban hành kế hoạch tuyên truyền cải cách hành chính"
    assert (first.lead, first.coordinating) == (("Văn hóa - Xã hội",), ("Văn phòng - Thống kê", "Đoàn Thanh niên"))
    assert [o.due_date for o in first.occurrences] == [date(2024, 3, 29)]  # 31/03/2024 is a Sunday: the Friday before
    assert (first.source.line_start, first.source.line_end) == (17, 21)
    second = tasks["II.2"]
    assert (second.lead, second.coordinating) == (("Tư pháp - Hộ tịch",), ("các bộ phận liên quan",))
    assert second.recurrence == Recurrence.PERIODIC and len(second.occurrences) == 4
    assert result.plan.number == "12/KH-UBND" and result.plan.year == 2024


def test_the_gap_the_item_without_unit_and_its_default_period_are_warnings_naming_their_line(tmp_path):
    result = read_plan(write(tmp_path, "binh-an.md", BINH_AN_MD))
    at_28 = [w.message for w in result.warnings if w.row == 28]
    assert "số thứ tự không liền nhau: sau mục 2 (dòng 23) là mục 4" in at_28
    assert any("II.4 không ghi cơ quan chủ trì" in m for m in at_28)
    assert any("II.4 không ghi thời gian thực hiện; dùng mặc định “Năm 2024”" in m for m in at_28)
    assert by_code(result)["II.4"].lead == ()


def test_fields_written_on_one_line_are_read_each_for_itself(tmp_path):
    text = (
        "UBND XÃ AN PHÚ\nSố: 3/KH-UBND\nAn Phú, ngày 05/01/2024\nII. GIẢI PHÁP\n"
        "1. Cập nhật cơ sở dữ liệu thủ tục hành chính\n"
        "Chủ trì: Văn phòng - Thống kê; Phối hợp: Tư pháp - Hộ tịch, Công an xã; Thời gian: Quý III/2024.\n"
    )
    (only,) = read_plan(write(tmp_path, "an-phu.txt", text)).plan.tasks
    assert (only.lead, only.coordinating) == (("Văn phòng - Thống kê",), ("Tư pháp - Hộ tịch", "Công an xã"))
    assert [o.key for o in only.occurrences] == ["2024-Q3"]


def test_items_numbered_inside_items_are_numbered_as_written(tmp_path):
    text = (
        "UBND XÃ AN PHÚ\nSố: 4/KH-UBND\nAn Phú, ngày 05/01/2024\nII. NHIỆM VỤ\n"
        "1. Cải cách thể chế\n"
        "1.1. Rà soát văn bản quy phạm pháp luật\n- Cơ quan chủ trì: Tư pháp\n- Thời gian thực hiện: Tháng 6/2024\n"
        "1.3. Kiểm tra văn bản\n- Cơ quan chủ trì: Tư pháp\n- Thời gian thực hiện: Tháng 9/2024\n"
        "2. Cải cách thủ tục hành chính\n- Cơ quan chủ trì: Văn phòng\n- Thời gian thực hiện: Quý II/2024\n"
    )
    result = read_plan(write(tmp_path, "an-phu.txt", text))
    assert [t.code for t in result.plan.tasks] == ["II.1.1", "II.1.3", "II.2"]
    assert result.plan.tasks[0].title == "Cải cách thể chế: Rà soát văn bản quy phạm pháp luật"
    assert [w.message for w in result.warnings if w.row == 9] == [
        "số thứ tự không liền nhau: sau mục 1.1 (dòng 6) là mục 1.3"
    ]


def test_field_lines_under_the_budget_section_are_not_a_task(tmp_path):
    result = read_plan(write(tmp_path, "binh-an.md", BINH_AN_MD))
    assert all(t.section == "II" for t in result.plan.tasks)


def test_a_wrapped_text_plan_with_numbered_units_gives_each_unit_its_duties(tmp_path):
    result = read_plan(write(tmp_path, "hoa-loc.txt", HOA_LOC))
    tasks = by_code(result)
    assert [(code, t.lead) for code, t in tasks.items()] == [
        ("I.1.1", ("Công chức Văn phòng - Thống kê",)),
        ("I.1.2.1", ("Công chức Văn phòng - Thống kê",)),
        ("I.1.2.2", ("Công chức Văn phòng - Thống kê",)),
        ("I.2.1", ("Công an xã",)),
    ]
    first = tasks["I.1.1"]
    assert first.title.endswith("hoàn thành trong quý II/2022")
    assert (first.source.line_start, first.source.line_end) == (10, 11)
    assert [o.due_date for o in first.occurrences] == [date(2022, 6, 30)]
    assert tasks["I.1.2.1"].notes == "Theo dõi việc thực hiện kế hoạch, cụ thể:"
    assert len(tasks["I.1.2.1"].occurrences) == 12
    assert [o.due_date for o in tasks["I.1.2.2"].occurrences] == [date(2022, 11, 18)]


def word_plan(path, paragraphs):
    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    document.save(path)
    return path


def test_a_word_plan_reads_each_paragraph_as_a_line_and_headings_as_sections(tmp_path):
    path = word_plan(
        tmp_path / "hoa-loc.docx",
        [
            ("ỦY BAN NHÂN DÂN XÃ HÒA LỘC", None),
            ("Số: 40/KH-UBND", None),
            ("Hòa Lộc, ngày 02 tháng 3 năm 2022", None),
            ("Phân công nhiệm vụ", "Heading 1"),
            ("Bộ phận Tư pháp - Hộ tịch", "Heading 2"),
            ("- Rà soát văn bản quy phạm pháp luật, hoàn thành trong tháng 9/2022.", None),
            ("- Cập nhật cơ sở dữ liệu hộ tịch thường xuyên.", None),
            ("Bộ phận Văn phòng - Thống kê", "Heading 2"),
            ("- Niêm yết thủ tục hành chính trước ngày 15/4/2022.", None),
        ],
    )
    result = read_plan(path)
    tasks = by_code(result)
    assert [(code, t.lead, t.source.line_start) for code, t in tasks.items()] == [
        ("1.1.1", ("Bộ phận Tư pháp - Hộ tịch",), 6),
        ("1.1.2", ("Bộ phận Tư pháp - Hộ tịch",), 7),
        ("1.2.1", ("Bộ phận Văn phòng - Thống kê",), 9),
    ]
    assert [o.due_date for o in tasks["1.1.1"].occurrences] == [date(2022, 9, 30)]
    assert tasks["1.1.2"].recurrence == Recurrence.ONGOING
    assert [o.due_date for o in tasks["1.2.1"].occurrences] == [date(2022, 4, 14)]
    assert result.plan.number == "40/KH-UBND"


def test_a_word_plan_in_the_field_layout_is_read_like_its_markdown(tmp_path):
    paragraphs = []
    for line in BINH_AN_MD.replace("**", "").splitlines():
        hashes = len(line) - len(line.lstrip("#"))
        if line.strip():
            paragraphs.append((line.lstrip("# "), f"Heading {hashes}" if hashes else None))
    from_word = read_plan(word_plan(tmp_path / "binh-an.docx", paragraphs))
    from_markdown = read_plan(write(tmp_path, "binh-an.md", BINH_AN_MD))
    assert [(t.code, t.lead, t.coordinating, t.occurrences) for t in from_word.plan.tasks] == [
        (t.code, t.lead, t.coordinating, t.occurrences) for t in from_markdown.plan.tasks
    ]
    assert from_word.plan.tasks[0].source.line_start == 9  # the 9th paragraph


def test_a_text_whose_items_assign_nobody_is_refused_not_read_as_an_empty_plan(tmp_path):
    text = "KẾ HOẠCH\nNăm 2024\nI. MỤC ĐÍCH\n1. Nâng cao chất lượng.\n2. Phục vụ người dân tốt hơn.\n"
    with pytest.raises(PlanInputError) as caught:
        read_plan(write(tmp_path, "muc-dich.txt", text))
    assert "không tìm thấy nhiệm vụ nào" in str(caught.value)

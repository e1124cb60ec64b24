"""Layout (c): area first, its goals, then "Phân công trách nhiệm" naming officers
("Đ/c <name> – <position>: ...", "Đồng chí ...") or units alone, each with its "+" duties."""

from datetime import date

import pytest

from domain.models import Recurrence
from importers import read_plan

TAN_HOA = """\
ỦY BAN NHÂN DÂN
XÃ TÂN HÒA
Số: 25/KH-UBND
Tân Hòa, ngày 10 tháng 02 năm 2025
KẾ HOẠCH
Cải cách hành chính năm 2025

I. MỤC ĐÍCH, YÊU CẦU
- Nâng cao chỉ số CCHC của xã năm 2025.

II. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN
1. Cải cách thủ tục hành chính
a) Nội dung và mục tiêu
- 100% thủ tục hành chính được niêm yết công khai đúng quy định.
b) Phân công trách nhiệm:
- Đ/c Nguyễn Văn An – Công chức Tư pháp - Hộ tịch: rà soát, công bố thủ tục
hành chính, cụ thể:
+ Niêm yết công khai thủ tục hành chính tại Bộ phận một cửa trong tháng 3/2025;
+ Rà soát, đề xuất đơn giản hóa thủ tục hành chính, hoàn thành trước ngày 30/6/2025.
- Đồng chí Trần Thị Bình - Công chức Văn phòng - Thống kê: tổng hợp báo cáo
kết quả giải quyết thủ tục hành chính hằng quý.
2. Cải cách tổ chức bộ máy
a) Nội dung và mục tiêu
- Bố trí đúng vị trí việc làm.
b) Phân công trách nhiệm:
- Công an xã: bảo đảm an ninh trật tự tại Bộ phận một cửa thường xuyên.
- Đ/c Nguyễn Văn An – Phó Chủ tịch UBND xã: chỉ đạo rà soát vị trí việc làm
trong quý II/2025.
- Đ/c Lê Văn Cường – Trưởng Công an xã:
+ Triển khai thu thập, cập nhật dữ liệu dân cư.

III. CHẾ ĐỘ BÁO CÁO
Các bộ phận báo cáo quý gửi Văn phòng trước ngày 15 tháng cuối quý.
"""

# Another commune, other words: roman areas, "Nhiệm vụ cụ thể" instead of "Phân công", "•"
# and "+" bullets, "Đồng chí" with an en dash, officers written as plain paragraphs.
PHU_MY = """\
UBND XÃ PHÚ MỸ
Số: 7/KH-UBND
Phú Mỹ, ngày 05/01/2024
KẾ HOẠCH
Thực hiện công tác cải cách hành chính năm 2024
A. CẢI CÁCH THỂ CHẾ
I. Mục tiêu
• Văn bản ban hành đúng thẩm quyền.
II. Trách nhiệm thực hiện
Đồng chí Phạm Thu Hà – Công chức Tư pháp – Hộ tịch: tự kiểm tra văn bản quy phạm pháp luật trước ngày 15/11/2024.
Đồng chí Võ Minh Tâm – Chỉ huy trưởng Quân sự xã:
+ Xây dựng kế hoạch tuyển quân Quý I/2024.
+ Tổ chức huấn luyện dân quân.
Đồng chí Phạm Thu Hà – Công chức Tư pháp – Hộ tịch: phổ biến pháp luật hàng tháng.
"""


def read_text(tmp_path, text, name="ke-hoach.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_plan(path)


@pytest.fixture
def tan_hoa(tmp_path):
    return read_text(tmp_path, TAN_HOA)


def tasks_by_code(result):
    return {t.code: t for t in result.plan.tasks}


def test_each_plus_duty_of_an_officer_is_a_task_led_by_the_officer_unit_with_the_officer_named(tan_hoa):
    tasks = tasks_by_code(tan_hoa)
    assert list(tasks) == ["II.1.b.1.1", "II.1.b.1.2", "II.1.b.2", "II.2.b.1", "II.2.b.2", "II.2.b.3.1"]
    listing = tasks["II.1.b.1.1"]
    assert listing.title == "Niêm yết công khai thủ tục hành chính tại Bộ phận một cửa trong tháng 3/2025"
    assert listing.lead == ("Công chức Tư pháp - Hộ tịch",)
    assert listing.notes == "rà soát, công bố thủ tục hành chính, cụ thể:"
    assert tan_hoa.drafted["II.1.b.1.1"].officers == ("Nguyễn Văn An",)
    assert [o.due_date for o in listing.occurrences] == [date(2025, 3, 31)]
    review = tasks["II.1.b.1.2"]
    assert [o.due_date for o in review.occurrences] == [date(2025, 6, 27)]  # before Monday 30/6: Friday 27/6


def test_an_officer_line_without_plus_items_is_one_task_of_its_duties(tan_hoa):
    report = tasks_by_code(tan_hoa)["II.1.b.2"]
    assert report.title == "Tổng hợp báo cáo kết quả giải quyết thủ tục hành chính hằng quý"
    assert report.lead == ("Công chức Văn phòng - Thống kê",)
    assert report.recurrence == Recurrence.PERIODIC
    assert (report.source.line_start, report.source.line_end) == (20, 21)


def test_a_unit_alone_in_the_assignment_list_leads_its_duty(tan_hoa):
    police = tasks_by_code(tan_hoa)["II.2.b.1"]
    assert police.lead == ("Công an xã",)
    assert police.recurrence == Recurrence.ONGOING
    assert tan_hoa.drafted["II.2.b.1"].officers == ()


def test_a_position_names_the_unit_without_its_title(tan_hoa):
    assert tasks_by_code(tan_hoa)["II.2.b.3.1"].lead == ("Công an xã",)  # "Trưởng Công an xã"
    officers = {o.name: (o.position, o.unit) for o in tan_hoa.officers}
    assert officers["Lê Văn Cường"] == ("Trưởng Công an xã", "Công an xã")


def test_one_name_with_two_positions_is_one_person_and_a_warning(tan_hoa):
    assert [o.name for o in tan_hoa.officers] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    (warning,) = [w for w in tan_hoa.warnings if "hai chức vụ" in w.message]
    assert warning.row == 27
    assert "“Công chức Tư pháp - Hộ tịch” (dòng 16)" in warning.message and "“Phó Chủ tịch UBND xã”" in warning.message


def test_goals_are_not_tasks(tan_hoa):
    assert not any("niêm yết công khai đúng quy định" in t.title for t in tan_hoa.plan.tasks)
    assert not any(t.code.startswith("I.") for t in tan_hoa.plan.tasks)


def test_another_plan_with_other_words_and_numbering_is_read_by_the_same_rules(tmp_path):
    phu_my = read_text(tmp_path, PHU_MY)
    tasks = tasks_by_code(phu_my)
    assert [(t.title, t.lead, phu_my.drafted[code].officers) for code, t in tasks.items()] == [
        (
            "Tự kiểm tra văn bản quy phạm pháp luật trước ngày 15/11/2024",
            ("Công chức Tư pháp – Hộ tịch",),
            ("Phạm Thu Hà",),
        ),
        ("Xây dựng kế hoạch tuyển quân Quý I/2024", ("Quân sự xã",), ("Võ Minh Tâm",)),
        ("Tổ chức huấn luyện dân quân", ("Quân sự xã",), ("Võ Minh Tâm",)),
        ("Phổ biến pháp luật hàng tháng", ("Công chức Tư pháp – Hộ tịch",), ("Phạm Thu Hà",)),
    ]
    dues = [[o.due_date for o in t.occurrences] for t in tasks.values()]
    assert dues[0] == [date(2024, 11, 14)]
    assert dues[1] == [date(2024, 3, 29)]  # 31/03/2024 is a Sunday: the Friday before
    assert phu_my.drafted[list(tasks)[2]].period_default
    assert len(dues[3]) == 12
    assert not any("hai chức vụ" in w.message for w in phu_my.warnings)  # the same position twice

import unicodedata
from pathlib import Path

import pytest

from domain.models import DueRule
from domain.reporting import default_calendar, find_reporting_calendar

SAMPLES = Path(__file__).parents[2] / "importers" / "samples"


def plan_text(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


VINH_KHE = (
    "- Định kỳ tổng hợp kết quả CCHC: báo cáo quý, 6 tháng, 9 tháng và năm về UBND huyện "
    "(qua Phòng Nội vụ) để tổng hợp.\n\n"
    "- Thời gian gửi báo cáo về Phòng Nội vụ: Báo cáo quý gửi trước ngày 10 tháng cuối cùng của quý; "
    "báo cáo 6 tháng trước ngày 10/6, báo cáo 9 tháng trước ngày 10/9 và báo cáo năm trước ngày 10/12.\n"
)
# As extracted from the PDF: lines broken mid-sentence, a footnote marker glued to the text.
LONG_DIEN_A = (
    " IV. CHẾ ĐỘ THÔNG TIN, BÁO CÁO \n\n"
    " - Kết quả thực hiện các nội dung trong kế hoạch này được báo cáo định \n\n"
    "kỳ 3 tháng, 6 tháng, 9 tháng, năm. Thời gian báo cáo: chậm nhất ngày 05 của \n\n"
    "các tháng 3, tháng 6, tháng 9, tháng 12(7). \n\n"
    " - Báo cáo đột xuất (nếu có): Thực hiện khi có yêu cầu. \n"
)


def table(calendar):
    return [(d.key, d.period_end_month, d.day, d.month, d.rule) for d in calendar.deadlines]


def test_vinh_khe_reports_quarterly_before_the_10th_with_merged_half_year_nine_month_and_year_reports():
    calendar = find_reporting_calendar(VINH_KHE)
    assert table(calendar) == [
        ("Q1", 3, 10, 3, DueRule.BEFORE_DAY),
        ("H1", 6, 10, 6, DueRule.BEFORE_DAY),
        ("M9", 9, 10, 9, DueRule.BEFORE_DAY),
        ("Y", 12, 10, 12, DueRule.BEFORE_DAY),
    ]
    assert [d.label for d in calendar.deadlines] == [
        "Báo cáo quý I",
        "Báo cáo quý II và 6 tháng",
        "Báo cáo quý III và 9 tháng",
        "Báo cáo quý IV và năm",
    ]
    assert calendar.source_text.startswith("Thời gian gửi báo cáo")
    assert not calendar.is_default


def test_long_dien_a_reports_by_the_5th_of_march_june_september_and_december():
    calendar = find_reporting_calendar(LONG_DIEN_A)
    assert table(calendar) == [
        ("Q1", 3, 5, 3, DueRule.BY_DAY),
        ("H1", 6, 5, 6, DueRule.BY_DAY),
        ("M9", 9, 5, 9, DueRule.BY_DAY),
        ("Y", 12, 5, 12, DueRule.BY_DAY),
    ]
    assert "báo cáo định kỳ 3 tháng" in calendar.source_text
    assert "chậm nhất ngày 05" in calendar.source_text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("vinh-khe-2024-cchc-plan.txt", ["Q1", "H1", "M9", "Y"]),
        ("long-dien-a-2023-cchc-plan.txt", ["Q1", "H1", "M9", "Y"]),
    ],
)
def test_the_whole_plan_text_yields_only_its_reporting_calendar(name, expected):
    calendar = find_reporting_calendar(plan_text(name))
    assert [d.key for d in calendar.deadlines] == expected


def test_a_plan_without_report_deadlines_has_no_calendar():
    text = plan_text("quang-vinh-2020-par-index-plan.txt")
    assert find_reporting_calendar(text) is None


def test_an_empty_text_has_no_calendar():
    assert find_reporting_calendar("") is None


def test_the_15th_of_the_quarters_last_month_gives_four_quarter_deadlines():
    calendar = find_reporting_calendar("Hằng quý, các bộ phận gửi báo cáo trước ngày 15 của tháng cuối quý.")
    assert table(calendar) == [(f"Q{q}", 3 * q, 15, 3 * q, DueRule.BEFORE_DAY) for q in range(1, 5)]


def test_a_monthly_report_before_the_20th_gives_twelve_deadlines():
    calendar = find_reporting_calendar("Báo cáo tháng trước ngày 20 hằng tháng.")
    assert table(calendar) == [(f"M{m:02d}", m, 20, m, DueRule.BEFORE_DAY) for m in range(1, 13)]


def test_by_day_wordings_and_a_year_report_due_in_january_of_the_next_year():
    calendar = find_reporting_calendar(
        "BÁO CÁO 6 tháng đầu năm chậm nhất ngày 10/6; báo cáo cả năm hạn chót là ngày 15/01 năm sau."
    )
    assert table(calendar) == [("H1", 6, 10, 6, DueRule.BY_DAY), ("Y", 12, 15, 1, DueRule.BY_DAY)]


def test_kinds_named_after_the_deadline_in_the_same_clause_are_bound_to_it():
    calendar = find_reporting_calendar("Trước ngày 10/6 gửi báo cáo 6 tháng; báo cáo năm trước ngày 10/12.")
    assert table(calendar) == [("H1", 6, 10, 6, DueRule.BEFORE_DAY), ("Y", 12, 10, 12, DueRule.BEFORE_DAY)]


def test_both_tone_placements_and_decomposed_unicode_read_the_same():
    text = unicodedata.normalize("NFD", "Báo cáo hàng quý trước ngày 10 tháng cuối cùng của quý (đã cụ thể hoá).")
    assert table(find_reporting_calendar(text)) == table(
        find_reporting_calendar("Báo cáo hằng quý trước ngày 10 tháng cuối cùng của quý (đã cụ thể hóa).")
    )


def test_relative_deadlines_do_not_make_a_calendar():
    text = "Tổ chức họp và báo cáo định kỳ hàng tháng (chậm nhất 05 ngày sau khi kết thúc tháng)."
    assert find_reporting_calendar(text) is None


def test_the_default_calendar_is_quarterly_at_each_quarters_last_day():
    calendar = default_calendar()
    assert calendar.is_default and calendar.source_text is None
    assert table(calendar) == [
        ("Q1", 3, 31, 3, DueRule.BY_DAY),
        ("Q2", 6, 30, 6, DueRule.BY_DAY),
        ("Q3", 9, 30, 9, DueRule.BY_DAY),
        ("Q4", 12, 31, 12, DueRule.BY_DAY),
    ]

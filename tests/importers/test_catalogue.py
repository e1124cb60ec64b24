"""Criteria catalogues read from the canonical YAML and from the province's own table."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from domain.criteria import Decision, ScoredBy
from domain.scoring import Bonus, Facts, Fixed, Manual, Parts, Penalty, Threshold, score, totals
from importers.catalogue import Column, column_of, read_catalogue, recognise_rule
from importers.errors import PlanInputError, describe

SAMPLE = Path(__file__).resolve().parents[2] / "importers" / "samples" / "sample-criteria-2025.yaml"
THRESHOLD_TEXT = "Hoàn thành 100% nhiệm vụ: 1 điểm; từ 90% đến dưới 100%: điểm = tỷ lệ × điểm tối đa; dưới 90%: 0 điểm"


# --------------------------------------------------------------------------- the sample


def test_the_sample_catalogue_loads_is_marked_as_a_sample_and_totals_one_hundred():
    sample = read_catalogue(SAMPLE)

    assert sample.sample
    assert "Bộ tiêu chí mẫu" in sample.name
    assert (sample.province, sample.year) == ("Tỉnh mẫu", 2025)
    assert sample.max_points == Decimal(100)
    assert [area.code for area in sample.areas] == [str(n) for n in range(1, 9)]
    assert {type(adjustment.rule) for adjustment in sample.adjustments} == {Bonus, Penalty}


def test_the_samples_plan_completion_item_uses_the_threshold_rule():
    item = read_catalogue(SAMPLE).item("1.1.2")

    assert item.name == "Mức độ hoàn thành kế hoạch CCHC"
    assert isinstance(item.rule, Threshold) and item.rule.floor == Decimal("0.9")


def test_the_sample_uses_every_rule_kind():
    sample = read_catalogue(SAMPLE)
    kinds = {type(leaf.rule) for leaf in (*sample.leaves(), *sample.adjustment_leaves())}

    assert kinds == {Fixed, Threshold, Parts, Manual, Bonus, Penalty}


def test_a_perfect_year_in_the_sample_scores_one_hundred():
    sample = read_catalogue(SAMPLE)
    facts = {Fixed: Facts(met=True), Threshold: Facts(done=4, planned=4), Manual: None}
    scores = []
    for leaf in sample.leaves():
        if isinstance(leaf.rule, Parts):
            scores.append(score(leaf, Facts(parts_met=frozenset(part.name for part in leaf.rule.parts))))
        elif isinstance(leaf.rule, Manual):
            scores.append(score(leaf, Facts(manual={"points": leaf.max_points, "reason": "đủ hồ sơ"})))
        else:
            scores.append(score(leaf, facts[type(leaf.rule)]))

    assert totals(sample, scores).points == Decimal(100)


def test_the_same_file_gives_the_same_fingerprint():
    assert read_catalogue(SAMPLE).fingerprint() == read_catalogue(SAMPLE).fingerprint()


# --------------------------------------------------------------------------- YAML errors


def test_a_yaml_catalogue_that_does_not_add_up_is_refused_at_the_line_of_the_item(tmp_path):
    area = '  - code: "2"\n    name: Cải cách thể chế\n    max_points: {}'
    text = SAMPLE.read_text(encoding="utf-8").replace(area.format(8), area.format(9))
    path = tmp_path / "bo-tieu-chi.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('  - code: "2"') + 1

    with pytest.raises(PlanInputError) as caught:
        read_catalogue(path)

    [finding] = caught.value.findings
    assert (finding.file, finding.row) == ("bo-tieu-chi.yaml", line)
    assert finding.message == "mục 2: điểm tối đa 9 khác tổng điểm các mục con 8"


def test_an_unknown_rule_kind_in_yaml_names_its_line(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("rule: {kind: fixed}", "rule: {kind: guess}", 1)
    path = tmp_path / "bo-tieu-chi.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(PlanInputError) as caught:
        read_catalogue(path)

    [finding] = caught.value.findings
    assert finding.row == text.splitlines().index("            rule: {kind: guess}") + 1
    assert "cách chấm không hợp lệ" in finding.message


def test_a_file_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "bo-tieu-chi.pdf"
    path.write_bytes(b"%PDF")

    with pytest.raises(PlanInputError, match=re.escape("cần .yaml, .xlsx hoặc .docx")):
        read_catalogue(path)


# --------------------------------------------------------------------------- tables

TITLE = [
    ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND CẤP XÃ NĂM 2025"],
    ["(Ban hành kèm theo Quyết định số 3241/QĐ-UBND ngày 14/10/2025 của UBND thành phố Huế)"],
]
HEADER = ["Lĩnh vực", "STT", "Lĩnh vực/tiêu chí/tiêu chí thành phần", "Điểm tối đa", "Cách chấm", "Tài liệu kiểm chứng"]
AREA_1 = "1. Công tác chỉ đạo, điều hành CCHC"
AREA_2 = "2. Cải cách thể chế"
BODY = [
    [AREA_1, "1.1", "Kế hoạch CCHC năm", 2, "", ""],
    [AREA_1, "1.1.1", "Ban hành kế hoạch CCHC năm", 0.5, "Có: 0,5 điểm; Không: 0 điểm", "Kế hoạch CCHC"],
    [
        AREA_1,
        "1.1.2",
        "Mức độ hoàn thành kế hoạch CCHC",
        1.5,
        THRESHOLD_TEXT.replace("1 điểm", "1,5 điểm"),
        "Báo cáo kết quả",
    ],
    [AREA_1, "1.2", "Sáng kiến trong CCHC", 1, "Tùy mức độ: 0,25 - 1 điểm", ""],
    [AREA_2, "2.1", "Rà soát văn bản QPPL", 1, "Có: 1 điểm; Không: 0 điểm", "Báo cáo rà soát"],
    ["", "", "Điểm thưởng: mô hình CCHC được công nhận", 1, "Mỗi mô hình được cộng 0,5 điểm", ""],
    ["", "", "Điểm trừ: nhiệm vụ cấp trên giao không hoàn thành", 1, "Mỗi nhiệm vụ trừ 0,25 điểm", ""],
    ["", "", "Tổng cộng", 4, "", ""],
]


def workbook(tmp_path: Path, body: list[list], title: list[list] = TITLE) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [*title, HEADER, [1, 2, 3, 4, 5, 6], *body]:
        sheet.append(row)
    first = len(title) + 3  # the first body row
    runs = [(first, first + 3), (first + 4, first + 4)]
    for start, end in runs:
        if end > start:
            sheet.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
    path = tmp_path / "bo-tieu-chi.xlsx"
    book.save(path)
    return path


def test_a_provinces_xlsx_table_with_a_merged_area_column_is_imported(tmp_path):
    imported = read_catalogue(workbook(tmp_path, BODY))

    assert imported.name.startswith("BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ")
    assert (imported.province, imported.year) == ("Thành phố Huế", 2025)
    assert imported.decision == Decision(number="3241/QĐ-UBND", issued=date(2025, 10, 14), issuer="UBND thành phố Huế")
    assert [(area.code, area.name, area.max_points) for area in imported.areas] == [
        ("1", "Công tác chỉ đạo, điều hành CCHC", Decimal(3)),
        ("2", "Cải cách thể chế", Decimal(1)),
    ]
    assert imported.max_points == Decimal(4)
    rules = {leaf.code: leaf.rule for leaf in imported.leaves()}
    assert set(rules) == {"1.1.1", "1.1.2", "1.2", "2.1"}
    assert isinstance(rules["1.1.1"], Fixed)
    assert isinstance(rules["1.1.2"], Threshold) and rules["1.1.2"].floor == Decimal("0.9")
    assert isinstance(rules["1.2"], Manual) and rules["1.2"].text == "Tùy mức độ: 0,25 - 1 điểm"
    assert imported.item("1.1.2").evidence_expected == "Báo cáo kết quả"


def test_bonus_and_penalty_rows_become_adjustments_with_their_points_per_occurrence(tmp_path):
    imported = read_catalogue(workbook(tmp_path, BODY))

    bonus, penalty = imported.adjustments
    assert (bonus.code, bonus.cap, bonus.rule) == ("T", Decimal(1), Bonus(text=BODY[5][4], per_item=Decimal("0.5")))
    assert (penalty.code, penalty.cap, penalty.rule.per_item) == ("TR", Decimal(1), Decimal("0.25"))


def test_a_wrong_maximum_in_a_table_is_an_error_naming_the_row_and_the_code(tmp_path):
    body = [list(row) for row in BODY]
    body[0][3] = 2.5  # 1.1 says 2.5, its sub-criteria add up to 2

    with pytest.raises(PlanInputError) as caught:
        read_catalogue(workbook(tmp_path, body))

    [finding] = caught.value.findings
    assert (finding.row, finding.column) == (len(TITLE) + 3, "Điểm tối đa")
    assert describe(finding) == (
        "bo-tieu-chi.xlsx, hàng 5, cột “Điểm tối đa”: mục 1.1: điểm tối đa 2,5 khác tổng điểm các mục con 2"
    )


def test_every_row_error_is_reported_and_nothing_is_returned(tmp_path):
    body = [list(row) for row in BODY]
    body[1][3] = "nửa điểm"
    body[4][1] = "3.1"

    with pytest.raises(PlanInputError) as caught:
        read_catalogue(workbook(tmp_path, body))

    assert [(f.row, f.message) for f in caught.value.findings] == [
        (6, "điểm tối đa “nửa điểm” không phải là một số"),
        (9, "không tìm thấy mục 3 chứa mục 3.1"),
    ]


def test_province_year_and_decision_may_be_given_when_the_title_lines_lack_them(tmp_path):
    path = workbook(tmp_path, BODY, title=[])
    decision = Decision(number="5666/QĐ-UBND", issued=date(2025, 11, 17), issuer="UBND thành phố Hà Nội")

    with pytest.raises(PlanInputError) as caught:
        read_catalogue(path)
    imported = read_catalogue(path, province="Thành phố Hà Nội", year=2025, decision=decision)

    assert [f.message.split(" ")[4] for f in caught.value.findings] == ["tỉnh", "năm", "quyết"]
    assert (imported.province, imported.year, imported.decision) == ("Thành phố Hà Nội", 2025, decision)


def test_a_word_table_with_roman_area_rows_is_imported(tmp_path):
    document = docx.Document()
    document.add_paragraph("Bộ tiêu chí đánh giá Chỉ số CCHC cấp xã năm 2025")
    document.add_paragraph("(Kèm theo Quyết định số 12/QĐ-UBND ngày 3 tháng 11 năm 2025 của UBND tỉnh Quảng Trị)")
    rows = [
        ["Mã", "Nội dung", "Điểm tối đa", "Phương pháp chấm", "Tài liệu kiểm chứng"],
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "2", "", ""],
        ["1.1", "Mức độ hoàn thành kế hoạch CCHC", "2", THRESHOLD_TEXT.replace("1 điểm", "2 điểm"), "Báo cáo"],
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    path = tmp_path / "bo-tieu-chi.docx"
    document.save(path)

    imported = read_catalogue(path)

    assert imported.province == "Tỉnh Quảng Trị"
    assert imported.decision.issued == date(2025, 11, 3)
    assert [area.code for area in imported.areas] == ["1"]
    assert isinstance(imported.item("1.1").rule, Threshold)


# --------------------------------------------------------------------------- reading the text


@pytest.mark.parametrize(
    "header, column",
    [
        ("STT", Column.CODE),
        ("Mã", Column.CODE),
        ("Lĩnh vực/tiêu chí/tiêu chí thành phần", Column.NAME),
        ("Nội dung", Column.NAME),
        ("Lĩnh vực", Column.AREA),
        ("ĐIỂM TỐI ĐA", Column.MAX),
        ("Điểm tối đa", Column.MAX),
        ("Cách chấm", Column.RULE),
        ("Phương pháp chấm điểm", Column.RULE),
        ("Tài liệu kiểm chứng", Column.EVIDENCE),
        ("Điểm tự chấm", None),
    ],
)
def test_a_column_is_recognised_by_its_header_whatever_its_case_and_diacritics(header, column):
    assert column_of(header) == column


def test_the_threshold_rule_is_recognised_with_its_floor():
    rule = recognise_rule("100 % nhiệm vụ: 2 điểm; từ 80 % đến dưới 100 %: tỷ lệ × 2; dưới 80%: 0", Decimal(2))

    assert isinstance(rule, Threshold) and rule.floor == Decimal("0.8")


def test_yes_or_no_for_the_maximum_is_a_fixed_rule_and_anything_else_is_entered_by_an_officer():
    assert isinstance(recognise_rule("Có: 1 điểm; Không: 0 điểm", Decimal(1)), Fixed)
    assert isinstance(recognise_rule("Đạt: 0,5 điểm; Không đạt: 0 điểm", Decimal("0.5")), Fixed)
    assert isinstance(recognise_rule("Có: 0,5 điểm; Không: 0 điểm", Decimal(1)), Manual)
    assert isinstance(recognise_rule("Căn cứ kết quả khảo sát", Decimal(1)), Manual)


def test_scoring_text_running_on_below_an_item_whose_cells_are_merged_down_joins_its_rule(tmp_path):
    body = [list(row) for row in BODY[:4]] + [
        [AREA_2, "2.1", "Rà soát văn bản QPPL", 1, "Có: 1 điểm;", "Báo cáo rà soát"],
        [AREA_2, None, None, None, "Không: 0 điểm", "Danh mục văn bản"],
        *BODY[5:],
    ]
    path = workbook(tmp_path, body)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for column in (1, 2, 3, 4):
        sheet.merge_cells(start_row=9, start_column=column, end_row=10, end_column=column)
    book.save(path)

    item = read_catalogue(path).item("2.1")

    assert isinstance(item.rule, Fixed) and item.rule.text == "Có: 1 điểm;\nKhông: 0 điểm"
    assert item.evidence_expected == "Báo cáo rà soát\nDanh mục văn bản"


def test_an_areas_own_row_beside_its_merged_cell_gives_its_maximum_and_a_wrong_one_is_named(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["Lĩnh vực", "Mã", "Nội dung", "Điểm tối đa", "Cách chấm"],
        ["II. Cải cách thể chế", "2", "Cải cách thể chế", 4, ""],
        [None, "2.1", "Rà soát", 1, "Có: 1 điểm; Không: 0 điểm"],
        [None, "2.2", "Tổ chức thực hiện", 2, "Tùy mức độ"],
    ]:
        sheet.append(row)
    sheet.merge_cells("A2:A4")
    path = tmp_path / "bo-tieu-chi.xlsx"
    book.save(path)
    decision = Decision(number="1/QĐ-UBND", issued=date(2025, 10, 1), issuer="UBND tỉnh X")

    with pytest.raises(PlanInputError) as caught:
        read_catalogue(path, province="Tỉnh X", year=2025, decision=decision)

    assert [describe(f) for f in caught.value.findings] == [
        "bo-tieu-chi.xlsx, hàng 2, cột “Điểm tối đa”: mục 2: điểm tối đa 4 khác tổng điểm các mục con 3"
    ]


# --------------------------------------------------------------------------- deadlines, who scores, bands


def test_the_samples_satisfaction_survey_is_scored_by_the_province():
    assert read_catalogue(SAMPLE).item("8.1").scored_by is ScoredBy.PROVINCE


def sample_changed(tmp_path: Path, old: str, new: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    changed = tmp_path / "bo-tieu-chi.yaml"
    changed.write_text(text.replace(old, new, 1), encoding="utf-8")
    return changed


ISSUED_RULE = 'rule: {kind: fixed, text: "Ban hành trước ngày 31/01'


def test_a_fixed_items_deadline_is_read_as_a_date_written_dd_mm_yyyy_or_as_the_tasks_deadline(tmp_path):
    dated = read_catalogue(
        sample_changed(
            tmp_path, ISSUED_RULE, 'rule: {kind: fixed, deadline: 31/01/2025, text: "Ban hành trước ngày 31/01'
        )
    )
    by_task = read_catalogue(
        sample_changed(tmp_path, ISSUED_RULE, 'rule: {kind: fixed, deadline: task, text: "Ban hành trước ngày 31/01')
    )

    assert dated.item("1.1.1").rule == Fixed(deadline=date(2025, 1, 31), text=dated.item("1.1.1").rule.text)
    assert isinstance(by_task.item("1.1.1").rule, Fixed) and by_task.item("1.1.1").rule.deadline == "task"


def test_a_deadline_that_is_not_a_date_is_refused_naming_its_line(tmp_path):
    path = sample_changed(
        tmp_path, ISSUED_RULE, 'rule: {kind: fixed, deadline: 31/02/2025, text: "Ban hành trước ngày 31/01'
    )

    with pytest.raises(PlanInputError) as refused:
        read_catalogue(path)

    assert str(refused.value).startswith("bo-tieu-chi.yaml, hàng 25, cột “deadline”: hạn “31/02/2025” không hợp lệ")


def test_a_catalogue_brings_its_own_bands(tmp_path):
    bands = "bands:\n  - {name: Xuất sắc, min_percent: 90}\n  - {name: Tốt, min_percent: 80}\n  - {name: Đạt, min_percent: 0}\nareas:"
    found = read_catalogue(sample_changed(tmp_path, "areas:", bands))

    assert [band.name for band in found.bands] == ["Xuất sắc", "Tốt", "Đạt"]


def test_a_deadline_in_the_scoring_text_makes_a_fixed_rule_due_by_that_day():
    before = recognise_rule("Ban hành trước ngày 31/01: 1 điểm; ban hành sau thời hạn: 0 điểm", Decimal(1), 2025)
    at_the_latest = recognise_rule("Ban hành chậm nhất ngày 15/02/2025: 0,5 điểm; quá hạn: 0", Decimal("0.5"))

    assert isinstance(before, Fixed) and before.deadline == date(2025, 1, 30)  # before the 31st
    assert isinstance(at_the_latest, Fixed) and at_the_latest.deadline == date(2025, 2, 15)
    assert isinstance(recognise_rule("Ban hành trước ngày 31/01: 1 điểm; sau thời hạn: 0", Decimal(1)), Manual)

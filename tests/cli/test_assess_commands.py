"""`cchc assess`: the self-assessment sheet of a stored year, scores entered by hand,
explanations and the office's evidence, as a user types them."""

from __future__ import annotations

import json
from decimal import Decimal
from zipfile import ZipFile

import pytest
from sqlalchemy import select

from persistence.assessment_tables import CriteriaMappingRow
from tests.services.year import Fate, live, monthly, store


@pytest.fixture
def year(cchc, session_factory):
    """The sample year stored, 9 of I.1's 10 occurrences on time and I.2 approved: the ids as text."""
    plan_id, catalogue_id = store(session_factory)
    live(session_factory, plan_id, {**monthly(*[Fate.ON_TIME] * 9, Fate.LATE), ("I.2", "2025-01"): Fate.ON_TIME})
    return ["--plan", str(plan_id), "--catalogue", str(catalogue_id)]


def shown(cchc, year, *options: str) -> dict:
    result = cchc("assess", "show", *year, *options, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_json_totals_equal_the_sum_of_the_item_scores(cchc, year):
    assert cchc("assess", "score", "1.2.2", "0,5", "--reason", "Báo cáo thiếu nội dung", *year).exit_code == 0
    assert cchc("assess", "score", "TR1", "0.5", "--reason", "1 nhiệm vụ chậm", *year).exit_code == 0

    sheet = shown(cchc, year, "--plan-completion", "1.1.2")

    item_points = [Decimal(item["points"]) for item in sheet["items"] if item["points"] is not None]
    area_points = [Decimal(area["points"]) for area in sheet["areas"]]
    assert Decimal(sheet["self_score"]) == sum(item_points) == sum(area_points) + Decimal(sheet["penalty"])
    # 1.1.1 met: 1; 1.1.2 on the whole plan: 10/11 on time ≥ 90 % → 10/11 × 2 = 1,82; 1.2.2: 0,5; TR1: −0,5
    assert sheet["self_score"] == "2.82"
    assert sheet["max"] == "100"


def test_the_json_names_each_items_score_how_it_was_computed_and_its_evidence(cchc, year):
    sheet = shown(cchc, year)

    [item] = [each for each in sheet["items"] if each["code"] == "1.1.2"]
    assert (item["points"], item["max"]) == ("1.8", "2")
    assert item["how_computed"] == "9/10 nhiệm vụ hoàn thành đúng hạn = 90 % ≥ 90 % → 0,9 × 2 = 1,8"
    assert len(item["evidence"]) == 10
    assert "1.1.2" not in sheet["missing_evidence"]
    assert "1.3.2" in sheet["missing_evidence"] and "1.3.2" in sheet["blocking"]


def test_an_explanation_and_office_evidence_take_items_off_the_blocking_list(cchc, year):
    explained = cchc("assess", "explain", "1.3.2", "Không có kế hoạch tuyên truyền riêng", "--as", "lan", *year)
    added = cchc(
        "assess",
        "evidence",
        "add",
        "1.2.1",
        "--number",
        "45/BC-UBND",
        "--date",
        "05/12/2025",
        "--issuer",
        "UBND xã Mẫu",
        "--summary",
        "Báo cáo CCHC năm 2025",
        "--page",
        "3",
        "--signed",
        *year,
    )

    assert explained.exit_code == 0, explained.output
    assert added.exit_code == 0, added.output
    sheet = shown(cchc, year)
    assert "1.3.2" not in sheet["blocking"] and "1.3.2" in sheet["missing_evidence"]
    assert "1.2.1" not in sheet["missing_evidence"]


def test_the_table_marks_items_without_evidence_and_lists_what_blocks_submission(cchc, year):
    result = cchc("assess", "show", *year)

    assert result.exit_code == 0, result.output
    assert "THIẾU TÀI LIỆU KIỂM CHỨNG" in result.stdout
    assert "9/10 nhiệm vụ hoàn thành đúng hạn" in result.stdout
    assert "Tổng điểm tự chấm: 2,8/100" in result.stdout
    assert "Chưa thể nộp:" in result.stdout


def test_a_score_above_the_maximum_is_refused_in_one_line(cchc, year):
    result = cchc("assess", "score", "1.2.2", "3", "--reason", "quá", *year)

    assert result.exit_code == 2
    assert result.stderr.strip() == "Lỗi: tiêu chí 1.2.2: điểm 3 vượt quá mức tối đa 1."


def test_exporting_writes_the_report_and_the_sheet_and_a_second_export_is_byte_identical(cchc, year, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        result = cchc(
            "assess", "export", *year, "--out", folder, "--approved-by", "Trần Văn Hùng", "--date", "20/01/2026"
        )
        assert result.exit_code == 0, result.output

    package = "ho-so-tu-danh-gia-cchc-2025.zip"
    assert [path.name for path in first.iterdir()] == [package]
    assert (first / package).read_bytes() == (second / package).read_bytes()
    with ZipFile(first / package) as archive:
        names = archive.namelist()
        listed = json.loads(archive.read("danh-muc.json"))
    assert names[:4] == [
        "bao-cao-tu-danh-gia-cchc-2025.docx",
        "danh-muc.json",
        "de-nghi-tham-dinh-cchc-2025.docx",
        "tong-hop-diem-cchc-2025.xlsx",
    ]
    assert {entry["code"] for entry in listed["evidence"]} >= {"1.1.1", "1.1.2"}
    assert listed["self_score"] == "2.8"
    assert "2,8/100 điểm" in result.stdout and "chưa gửi được" in result.stdout


def test_a_document_added_with_its_file_is_kept_and_exported_under_its_code_and_a_bad_one_keeps_nothing(
    cchc, year, tmp_path
):
    report = tmp_path / "bao-cao.pdf"
    report.write_bytes(b"%PDF-1.4\n% bao cao CCHC 2025\n%%EOF\n")
    document = [
        "--number",
        "45/BC-UBND",
        "--date",
        "05/12/2025",
        "--issuer",
        "UBND xã Mẫu",
        "--summary",
        "Báo cáo CCHC năm 2025",
        "--file",
        report,
        *year,
    ]

    wrong_code = cchc("assess", "evidence", "add", "9.9.9", *document)
    assert wrong_code.exit_code == 2 and "9.9.9" in wrong_code.stderr
    assert not list((tmp_path / "data" / "evidence").rglob("*"))  # refused before its file was kept
    added = cchc("assess", "evidence", "add", "1.2.1", *document)
    assert added.exit_code == 0, added.output
    exported = cchc("assess", "export", *year, "--out", tmp_path / "out", "--date", "20/01/2026")
    assert exported.exit_code == 0, exported.output

    with ZipFile(tmp_path / "out" / "ho-so-tu-danh-gia-cchc-2025.zip") as archive:
        kept = [name for name in archive.namelist() if name.startswith("tai-lieu-kiem-chung/1.2.1/")]
        assert [archive.read(name) for name in kept] == [report.read_bytes()]


def test_a_task_mapped_to_a_sub_criterion_counts_for_it_and_the_change_is_logged(cchc, year, session_factory):
    before = {item["code"]: item for item in shown(cchc, year)["items"]}["1.3.1"]
    assert before["points"] is None  # no task counts for "ban hành kế hoạch tuyên truyền" yet

    mapped = cchc("assess", "map", "I.2", "1.1.1", "1.3.1", "--as", "lan", *year)

    assert mapped.exit_code == 0, mapped.output
    assert "Nhiệm vụ I.2 nay được tính cho các tiêu chí 1.1.1, 1.3.1." in mapped.stdout
    after = {item["code"]: item for item in shown(cchc, year)["items"]}["1.3.1"]
    assert after["points"] == after["max"]  # I.2 was approved: the fixed item is met
    with session_factory() as session:
        (change,) = session.scalars(select(CriteriaMappingRow)).all()
    assert (change.task_code, change.before, change.after, change.changed_by) == (
        "I.2",
        ["1.1.1"],
        ["1.1.1", "1.3.1"],
        "lan",
    )


def test_mapping_to_an_unknown_code_or_task_is_refused_naming_it_and_changes_nothing(cchc, year, session_factory):
    unknown_code = cchc("assess", "map", "I.2", "1.3.1", "9.9", *year)
    unknown_task = cchc("assess", "map", "IX.9", "1.3.1", *year)
    nothing = cchc("assess", "map", "I.2", *year)

    assert (unknown_code.exit_code, unknown_task.exit_code, nothing.exit_code) == (2, 2, 2)
    assert "bộ tiêu chí không có tiêu chí chấm điểm 9.9" in unknown_code.stderr
    assert "kế hoạch không có nhiệm vụ IX.9" in unknown_task.stderr
    with session_factory() as session:
        assert session.scalars(select(CriteriaMappingRow)).all() == []

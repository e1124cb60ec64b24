"""`cchc catalogue`: a criteria set imported from its file, shown as a tree, listed."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl

from cli.catalogue import rule_label
from domain.scoring import Fixed

SAMPLE = Path(__file__).resolve().parents[2] / "importers" / "samples" / "sample-criteria-2025.yaml"
HEADER = ["Lĩnh vực", "STT", "Lĩnh vực/tiêu chí/tiêu chí thành phần", "Điểm tối đa", "Cách chấm", "Tài liệu kiểm chứng"]
THRESHOLD_TEXT = "Hoàn thành 100% nhiệm vụ: 1,5 điểm; từ 90% đến dưới 100%: điểm = tỷ lệ × 1,5; dưới 90%: 0 điểm"


def stored(cchc) -> list[dict]:
    result = cchc("catalogue", "list", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["catalogues"]


def province_table(tmp_path: Path, *, area_1_points: float = 2) -> Path:
    """A province's .xlsx: title lines, the header, an area column merged down its rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND CẤP XÃ NĂM 2025"],
        ["(Ban hành kèm theo Quyết định số 3241/QĐ-UBND ngày 14/10/2025 của UBND thành phố Huế)"],
        HEADER,
        ["1. Công tác chỉ đạo, điều hành CCHC", "1.1", "Kế hoạch CCHC năm", area_1_points, "", ""],
        ["", "1.1.1", "Ban hành kế hoạch CCHC năm", 0.5, "Có: 0,5 điểm; Không: 0 điểm", "Kế hoạch CCHC"],
        ["", "1.1.2", "Mức độ hoàn thành kế hoạch CCHC", 1.5, THRESHOLD_TEXT, "Báo cáo kết quả"],
        ["2. Cải cách thể chế", "2.1", "Rà soát văn bản QPPL", 1, "Có: 1 điểm; Không: 0 điểm", "Báo cáo rà soát"],
        ["", "", "Điểm thưởng: mô hình CCHC được công nhận", 1, "Mỗi mô hình được cộng 0,5 điểm", ""],
    ]:
        sheet.append(row)
    sheet.merge_cells("A4:A6")
    path = tmp_path / "bo-tieu-chi-hue.xlsx"
    book.save(path)
    return path


# --- import ----------------------------------------------------------------------------------


def test_importing_the_sample_shows_its_summary_labelled_as_a_sample_and_stores_it(cchc):
    result = cchc("catalogue", "import", SAMPLE)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[MẪU] Bộ tiêu chí mẫu")
    assert "Tỉnh mẫu, năm 2025: Quyết định số 0000/QĐ-UBND (mẫu) ngày 01/10/2025 của UBND Tỉnh mẫu" in lines
    assert "8 lĩnh vực, 56 tiêu chí chấm điểm, tổng 100 điểm; điểm thưởng tối đa 2, điểm trừ tối đa 2." in lines
    assert "Xếp loại: Tốt từ 90 %, Khá từ 80 %, Trung bình từ 70 %, Yếu từ 0 %." in lines
    assert lines[-1].startswith("Đã lưu bộ tiêu chí (id ")
    [catalogue] = stored(cchc)
    assert (catalogue["province"], catalogue["year"], catalogue["sample"]) == ("Tỉnh mẫu", 2025, True)


def test_importing_the_sample_again_says_it_is_already_there(cchc):
    first = json.loads(cchc("catalogue", "import", SAMPLE, "--json").stdout)

    again = cchc("catalogue", "import", SAMPLE)

    assert again.exit_code == 0, again.output
    assert f"Bộ tiêu chí này đã có (id {first['id']}): không có gì thay đổi." in again.stdout
    assert len(stored(cchc)) == 1


def test_a_dry_run_shows_the_summary_as_json_and_stores_nothing(cchc):
    result = cchc("catalogue", "import", SAMPLE, "--dry-run", "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["id"], document["created"], document["dry_run"]) == (None, False, True)
    assert document["catalogue"] | {"decision": None} == {
        "name": "Bộ tiêu chí mẫu xác định Chỉ số CCHC cấp xã năm 2025 (dùng cho demo)",
        "province": "Tỉnh mẫu",
        "year": 2025,
        "sample": True,
        "decision": None,
        "areas": 8,
        "scored_items": 56,
        "max_points": "100",
        "bonus_cap": "2",
        "penalty_cap": "2",
    }
    assert stored(cchc) == []


def test_a_provinces_xlsx_with_merged_area_cells_imports_for_the_province_given(cchc, tmp_path):
    result = cchc("catalogue", "import", province_table(tmp_path), "--province", "Thành phố Huế", "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["created"] is True
    assert document["catalogue"]["decision"] == {
        "number": "3241/QĐ-UBND",
        "issued": "2025-10-14",
        "issuer": "UBND thành phố Huế",
    }
    assert (document["catalogue"]["areas"], document["catalogue"]["scored_items"]) == (2, 3)
    shown = cchc("catalogue", "show", "--province", "Thành phố Huế", "--year", "2025")
    assert shown.exit_code == 0, shown.output
    assert "Mức độ hoàn thành kế hoạch CCHC" in shown.stdout and "tỷ lệ, ngưỡng 90 %" in shown.stdout


def test_a_bad_file_names_the_row_and_column_of_every_error_and_stores_nothing(cchc, tmp_path):
    result = cchc("catalogue", "import", province_table(tmp_path, area_1_points=2.5))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Lỗi: bo-tieu-chi-hue.xlsx, hàng 4, cột “Điểm tối đa”: mục 1.1: điểm tối đa 2,5 khác tổng điểm các mục con 2"
    ]
    assert result.stdout == ""
    assert stored(cchc) == []


def test_other_content_under_a_stored_decision_is_refused_naming_the_decision(cchc, tmp_path):
    assert cchc("catalogue", "import", SAMPLE).exit_code == 0
    changed = tmp_path / "sample-2025.yaml"
    changed.write_text(SAMPLE.read_text(encoding="utf-8").replace("(dùng cho demo)", "(sửa)"), encoding="utf-8")

    result = cchc("catalogue", "import", changed)

    assert result.exit_code == 2
    assert "Quyết định số 0000/QĐ-UBND (mẫu) (Tỉnh mẫu, năm 2025) đã được nhập với nội dung khác" in result.stderr
    assert [each["name"] for each in stored(cchc)] == [
        "Bộ tiêu chí mẫu xác định Chỉ số CCHC cấp xã năm 2025 (dùng cho demo)"
    ]


# --- show and list ---------------------------------------------------------------------------


def test_showing_the_sample_prints_its_tree_with_points_and_rule_kinds_in_vietnamese(cchc):
    assert cchc("catalogue", "import", SAMPLE).exit_code == 0
    [catalogue] = stored(cchc)

    result = cchc("catalogue", "show", catalogue["id"])

    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") == 5}
    assert "Công tác chỉ đạo, điều hành CCHC" in rows["1"] and "10" in rows["1"]
    assert "Kế hoạch CCHC năm" in rows["1.1"]
    assert "tỷ lệ, ngưỡng 90 %" in rows["1.1.2"]
    assert "cố định" in rows["1.1.1"] and "chấm tay" in rows["1.2.2"] and "0,5" in rows["1.3.1"]
    kinds = {line.split("│")[4].strip().split(",")[0] for line in rows.values()}
    assert {"cố định", "tỷ lệ", "từng phần", "chấm tay", "điểm thưởng", "điểm trừ"} <= kinds
    assert "Bộ tiêu chí id" in result.stdout and "tổng 100 điểm" in result.stdout
    assert "tỉnh chấm" in rows["8.1"]


def test_showing_as_json_gives_the_catalogue_its_id_and_fingerprint_and_totals_one_hundred(cchc):
    imported = json.loads(cchc("catalogue", "import", SAMPLE, "--json").stdout)

    result = cchc("catalogue", "show", "--province", "Tỉnh mẫu", "--year", 2025, "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["id"], document["fingerprint"]) == (imported["id"], imported["fingerprint"])
    assert sum(Decimal(area["max_points"]) for area in document["areas"]) == 100
    assert document["sample"] is True


def test_showing_a_catalogue_that_is_not_stored_says_where_to_look(cchc):
    result = cchc("catalogue", "show", "--province", "Tỉnh mẫu", "--year", 2030)

    assert result.exit_code == 1
    assert result.stderr.strip() == "Lỗi: không tìm thấy bộ tiêu chí của Tỉnh mẫu năm 2030 (xem: cchc catalogue list)."


def test_listing_with_nothing_stored_says_how_to_import(cchc):
    result = cchc("catalogue", "list")

    assert result.exit_code == 0, result.output
    assert "Chưa có bộ tiêu chí nào. Nhập một bộ tiêu chí: cchc catalogue import TỆP" in result.stdout


def test_listing_shows_each_stored_catalogue_labelled(cchc):
    assert cchc("catalogue", "import", SAMPLE).exit_code == 0

    result = cchc("catalogue", "list")

    assert result.exit_code == 0, result.output
    assert "Tỉnh mẫu" in result.stdout and "0000/QĐ-UBND (mẫu)" in result.stdout and "[MẪU]" in result.stdout


def test_a_fixed_rule_with_a_deadline_is_shown_with_its_deadline():
    assert rule_label(Fixed(deadline=date(2025, 1, 31))) == "cố định, hạn 31/01/2025"
    assert rule_label(Fixed(deadline="task")) == "cố định, hạn của nhiệm vụ"

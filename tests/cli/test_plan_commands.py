import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from cli import plans as plan_commands
from domain.models import Finding, Severity
from importers import PlanInputError

SAMPLE = Path(__file__).resolve().parents[2] / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"


def stored_plans(cchc) -> list[dict]:
    result = cchc("plan", "list", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["plans"]


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


# --- import ----------------------------------------------------------------------------------


def test_importing_the_vinh_khe_sample_as_json_prints_one_object_with_its_28_tasks(cchc):
    result = cchc("plan", "import", SAMPLE, "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    plan, tasks = document["plan"], document["tasks"]
    assert document["created"] is True
    assert (plan["number"], plan["date"], plan["year"], plan["commune"]) == (
        "10/KH-UBND",
        "2024-01-15",
        2024,
        "Vĩnh Khê",
    )
    assert isinstance(plan["id"], int)
    assert len(tasks) == 28
    by_code = {task["code"]: task for task in tasks}
    assert by_code["I.2"]["occurrences"][0]["due"] == "2024-03-29T23:59:59+07:00"
    (before_new_year,) = by_code["II.4"]["occurrences"]
    assert before_new_year["due_date"] == "2023-12-29"
    assert before_new_year["past_due_at_issue"] is True
    assert all(o["due"].endswith("+07:00") for task in tasks for o in task["occurrences"])


def test_importing_prints_a_vietnamese_table_and_a_summary_line(cchc):
    result = cchc("plan", "import", SAMPLE)

    assert result.exit_code == 0, result.output
    assert "Nhiệm vụ" in result.stdout and "Chủ trì" in result.stdout
    assert "Đã nhập kế hoạch 10/KH-UBND ngày 15/01/2024: 28 nhiệm vụ, 8 mục," in result.stdout
    assert "(quá hạn)" in result.stdout


SKIPPED_ROW_CSV = (
    "STT,Nội dung,Chủ trì,Thời hạn,Ghi chú\n"
    "1,Ban hành kế hoạch,Văn phòng,Tháng 1/2024,\n"
    ",,,,Quý II/2024\n"
    "2,Rà soát TTHC,Văn phòng,Quý I/2024,\n"
)


def test_the_import_json_says_what_became_of_every_row(cchc):
    result = cchc("plan", "import", SAMPLE, "--dry-run", "--json")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    tasks = [row for row in rows if row["fate"] == "task"]
    assert len(tasks) == 28 and tasks[0] == {
        "fate": "task",
        "row": 233,
        "line": None,
        "table": None,
        "task": "I.1",
        "reason": None,
    }
    assert {row["fate"] for row in rows} == {"task", "heading", "continuation", "header", "document"}


def test_the_preview_counts_rows_by_fate_and_shows_each_skipped_row_naming_a_time(cchc, tmp_path):
    path = tmp_path / "kh.csv"
    path.write_text(SKIPPED_ROW_CSV, encoding="utf-8")
    result = cchc("plan", "import", path, "--year", "2024", "--commune", "Vĩnh Khê", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Các hàng, dòng của tệp: 2 nhiệm vụ, 1 hàng tiêu đề bảng, 1 bỏ qua." in result.stdout
    assert "Bỏ qua hàng 3: không có nội dung nhiệm vụ" in result.stdout and "“Quý II/2024”" in result.stdout


def test_a_table_without_any_task_exits_2_saying_what_it_saw_and_stores_nothing(cchc, tmp_path):
    path = tmp_path / "kh.csv"
    path.write_text("STT,Nội dung,Chủ trì,Thời hạn\nI,CÔNG TÁC CHỈ ĐẠO,,\n", encoding="utf-8")
    result = cchc("plan", "import", path, "--year", "2024", "--commune", "Vĩnh Khê")

    assert result.exit_code == 2
    assert "bảng không có nhiệm vụ nào: hàng tiêu đề ở hàng 1" in result.output
    assert "1 hàng là tiêu đề mục" in result.output
    assert stored_plans(cchc) == []


def test_importing_the_same_plan_twice_keeps_one_plan_and_says_so(cchc):
    first = cchc("plan", "import", SAMPLE, "--json")
    second_json = cchc("plan", "import", SAMPLE, "--json")
    second_human = cchc("plan", "import", SAMPLE)

    assert json.loads(first.stdout)["created"] is True
    again = json.loads(second_json.stdout)
    assert again["created"] is False
    assert again["plan"]["id"] == json.loads(first.stdout)["plan"]["id"]
    assert "Kế hoạch này đã được nhập trước đó" in second_human.stdout
    assert "không có gì thay đổi" in second_human.stdout
    assert len(stored_plans(cchc)) == 1


def test_a_dry_run_shows_the_plan_but_stores_nothing(cchc, tmp_path):
    result = cchc("plan", "import", SAMPLE, "--dry-run", "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert len(document["tasks"]) == 28
    assert "id" not in document["plan"]
    assert document["created"] is False and document["dry_run"] is True
    assert not (tmp_path / "db").exists()  # SQLite: not even a database file
    assert stored_plans(cchc) == []


def test_plan_input_errors_are_printed_one_line_each_and_nothing_is_written(cchc, monkeypatch):
    findings = [
        Finding(
            severity=Severity.ERROR,
            file="kh.xlsx",
            row=12,
            column="Thời gian thực hiện",
            message="không hiểu “Quý V/2024”",
        ),
        Finding(
            severity=Severity.ERROR, file="kh.xlsx", row=14, column="Bộ phận chủ trì", message="thiếu bộ phận chủ trì"
        ),
    ]

    def refuse(path, **options):
        raise PlanInputError(findings)

    monkeypatch.setattr(plan_commands, "read_plan", refuse)
    result = cchc("plan", "import", SAMPLE)

    assert result.exit_code == 2
    assert stderr_lines(result) == [
        "Lỗi: kh.xlsx, hàng 12, cột “Thời gian thực hiện”: không hiểu “Quý V/2024”",
        "Lỗi: kh.xlsx, hàng 14, cột “Bộ phận chủ trì”: thiếu bộ phận chủ trì",
    ]
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert stored_plans(cchc) == []


def test_a_broken_plan_file_is_refused_naming_file_and_row(cchc, tmp_path):
    broken = tmp_path / "bad.yaml"
    broken.write_text("format: cchc-plan/1\nsections: []\n", encoding="utf-8")

    result = cchc("plan", "import", broken, "--json")

    assert result.exit_code == 2
    lines = stderr_lines(result)
    assert lines and all(line.startswith("Lỗi: bad.yaml, hàng ") for line in lines)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert stored_plans(cchc) == []


def test_a_file_over_the_size_limit_is_refused_naming_file_and_size(cchc, monkeypatch, tmp_path):
    big = tmp_path / "huge.txt"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    monkeypatch.setenv("CCHC_MAX_IMPORT_MB", "2")

    result = cchc("plan", "import", big)

    assert result.exit_code == 2
    assert stderr_lines(result) == ["Lỗi: huge.txt: tệp huge.txt quá lớn (3 MB; tối đa 2 MB)"]


def test_a_missing_file_is_reported_in_one_line(cchc, tmp_path):
    result = cchc("plan", "import", tmp_path / "không-có.docx")

    assert result.exit_code == 2
    (line,) = stderr_lines(result)
    assert line.startswith("Lỗi: không-có.docx: không tìm thấy tệp")
    assert "Traceback" not in result.output


def test_an_unexpected_error_shows_no_traceback_unless_cchc_debug_is_set(cchc, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(plan_commands, "read_plan", explode)

    quiet = cchc("plan", "import", SAMPLE)
    monkeypatch.setenv("CCHC_DEBUG", "1")
    loud = cchc("plan", "import", SAMPLE)

    assert quiet.exit_code == 1
    assert stderr_lines(quiet)[0] == "Lỗi không mong đợi (RuntimeError): boom"
    assert "Traceback" not in quiet.output
    assert isinstance(loud.exception, RuntimeError)


# --- list and show ---------------------------------------------------------------------------


def test_plan_show_renders_the_stored_plan_as_import_did(cchc):
    imported = json.loads(cchc("plan", "import", SAMPLE, "--json").stdout)

    by_number = cchc("plan", "show", "10/KH-UBND", "--json")
    by_id = cchc("plan", "show", str(imported["plan"]["id"]), "--json")

    assert by_number.exit_code == 0, by_number.output
    shown = json.loads(by_number.stdout)
    assert shown["plan"] == imported["plan"]
    assert shown["tasks"] == imported["tasks"]
    assert json.loads(by_id.stdout) == shown


def test_plan_show_prints_the_task_table(cchc):
    cchc("plan", "import", SAMPLE)

    result = cchc("plan", "show", "10/KH-UBND")

    assert result.exit_code == 0, result.output
    assert "Kế hoạch số 10/KH-UBND ngày 15/01/2024" in result.stdout
    assert "28 nhiệm vụ, 8 mục" in result.stdout


def test_showing_an_unknown_plan_fails_with_one_vietnamese_line(cchc):
    result = cchc("plan", "show", "99/KH-UBND")

    assert result.exit_code == 1
    assert stderr_lines(result) == ["Lỗi: không tìm thấy kế hoạch “99/KH-UBND” (xem: cchc plan list)."]


def test_plan_list_shows_each_stored_plan(cchc):
    cchc("plan", "import", SAMPLE)

    listed = stored_plans(cchc)
    table = cchc("plan", "list")

    assert [(p["number"], p["date"], p["year"], p["tasks"]) for p in listed] == [("10/KH-UBND", "2024-01-15", 2024, 28)]
    assert "10/KH-UBND" in table.stdout and "15/01/2024" in table.stdout


def test_plan_list_on_an_empty_database_says_there_is_nothing_yet(cchc):
    result = cchc("plan", "list")

    assert result.exit_code == 0
    assert "Chưa có kế hoạch nào" in result.stdout


def test_an_exported_plan_imports_back_as_the_same_plan(cchc, tmp_path):
    original = json.loads(cchc("plan", "import", SAMPLE, "--json").stdout)
    exported = tmp_path / "vinh-khe.yaml"

    assert cchc("plan", "export", "10/KH-UBND", "-o", exported).exit_code == 0
    again = json.loads(cchc("plan", "import", exported, "--dry-run", "--json").stdout)

    assert again["tasks"] == original["tasks"]


# --- the installed command -------------------------------------------------------------------


def test_the_cchc_console_script_runs_with_the_data_dir_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    env["CCHC_DATA_DIR"] = str(tmp_path / "data")
    script = Path(sys.executable).parent / "cchc"

    result = subprocess.run(
        [script, "plan", "list", "--json"], env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"plans": []}
    assert (tmp_path / "data" / "cchc.db").is_file()


# --- prose plans: draft, review, import -------------------------------------------------------

PLANS = SAMPLE.parent
LONG_DIEN_A = PLANS / "long-dien-a-2023-cchc-plan.txt"
QUANG_VINH = PLANS / "quang-vinh-2020-par-index-plan.txt"
DRAFT_ONLY = {"source", "officers", "period_default"}


def test_a_prose_plan_dry_run_prints_the_table_plan_json_plus_source_and_officers_per_task(cchc):
    table = json.loads(cchc("plan", "import", SAMPLE, "--dry-run", "--json").stdout)
    result = cchc("plan", "import", LONG_DIEN_A, "--year", "2023", "--dry-run", "--json")

    assert result.exit_code == 0, result.output
    prose = json.loads(result.stdout)
    assert set(prose) == set(table) and set(prose["plan"]) == set(table["plan"])
    assert all(set(task) == set(table["tasks"][0]) | DRAFT_ONLY for task in prose["tasks"])
    first = prose["tasks"][0]
    assert (first["code"], first["source"], first["officers"]) == ("II.1", {"line_start": 88, "line_end": 140}, [])
    assert {"row": 321, "column": None, "message": "số thứ tự không liền nhau: sau mục 5 (dòng 282) là mục 7"} in prose[
        "warnings"
    ]


def test_importing_a_prose_plan_for_real_asks_for_the_draft_or_accept_draft_and_stores_nothing(cchc):
    result = cchc("plan", "import", QUANG_VINH)

    assert result.exit_code == 2
    (line,) = stderr_lines(result)
    assert line.startswith("Lỗi: quang-vinh-2020-par-index-plan.txt: kế hoạch viết dạng văn xuôi")
    assert "cchc plan draft" in line and "--accept-draft" in line and "(prose plan:" in line
    assert stored_plans(cchc) == []


def test_accept_draft_stores_a_prose_plan_as_drafted(cchc):
    result = cchc("plan", "import", QUANG_VINH, "--accept-draft", "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["created"] is True and len(document["tasks"]) == 27
    assert stored_plans(cchc)[0]["number"] == "136/KH-UBND"


def test_accept_draft_refuses_a_draft_with_a_task_that_has_no_lead(cchc):
    result = cchc("plan", "import", LONG_DIEN_A, "--year", "2023", "--accept-draft")

    assert result.exit_code == 2
    assert "nhiệm vụ II.10 không có cơ quan chủ trì" in result.stderr
    assert stored_plans(cchc) == []


def test_the_draft_yaml_carries_each_task_source_lines_and_warnings_as_comments(cchc, tmp_path):
    out = tmp_path / "plan.yaml"
    result = cchc("plan", "draft", LONG_DIEN_A, "--year", "2023", "--number", "58/KH-UBND", "--out", out)

    assert result.exit_code == 0, result.output
    assert f"Đã ghi bản nháp {out}: 10 nhiệm vụ" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "      # nguồn: long-dien-a-2023-cchc-plan.txt, dòng 390–396\n" in text
    assert "      # ⚠ nhiệm vụ II.10 không ghi cơ quan chủ trì; hãy ghi vào bản nháp trước khi nhập\n" in text
    assert "      # ⚠ số thứ tự không liền nhau: sau mục 5 (dòng 282) là mục 7\n" in text
    assert "  number: 58/KH-UBND\n" in text


def test_a_draft_edited_by_the_office_imports_as_exactly_the_edited_plan(cchc, tmp_path):
    drafted = json.loads(cchc("plan", "import", LONG_DIEN_A, "--year", "2023", "--dry-run", "--json").stdout)
    out = tmp_path / "plan.yaml"
    cchc("plan", "draft", LONG_DIEN_A, "--year", "2023", "--out", out)
    text = out.read_text(encoding="utf-8")
    # The office: item 10 gets a lead, item 1 another one, and item 9 is deleted.
    text = text.replace("        lead: []\n", "        lead: [Ủy ban MTTQ xã]\n")
    text = text.replace(
        "        lead:\n        - Công chức Văn Phòng – Thống kê\n        - Ban điều hành CCHC cấp xã\n",
        "        lead: [Ban Chỉ huy Quân sự xã]\n",
        1,
    )
    start = text.index("      # nguồn: long-dien-a-2023-cchc-plan.txt, dòng 372–388")
    text = text[:start] + text[text.index("      # nguồn: long-dien-a-2023-cchc-plan.txt, dòng 390–396") :]
    out.write_text(text, encoding="utf-8")

    result = cchc("plan", "import", out, "--json")

    assert result.exit_code == 0, result.output
    imported = {task["code"]: task for task in json.loads(result.stdout)["tasks"]}
    expected = {task["code"]: {k: v for k, v in task.items() if k not in DRAFT_ONLY} for task in drafted["tasks"]}
    del expected["II.9"]
    expected["II.1"]["lead"] = ["Ban Chỉ huy Quân sự xã"]
    expected["II.10"]["lead"] = ["Ủy ban MTTQ xã"]
    assert imported == expected
    assert stored_plans(cchc)[0]["tasks"] == 9


def test_a_body_with_an_annex_table_takes_its_header_and_calendar_from_the_body_and_tasks_from_the_table(
    cchc, tmp_path
):
    from importers import read_plan
    from tests.importers.builders import write_csv

    annex = write_csv(tmp_path / "phu-luc.csv", read_plan(SAMPLE).plan, with_head=False)
    body = tmp_path / "ke-hoach.txt"
    body.write_text(
        "ỦY BAN NHÂN DÂN\nXÃ VĨNH KHÊ\nSố: 10/KH-UBND\nVĩnh Khê, ngày 15 tháng 01 năm 2024\nKẾ HOẠCH\n"
        "Cải cách hành chính xã Vĩnh Khê năm 2024\nI. NHIỆM VỤ\n"
        "Chi tiết theo Bảng phân công nhiệm vụ kèm theo Kế hoạch này.\nII. CHẾ ĐỘ BÁO CÁO\n"
        "Các bộ phận gửi báo cáo quý chậm nhất ngày 05 của các tháng 3, 6, 9, 12.\n",
        encoding="utf-8",
    )

    result = cchc("plan", "import", body, "--annex", annex, "--dry-run", "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["plan"]["number"], document["plan"]["date"]) == ("10/KH-UBND", "2024-01-15")
    assert [(d["month"], d["day"], d["rule"]) for d in document["plan"]["reporting_calendar"]] == [
        (3, 5, "by_day"),
        (6, 5, "by_day"),
        (9, 5, "by_day"),
        (12, 5, "by_day"),
    ]
    assert len(document["tasks"]) == 28
    assert "source" not in document["tasks"][0]  # a table, not a draft: imported without --accept-draft


# --- amendments ------------------------------------------------------------------------------


def amended_yaml(cchc, tmp_path, **head) -> Path:
    """The stored Vĩnh Khê plan exported, then edited: I.1 moves to February, I.2 goes to
    Tư pháp, I.3 is dropped; `head` changes the plan's own header (an amending document)."""
    exported = tmp_path / "exported.yaml"
    assert cchc("plan", "export", "10/KH-UBND", "-o", exported).exit_code == 0
    document = yaml.safe_load(exported.read_text(encoding="utf-8"))
    document["plan"].update(head)
    first = document["sections"][0]["tasks"]
    first[0]["period"] = "Tháng 2/2024"
    first[1]["lead"] = ["Tư pháp"]
    del first[2]
    edited = tmp_path / "amended.yaml"
    edited.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return edited


def test_importing_a_corrected_version_of_a_stored_plan_shows_each_change_and_applies_nothing_unconfirmed(
    cchc, tmp_path
):
    cchc("plan", "import", SAMPLE)
    result = cchc("plan", "import", amended_yaml(cchc, tmp_path), "--json")

    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["confirmed"] is False and shown["amendment"]["number"] == "10/KH-UBND"
    changes = {(c["kind"], c["task_code"]): (c["old"], c["new"]) for c in shown["changes"]}
    assert changes == {
        ("due_moved", "I.1"): ("31/01/2024", "29/02/2024"),
        ("lead_changed", "I.2"): ("Văn phòng", "Tư pháp"),
        ("removed", "I.3"): ("29/02/2024", None),
    }
    stored = json.loads(cchc("plan", "show", "10/KH-UBND", "--json").stdout)
    assert len(stored["tasks"]) == 28 and stored["tasks"][0]["occurrences"][0]["due_date"] == "2024-01-31"


def test_an_amending_plan_with_its_own_number_is_shown_against_the_plan_it_amends(cchc, tmp_path):
    cchc("plan", "import", SAMPLE)
    amending = amended_yaml(cchc, tmp_path, number="25/KH-UBND", date="05/02/2024", title="Điều chỉnh, bổ sung")

    result = cchc("plan", "import", amending, "--amends", "10/KH-UBND")

    assert result.exit_code == 0, result.output
    assert "Điều chỉnh kế hoạch 10/KH-UBND (id 1) theo văn bản 25/KH-UBND ngày 05/02/2024" in result.stdout
    assert "Chưa áp dụng" in result.stdout
    assert [plan["number"] for plan in stored_plans(cchc)] == ["10/KH-UBND"]


def test_a_plan_of_another_commune_cannot_amend_a_stored_plan(cchc, tmp_path):
    cchc("plan", "import", SAMPLE)
    other = amended_yaml(cchc, tmp_path, number="7/KH-UBND", commune="Vĩnh Hoà", issuer="UBND xã Vĩnh Hoà")

    result = cchc("plan", "import", other, "--amends", "10/KH-UBND")

    assert result.exit_code == 2
    assert stderr_lines(result) == [
        "Lỗi: văn bản 7/KH-UBND là kế hoạch của Vĩnh Hoà năm 2024, "
        "không điều chỉnh được kế hoạch 10/KH-UBND của Vĩnh Khê năm 2024"
    ]

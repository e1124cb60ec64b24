"""`cchc task ...` against a running `cchc up`, as an operator types it.

The Vĩnh Khê 2024 plan is imported and started (past occurrences included) once for the
module; each test takes tasks of its own. What a user checks: the command's words and exit
code, `cchc task show --json`, and what Temporal's own CLI finds.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.calendar import WorkCalendar
from persistence.db import make_engine
from persistence.evidence_tables import EvidenceFileRow
from services.tasks import today_in_vietnam
from tests.cli.running import SAMPLE, cchc, environment, settled_count, start_up, stop_up

REFUSED = 4
OFFICE = ["--as", "cong-chuc-vp", "--role", "officer", "--unit", "Văn phòng"]
REVIEWER = ["--as", "van-phong-kiem-tra", "--role", "reviewer"]
CHAIRMAN = ["--as", "chu-tich", "--role", "chairman"]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    data = tmp_path_factory.mktemp("task-commands")
    env = environment(data / "data")
    up = start_up(env, data / "up.log")
    try:
        assert cchc(env, "plan", "import", str(SAMPLE)).returncode == 0
        started = cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due")
        assert started.returncode == 0, started.stderr
        yield env
    finally:
        assert stop_up(up) == 0


def listed(env, *options: str) -> list[dict]:
    result = cchc(env, "task", "list", "--json", *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["tasks"]


def shown(env, task_id: str) -> dict:
    result = cchc(env, "task", "show", task_id, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def first_occurrence(env, code: str) -> str:
    return next(task["id"] for task in listed(env) if task["task_code"] == code)


def kinds(task: dict) -> list[str]:
    return [entry["kind"] for entry in task["timeline"]]


def test_the_list_has_every_occurrence_by_due_date_and_filters_by_unit_and_lateness(env):
    tasks = listed(env)
    assert len(tasks) == 76
    assert [t["due_date"] for t in tasks] == sorted(t["due_date"] for t in tasks)

    finance = listed(env, "--unit", "tài chính")  # a unit matches whatever its spelling
    assert finance and all("Tài chính" in t["lead"] for t in finance)
    assert len(finance) == settled_count(env, 'CchcUnit="Tài chính"', len(finance))

    overdue = listed(env, "--overdue")
    today = today_in_vietnam().isoformat()
    assert {t["id"] for t in overdue} == {t["id"] for t in tasks if t["overdue"]}
    assert all(t["due_date"] < today and t["state"] not in ("approved", "waived") for t in overdue)

    table = cchc(env, "task", "list", "--unit", "Tài chính")
    assert table.returncode == 0 and "Tài chính" in table.stdout and "Nhiệm vụ (ngày" in table.stdout


def test_an_officer_and_the_reviewer_take_a_task_to_approval_through_the_cli(env, tmp_path):
    task_id = first_occurrence(env, "I.1")  # Văn phòng's plan for 2024
    document = tmp_path / "ke-hoach-cchc-2024.pdf"
    document.write_bytes(b"%PDF-1.4 Ke hoach CCHC nam 2024")
    digest = hashlib.sha256(document.read_bytes()).hexdigest()

    steps = [
        ("acknowledge", *OFFICE),
        ("progress", *OFFICE, "--percent", "60", "--note", "đã có dự thảo"),
        (
            "evidence",
            *OFFICE,
            "--number",
            "15/KH-UBND",
            "--date",
            "20/01/2024",
            "--title",
            "Kế hoạch CCHC năm 2024",
            "--file",
            str(document),
        ),
        ("review", *REVIEWER, "--approve", "--comment", "đạt"),
    ]
    for command, *options in steps:
        result = cchc(env, "task", command, task_id, *options)
        assert result.returncode == 0, result.stderr
    assert "Đã xác nhận hoàn thành" in result.stdout and "đã hoàn thành" in result.stdout

    task = shown(env, task_id)
    assert task["state"] == "approved" and task["progress"] == 60
    assert kinds(task)[-5:] == ["acknowledge", "report_progress", "submit_evidence", "start_review", "approve"]
    assert [(e["document_number"], e["sha256"]) for e in task["evidence"]] == [("15/KH-UBND", digest)]
    stored = env_data(env) / "evidence" / digest[:2] / digest
    assert stored.read_bytes() == document.read_bytes()
    engine = make_engine(f"sqlite:///{env_data(env) / 'cchc.db'}")
    try:
        with engine.connect() as connection:
            holds = connection.execute(select(EvidenceFileRow.commune, EvidenceFileRow.uploaded_by)).all()
    finally:
        engine.dispose()
    assert holds == [(task["commune"], "cong-chuc-vp")], "the commune's own file: its people download it on the web"
    assert settled_count(env, 'CchcTask="I.1" AND CchcState="approved"', 1) == 1


def test_an_update_in_the_wrong_role_is_refused_with_its_reason_and_records_nothing(env):
    task_id = first_occurrence(env, "I.3")
    before = shown(env, task_id)

    review = cchc(env, "task", "review", task_id, *OFFICE, "--approve")
    assert review.returncode == REFUSED
    assert "Bị từ chối: công chức không có quyền kiểm tra, xác nhận hoàn thành" in review.stderr

    other_unit = ["--as", "cong-chuc-tp", "--role", "officer", "--unit", "Tư pháp"]
    acknowledge = cchc(env, "task", "acknowledge", task_id, *other_unit)
    assert acknowledge.returncode == REFUSED
    assert "cong-chuc-tp không thuộc đơn vị chủ trì nhiệm vụ" in acknowledge.stderr

    extend = cchc(env, "task", "extend", task_id, *REVIEWER, "--due", dmy(working_day_after(14)), "--reason", "x")
    assert extend.returncode == REFUSED and "Bị từ chối" in extend.stderr

    after = shown(env, task_id)
    assert after["timeline"] == before["timeline"] and after["state"] == before["state"]


def test_the_chairman_extends_and_reassigns_and_temporal_finds_the_task_by_its_new_due_date_and_unit(env):
    task_id = first_occurrence(env, "II.2")
    code = 'CchcTask="II.2"'
    new_due = working_day_after(14)

    extended = cchc(env, "task", "extend", task_id, *CHAIRMAN, "--due", dmy(new_due), "--reason", "chờ hướng dẫn")
    assert extended.returncode == 0, extended.stderr
    assert f"hạn {dmy(new_due)}" in extended.stdout
    reassigned = cchc(env, "task", "reassign", task_id, *CHAIRMAN, "--lead", "Văn hoá", "--reason", "thiếu người")
    assert reassigned.returncode == 0, reassigned.stderr

    task = shown(env, task_id)
    assert (task["due_date"], task["lead"], task["days_late"]) == (new_due.isoformat(), ["Văn hoá"], 0)
    assert kinds(task)[-3:] == ["extend_deadline", "reassign", "assign"]
    day_after = new_due + timedelta(days=1)
    on_new_due = f'CchcDue >= "{new_due}T00:00:00+07:00" AND CchcDue < "{day_after}T00:00:00+07:00"'
    assert settled_count(env, f"{code} AND {on_new_due}", 1) == 1
    assert settled_count(env, f'{code} AND CchcUnit="Văn hoá"', 1) == 1
    assert task_id in {t["id"] for t in listed(env, "--unit", "Văn hoá")}
    assert task_id not in {t["id"] for t in listed(env, "--overdue")}


def test_the_chairman_waives_a_task_and_it_leaves_the_overdue_list(env):
    task_id = first_occurrence(env, "I.2")
    refused = cchc(env, "task", "waive", task_id, *OFFICE, "--reason", "gộp")
    assert refused.returncode == REFUSED

    waived = cchc(env, "task", "waive", task_id, *CHAIRMAN, "--reason", "gộp vào nhiệm vụ I.1")
    assert waived.returncode == 0, waived.stderr
    assert shown(env, task_id)["state"] == "waived"
    assert task_id not in {t["id"] for t in listed(env, "--overdue")}


def test_the_chairman_stops_a_task_citing_the_amending_document_given_with_both_its_number_and_date(env):
    task_id = first_occurrence(env, "I.4")
    reason = ("--reason", "kế hoạch điều chỉnh bỏ nhiệm vụ")
    half = cchc(env, "task", "waive", task_id, *CHAIRMAN, *reason, "--document-number", "25/KH-UBND")
    assert half.returncode != 0 and "cả số và ngày ban hành" in half.stderr

    cited = ("--document-number", "25/KH-UBND", "--document-date", "05/02/2024")
    stopped = cchc(env, "task", "waive", task_id, *CHAIRMAN, *reason, *cited)
    assert stopped.returncode == 0, stopped.stderr
    stop = shown(env, task_id)["timeline"][-1]
    assert (
        stop["detail"] == "dừng thực hiện theo văn bản số 25/KH-UBND ngày 05/02/2024: kế hoạch điều chỉnh bỏ nhiệm vụ"
    )


def test_a_task_that_does_not_exist_and_a_date_that_is_not_a_date_are_named_in_the_error(env):
    missing = cchc(env, "task", "show", "1/IX.9/2024")
    assert missing.returncode == 1 and "“1/IX.9/2024”" in missing.stderr

    task_id = first_occurrence(env, "I.3")
    bad_date = cchc(env, "task", "extend", task_id, *CHAIRMAN, "--due", "31/02/2026", "--reason", "x")
    assert bad_date.returncode == 2
    assert "--due" in bad_date.stderr and "31/02/2026" in bad_date.stderr


def test_evidence_that_is_not_an_accepted_type_is_refused_naming_the_file_and_nothing_is_stored(tmp_path):
    env = environment(tmp_path / "data")
    program = tmp_path / "ke-hoach.pdf"
    program.write_bytes(b"MZ\x90\x00" + bytes(60) + b"This program cannot be run in DOS mode")

    refused = submit_file(env, program)

    assert refused.returncode == 2
    assert f"“{program}” không thuộc loại được nhận" in refused.stderr and "PDF" in refused.stderr
    assert not (env_data(env) / "evidence").exists()


def test_evidence_larger_than_the_setting_is_refused_and_nothing_is_left_behind(tmp_path):
    env = {**environment(tmp_path / "data"), "CCHC_MAX_EVIDENCE_MB": "1"}
    scan = tmp_path / "ban-quet.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + bytes(1024 * 1024))

    refused = submit_file(env, scan)

    assert refused.returncode == 2 and "lớn hơn giới hạn 1 MB" in refused.stderr
    assert [path for path in (env_data(env) / "evidence").rglob("*") if path.is_file()] == []


# --- helpers ---------------------------------------------------------------------------------


def submit_file(env, file: Path):
    """The office's officer submits `file` as the evidence of task I.1's year."""
    return cchc(
        env,
        "task",
        "evidence",
        "1/I.1/2024",
        *OFFICE,
        *("--number", "15/KH-UBND", "--date", "20/01/2024", "--title", "Kế hoạch", "--file", str(file)),
    )


def env_data(env) -> Path:
    return Path(env["CCHC_DATA_DIR"])


def working_day_after(days: int) -> date:
    """A working day at least `days` after today: a due date the chairman may set."""
    return WorkCalendar().roll_forward(today_in_vietnam() + timedelta(days=days))


def dmy(d: date) -> str:
    return f"{d:%d/%m/%Y}"

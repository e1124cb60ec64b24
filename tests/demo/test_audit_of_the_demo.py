"""The auditors' and the office's commands on what `cchc demo` leaves: three tasks of the Vĩnh Khê
sample (I.6 tagged with PAR sub-criteria 1.1 and 1.3), their year run once for the module.

Replay passes on the current code and fails on a non-deterministic change; `--at` shows the
states the script had brought every task to; the evidence package holds every approved
document where it belongs, hashed in its manifest, the same bytes twice.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from temporalio import workflow
from temporalio.client import WorkflowHistory
from typer.testing import CliRunner

from cli.app import app
from config import get_settings
from demo.run import SAMPLE_PLAN
from demo.script import Fate, Script, Step, write_script
from domain.calendar import end_of_day
from domain.lifecycle import Rejected, TaskEvent, TaskState, transition
from domain.roles import Action
from domain.vocabulary import label
from evidence.year_end import groups_of
from importers import read_plan
from importers.canonical import write_yaml
from persistence.db import make_engine
from persistence.evidence_tables import EvidenceFileRow
from tests.demo.year_end import (
    SAMPLE_CHAIRMAN,
    command_in,
    evidence_files,
    expected_files,
    manifest_matches_files,
)
from workflows.contracts import ReviewDecision, task_workflow_id

CODES = ("I.3", "I.6", "II.4")
CRITERIA = {"I.6": ("1.1", "1.3")}


class Year:
    def __init__(self, data_dir, script: Script, plan_id: int, plan) -> None:
        self.data_dir = data_dir
        self.script = script
        self.plan_id = plan_id
        self.plan = plan
        self.cchc = command_in(data_dir)

    def with_fate(self, fate: Fate) -> list[str]:
        return [task_workflow_id(self.plan_id, *key) for key, f in self.script.fates.items() if f is fate]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    sample = read_plan(SAMPLE_PLAN).plan
    tasks = tuple(t.model_copy(update={"criteria": CRITERIA.get(t.code, ())}) for t in sample.tasks if t.code in CODES)
    plan = sample.model_copy(update={"tasks": tasks})
    folder = tmp_path_factory.mktemp("audited-demo")
    plan_file = folder / "plan.yaml"
    plan_file.write_text(write_yaml(plan), encoding="utf-8")
    get_settings.cache_clear()
    environment = {"CCHC_DATA_DIR": str(folder / "data"), "CCHC_DATABASE_URL": None}
    result = CliRunner().invoke(app, ["demo", "--plan", str(plan_file), "--json"], env=environment)
    assert result.exit_code == 0, result.output
    return Year(folder / "data", write_script(plan, SAMPLE_CHAIRMAN), json.loads(result.stdout)["plan"]["id"], plan)


# --- replay ----------------------------------------------------------------------------------


def test_every_history_the_demo_archived_replays_on_the_current_code(year):
    result = year.cchc("audit", "replay", "--plan", "10/KH-UBND", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    closed = len(year.script.fates) - year.script.count(Fate.NEVER_DONE)  # those still escalate at year end
    assert (report["replayed"], report["failed"]) == (closed, 0)
    unarchived = [task["id"] for task in report["tasks"] if not task["runs"]]
    assert unarchived == year.with_fate(Fate.NEVER_DONE)


def test_a_non_deterministic_change_to_the_workflow_makes_the_replay_fail_naming_each_task(year, monkeypatch):
    # As if the search-attribute upserts had been deployed without their patch guard.
    monkeypatch.setattr(workflow, "patched", lambda patch_id, **_: False)

    result = year.cchc("audit", "replay", "--plan", "10/KH-UBND")

    assert result.exit_code == 1
    for workflow_id in year.with_fate(Fate.ON_TIME) + year.with_fate(Fate.WAIVED):
        assert f"Phát lại không đạt: Nhiệm vụ {workflow_id.removeprefix('cchc-task/')}" in result.stdout
    assert "Nondeterminism" in result.stdout


def test_a_tasks_timeline_says_who_did_what_in_which_role_when_and_why(year):
    (reworked,) = year.with_fate(Fate.REWORK)

    result = year.cchc("audit", "replay", "--task", reworked.removeprefix("cchc-task/"))

    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Phát lại 1 lịch sử trên mã nguồn hiện tại: đạt." in text
    (returned,) = [
        step.request.actor
        for step in year.script.steps
        if step.action is Action.REVIEW
        and not step.request.approve
        and task_workflow_id(year.plan_id, step.task_code, step.occurrence_key) == reworked
    ]
    for words in ("trả lại", "bị trả lại", returned.user, label(returned.role), "Sản phẩm chưa có số liệu"):
        assert words in text


def test_the_histories_go_to_the_out_folder_as_json_that_temporal_reads_back(year, tmp_path):
    result = year.cchc("audit", "replay", "--plan", "10/KH-UBND", "--out", tmp_path / "histories")

    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "histories").rglob("*.json"))
    assert len(files) == len(year.script.fates) - year.script.count(Fate.NEVER_DONE)
    for file in files:
        history = WorkflowHistory.from_json("audit", file.read_text(encoding="utf-8"))
        assert history.run_id == file.stem


def test_an_unknown_task_is_said_so(year):
    result = year.cchc("audit", "replay", "--task", "1/IX.9/2024")

    assert result.exit_code == 1
    assert "không có nhiệm vụ “1/IX.9/2024” trong nhật ký" in result.stderr


# --- the state on a day ------------------------------------------------------------------------


def scripted_state(script: Script, key: tuple[str, str], day: date) -> TaskState | None:
    """The state the script had brought an occurrence to by the end of `day`."""
    if day < script.start.date():
        return None
    state = TaskState.ASSIGNED
    for step in script.steps:
        if (step.task_code, step.occurrence_key) == key and step.at <= end_of_day(day):
            for event in lifecycle_events(step, state):
                moved = transition(state, event)
                assert not isinstance(moved, Rejected), (key, step.action, moved)
                state = moved
    return state


def lifecycle_events(step: Step, state: TaskState) -> list[TaskEvent]:
    if isinstance(step.request, ReviewDecision):
        started = [TaskEvent.START_REVIEW] if state is TaskState.EVIDENCE_SUBMITTED else []
        return [*started, TaskEvent.APPROVE if step.request.approve else TaskEvent.RETURN]
    return [
        {
            Action.ACKNOWLEDGE: TaskEvent.ACKNOWLEDGE,
            Action.REPORT_PROGRESS: TaskEvent.REPORT_PROGRESS,
            Action.SUBMIT_EVIDENCE: TaskEvent.SUBMIT_EVIDENCE,
            Action.EXTEND_DEADLINE: TaskEvent.EXTEND_DEADLINE,
            Action.WAIVE: TaskEvent.WAIVE,
        }[step.action]
    ]


@pytest.mark.parametrize("day", ["14/01/2024", "15/01/2024", "04/03/2024", "07/06/2024", "31/12/2024"])
def test_at_a_date_every_task_is_in_the_state_the_script_had_brought_it_to(year, day):
    result = year.cchc("audit", "replay", "--plan", "10/KH-UBND", "--at", day, "--json")

    assert result.exit_code == 0, result.output
    on = datetime.strptime(day, "%d/%m/%Y").date()
    shown = {task["id"]: task["state"] for task in json.loads(result.stdout)["tasks"]}
    expected = {}
    for key in year.script.fates:
        state = scripted_state(year.script, key, on)
        expected[task_workflow_id(year.plan_id, *key)] = state.value if state else None
    assert shown == expected


# --- verify ------------------------------------------------------------------------------------


def test_the_demos_log_verifies_against_its_archived_histories(year):
    result = year.cchc("audit", "verify", "--plan", "10/KH-UBND", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["intact"], report["tasks"], report["broken"]) == (True, len(year.script.fates), [])
    assert report["archived_runs"] == len(year.script.fates) - year.script.count(Fate.NEVER_DONE)


# --- the evidence package ------------------------------------------------------------------------


def test_the_package_holds_every_approved_document_once_in_each_folder_of_its_task(year, tmp_path):
    result = year.cchc("evidence", "export", tmp_path / "package.zip", "--plan", "10/KH-UBND", "--json")

    assert result.exit_code == 0, result.output
    package = (tmp_path / "package.zip").read_bytes()
    files = evidence_files(package)
    groups = {task.code: groups_of(task.criteria, task.section) for task in year.plan.tasks}
    assert len(files) == len(set(files))
    assert set(files) == expected_files(year.script, groups)
    assert {folder for folder, _ in files} == {"tieu-chi-1.1", "tieu-chi-1.3", "muc-II"}
    assert json.loads(result.stdout)["missing_evidence"] == []
    assert manifest_matches_files(package)


def test_every_document_the_demo_submitted_is_a_file_of_its_commune_for_the_web_to_serve(year):
    engine = make_engine(f"sqlite:///{year.data_dir / 'cchc.db'}")
    try:
        with engine.connect() as connection:
            held = set(connection.execute(select(EvidenceFileRow.commune, EvidenceFileRow.sha256)).all())
    finally:
        engine.dispose()
    assert held == {(year.plan.commune, digest) for digest in year.script.documents}


def test_two_exports_of_the_same_data_are_the_same_bytes(year, tmp_path):
    for name in ("first.zip", "second.zip"):
        assert year.cchc("evidence", "export", tmp_path / name, "--plan", "1").exit_code == 0

    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()


def test_the_index_lists_every_occurrence_with_its_outcome_and_the_packages_chain_head(year, tmp_path):
    year.cchc("evidence", "export", tmp_path / "package.zip", "--plan", "1")

    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        page = archive.read("index.html").decode()
        head = json.loads(archive.read("manifest.json"))["chain_head"]
        sheet = _sheet_rows(archive.read("index.xlsx"))
        names = archive.namelist()
    verified = json.loads(year.cchc("audit", "verify", "--plan", "1", "--json").stdout)
    assert head == verified["head"] and head in page
    occurrences = {row[0] for row in sheet}
    assert len(occurrences) == len(year.script.fates)
    outcomes = {row[8] for row in sheet}
    assert {"Hoàn thành đúng hạn", "Đã dừng thực hiện", "Chưa hoàn thành (đang thực hiện)"} <= outcomes
    assert any(outcome.startswith("Hoàn thành trễ hạn ") for outcome in outcomes)
    assert sum(name.startswith("lich-su/") for name in names) == verified["archived_runs"]
    assert sum(name.startswith("nhat-ky/") for name in names) == len(year.script.fates)


# --- the December work list ------------------------------------------------------------------------


def test_the_work_list_names_what_lacks_evidence_what_is_late_and_what_is_still_due(year):
    result = year.cchc("evidence", "status", "--plan", "1", "--on", "02/12/2024", "--json")

    assert result.exit_code == 0, result.output
    work = json.loads(result.stdout)
    (never_done,) = year.with_fate(Fate.NEVER_DONE)
    (on_time,) = year.with_fate(Fate.ON_TIME)  # I.6, due 09/12/2024
    (late,) = year.with_fate(Fate.LATE)
    (extended,) = year.with_fate(Fate.EXTENDED)  # its document is dated after the plan's deadline
    assert [task["id"] for task in work["without_evidence"]] == [never_done, on_time]
    assert {task["id"] for task in work["late"]} == {never_done, late, extended}
    assert [task["id"] for task in work["still_due"]] == [on_time]
    lacking = [(group["group"], group["lacking"]) for group in work["groups_lacking_evidence"]]
    assert lacking == [("Tiêu chí 1.1", 2), ("Tiêu chí 1.3", 2)]


def test_the_work_list_speaks_vietnamese(year):
    result = year.cchc("evidence", "status", "--plan", "1", "--on", "02/12/2024")

    assert result.exit_code == 0, result.output
    for words in (
        "Tiêu chí / mục còn thiếu tài liệu kiểm chứng",
        "Nhiệm vụ trễ hạn",
        "Còn đến hạn từ nay đến 31/12/2024",
    ):
        assert words in result.stdout


def _sheet_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]

"""`cchc audit verify`: a row changed, removed or added behind the application's back is named
(task and event) and the command exits non-zero, on both backends; with the task's Temporal
history archived, even an attacker who recomputes the chain is caught."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from cli import audit
from config import get_settings
from evidence.audit_log import seal
from evidence.verify import verify
from persistence.archive_tables import ArchivedHistoryRow
from persistence.task_tables import TaskEventRow, TaskRunRow
from tests.evidence.tasks import archived_task
from tests.evidence.test_audit_log import WORKFLOW_ID, record


@pytest.fixture
def audit_cli(monkeypatch, tmp_path, database_url):
    """`cchc audit ...` on the test's database: (exit code, stdout)."""
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CCHC_DATABASE_URL", database_url)

    def run(*args: str) -> tuple[int, str]:
        get_settings.cache_clear()
        result = CliRunner().invoke(audit.app, list(args))
        return result.exit_code, result.stdout

    return run


def behind_the_back(session_factory, statement) -> None:
    with session_factory.begin() as session:
        session.execute(statement)


def of_event(seq: int):
    return (TaskEventRow.workflow_id == WORKFLOW_ID) & (TaskEventRow.seq == seq)


def broken(session_factory, workflow_id: str = WORKFLOW_ID) -> list[tuple]:
    with session_factory() as session:
        result = verify(session, [workflow_id])
    return [(b.workflow_id, b.seq, b.kind, b.reason) for b in result.breaks]


async def test_an_untouched_log_verifies_and_the_command_says_so(session_factory, audit_cli):
    await record(session_factory, 1, 2, 3, 4)

    code, output = audit_cli("verify")

    assert code == 0, output
    assert "Nhật ký nguyên vẹn" in output and "4 sự kiện của 1 nhiệm vụ" in output


async def test_an_event_edited_behind_the_applications_back_is_named_and_verify_exits_non_zero(
    session_factory, audit_cli
):
    await record(session_factory, 1, 2, 3, 4)
    behind_the_back(session_factory, update(TaskEventRow).where(of_event(3)).values(detail="đã nhắc, không ai nghe"))

    code, output = audit_cli("verify", "--json")

    assert code == 1
    (problem,) = json.loads(output)["broken"]
    assert (problem["id"], problem["seq"], problem["kind"]) == (WORKFLOW_ID, 3, "reminder")
    assert "mã băm không khớp" in problem["reason"]
    code, text = audit_cli("verify")
    assert code == 1 and "1/I.3/2024-02" in text and "số 3 (nhắc việc)" in text


async def test_a_removed_event_breaks_the_chain_where_it_was_even_the_last_one(session_factory):
    await record(session_factory, 1, 2, 3, 4)
    behind_the_back(session_factory, delete(TaskEventRow).where(of_event(2)))
    assert broken(session_factory) == [(WORKFLOW_ID, 2, None, "thiếu sự kiện số 2")]

    behind_the_back(session_factory, delete(TaskEventRow).where(TaskEventRow.seq > 1))
    assert broken(session_factory) == [
        (WORKFLOW_ID, 2, None, "thiếu sự kiện số 2 (bảng task_runs ghi đến sự kiện số 4)")
    ]


async def test_an_event_added_without_its_hash_is_named(session_factory):
    await record(session_factory, 1, 2)
    behind_the_back(session_factory, update(TaskRunRow).values(last_seq=3))
    with session_factory.begin() as session:
        session.add(copied(last_event(session, WORKFLOW_ID), 3))

    assert broken(session_factory) == [
        (WORKFLOW_ID, 3, "reminder", "sự kiện chưa có mã băm (chưa được niêm phong vào chuỗi)")
    ]


# --- against the archived Temporal history -----------------------------------------------------


async def test_a_rehashed_edit_still_disagrees_with_the_archived_temporal_history(sqlite_sessions, vinh_khe_plan):
    workflow_id = await archived_task(sqlite_sessions, vinh_khe_plan)
    assert broken(sqlite_sessions, workflow_id) == []

    with sqlite_sessions.begin() as session:  # the attacker knows the chain's rules and seals it again
        of_task = TaskEventRow.workflow_id == workflow_id
        session.execute(update(TaskEventRow).where(of_task, TaskEventRow.kind == "approve").values(actor="chu-tich"))
        session.execute(update(TaskEventRow).where(of_task).values(chain_hash=None))
        seal(session, workflow_id)

    ((_, _seq, kind, reason),) = broken(sqlite_sessions, workflow_id)
    assert kind == "approve" and reason.startswith("khác lịch sử Temporal (run ") and reason.endswith("ở: actor")


async def test_an_event_added_with_a_valid_hash_is_not_in_the_archived_history(sqlite_sessions, vinh_khe_plan):
    workflow_id = await archived_task(sqlite_sessions, vinh_khe_plan)
    with sqlite_sessions.begin() as session:
        last = last_event(session, workflow_id)
        session.add(copied(last, last.seq + 1))
        seal(session, workflow_id)

    assert broken(sqlite_sessions, workflow_id) == [
        (workflow_id, last.seq + 1, "approve", "không có trong lịch sử Temporal đã lưu trữ")
    ]


async def test_an_altered_archived_history_is_named(sqlite_sessions, vinh_khe_plan):
    workflow_id = await archived_task(sqlite_sessions, vinh_khe_plan)
    behind_the_back(
        sqlite_sessions,
        update(ArchivedHistoryRow).values(history=ArchivedHistoryRow.history + " "),
    )

    ((_, seq, _, reason),) = broken(sqlite_sessions, workflow_id)
    assert seq is None and "không khớp mã SHA-256 đã ghi" in reason


def copied(row: TaskEventRow, seq: int) -> TaskEventRow:
    """A new row like `row`, numbered `seq`, without a hash."""
    columns = {column.key: getattr(row, column.key) for column in TaskEventRow.__table__.columns}
    return TaskEventRow(**{**columns, "id": None, "seq": seq, "chain_hash": None})


def last_event(session, workflow_id: str) -> TaskEventRow:
    query = select(TaskEventRow).where(TaskEventRow.workflow_id == workflow_id).order_by(TaskEventRow.seq.desc())
    return session.scalars(query).first()

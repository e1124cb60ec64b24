"""How `cchc audit` looks to auditors (Vietnamese, rich) and to programs (one JSON document)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.task_render import state_label, timeline_table
from domain.assessment_round import RoundEntryKind, RoundRole, RoundState
from domain.formatting import dmy
from domain.lifecycle import TaskEntryKind
from domain.roles import Role
from domain.vocabulary import label
from evidence.audit_log import TimelineRow
from evidence.verify import Verification
from persistence.archive_tables import ArchivedHistoryRow
from persistence.task_tables import TaskRunRow
from services.tasks import short_id
from workflows.round_contracts import ROUND_WORKFLOW_PREFIX, is_round


@dataclass
class TaskAudit:
    """One task occurrence, or one PAR round, as `cchc audit replay` reports it."""

    workflow_id: str
    run: TaskRunRow | None  # a round has none
    events: Sequence[TimelineRow]
    runs: list[ArchivedHistoryRow]
    failures: dict[str, str] = field(default_factory=dict)  # run id -> why its replay failed

    @property
    def heading(self) -> str:
        if is_round(self.workflow_id):
            return f"Đợt đánh giá PAR {audit_name(self.workflow_id)}"
        run = self.run
        what = f" · {run.task_code} ({run.occurrence_key}): {run.title}" if run else ""
        return f"Nhiệm vụ {short_id(self.workflow_id)}{what}"


def audit_name(workflow_id: str) -> str:
    """How a report names a workflow: "1/I.3/2024-02" for a task, "năm 2025 · Vĩnh Khê" for a round."""
    if is_round(workflow_id):
        year, _, commune = workflow_id.removeprefix(ROUND_WORKFLOW_PREFIX).partition("/")
        return f"năm {year} · {commune}"
    return short_id(workflow_id)


def kind_label(workflow_id: str, kind: str) -> str:
    """A recorded kind in words; one no workflow records (an altered log) as it is written."""
    kinds = RoundEntryKind if is_round(workflow_id) else TaskEntryKind
    try:
        return label(kinds(kind))
    except ValueError:
        return kind


def state_of(workflow_id: str, state: str) -> str:
    return label(RoundState(state)) if is_round(workflow_id) else state_label(state)


def role_label(workflow_id: str, role: str) -> str:
    if is_round(workflow_id) and role in {round_role.value for round_role in RoundRole}:
        return label(RoundRole(role))
    return label(Role(role))


# --- verify ----------------------------------------------------------------------------------


def verification_document(result: Verification) -> dict:
    return {
        "intact": result.intact,
        "tasks": result.tasks,
        "rounds": result.rounds,
        "events": result.events,
        "archived_runs": result.runs,
        "head": result.head,
        "broken": [{"id": b.workflow_id, "seq": b.seq, "kind": b.kind, "reason": b.reason} for b in result.breaks],
    }


def print_verification(console: Console, result: Verification) -> None:
    console.print(
        f"Đã kiểm tra {result.events} sự kiện của {result.tasks} nhiệm vụ và {result.rounds} đợt đánh giá PAR, "
        f"đối chiếu với {result.runs} lịch sử Temporal đã lưu trữ.",
        markup=False,
    )
    console.print(f"Mã đầu chuỗi (SHA-256): {result.head}", markup=False)
    if result.intact:
        console.print("Nhật ký nguyên vẹn: không sự kiện nào bị sửa, thêm hay xóa.", style="green", markup=False)
        return
    table = Table(title="Chỗ đứt đầu tiên của từng nhiệm vụ, đợt đánh giá", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("Nhiệm vụ / đợt đánh giá", "Sự kiện", "Lý do"):
        table.add_column(header, overflow="fold")
    for broken in result.breaks:
        kind = f" ({kind_label(broken.workflow_id, broken.kind)})" if broken.kind else ""
        event = "" if broken.seq is None else f"số {broken.seq}{kind}"
        table.add_row(audit_name(broken.workflow_id), event, Text(broken.reason))
    console.print(table)
    console.print(
        f"Nhật ký KHÔNG nguyên vẹn: {len(result.breaks)} nhiệm vụ, đợt đánh giá có chỗ đứt.",
        style="bold red",
        markup=False,
    )


# --- replay ----------------------------------------------------------------------------------


def timeline_entries(events: Sequence[TimelineRow]) -> list[dict]:
    return [
        {
            "seq": row.seq,
            "at": row.at.isoformat(),
            "kind": row.kind,
            "state": row.state,
            "actor": row.actor,
            "role": row.role,
            "detail": row.detail,
        }
        for row in events
    ]


def replay_document(
    audits: list[TaskAudit], *, at: date | None, states: dict[str, str | None], out: str | None
) -> dict:
    tasks = []
    for audit in audits:
        task = {
            "id": audit.workflow_id,
            "round": is_round(audit.workflow_id),
            "task_code": audit.run.task_code if audit.run else None,
            "occurrence_key": audit.run.occurrence_key if audit.run else None,
            "title": audit.run.title if audit.run else None,
            "runs": [
                {"run_id": run.run_id, "status": run.status, "failure": audit.failures.get(run.run_id)}
                for run in audit.runs
            ],
        }
        if at is None:
            task["timeline"] = timeline_entries(audit.events)
        else:
            task["state"] = states.get(audit.workflow_id)
        tasks.append(task)
    return {
        "at": at.isoformat() if at else None,
        "replayed": sum(len(audit.runs) for audit in audits),
        "failed": sum(len(audit.failures) for audit in audits),
        "out": out,
        "tasks": tasks,
    }


def print_timelines(console: Console, audits: list[TaskAudit]) -> None:
    for audit in audits:
        console.print(audit.heading, style="bold", markup=False)
        console.print(replay_line(audit), markup=False)
        wid = audit.workflow_id
        entries = [{**entry, "role": role_label(wid, entry["role"])} for entry in timeline_entries(audit.events)]
        console.print(
            timeline_table(
                entries,
                kinds=partial(kind_label, wid),
                states=partial(state_of, wid),
            )
        )


def print_states_on(console: Console, audits: list[TaskAudit], day: date, states: dict[str, str | None]) -> None:
    table = Table(title=f"Trạng thái cuối ngày {dmy(day)}", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("Nhiệm vụ / đợt đánh giá", "Kỳ", "Trạng thái", "Phát lại"):
        table.add_column(header, overflow="fold")
    for audit in audits:
        state = states.get(audit.workflow_id)
        table.add_row(
            audit_name(audit.workflow_id),
            audit.run.occurrence_key if audit.run else "",
            state_of(audit.workflow_id, state) if state else "chưa được giao",
            "không đạt" if audit.failures else ("đạt" if audit.runs else "chưa lưu trữ"),
        )
    console.print(table)


def replay_line(audit: TaskAudit) -> str:
    if not audit.runs:
        return "Chưa có lịch sử Temporal lưu trữ (workflow chưa kết thúc)."
    if not audit.failures:
        return f"Phát lại {len(audit.runs)} lịch sử trên mã nguồn hiện tại: đạt."
    failed = "; ".join(f"run {run_id}: {why}" for run_id, why in audit.failures.items())
    return f"Phát lại KHÔNG ĐẠT: {failed}"


def print_replay_summary(console: Console, audits: list[TaskAudit], written: int, out: str | None) -> None:
    replayed = sum(len(audit.runs) for audit in audits)
    failed = [audit for audit in audits if audit.failures]
    unarchived = sum(1 for audit in audits if not audit.runs)
    console.print(
        f"Đã phát lại {replayed} lịch sử của {len(audits) - unarchived} nhiệm vụ, đợt đánh giá; "
        f"{unarchived} chưa có lịch sử lưu trữ.",
        markup=False,
    )
    if out is not None:
        console.print(f"Đã ghi {written} tệp lịch sử (JSON) vào {out}.", markup=False)
    for audit in failed:
        line = f"Phát lại không đạt: {audit.heading}. {replay_line(audit)}"
        console.print(line, style="bold red", markup=False)

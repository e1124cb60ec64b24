"""`cchc audit verify`: recompute every task's and PAR round's chain and cross-check it with
the archived Temporal histories; the first broken link of each one that has one.

A task's (or round's) chain breaks at the first event that is missing (a gap in seq, or fewer events than
`task_runs.last_seq` says were recorded, for tasks), has no hash, or whose hash is not the one its content
and its predecessor's hash give. Each archived run of the task must match its stored SHA-256,
and every event its record activities carried must be in the log as carried. When every run
of the task is archived, from its first to a last one that did not continue as new, every
event of the log must also be in them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.archive import archived_runs, history_of
from evidence.audit_log import TimelineRow, head_of, timelines
from evidence.chain import GENESIS, document_of, link
from evidence.recorded import recorded_documents
from persistence.archive_tables import ArchivedHistoryRow
from persistence.task_tables import TaskRunRow


@dataclass(frozen=True)
class Break:
    """Where a task's or round's record stops being trustworthy, and why (Vietnamese)."""

    workflow_id: str
    seq: int | None  # the event; None when an archived history itself is altered
    kind: str | None  # the event's kind, when the log has it
    reason: str


@dataclass(frozen=True)
class Verification:
    tasks: int
    rounds: int  # PAR rounds
    events: int
    runs: int  # archived runs cross-checked
    head: str  # the chains' head over these workflows (evidence.chain.plan_head)
    breaks: list[Break]  # the first of each broken chain, by workflow id

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify(session: Session, task_ids: Iterable[str], round_ids: Iterable[str] = ()) -> Verification:
    rounds = sorted(round_ids)
    ids = sorted([*task_ids, *rounds])
    events = timelines(session, ids)
    runs = archived_runs(session, ids)
    last_seqs = dict(
        session.execute(
            select(TaskRunRow.workflow_id, TaskRunRow.last_seq).where(TaskRunRow.workflow_id.in_(ids))
        ).all()
    )
    breaks = []
    for workflow_id in ids:
        rows = events.get(workflow_id, [])
        found = chain_breaks(workflow_id, rows, last_seqs.get(workflow_id, 0))
        found += history_breaks(workflow_id, rows, runs.get(workflow_id, []))
        if found:
            breaks.append(min(found, key=lambda b: (b.seq is not None, b.seq or 0)))
    return Verification(
        tasks=len(ids) - len(rounds),
        rounds=len(rounds),
        events=sum(map(len, events.values())),
        runs=sum(map(len, runs.values())),
        head=head_of(events),
        breaks=breaks,
    )


def chain_breaks(workflow_id: str, rows: Sequence[TimelineRow], last_seq: int) -> list[Break]:
    """The first broken link of the chain, if any."""
    previous = GENESIS
    for seq, row in enumerate(rows, start=1):
        if row.seq != seq:
            return [Break(workflow_id, seq, None, f"thiếu sự kiện số {seq}")]
        if row.chain_hash is None:
            return [Break(workflow_id, seq, row.kind, "sự kiện chưa có mã băm (chưa được niêm phong vào chuỗi)")]
        if row.chain_hash != link(previous, document_of(row)):
            return [Break(workflow_id, seq, row.kind, "mã băm không khớp: nội dung sự kiện hoặc mã băm đã bị sửa")]
        previous = row.chain_hash
    if last_seq > len(rows):
        missing = len(rows) + 1
        reason = f"thiếu sự kiện số {missing} (bảng task_runs ghi đến sự kiện số {last_seq})"
        return [Break(workflow_id, missing, None, reason)]
    return []


def history_breaks(workflow_id: str, rows: Sequence[TimelineRow], runs: list[ArchivedHistoryRow]) -> list[Break]:
    """Where the log and the workflow's archived Temporal histories disagree."""
    logged = {row.seq: row for row in rows}
    found, carried = [], set()
    for run in runs:
        if hashlib.sha256(run.history.encode()).hexdigest() != run.sha256:
            reason = f"bản lưu lịch sử Temporal (run {run.run_id}) không khớp mã SHA-256 đã ghi"
            found.append(Break(workflow_id, None, None, reason))
            continue
        for recorded in recorded_documents(history_of(run)):
            seq = recorded["seq"]
            carried.add(seq)
            problem = _disagreement(logged.get(seq), recorded, run.run_id)
            if problem:
                found.append(Break(workflow_id, seq, recorded["kind"], problem))
    if whole_history(runs):
        found += [
            Break(workflow_id, seq, row.kind, "không có trong lịch sử Temporal đã lưu trữ")
            for seq, row in logged.items()
            if seq not in carried
        ]
    return found


def _disagreement(row: TimelineRow | None, recorded: dict, run_id: str) -> str | None:
    if row is None:
        return f"có trong lịch sử Temporal (run {run_id}) nhưng không có trong nhật ký"
    logged = document_of(row)
    fields = sorted(key for key in recorded if logged.get(key) != recorded[key])
    return f"khác lịch sử Temporal (run {run_id}) ở: {', '.join(fields)}" if fields else None


def whole_history(runs: list[ArchivedHistoryRow]) -> bool:
    """Whether the archive holds a closed run and every run back to the first of its chain."""
    by_id = {run.run_id: run for run in runs}
    for last in (run for run in runs if run.status != "continued_as_new"):
        run: ArchivedHistoryRow | None = last
        while run is not None and run.previous_run_id:
            run = by_id.get(run.previous_run_id)
        if run is not None:
            return True
    return False

"""Amending a started plan: the difference shown, then, once confirmed, applied to the running
workflows through their own updates.

Three steps, each safe to repeat:

1. `preview_amendment`: the stored plan against its new version (a corrected file of the same
   plan, or a "Kế hoạch điều chỉnh, bổ sung" giving the plan's tasks as amended), with the
   current state of every running occurrence. Nothing is written.
2. `record_amendment` (in the caller's transaction): the amending document, who confirmed
   it, the changes and the plan as it stood are stored, and the stored plan becomes the new
   version. The same document confirmed again finds its row and changes nothing.
3. `apply_amendment`: every recorded change reaches its workflow: a removed occurrence is
   waived, a moved due date goes through extend_deadline (its reminders are re-planned), a
   changed lead through reassign, each citing the document; new occurrences start. Each
   change first asks the workflow where it stands, so a re-run after a crash half-way does
   not apply anything twice; finished tasks never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import FailureError

from domain.errors import CchcError, ErrorCategory
from domain.lifecycle import TaskState, is_final
from domain.models import Plan
from domain.plan_changes import Change, ChangeKind, aligned, plan_changes, unit_keys
from domain.roles import Action, Actor
from domain.units import unit_key
from domain.vocabulary import label
from persistence.amendment_tables import AmendmentRow
from persistence.plans import find_plan_id, load_plan, replace_plan_content
from persistence.task_tables import TaskRunRow
from services.plan_start import ALLOWED_ROLES, NotAllowed, start_plan
from services.tasks import UPDATES, NoWorkerAnswer, TaskNotFound, execute_update, query_snapshot
from workflows.contracts import TASK_QUEUE, AmendmentRef, DeadlineExtension, Reassignment, Waiver, task_workflow_id


class AmendmentRefused(CchcError, ValueError):
    """The new version cannot amend this plan; the message is for people (Vietnamese)."""

    category = ErrorCategory.BAD_INPUT


@dataclass(frozen=True)
class AmendingDocument:
    ref: AmendmentRef
    source_file: str
    source_sha256: str


@dataclass(frozen=True)
class AmendmentPreview:
    plan_id: int
    plan_number: str
    document: AmendingDocument
    plan: Plan  # the new version, its moved occurrences keeping their workflows' keys
    changes: list[Change]


# What applying a change did, for people.
APPLIED = "đã áp dụng"
ALREADY_APPLIED = "đã áp dụng trước đó"
STARTED = "đã khởi động"
NOT_STARTED = "chưa khởi động: chỉ cập nhật kế hoạch"
PLAN_ONLY = "chỉ cập nhật kế hoạch (nhiệm vụ đang chạy giữ tên cũ)"
NO_ANSWER = "chưa áp dụng: không có worker trả lời (chạy lại lệnh để tiếp tục)"


def preview_amendment(
    session: Session, plan_ref: int | str, new_plan: Plan, document: AmendingDocument, *, year: int | None = None
) -> AmendmentPreview:
    plan_id = find_plan_id(session, plan_ref, year=year)
    old = load_plan(session, plan_id)
    if unit_key(new_plan.commune) != unit_key(old.commune) or new_plan.year != old.year:
        raise AmendmentRefused(
            f"văn bản {document.ref.number} là kế hoạch của {new_plan.commune} năm {new_plan.year}, "
            f"không điều chỉnh được kế hoạch {old.number} của {old.commune} năm {old.year}"
        )
    new_plan = aligned(old, new_plan)
    changes = plan_changes(old, new_plan, _states(session, plan_id))
    return AmendmentPreview(plan_id, old.number, document, new_plan, changes)


def record_amendment(session: Session, preview: AmendmentPreview, actor: Actor, now: datetime) -> int:
    """Store the confirmed amendment and make the stored plan its new version; the row's id."""
    if actor.role not in ALLOWED_ROLES:
        raise NotAllowed(f"{actor.user} ({actor.role.value}) không có quyền điều chỉnh kế hoạch")
    document = preview.document
    existing = session.scalar(
        select(AmendmentRow.id).where(
            AmendmentRow.plan_id == preview.plan_id, AmendmentRow.source_sha256 == document.source_sha256
        )
    )
    if existing is not None:
        return existing
    row = AmendmentRow(
        plan_id=preview.plan_id,
        document_number=document.ref.number,
        document_date=document.ref.issued,
        document_title=document.ref.title,
        source_file=document.source_file,
        source_sha256=document.source_sha256,
        confirmed_by=actor.user,
        confirmed_role=actor.role.value,
        confirmed_at=now,
        previous=load_plan(session, preview.plan_id).model_dump(mode="json"),
        changes=[change.model_dump(mode="json") for change in preview.changes],
        outcomes={},
    )
    session.add(row)
    replace_plan_content(session, preview.plan_id, preview.plan)
    session.flush()
    return row.id


async def apply_amendment(
    client: Client,
    session_factory: sessionmaker[Session],
    amendment_id: int,
    actor: Actor,
    *,
    task_queue: str = TASK_QUEUE,
    now: datetime | None = None,
    clock_offset: timedelta = timedelta(0),
) -> dict[str, str]:
    """Apply the recorded amendment to the running workflows; what became of each change, by id."""
    with session_factory() as session:
        row = session.get(AmendmentRow, amendment_id)
        if row is None:
            raise LookupError(f"no amendment {amendment_id}: apply the id record_amendment returned")
        plan_id = row.plan_id
        ref = AmendmentRef(number=row.document_number, issued=row.document_date, title=row.document_title)
        changes = [Change.model_validate(change) for change in row.changes]
    outcomes: dict[str, str] = {}
    for change in changes:
        if change.kind is not ChangeKind.ADDED:
            workflow_id = task_workflow_id(plan_id, change.task_code, change.occurrence_key)
            outcomes[change.id] = change.kept_because or await _apply(client, workflow_id, change, ref, actor)
    added = [change for change in changes if change.kind is ChangeKind.ADDED]
    if added:
        with session_factory.begin() as session:
            report = await start_plan(
                client, session, plan_id, actor=actor, task_queue=task_queue, now=now, clock_offset=clock_offset
            )
        running = {(ref.task_code, ref.occurrence_key) for ref in (*report.started, *report.already_running)}
        for change in added:
            started = (change.task_code, change.occurrence_key) in running
            outcomes[change.id] = STARTED if started else "chưa khởi động: đã quá hạn"
    with session_factory.begin() as session:
        session.execute(update(AmendmentRow).where(AmendmentRow.id == amendment_id).values(outcomes=outcomes))
    return outcomes


async def _apply(client: Client, workflow_id: str, change: Change, ref: AmendmentRef, actor: Actor) -> str:
    try:
        snapshot = await query_snapshot(client, workflow_id)
    except TaskNotFound:
        return NOT_STARTED
    if snapshot is None:
        return NO_ANSWER
    if is_final(snapshot.state):
        return f"giữ nguyên: nhiệm vụ đã kết thúc ({label(snapshot.state)})"
    reason = f"Điều chỉnh kế hoạch {ref.cite()}"
    request: Waiver | DeadlineExtension | Reassignment
    match change.kind:
        case ChangeKind.REMOVED:
            action, request = Action.WAIVE, Waiver(actor=actor, reason=reason, amendment=ref)
        case ChangeKind.DUE_MOVED if snapshot.due != change.new_due:
            action = Action.EXTEND_DEADLINE
            request = DeadlineExtension(actor=actor, new_due=change.new_due, reason=reason, amendment=ref)
        case ChangeKind.LEAD_CHANGED if unit_keys(snapshot.lead) != unit_keys(change.new_lead):
            action = Action.REASSIGN
            request = Reassignment(actor=actor, lead=change.new_lead, reason=reason, amendment=ref)
        case ChangeKind.TITLE_CHANGED:
            return PLAN_ONLY
        case _:
            return ALREADY_APPLIED
    try:
        await execute_update(client, workflow_id, UPDATES[action], request)
    except WorkflowUpdateFailedError as exc:
        return f"không áp dụng được: {exc.cause.message if isinstance(exc.cause, FailureError) else exc}"
    except NoWorkerAnswer:
        return NO_ANSWER
    return APPLIED


def _states(session: Session, plan_id: int) -> dict[tuple[str, str], TaskState]:
    rows = session.execute(
        select(TaskRunRow.task_code, TaskRunRow.occurrence_key, TaskRunRow.state).where(TaskRunRow.plan_id == plan_id)
    )
    return {(code, key): TaskState(state) for code, key, state in rows}

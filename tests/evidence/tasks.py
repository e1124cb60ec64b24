"""A task of the small Vĩnh Khê plan done on the time-skipping server, for the audit tests."""

from __future__ import annotations

from datetime import date

from evidence.archive import archive_closed
from tests.workflows.rig import REVIEWER, at, officer, task_rig
from workflows.contracts import Acknowledge, EvidenceSubmission, ReviewDecision
from workflows.task import TaskWorkflow

CULTURE = officer("Văn hóa")
SHA = "cd" * 32


def evidence(number: str = "12/KH-UBND") -> EvidenceSubmission:
    return EvidenceSubmission(
        actor=CULTURE,
        document_number=number,
        document_date=date(2024, 1, 15),  # the plan's date: never after the task clock
        title="Kế hoạch tuyên truyền công tác CCHC năm 2024",
        file_ref=f"evidence/{SHA}",
        sha256=SHA,
    )


async def finish(handle) -> None:
    """The officer does the task, the office approves it."""
    await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=CULTURE))
    await handle.execute_update(TaskWorkflow.submit_evidence, evidence())
    await handle.execute_update(TaskWorkflow.review, ReviewDecision(actor=REVIEWER, approve=True))


async def archived_task(sessions, plan, code: str = "I.3", **options) -> str:
    """Task `code` reminded, then done on 27/02/2024, and its closed runs archived: its id."""
    async with task_rig(sessions) as rig:
        handle = await rig.start(rig.input(plan, code, **options))
        await rig.advance_to(at(27, 2, 9), handle)
        await finish(handle)
        await handle.result()
        await archive_closed(rig.client, sessions, workflow_ids=[handle.id])
        return handle.id

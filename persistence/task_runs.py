"""The read model's rows for tasks just started, before their workflows record anything."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from domain.lifecycle import TaskState
from persistence.inserts import insert_missing
from persistence.task_tables import TaskRunRow
from workflows.contracts import TaskInput


def add_started_runs(session: Session, workflows: Iterable[tuple[str, TaskInput]], now: datetime) -> None:
    """A row (assigned, seq 0) for each started workflow that has none yet.

    So `cchc task list` shows the whole plan as soon as it is started, whether or not a
    worker has run yet. A row the workflow's first event already wrote is left as it is
    (insert-or-ignore: a worker may write it at the same moment), and any later event
    overwrites this one (its seq is higher).
    """
    rows = [
        {
            "workflow_id": workflow_id,
            "commune": task.commune,
            "plan_id": task.plan_id,
            "task_code": task.task_code,
            "occurrence_key": task.occurrence_key,
            "title": task.title,
            "state": TaskState.ASSIGNED.value,
            "due_date": task.due,
            "lead": list(task.lead),
            "escalation_level": 0,
            "last_seq": 0,
            "updated_at": now,
        }
        for workflow_id, task in workflows
    ]
    insert_missing(session, TaskRunRow, rows, key=["workflow_id"])

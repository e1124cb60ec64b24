"""The read model's rows for tasks just started, before their workflows record anything."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain.lifecycle import TaskState
from persistence.task_tables import TaskRunRow
from workflows.contracts import TaskInput

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


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
    if rows:
        insert = INSERTS[session.get_bind().dialect.name]
        session.execute(insert(TaskRunRow).on_conflict_do_nothing(index_elements=["workflow_id"]), rows)

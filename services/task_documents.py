"""How a task looks to programs: one JSON-ready dict, the same in `cchc task list --json` and the API."""

from __future__ import annotations

from domain.calendar import TZ
from services.tasks import TaskSummary


def summary_document(task: TaskSummary) -> dict:
    return {
        "id": task.workflow_id,
        "commune": task.commune,
        "plan_id": task.plan_id,
        "task_code": task.task_code,
        "occurrence_key": task.occurrence_key,
        "title": task.title,
        "state": task.state.value,
        "due_date": task.due.isoformat(),
        "lead": list(task.lead),
        "overdue": task.overdue,
        "days_late": task.days_late,
        "escalation_level": task.escalation_level,
        "updated_at": task.updated_at.astimezone(TZ).isoformat(),
        "unreachable": task.unreachable,
    }

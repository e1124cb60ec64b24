"""Path and query parameters shared by the pages and the API, bounded so that no value,
however odd, reaches the database or Temporal unchecked."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from domain.lifecycle import TaskState
from web.task_views import TaskRef

MAX_ID = 2**31 - 1
# One path segment: no slash, no control character.
SEGMENT = r"^[^\x00-\x1f\x7f/]+$"

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
PlanId = Annotated[int, Path(ge=1, le=MAX_ID, description="id của kế hoạch")]
TaskCode = Annotated[str, Path(max_length=50, pattern=SEGMENT, description="mã nhiệm vụ, ví dụ I.3")]
OccurrenceKey = Annotated[str, Path(max_length=50, pattern=SEGMENT, description="kỳ thực hiện, ví dụ 2024-02")]


def task_ref(plan_id: PlanId, task_code: TaskCode, occurrence_key: OccurrenceKey) -> TaskRef:
    return TaskRef(plan_id, task_code, occurrence_key)


def optional_id(text: str | None) -> int | None:
    """A filter's id from an HTML form: "" (all) or anything not an id means no filter."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID else None


def optional_state(text: str | None) -> TaskState | None:
    try:
        return TaskState(text) if text else None
    except ValueError:
        return None

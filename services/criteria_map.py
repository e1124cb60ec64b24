"""Which PAR sub-criteria a plan's tasks count for (`tasks.criteria`): read from the plan's
"Mã số TCTP" column when it has one, set here by the office when it has not (the plans
communes write rarely do), and kept as a log of who changed what. The caller owns the
transaction.

A task's codes decide which items its occurrences count for and where its approved evidence
is filed (services/assessment, evidence/year_end); a round's sheet, once submitted, keeps the
tasks it counted whatever changes later.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from persistence.assessment_tables import CriteriaMappingRow
from persistence.tables import TaskRow
from services.assessment import AssessmentError
from services.catalogues import load_catalogue


def map_task(
    session: Session,
    *,
    plan_id: int,
    catalogue_id: int,
    task_code: str,
    codes: Iterable[str],
    actor: str,
    now: datetime,
) -> tuple[str, ...]:
    """Set the sub-criteria task `task_code` counts for to `codes` (none: it counts for none),
    each a scored item of the catalogue; the codes now in force."""
    after = tuple(dict.fromkeys(code.strip() for code in codes if code.strip()))
    unknown = [code for code in after if code not in load_catalogue(session, catalogue_id).item_codes()]
    if unknown:
        raise AssessmentError(f"bộ tiêu chí không có tiêu chí chấm điểm {', '.join(unknown)}")
    task = session.scalar(select(TaskRow).where(TaskRow.plan_id == plan_id, TaskRow.code == task_code.strip()))
    if task is None:
        raise AssessmentError(f"kế hoạch không có nhiệm vụ {task_code.strip()}")
    before = tuple(task.criteria)
    if before == after:
        return after
    task.criteria = list(after)
    session.add(
        CriteriaMappingRow(
            plan_id=plan_id,
            task_code=task.code,
            before=list(before),
            after=list(after),
            changed_by=actor,
            changed_at=now,
        )
    )
    session.flush()
    return after

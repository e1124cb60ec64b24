"""What a drafted (prose) plan says beyond the Plan itself, for the office to check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.models import Finding, Plan, Task


class HeadField(StrEnum):
    """The fields of a plan's head, named as the canonical YAML names them."""

    NUMBER = "number"
    DATE = "date"
    ISSUER = "issuer"
    COMMUNE = "commune"
    YEAR = "year"
    TITLE = "title"


@dataclass(frozen=True)
class HeadGuess:
    """A field of the plan's head the document does not give, filled in by a guess (`message`
    says which, as the reading's warning does)."""

    field: HeadField
    message: str


@dataclass(frozen=True)
class DraftedTask:
    officers: tuple[str, ...] = ()  # people the plan names for the task
    period_default: bool = False  # the task names no time: the plan's default period was used


@dataclass(frozen=True)
class NamedOfficer:
    """A person the plan names, with the unit their position names (for the people directory)."""

    name: str
    position: str
    unit: str
    line: int


def warnings_by_task(plan: Plan, warnings: Sequence[Finding]) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Each task's warnings (those on its source lines), and the others (about the plan)."""
    by_task: dict[str, list[Finding]] = {task.code: [] for task in plan.tasks}
    others = []
    for warning in warnings:
        codes = [task.code for task in plan.tasks if _on_lines(warning, task)]
        for code in codes:
            by_task[code].append(warning)
        if not codes:
            others.append(warning)
    return by_task, others


def _on_lines(warning: Finding, task: Task) -> bool:
    """The warning is about the task's source: its lines, or its table row."""
    source = task.source
    if warning.row is None or source is None:
        return False
    if source.line_start is None:
        return warning.row == source.row
    return source.line_start <= warning.row <= (source.line_end or source.line_start)

"""What an amendment changes in a started plan: the difference between two versions of it,
occurrence by occurrence, and what each difference does to the task already running.

Pure: the caller gives both plans and the current state of every running occurrence.

An occurrence is identified by its task code and occurrence key (the parts of its workflow
id), so the difference lines up with the workflows. A moved period changes the key ("Tháng
1/2024" is `2024-01`, "Tháng 2/2024" `2024-02`), so `aligned` first gives the new version's
occurrences that no longer match a key the keys of the old ones they replace, in due-date
order, when a task keeps as many of them: the same workflow then carries the task to its new
due date rather than one being waived and another started. An occurrence only the new version has
is started, one only the old version has is waived, and one both have may see its due date
moved (extend_deadline, which re-plans its reminders), its lead changed (reassign) or its
title changed (the stored plan only: no workflow update renames a running task). A finished
occurrence (approved, waived, cancelled) never changes: the difference lists it as kept,
with the reason.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from domain.lifecycle import FINAL_STATES, TaskState
from domain.models import Model, Occurrence, Plan, Task
from domain.units import unit_key


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    DUE_MOVED = "due_moved"
    LEAD_CHANGED = "lead_changed"
    TITLE_CHANGED = "title_changed"


class Change(Model):
    kind: ChangeKind
    task_code: str
    occurrence_key: str
    title: str  # the new version's title (the old one's for a removal)
    old: str | None = None  # as people read it: "29/03/2024", "Văn phòng", a title
    new: str | None = None
    new_due: date | None = None
    new_lead: tuple[str, ...] = ()
    # Set when the running task keeps its course: it is finished (approved, waived ...).
    kept_because: str | None = None

    @property
    def id(self) -> str:
        return f"{self.kind.value}:{self.task_code}:{self.occurrence_key}"

    @property
    def applies(self) -> bool:
        return self.kept_because is None


def aligned(old: Plan, new: Plan) -> Plan:
    """`new`, with the keys of the old occurrences its moved occurrences replace (see above)."""
    before = {task.code: task for task in old.tasks}
    return new.model_copy(update={"tasks": tuple(_aligned_task(before.get(task.code), task) for task in new.tasks)})


def _aligned_task(old: Task | None, new: Task) -> Task:
    if old is None:
        return new
    new_keys = {occurrence.key for occurrence in new.occurrences}
    old_keys = {occurrence.key for occurrence in old.occurrences}
    gone = sorted((o for o in old.occurrences if o.key not in new_keys), key=lambda o: o.due_date)
    moved = sorted((o for o in new.occurrences if o.key not in old_keys), key=lambda o: o.due_date)
    if not moved or len(gone) != len(moved):
        return new
    keys = {id(occurrence): former.key for occurrence, former in zip(moved, gone, strict=False)}
    occurrences = tuple(o.model_copy(update={"key": keys[id(o)]}) if id(o) in keys else o for o in new.occurrences)
    return new.model_copy(update={"occurrences": occurrences})


def plan_changes(old: Plan, new: Plan, states: dict[tuple[str, str], TaskState]) -> list[Change]:
    """Every difference between `old` and `new` (already `aligned`), in the new plan's task order.

    `states` maps (task code, occurrence key) to the state of its running workflow; an
    occurrence missing from it has not been started and changes freely.
    """
    before = _occurrences(old)
    after = _occurrences(new)
    changes: list[Change] = []
    for key, (task, occurrence) in after.items():
        if key not in before:
            changes.append(
                _change(
                    ChangeKind.ADDED,
                    key,
                    task.title,
                    new=_day(occurrence.due_date),
                    new_due=occurrence.due_date,
                    new_lead=task.lead,
                )
            )
            continue
        old_task, old_occurrence = before[key]
        if old_occurrence.due_date != occurrence.due_date:
            changes.append(
                _change(
                    ChangeKind.DUE_MOVED,
                    key,
                    task.title,
                    old=_day(old_occurrence.due_date),
                    new=_day(occurrence.due_date),
                    new_due=occurrence.due_date,
                )
            )
        if unit_keys(old_task.lead) != unit_keys(task.lead):
            changes.append(
                _change(
                    ChangeKind.LEAD_CHANGED,
                    key,
                    task.title,
                    old=", ".join(old_task.lead),
                    new=", ".join(task.lead),
                    new_lead=task.lead,
                )
            )
        if old_task.title.strip() != task.title.strip():
            changes.append(_change(ChangeKind.TITLE_CHANGED, key, task.title, old=old_task.title, new=task.title))
    for key, (task, occurrence) in before.items():
        if key not in after:
            changes.append(_change(ChangeKind.REMOVED, key, task.title, old=_day(occurrence.due_date)))
    return [_kept_if_finished(change, states.get((change.task_code, change.occurrence_key))) for change in changes]


def _kept_if_finished(change: Change, state: TaskState | None) -> Change:
    from domain.vocabulary import label  # here: the vocabulary imports this module's ChangeKind

    if state is None or state not in FINAL_STATES or change.kind is ChangeKind.ADDED:
        return change
    return change.model_copy(update={"kept_because": f"nhiệm vụ {label(state)}: không thay đổi"})


def _change(kind: ChangeKind, key: tuple[str, str], title: str, **values: str | date | tuple[str, ...]) -> Change:
    task_code, occurrence_key = key
    return Change(kind=kind, task_code=task_code, occurrence_key=occurrence_key, title=title, **values)


def _occurrences(plan: Plan) -> dict[tuple[str, str], tuple[Task, Occurrence]]:
    return {(task.code, occurrence.key): (task, occurrence) for task in plan.tasks for occurrence in task.occurrences}


def unit_keys(names: tuple[str, ...]) -> tuple[str, ...]:
    """The units named, whatever their spelling or order."""
    return tuple(sorted(unit_key(name) for name in names))


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"

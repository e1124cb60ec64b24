"""The difference an amendment makes to a started plan, occurrence by occurrence."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.lifecycle import TaskState
from domain.models import Plan, Task
from domain.plan_changes import ChangeKind, aligned, plan_changes
from importers import read_plan

SAMPLE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(SAMPLE).plan


def edited(plan: Plan, code: str, **changes) -> Plan:
    tasks = tuple(task.model_copy(update=changes) if task.code == code else task for task in plan.tasks)
    return plan.model_copy(update={"tasks": tasks})


def task(plan: Plan, code: str) -> Task:
    return next(t for t in plan.tasks if t.code == code)


def kinds(changes) -> list[tuple[ChangeKind, str]]:
    return [(change.kind, change.task_code) for change in changes]


def test_the_same_plan_makes_no_change(plan):
    assert plan_changes(plan, aligned(plan, plan), {}) == []


def test_a_task_moved_to_another_month_keeps_its_workflow_and_only_moves_its_due_date(plan):
    # I.1 "Tháng 1/2024" becomes I.3's "Tháng 2/2024": a new occurrence key, the same task.
    moved = edited(plan, "I.1", occurrences=task(plan, "I.3").occurrences)

    new = aligned(plan, moved)
    changes = plan_changes(plan, new, {})

    assert task(new, "I.1").occurrences[0].key == task(plan, "I.1").occurrences[0].key
    assert [(c.kind, c.task_code, c.old, c.new) for c in changes] == [
        (ChangeKind.DUE_MOVED, "I.1", "31/01/2024", "29/02/2024")
    ]


def test_a_quarterly_task_cut_to_two_quarters_loses_the_other_two(plan):
    quarterly = task(plan, "I.4")
    cut = edited(plan, "I.4", occurrences=quarterly.occurrences[:2])

    changes = plan_changes(plan, aligned(plan, cut), {})

    assert [(c.kind, c.occurrence_key) for c in changes] == [
        (ChangeKind.REMOVED, occurrence.key) for occurrence in quarterly.occurrences[2:]
    ]


def test_another_spelling_of_the_same_lead_is_no_change_but_another_unit_is(plan):
    respelled = edited(plan, "I.3", lead=("Văn hóa",))  # the plan writes "Văn hoá"
    reassigned = edited(plan, "I.3", lead=("Tư pháp",))

    assert plan_changes(plan, aligned(plan, respelled), {}) == []
    assert [(c.kind, c.old, c.new) for c in plan_changes(plan, aligned(plan, reassigned), {})] == [
        (ChangeKind.LEAD_CHANGED, "Văn hoá", "Tư pháp")
    ]


def test_added_removed_and_retitled_tasks_are_each_one_change_per_occurrence(plan):
    without_i2 = plan.model_copy(update={"tasks": tuple(t for t in plan.tasks if t.code != "I.2")})
    retitled = edited(without_i2, "I.5", title="Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC năm 2024")

    removed_and_retitled = plan_changes(plan, aligned(plan, retitled), {})
    added_back = plan_changes(without_i2, aligned(without_i2, plan), {})

    assert kinds(removed_and_retitled) == [(ChangeKind.TITLE_CHANGED, "I.5"), (ChangeKind.REMOVED, "I.2")]
    assert kinds(added_back) == [(ChangeKind.ADDED, "I.2")]


def test_a_finished_task_is_kept_as_it_is_and_the_difference_says_why(plan):
    gone = plan.model_copy(update={"tasks": tuple(t for t in plan.tasks if t.code not in ("I.1", "I.2", "I.3"))})
    key = {code: task(plan, code).occurrences[0].key for code in ("I.1", "I.2", "I.3")}
    states = {
        ("I.1", key["I.1"]): TaskState.APPROVED,
        ("I.2", key["I.2"]): TaskState.WAIVED,
        ("I.3", key["I.3"]): TaskState.IN_PROGRESS,
    }

    changes = {change.task_code: change for change in plan_changes(plan, gone, states)}

    assert changes["I.1"].kept_because == "nhiệm vụ đã hoàn thành: không thay đổi"
    assert changes["I.2"].kept_because == "nhiệm vụ đã dừng thực hiện: không thay đổi"
    assert changes["I.3"].applies

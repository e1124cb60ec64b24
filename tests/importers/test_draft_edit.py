"""The draft editor's operations on every task of each sample plan (the Vĩnh Khê table, the
Long Điền A and Quảng Vinh prose): each task deleted, split, merged with the next, a task added
after it, its time made unreadable; the draft, kept as YAML, reads back the same; what the
office typed is never lost, and a field that cannot be read is named on its task."""

from __future__ import annotations

from functools import cache

import pytest

from domain.models import DayOffRule
from importers import read_plan
from importers.drafts import HeadField
from importers.draft_edit import (
    DraftEditError,
    EditableDraft,
    Field,
    TypedHead,
    TypedTask,
    add_task,
    check_draft,
    delete_task,
    draft_from_yaml,
    draft_yaml,
    due_dates,
    editable_draft,
    merge_tasks,
    split_task,
    with_typed,
)
from tests.importers.corpus import PLANS

LEAD = "Văn phòng"
NUMBER = "45/KH-UBND"


@cache
def sample_draft(name: str) -> EditableDraft:
    """The sample plan's draft with a lead written where the plan names none, and its number
    where the plan gives none (Long Điền A: the file's name), as the office would."""
    path, options = PLANS[name]
    draft = editable_draft(read_plan(path, **options))
    typed = {task.key: TypedTask(lead=LEAD) for task in draft.tasks if not task.lead}
    number = NUMBER if draft.plan.guess(HeadField.NUMBER) else None
    return with_typed(draft, typed, TypedHead(number=number))


def variants() -> list[tuple[str, int]]:
    return [(name, index) for name in PLANS for index in range(len(sample_draft(name).tasks))]


def codes(draft: EditableDraft) -> list[str]:
    plan = check_draft(draft).plan
    assert plan is not None, check_draft(draft).errors
    return [task.code for task in plan.tasks]


@pytest.mark.parametrize("name", PLANS)
def test_a_sample_draft_reads_as_its_plan_and_its_yaml_reads_back_the_same(name):
    draft = sample_draft(name)
    assert draft_from_yaml(draft_yaml(draft)) == draft
    path, options = PLANS[name]
    read = read_plan(path, **options).plan
    assert codes(draft) == [task.code for task in read.tasks]


@pytest.mark.parametrize(("name", "index"), variants())
def test_each_task_deleted_leaves_the_others_as_they_were(name, index):
    draft = sample_draft(name)
    gone = draft.tasks[index]
    after = delete_task(draft, gone.key)
    assert [task.key for task in after.tasks] == [task.key for task in draft.tasks if task is not gone]
    assert gone.code not in codes(after)


@pytest.mark.parametrize(("name", "index"), variants())
def test_each_task_split_gives_two_tasks_with_their_own_codes(name, index):
    draft = sample_draft(name)
    task = draft.tasks[index]
    after = split_task(draft, task.key)
    first, second = after.tasks[index], after.tasks[index + 1]
    assert first == task and second.key != task.key
    assert second.model_dump(exclude={"key", "number"}) == task.model_dump(exclude={"key", "number"})
    read = codes(after)
    assert len(read) == len(set(read)) == len(draft.tasks) + 1
    assert second.code in read


@pytest.mark.parametrize(("name", "index"), variants())
def test_each_task_merged_with_the_next_holds_both_units_criteria_and_source_lines(name, index):
    draft = sample_draft(name)
    if index + 1 == len(draft.tasks):
        with pytest.raises(DraftEditError, match="nhiệm vụ cuối"):
            merge_tasks(draft, draft.tasks[index].key)
        return
    first, second = draft.tasks[index], draft.tasks[index + 1]
    after = merge_tasks(draft, first.key)
    merged = after.tasks[index]
    assert len(after.tasks) == len(draft.tasks) - 1 and merged.code == first.code and merged.period == first.period
    assert set(first.lead) | set(second.lead) == set(merged.lead)
    assert set(merged.criteria) == set(first.criteria) | set(second.criteria)
    assert not set(merged.coordinating) & set(merged.lead)
    assert first.title in merged.title and second.title in merged.title
    if first.source and second.source and first.source.line_start and second.source.line_end:
        assert merged.source is not None
        assert (merged.source.line_start, merged.source.line_end) == (first.source.line_start, second.source.line_end)
    assert second.code not in codes(after)


@pytest.mark.parametrize(("name", "index"), variants())
def test_a_task_added_after_each_is_refused_on_its_own_empty_fields_until_they_are_written(name, index):
    draft = sample_draft(name)
    after = add_task(draft, draft.tasks[index].key)
    added = after.tasks[index + 1]
    check = check_draft(after)
    assert check.plan is None and set(check.errors) == {added.key}
    assert set(check.errors[added.key]) == {Field.TITLE, Field.LEAD, Field.PERIOD}
    written = with_typed(after, {added.key: TypedTask(title="Rà soát TTHC", lead=LEAD, period="Quý IV")})
    assert added.code in codes(written)


@pytest.mark.parametrize(("name", "index"), variants())
def test_an_unreadable_time_is_refused_on_its_task_and_field_and_everything_typed_is_kept(name, index):
    draft = sample_draft(name)
    task = draft.tasks[index]
    typed = TypedTask(title="Tên đã sửa", lead="Tư pháp; Văn phòng", period="Sớm nhất có thể", criteria="1.1, 2.3")
    after = with_typed(draft, {task.key: typed})
    check = check_draft(after)
    assert check.plan is None and list(check.errors) == [task.key]
    assert list(check.errors[task.key]) == [Field.PERIOD]
    assert "“Sớm nhất có thể”" in check.errors[task.key][Field.PERIOD][0]
    kept = draft_from_yaml(draft_yaml(after)).tasks[index]
    assert (kept.title, kept.lead, kept.period, kept.criteria) == (
        "Tên đã sửa",
        ["Tư pháp", "Văn phòng"],
        "Sớm nhất có thể",
        ["1.1", "2.3"],
    )


@pytest.mark.parametrize("name", PLANS)
def test_deleting_every_task_but_one_and_merging_every_pair_still_reads(name):
    draft = sample_draft(name)
    merged = draft
    while len(merged.tasks) > 1:
        merged = merge_tasks(merged, merged.tasks[0].key)
    assert len(codes(merged)) == 1
    remaining = draft
    for task in draft.tasks[1:]:
        remaining = delete_task(remaining, task.key)
    assert codes(remaining) == [draft.tasks[0].code]
    with pytest.raises(DraftEditError, match="chỉ còn một nhiệm vụ"):
        delete_task(remaining, remaining.tasks[0].key)


@pytest.mark.parametrize(
    ("rule", "due"),
    [
        (DayOffRule.WITHIN_PERIOD, "29/03/2024"),
        (DayOffRule.NEXT_WORKING_DAY, "01/04/2024"),
        (DayOffRule.AS_WRITTEN, "31/03/2024"),
    ],
)
def test_a_time_is_read_with_the_drafts_own_calendar_rule(rule, due):
    draft = sample_draft("vinh-khe")
    settings = draft.settings.model_copy(update={"day_off_rule": rule})
    reading = due_dates(draft.model_copy(update={"settings": settings}), "Quý I/2024")
    assert [f"{day:%d/%m/%Y}" for day in reading.dates] == [due] and reading.rules == ("period_end",)


def test_what_is_typed_is_kept_on_one_line_without_control_characters():
    draft = sample_draft("long-dien-a")
    key = draft.tasks[0].key
    typed = TypedTask(title="  Rà soát\tthủ tục\x07\n hành chính ", lead="Tư pháp,\x1b Văn phòng ;")
    task = with_typed(draft, {key: typed}).tasks[0]
    assert (task.title, task.lead) == ("Rà soát thủ tục hành chính", ["Tư pháp", "Văn phòng"])

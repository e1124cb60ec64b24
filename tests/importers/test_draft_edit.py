"""The draft editor's operations on every task of each sample plan (the Vĩnh Khê table, the
Long Điền A and Quảng Vinh prose): each task deleted, split, merged with the next, a task added
after it, its time made unreadable; the draft, kept as YAML, reads back the same; what the
office typed is never lost, and a field that cannot be read is named on its task. The plan's
head typed in several ways is the stored plan's, a bad number, date or year is refused on its
field, and a new year recomputes every task's due dates."""

from __future__ import annotations

from functools import cache

import pytest

from domain.models import DayOffRule
from importers import read_plan
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
    issued_on,
    merge_tasks,
    split_task,
    with_typed,
)
from importers.drafts import HeadField
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


# ---------------------------------------------------------------- the plan's head

HEADS = [
    TypedHead(number="45/KH-UBND", date="15/03/2023", year="2023"),
    TypedHead(number="12/2024/KH-UBND", date="2024-12-20", year="2025", title="Cải cách hành chính năm 2025"),
    TypedHead(number="7 / KH – UBND", date="05/01/2021", issuer="UBND xã Long Điền A", commune="Long Điền A"),
    TypedHead(number="101/KH-BCĐ", date="31/12/2026", year="2027"),
]


@pytest.mark.parametrize("name", PLANS)
@pytest.mark.parametrize("typed", HEADS)
def test_each_head_typed_is_the_stored_plans_head_and_no_longer_a_guess(name, typed):
    after = with_typed(sample_draft(name), {}, typed)
    plan = check_draft(after).plan
    assert plan is not None, check_draft(after).head_errors
    expected = {**sample_draft(name).plan.model_dump(), **typed.model_dump(exclude_none=True)}
    assert plan.number == expected["number"].replace(" ", "").replace("–", "-")
    assert f"{plan.date:%d/%m/%Y}" == f"{issued_on(after.plan):%d/%m/%Y}" and str(plan.year) == expected["year"]
    title = expected["title"] or f"Kế hoạch {plan.number}"  # none given: named by its number
    assert (plan.issuer, plan.commune, plan.title) == (expected["issuer"], expected["commune"], title)
    assert {guess.field for guess in after.plan.guessed}.isdisjoint(typed.model_dump(exclude_none=True))
    assert draft_from_yaml(draft_yaml(after)) == after


@pytest.mark.parametrize("name", PLANS)
@pytest.mark.parametrize(
    ("typed", "field", "says"),
    [
        (TypedHead(number="KH 45"), HeadField.NUMBER, "số kế hoạch “KH45” không đúng dạng"),
        (TypedHead(number=""), HeadField.NUMBER, "chưa ghi số kế hoạch"),
        (TypedHead(date="31/02/2023"), HeadField.DATE, "ngày ban hành “31/02/2023” không đọc được"),
        (TypedHead(date="mười lăm tháng ba"), HeadField.DATE, "ngày ban hành “mười lăm tháng ba” không đọc được"),
        (TypedHead(year="23"), HeadField.YEAR, "năm “23” không đọc được"),
        (TypedHead(year="3023"), HeadField.YEAR, "năm “3023” không đọc được"),
        (TypedHead(issuer=" "), HeadField.ISSUER, "chưa ghi cơ quan ban hành"),
    ],
)
def test_a_bad_head_field_is_refused_on_that_field_and_everything_typed_is_kept(name, typed, field, says):
    draft = sample_draft(name)
    task = draft.tasks[0]
    after = with_typed(draft, {task.key: TypedTask(title="Tên đã sửa", period="Sớm nhất")}, typed)
    check = check_draft(after)
    assert check.plan is None and list(check.head_errors) == [field] and says in check.head_errors[field][0]
    kept = draft_from_yaml(draft_yaml(after))
    assert kept.plan == after.plan and kept.tasks[0].title == "Tên đã sửa" and kept.tasks[0].period == "Sớm nhất"
    if field in (HeadField.DATE, HeadField.YEAR):  # no due date can be read before the head is
        assert due_dates(after, "Quý I").error is not None
    else:
        assert list(check.errors) == [task.key] and list(check.errors[task.key]) == [Field.PERIOD]


YEARLESS = ("Quý I", "Quý IV", "Tháng 6", "Hằng quý", "Định kỳ hàng tháng", "trong tháng 10", "Năm")


@pytest.mark.parametrize("name", PLANS)
@pytest.mark.parametrize("shift", [-3, 1, 2])
def test_a_new_year_recomputes_the_due_dates_of_every_task(name, shift):
    draft = sample_draft(name)
    periods = {task.key: TypedTask(period=YEARLESS[i % len(YEARLESS)]) for i, task in enumerate(draft.tasks)}
    before = check_draft(with_typed(draft, periods)).plan
    year = int(draft.plan.year) + shift
    edited = with_typed(draft, periods, TypedHead(year=str(year), date=f"02/01/{year}"))
    after = check_draft(edited).plan
    assert before is not None and after is not None
    for old, new in zip(before.tasks, after.tasks, strict=True):
        dues = [o.due_date for o in new.occurrences]
        assert dues != [o.due_date for o in old.occurrences] and {day.year for day in dues} == {year}, new.period_text
        assert due_dates(edited, new.period_text).dates == tuple(dues)  # as the editor shows it


def test_the_long_dien_a_draft_marks_its_guessed_number_date_and_title_until_they_are_typed():
    path, options = PLANS["long-dien-a"]
    draft = editable_draft(read_plan(path, **options))
    assert {guess.field for guess in draft.plan.guessed} == {HeadField.NUMBER, HeadField.DATE, HeadField.TITLE}
    assert "dùng tên tệp" in (draft.plan.guess(HeadField.NUMBER) or "")
    assert not any("dùng tên tệp" in note for note in draft.notes)  # on the field, not among the plan's notes
    refused = check_draft(draft)
    assert refused.plan is None and list(refused.head_errors) == [HeadField.NUMBER]
    same = with_typed(draft, {}, TypedHead(date="01/01/2023"))
    assert same.plan.guess(HeadField.DATE) is not None  # typed as guessed: still the reader's guess
    typed = with_typed(same, {}, TypedHead(number="45/KH-UBND", date="15/03/2023"))
    assert {guess.field for guess in typed.plan.guessed} == {HeadField.TITLE}

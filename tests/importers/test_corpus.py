"""Every layout real communes type their task table in imports to the tasks of the plan it
was typed from: the same titles, leads and due dates, in the same order, in .docx, .xlsx,
.csv and .md alike. Where a layout leaves the reader guessing (a row without a number of its
own, a number used twice), the import says so on that row. The tables are generated from
the three sample plans by tests/importers/corpus.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from domain.models import RowFate
from importers import ImportResult, read_plan
from importers.rows import RowAccount, must_see
from tests.importers.corpus import (
    CASES,
    FORMATS,
    JUNK,
    PLANS,
    VARIANTS,
    Table,
    Written,
    apply,
    as_table,
    carried_tasks,
    item_number_repeated,
    numbered_twice,
    numbers_merged,
    original_plan,
    section_number_repeated,
    sections_carry_tasks,
    with_junk,
    without_own_number,
    write,
)


def changes(plan_name: str, case: str) -> bool:
    """Whether the case types this plan's table differently (a repeated section number needs
    two sections; lettered items stop at "y)")."""
    original = as_table(original_plan(plan_name))
    return not CASES[case] or apply(original, CASES[case]) != original


ALL = [(plan, case, suffix) for plan in PLANS for case in CASES if changes(plan, case) for suffix in FORMATS]


def cases_with(*variants):
    return [case for case, applied in CASES.items() if set(variants) & set(applied)]


@dataclass(frozen=True)
class Typed:
    table: Table
    written: Written
    result: ImportResult


@pytest.fixture(scope="session")
def typed(tmp_path_factory):
    """The plan's table typed as the case says, written in the format and imported: once
    for every test that looks at it."""
    done = {}

    def typed(plan_name: str, case: str, suffix: str) -> Typed:
        key = (plan_name, case, suffix)
        if key not in done:
            plan = original_plan(plan_name)
            table = apply(as_table(plan), CASES[case])
            written = write(table, tmp_path_factory.mktemp(plan_name), suffix)
            try:
                done[key] = Typed(table, written, read_plan(written.path, year=plan.year, commune=plan.commune))
            except Exception as error:  # the same failure for every test of the case
                done[key] = error
        outcome = done[key]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return typed


def essentials(tasks):
    return [(t.title, t.lead, tuple(o.due_date for o in t.occurrences)) for t in tasks]


def place(account: RowAccount) -> int | None:
    return account.row if account.row is not None else account.line


@pytest.mark.parametrize("plan_name, case, suffix", ALL)
def test_every_variant_imports_to_the_original_tasks(typed, plan_name, case, suffix):
    imported = typed(plan_name, case, suffix)
    assert essentials(imported.result.plan.tasks) == essentials(carried_tasks(imported.table))


@pytest.mark.parametrize("plan_name, case, suffix", ALL)
def test_every_task_is_accounted_for_by_exactly_one_task_row_the_one_it_was_typed_on(typed, plan_name, case, suffix):
    imported = typed(plan_name, case, suffix)
    codes = [task.code for task in imported.result.plan.tasks]
    accounts = [account for account in imported.result.rows if account.fate is RowFate.TASK]
    assert len(set(codes)) == len(codes)
    assert sorted(account.task for account in accounts) == sorted(codes)
    task_rows = [imported.written.rows[i] for i, row in enumerate(imported.table.rows) if row.task is not None]
    assert sorted(place(account) for account in accounts) == task_rows


@pytest.mark.parametrize(
    "plan_name, case, suffix",
    [
        (plan, case, suffix)
        for plan in PLANS
        for case in cases_with(numbers_merged, sections_carry_tasks)
        if changes(plan, case)
        for suffix in ("csv", "md")
    ],
)
def test_a_task_row_without_a_number_of_its_own_is_named_in_a_warning(typed, plan_name, case, suffix):
    imported = typed(plan_name, case, suffix)
    rows = [imported.written.rows[i] for i in without_own_number(imported.table)]
    assert rows
    warned = {warning.row for warning in imported.result.warnings if warning.message}
    assert [row for row in rows if row not in warned] == []


@pytest.mark.parametrize(
    "plan_name, case, suffix",
    [
        (plan, case, suffix)
        for plan in PLANS
        for case in cases_with(section_number_repeated, item_number_repeated)
        if changes(plan, case)
        for suffix in FORMATS
    ],
)
def test_a_number_used_twice_gets_a_code_of_its_own_and_a_warning_naming_both_rows(typed, plan_name, case, suffix):
    imported = typed(plan_name, case, suffix)
    tasks = imported.result.plan.tasks
    codes = [task.code for task in tasks]
    assert len(set(codes)) == len(codes)
    task_rows = [i for i, row in enumerate(imported.table.rows) if row.task is not None]
    assert len(task_rows) == len(tasks)
    code_of = dict(zip(task_rows, codes, strict=True))
    for first, again in numbered_twice(imported.table):
        rows = {imported.written.rows[first], imported.written.rows[again]}
        assert any(
            "trùng" in warning.message.lower() and rows <= {warning.row, *map(int, re.findall(r"\d+", warning.message))}
            for warning in imported.result.warnings
        ), f"no warning names rows {sorted(rows)} as numbered alike"
        if again in code_of:  # a task numbered like the one before it: that one's code and a suffix
            assert code_of[again].startswith(code_of[first]) and code_of[again] != code_of[first]


@settings(max_examples=30, deadline=None)
@given(data=st.data(), suffix=st.sampled_from(("csv", "md")))
def test_every_row_naming_a_unit_or_holding_a_time_becomes_a_task_or_is_skipped_for_a_person_to_see(
    tmp_path_factory, data, suffix
):
    """Some of the Vĩnh Khê tasks in some order, typed with some of the variants, with rows
    of junk here and there."""
    plan = original_plan("vinh-khe")
    tasks = st.lists(st.integers(0, len(plan.tasks) - 1), min_size=1, max_size=12, unique=True)
    order = data.draw(tasks, label="tasks")
    variants = data.draw(st.lists(st.sampled_from(list(VARIANTS)), max_size=5, unique=True), label="variants")
    table = apply(as_table(plan, tuple(plan.tasks[i] for i in order)), tuple(VARIANTS[v] for v in variants))
    notable = len(order)  # every task row names its lead and holds its period
    junk = st.lists(st.tuples(st.sampled_from(list(JUNK)), st.integers(0, len(table.rows))), max_size=4)
    for name, at in data.draw(junk, label="junk"):
        table = with_junk(table, at, JUNK[name][0])
        notable += JUNK[name][1]
    written = write(table, tmp_path_factory.mktemp("typed"), suffix)
    note(written.path.read_text(encoding="utf-8-sig"))
    result = read_plan(written.path, year=plan.year, commune=plan.commune)
    note("\n".join(f"{place(a)} {a.fate} {a.task or ''} {a.reason or ''} notable={a.notable}" for a in result.rows))
    assert notable == len(result.plan.tasks) + len(must_see(result.rows))

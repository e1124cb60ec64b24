"""The demo's scripted officers: pure, reproducible, and a script the task workflow accepts."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import time

import pytest

from demo.run import SAMPLE_PLAN
from demo.script import Fate, Step, write_script
from domain.calendar import WorkCalendar, end_of_day
from domain.citations import DOCUMENT_NUMBER
from domain.lifecycle import Rejected, TaskEvent, TaskState, transition
from domain.roles import Action, Role
from importers import read_plan
from tests.evidence.reading import check_the_form, printed_pages
from workflows.contracts import EvidenceSubmission, ReviewDecision, permission_problem


@pytest.fixture(scope="module")
def sample():
    return read_plan(SAMPLE_PLAN).plan


def steps_by_occurrence(script) -> dict[tuple[str, str], list[Step]]:
    steps = defaultdict(list)
    for step in script.steps:
        steps[step.task_code, step.occurrence_key].append(step)
    return steps


def lifecycle_events(step: Step, state: TaskState) -> list[TaskEvent]:
    """The lifecycle events the workflow's update for `step` goes through from `state`."""
    if step.action is Action.REVIEW:
        assert isinstance(step.request, ReviewDecision), "a review step carries a review decision"
        start = [TaskEvent.START_REVIEW] if state is TaskState.EVIDENCE_SUBMITTED else []
        return [*start, TaskEvent.APPROVE if step.request.approve else TaskEvent.RETURN]
    return [TaskEvent(step.action.value)]


def test_the_same_plan_always_gets_the_same_script(sample):
    assert write_script(sample) == write_script(sample)


def test_most_of_the_sample_is_on_time_and_one_occurrence_each_is_waived_extended_and_reworked(sample):
    fates = write_script(sample).fates

    counts = Counter(fates.values())
    assert len(fates) == 76
    assert (counts[Fate.WAIVED], counts[Fate.EXTENDED], counts[Fate.REWORK]) == (1, 1, 1)
    assert counts[Fate.NEVER_DONE] >= 1 and counts[Fate.LATE] >= 2
    assert counts[Fate.ON_TIME] > 0.75 * len(fates)
    assert fates["II.4", "before-2023-12-31"] is Fate.LATE  # already past due when the plan was issued


@pytest.mark.parametrize("plan_name", ["sample", "vinh_khe_plan"])
def test_every_step_is_one_the_workflow_accepts_from_the_right_person(plan_name, request):
    plan = request.getfixturevalue(plan_name)
    leads = {task.code: task.lead for task in plan.tasks}

    for (code, key), steps in steps_by_occurrence(write_script(plan)).items():
        state = TaskState.ASSIGNED
        for step in steps:
            assert permission_problem(step.request.actor, step.action, leads[code]) is None, step
            for event in lifecycle_events(step, state):
                state = transition(state, event)
                assert not isinstance(state, Rejected), (code, key, step.action, state)
        assert steps[0].action is Action.ACKNOWLEDGE


def test_officers_do_the_work_the_office_confirms_and_the_chairman_extends_and_stops(sample):
    roles = {(step.action, step.request.actor.role) for step in write_script(sample).steps}

    assert roles == {
        (Action.ACKNOWLEDGE, Role.OFFICER),
        (Action.REPORT_PROGRESS, Role.OFFICER),
        (Action.SUBMIT_EVIDENCE, Role.OFFICER),
        (Action.REVIEW, Role.REVIEWER),
        (Action.REVIEW, Role.CHAIRMAN),
        (Action.EXTEND_DEADLINE, Role.CHAIRMAN),
        (Action.WAIVE, Role.CHAIRMAN),
    }


def test_the_chairman_confirms_the_tasks_the_offices_own_unit_leads_and_the_office_the_others(sample):
    leads = {task.code: task.lead for task in sample.tasks}
    reviews = [step for step in write_script(sample).steps if step.action is Action.REVIEW]
    office = {step.request.actor.units for step in reviews if step.request.actor.role is Role.REVIEWER}

    assert office == {("Văn phòng",)}
    for step in reviews:
        own = "Văn phòng" in leads[step.task_code]
        assert step.request.actor.role is (Role.CHAIRMAN if own else Role.REVIEWER), step


def test_steps_fall_in_office_hours_on_working_days_never_at_an_alarm_and_one_per_occurrence_at_a_time(sample):
    script = write_script(sample)
    work = WorkCalendar(sample.settings.extra_days_off)

    for at, steps in script.batches():
        assert time(9) <= at.timetz().replace(tzinfo=None) <= time(16), at
        assert work.is_working_day(at.date()), at
        occurrences = [(step.task_code, step.occurrence_key) for step in steps]
        assert len(occurrences) == len(set(occurrences)), at
    assert script.start.isoformat() == "2024-01-15T08:00:00+07:00"
    assert script.end.date().year == 2025 and script.end > script.steps[-1].at


def test_evidence_documents_are_numbered_in_issue_order_and_dated_the_day_they_are_submitted(sample):
    submissions = [step for step in write_script(sample).steps if isinstance(step.request, EvidenceSubmission)]

    numbers = [step.request.document_number for step in submissions]
    assert [int(number.split("/")[0]) for number in numbers] == list(range(1, len(numbers) + 1))
    assert all(DOCUMENT_NUMBER.match(number) for number in numbers)
    assert all(step.request.document_date == step.at.date() for step in submissions)


def test_on_time_occurrences_are_approved_by_their_due_date_and_late_ones_after_it(sample):
    script = write_script(sample)
    dues = {(t.code, o.key): o.due_date for t in sample.tasks for o in t.occurrences}

    for occurrence, steps in steps_by_occurrence(script).items():
        approvals = [s.at for s in steps if isinstance(s.request, ReviewDecision) and s.request.approve]
        fate = script.fates[occurrence]
        if fate in (Fate.ON_TIME, Fate.REWORK):
            assert approvals and approvals[0] <= end_of_day(dues[occurrence]), occurrence
        elif fate is Fate.LATE:
            assert approvals and approvals[0] > end_of_day(dues[occurrence]), occurrence
        elif fate in (Fate.NEVER_DONE, Fate.WAIVED):
            assert not approvals, occurrence


def test_the_extended_occurrence_gets_a_later_working_day_and_is_done_by_it(sample):
    script = write_script(sample)
    work = WorkCalendar(sample.settings.extra_days_off)
    (occurrence,) = [key for key, fate in script.fates.items() if fate is Fate.EXTENDED]
    steps = steps_by_occurrence(script)[occurrence]
    (extension,) = [s.request for s in steps if s.action is Action.EXTEND_DEADLINE]
    due = next(o.due_date for t in sample.tasks for o in t.occurrences if (t.code, o.key) == occurrence)

    assert extension.new_due > due and work.is_working_day(extension.new_due)
    assert steps[-1].request.approve and steps[-1].at <= end_of_day(extension.new_due)


def test_each_evidence_document_is_laid_out_as_the_commune_issues_it_and_signed_by_its_chairman(sample, tmp_path):
    script = write_script(sample, "Trần Văn Hùng")
    submissions = [step.request for step in script.steps if isinstance(step.request, EvidenceSubmission)]
    by_type = {submission.document_number.split("/")[1]: submission for submission in submissions}

    assert set(by_type) == {"BC-UBND", "KH-UBND", "QĐ-UBND"}
    names = {"BC-UBND": "BÁO CÁO", "KH-UBND": "KẾ HOẠCH", "QĐ-UBND": "QUYẾT ĐỊNH"}
    for symbol, submission in by_type.items():
        document = script.documents[submission.sha256]
        text = check_the_form(document, number=submission.document_number, signer="Trần Văn Hùng", draft=False)
        assert f"{names[symbol]}\nVề việc: " in text, symbol
    assert printed_pages(script.documents[by_type["QĐ-UBND"].sha256], "demo-evidence-decision", tmp_path) == 1

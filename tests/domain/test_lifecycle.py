from hypothesis import given
from hypothesis import strategies as st

from domain.lifecycle import FINAL_STATES, Rejected, TaskEvent, TaskState, transition

events = st.lists(st.sampled_from(list(TaskEvent)), max_size=40)


def run(sequence, state=TaskState.ASSIGNED):
    """Apply the events, skipping rejected ones; return every state visited with its event."""
    visited = []
    for event in sequence:
        result = transition(state, event)
        if isinstance(result, Rejected):
            continue
        visited.append((state, event, result))
        state = result
    return state, visited


@given(events)
def test_no_event_sequence_reaches_an_undefined_state(sequence):
    state = TaskState.ASSIGNED
    for event in sequence:
        result = transition(state, event)
        assert isinstance(result, (TaskState, Rejected))
        if isinstance(result, TaskState):
            state = result
    assert state in set(TaskState)


@given(events)
def test_a_task_is_approved_only_through_review(sequence):
    _, visited = run(sequence)
    for before, event, after in visited:
        if after is TaskState.APPROVED and before is not TaskState.APPROVED:
            assert (before, event) == (TaskState.UNDER_REVIEW, TaskEvent.APPROVE)


@given(st.sampled_from(sorted(FINAL_STATES)), events)
def test_nothing_leaves_approved_waived_or_cancelled(final, sequence):
    for event in sequence:
        result = transition(final, event)
        assert isinstance(result, Rejected)
        assert "đã kết thúc" in result.reason


def test_the_full_happy_path_ends_approved():
    path = [
        TaskEvent.ACKNOWLEDGE,
        TaskEvent.REPORT_PROGRESS,
        TaskEvent.SUBMIT_EVIDENCE,
        TaskEvent.START_REVIEW,
        TaskEvent.APPROVE,
    ]
    state, _ = run(path)
    assert state is TaskState.APPROVED


def test_a_returned_task_goes_back_to_work_and_can_be_approved_after_rework():
    path = [TaskEvent.ACKNOWLEDGE, TaskEvent.SUBMIT_EVIDENCE, TaskEvent.START_REVIEW, TaskEvent.RETURN]
    state, _ = run(path)
    assert state is TaskState.RETURNED
    state, _ = run(
        [TaskEvent.REPORT_PROGRESS, TaskEvent.SUBMIT_EVIDENCE, TaskEvent.START_REVIEW, TaskEvent.APPROVE], state
    )
    assert state is TaskState.APPROVED


def test_approving_without_evidence_is_rejected_with_a_reason():
    result = transition(TaskState.IN_PROGRESS, TaskEvent.APPROVE)
    assert isinstance(result, Rejected)
    assert "kiểm tra" in result.reason and "đang thực hiện" in result.reason


def test_extension_and_reassignment_keep_the_state_of_an_open_task():
    for state in set(TaskState) - FINAL_STATES:
        assert transition(state, TaskEvent.EXTEND_DEADLINE) is state
        assert transition(state, TaskEvent.REASSIGN) is state


def test_the_chairman_can_waive_any_open_task():
    for state in set(TaskState) - FINAL_STATES:
        assert transition(state, TaskEvent.WAIVE) is TaskState.WAIVED

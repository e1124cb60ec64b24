"""A task's recorded entries read as typed events, and the task rebuilt from them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from domain.calendar import TZ
from domain.lifecycle import TaskState
from domain.task_events import (
    DeadlineExtended,
    EvidenceSubmitted,
    Reassigned,
    TaskEntry,
    particulars,
    task_history,
)

S = TaskState


def entry(seq: int, kind: str, state: TaskState, data: dict | None = None, actor: str = "lan") -> TaskEntry:
    at = datetime(2024, 3, seq, 9, tzinfo=TZ)
    return TaskEntry.of(seq=seq, at=at, kind=kind, state=state, actor=actor, detail="", data=data or {})


def evidence(number: str, sha: str) -> dict:
    return {
        "document_number": number,
        "document_date": "2024-03-01",
        "title": "Kế hoạch",
        "file_ref": "x",
        "sha256": sha,
    }


def test_each_kind_reads_its_particulars_as_the_workflow_records_them():
    extended = particulars("extend_deadline", {"old_due": "2024-03-29", "new_due": "2024-04-30"})
    assert extended == DeadlineExtended(old_due=date(2024, 3, 29), new_due=date(2024, 4, 30))
    cited = {"amendment": {"number": "25/KH-UBND", "issued": "2024-06-01", "title": ""}}
    moved = particulars("reassign", {"old_lead": ["Văn phòng"], "new_lead": ["Tư pháp"], "officer": None, **cited})
    assert isinstance(moved, Reassigned) and moved.new_lead == ("Tư pháp",) and moved.amendment.number == "25/KH-UBND"
    assert particulars("submit_evidence", evidence("15/QĐ-UBND", "a" * 64)).document_date == date(2024, 3, 1)
    assert particulars("escalation", {"level": 2, "scheduled_at": "2024-04-03T08:00:00+07:00"}).level == 2


def test_a_kind_no_workflow_records_or_missing_particulars_are_refused():
    with pytest.raises(ValidationError):
        particulars("rewrite_history", {})
    with pytest.raises(ValidationError):
        particulars("extend_deadline", {"new_due": "2024-04-30"})


def test_the_task_is_rebuilt_from_its_entries_in_order():
    entries = [
        entry(1, "assign", S.ASSIGNED, actor="system"),
        entry(2, "report_progress", S.IN_PROGRESS, {"percent": 40}),
        entry(3, "submit_evidence", S.EVIDENCE_SUBMITTED, evidence("1/KH-UBND", "1" * 64)),
        entry(4, "start_review", S.UNDER_REVIEW, actor="vp"),
        entry(5, "return", S.RETURNED, actor="vp"),
        entry(6, "extend_deadline", S.RETURNED, {"old_due": "2024-03-29", "new_due": "2024-04-30"}, actor="ct"),
        entry(7, "reassign", S.RETURNED, {"old_lead": ["Văn phòng"], "new_lead": ["Tư pháp"], "officer": "Hà"}),
        entry(8, "escalation", S.RETURNED, {"level": 1}, actor="system"),
        entry(9, "submit_evidence", S.EVIDENCE_SUBMITTED, evidence("2/KH-UBND", "2" * 64)),
        entry(10, "start_review", S.UNDER_REVIEW, actor="vp"),
        entry(11, "approve", S.APPROVED, actor="vp"),
    ]
    history = task_history(entries, due=date(2024, 3, 29), lead=("Văn phòng",))

    assert (history.state, history.due, history.lead, history.officer) == (
        S.APPROVED,
        date(2024, 4, 30),
        ("Tư pháp",),
        "Hà",
    )
    assert (history.progress, history.escalation_level) == (40, 1)
    assert [s.document.document_number for s in history.submissions] == ["1/KH-UBND", "2/KH-UBND"]
    assert [s.document.document_number for s in history.approved] == ["2/KH-UBND"]  # the returned one is no evidence
    assert history.approved_at == datetime(2024, 3, 11, 9, tzinfo=TZ)
    assert [e.new_due for e in history.extensions] == [date(2024, 4, 30)]
    assert all(isinstance(s.document, EvidenceSubmitted) for s in history.submissions)


def test_a_task_with_nothing_recorded_keeps_the_plans_due_date_and_lead():
    history = task_history([], due=date(2024, 3, 29), lead=("Văn phòng",))
    assert (history.state, history.due, history.lead, history.approved) == (None, date(2024, 3, 29), ("Văn phòng",), ())

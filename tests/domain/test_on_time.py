"""On time by the plan and as directed, from a task's entries: the pure rule (domain/on_time.py)."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import TZ
from domain.lifecycle import TaskState
from domain.on_time import Standing, Standings, days_late, standings
from domain.task_events import (
    Approved,
    CitedDocument,
    DeadlineExtended,
    EvidenceSubmitted,
    Particulars,
    TaskEntry,
    Waived,
    task_history,
)

DUE = date(2024, 3, 29)
AFTER_THE_YEAR = datetime(2025, 1, 15, 9, tzinfo=TZ)
AMENDING = CitedDocument(number="25/KH-UBND", issued=date(2024, 3, 1))


def entry(seq: int, day: date, state: TaskState, what: Particulars) -> TaskEntry:
    return TaskEntry(seq, datetime(day.year, day.month, day.day, 9, tzinfo=TZ), state, "ai-do", "", what)


def document(dated: date) -> EvidenceSubmitted:
    return EvidenceSubmitted(document_number="5/BC-UBND", document_date=dated, title="Báo cáo", sha256="ab" * 32)


def done(dated: date, confirmed: date, *before: TaskEntry) -> list[TaskEntry]:
    return [
        *before,
        entry(10, confirmed, TaskState.EVIDENCE_SUBMITTED, document(dated)),
        entry(11, confirmed, TaskState.APPROVED, Approved()),
    ]


def where(entries: list[TaskEntry], due: date = DUE) -> Standings:
    history = task_history(entries, due=due, lead=("Văn phòng",))
    return standings(history, history.state, AFTER_THE_YEAR)


def test_the_documents_own_date_decides_not_the_day_it_was_confirmed():
    assert where(done(date(2024, 3, 28), date(2024, 4, 10))) == Standings(Standing.ON_TIME, Standing.ON_TIME)
    assert where(done(date(2024, 4, 1), date(2024, 4, 1))) == Standings(Standing.LATE, Standing.LATE)


def test_a_chairmans_extension_counts_only_as_directed_and_an_amending_plans_counts_by_the_plan():
    extended = entry(
        1, date(2024, 3, 20), TaskState.IN_PROGRESS, DeadlineExtended(old_due=DUE, new_due=date(2024, 4, 26))
    )
    amended = DeadlineExtended(old_due=DUE, new_due=date(2024, 4, 26), amendment=AMENDING)

    # The run row holds the due date in force: the extension tells the plan's own.
    assert where(done(date(2024, 4, 5), date(2024, 4, 5), extended), due=date(2024, 4, 26)) == Standings(
        Standing.LATE, Standing.ON_TIME
    )
    moved = entry(1, date(2024, 3, 20), TaskState.IN_PROGRESS, amended)
    assert where(done(date(2024, 4, 5), date(2024, 4, 5), moved)) == Standings(Standing.ON_TIME, Standing.ON_TIME)


def test_a_stopped_task_is_not_done_by_the_plan_unless_an_amending_document_is_cited():
    stopped = [entry(1, date(2024, 3, 1), TaskState.WAIVED, Waived())]
    cited = [entry(1, date(2024, 3, 1), TaskState.WAIVED, Waived(amendment=AMENDING))]

    assert where(stopped) == Standings(Standing.NOT_DONE, Standing.NOT_COUNTED)
    assert where(cited) == Standings(Standing.NOT_COUNTED, Standing.NOT_COUNTED)


def test_days_late_count_from_the_plans_deadline_to_the_documents_date():
    late = task_history(done(date(2024, 4, 3), date(2024, 4, 20)), due=DUE, lead=("Văn phòng",))
    open_task = task_history([], due=DUE, lead=("Văn phòng",))

    assert days_late(late, late.state) == 5
    assert days_late(open_task, TaskState.IN_PROGRESS) is None

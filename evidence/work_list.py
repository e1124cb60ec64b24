"""`cchc evidence status`: the office's December work list for a plan, as of a day.

- the sub-criteria (or sections) with occurrences still lacking approved evidence;
- those occurrences: to be done (not waived or cancelled) and not approved;
- the late ones: approved after their due date, or open past it;
- what is still due from that day to the end of the plan's year;
- approved evidence whose file the evidence store does not hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from domain.calendar import end_of_day
from domain.models import Plan
from evidence.store import EvidenceStore
from evidence.year_end import Document, Group, OccurrenceRecord, year_records


@dataclass(frozen=True)
class GroupGap:
    group: Group
    to_do: int  # occurrences to be done
    approved: int

    @property
    def lacking(self) -> int:
        return self.to_do - self.approved


@dataclass(frozen=True)
class WorkList:
    on: date
    year_end: date
    gaps: list[GroupGap]
    without_evidence: list[OccurrenceRecord]
    late: list[tuple[OccurrenceRecord, int]]  # and how many days late
    still_due: list[OccurrenceRecord]
    missing_files: list[tuple[OccurrenceRecord, Document]]


def work_list(records: list[OccurrenceRecord], *, on: date, year_end: date, stored: Callable[[str], bool]) -> WorkList:
    """The work list of `records` on `on`; `stored(sha256)` says whether the store has a file."""
    to_do = [record for record in records if record.to_do]
    return WorkList(
        on=on,
        year_end=year_end,
        gaps=[gap for gap in group_gaps(to_do) if gap.lacking],
        without_evidence=[record for record in to_do if not record.approved],
        late=[(record, days) for record in to_do if (days := record.days_late or record.days_overdue(on))],
        still_due=[record for record in to_do if record.open and on <= record.due <= year_end],
        missing_files=[(r, d) for r in records for d in r.evidence if not stored(d.sha256)],
    )


def plan_work_list(session: Session, store: EvidenceStore, plan_id: int, *, on: date) -> tuple[Plan, WorkList]:
    """The stored plan and its work list on `on`, from the events recorded up to that day's end
    (`cchc evidence status`, and the web's year-end page)."""
    plan, records = year_records(session, plan_id, until=end_of_day(on))
    return plan, work_list(records, on=on, year_end=date(plan.year, 12, 31), stored=store.exists)


def late_words(record: OccurrenceRecord, days: int) -> str:
    """How late an occurrence is, for people: "trễ 3 ngày, chưa hoàn thành"."""
    return f"trễ {days} ngày" + ("" if record.approved else ", chưa hoàn thành")


def group_gaps(records: list[OccurrenceRecord]) -> list[GroupGap]:
    """Per sub-criterion or section, in the plan's order: occurrences to do, and approved."""
    counts: dict[Group, list[int]] = {}
    for record in records:
        for group in record.groups:
            tally = counts.setdefault(group, [0, 0])
            tally[0] += 1
            tally[1] += record.approved
    return [GroupGap(group, to_do, approved) for group, (to_do, approved) in counts.items()]

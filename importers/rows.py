"""What became of every source row or line that holds text: the import's accounting.

Every import (table or prose) says, for each row of its task table and each line of its
text, whether it became a task, a section heading, the continuation of a task, a header
row, part of the document around the table (its header block, body text, signature), or
was skipped, and why. A person checks from it that nothing of the plan was lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Set

from pydantic import BaseModel, ConfigDict

from domain.models import RowFate
from domain.vocabulary import label


class RowAccount(BaseModel):
    """One row of a table (`row`, within `table` when the file has several) or one line of
    text (`line`), and its fate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fate: RowFate
    row: int | None = None
    line: int | None = None
    table: str | None = None  # "bảng 2", "trang tính “Kế hoạch”": where `row` is
    task: str | None = None  # the task's code, for a task and its continuation
    reason: str | None = None  # why, for people (always given for a skipped row)
    text: str = ""  # the row's text, cells joined by " | "
    notable: bool = False  # it names a unit or holds a time expression: a person must see where it went

    def where(self) -> str:
        place = f"hàng {self.row}" if self.row is not None else f"dòng {self.line}"
        return f"{self.table}, {place}" if self.table else place


def fate_counts(rows: Iterable[RowAccount]) -> dict[RowFate, int]:
    """How many rows met each fate, in the enum's order, fates no row met left out."""
    counts = Counter(account.fate for account in rows)
    return {fate: counts[fate] for fate in RowFate if counts[fate]}


def fate_summary(rows: Iterable[RowAccount]) -> str:
    """ "28 nhiệm vụ, 8 tiêu đề mục, 2 phần tiếp của nhiệm vụ, …"."""
    return ", ".join(f"{count} {label(fate)}" for fate, count in fate_counts(rows).items())


def must_see(rows: Iterable[RowAccount]) -> list[RowAccount]:
    """The skipped rows a person must look at: those naming a unit or holding a time."""
    return [account for account in rows if account.fate == RowFate.SKIPPED and account.notable]


def with_codes(rows: Iterable[RowAccount], codes: Iterable[str]) -> tuple[RowAccount, ...]:
    """The accounts with their tasks' final codes: the n-th task row is the n-th task, and
    a continuation belongs to the task row before it."""
    codes = iter(codes)
    labelled, current = [], None
    for account in rows:
        if account.fate == RowFate.TASK:
            current = next(codes)
        if account.task is not None:
            account = account.model_copy(update={"task": current})
        labelled.append(account)
    return tuple(labelled)


def line_accounts(lines: Iterable[str], fate: RowFate, reason: str, skip: Set[int] = frozenset()) -> list[RowAccount]:
    """An account for each line (numbered from 1) that holds text and is not in `skip`."""
    return [
        RowAccount(fate=fate, line=number, reason=reason, text=" ".join(line.split()))
        for number, line in enumerate(lines, start=1)
        if line.strip() and number not in skip
    ]

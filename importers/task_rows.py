"""What each row of a task table means, the same for every format, and what became of it.

Rows are read by meaning, not by one plan's numbering style:
- a row numbered with a roman numeral, a number, a dotted number or a letter ("II", "2",
  "2.", "3.1", "a)") that holds anything a task has (lead unit, coordinating units, time,
  product, criterion codes, budget) is a task; its number also opens a group for the rows
  under it. A numbered row with only a title is a heading (a section, or a group in one);
- a row whose number cell is empty (what a merged number cell becomes in .txt and .csv)
  or carried down from a merged cell (.docx, .xlsx) and that holds what a task has is a
  further task of the group above it, numbered by its position there: "II.2" under a
  section "II" whose own row is task "II.1", "I.1.1" under task "I.1"; in text formats each
  with a warning naming the row, and its empty lead or time read as the merged cell above;
- a text line that may be wrapped (`Row.wraps`) and does not read as a task (no time the
  period grammar reads, no lead unit the table names elsewhere) continues the task above;
- the header repeated after a page break and the "(1) (2) (3)" column numbers are header
  rows; a signature block ("Nơi nhận", "TM. ỦY BAN NHÂN DÂN") and the text below the last
  task are the document; a section number used twice gets a suffix ("III-2"), with a warning.

Every row that holds text is accounted for (`importers.rows`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from domain.models import RowFate, Section, SourceRef
from domain.periods import reads_as_period
from domain.reporting import default_calendar
from importers.assembly import TaskDraft
from importers.errors import Findings
from importers.grid import Cell, Document, Grid, Row
from importers.prose_fields import time_candidates
from importers.rows import RowAccount
from importers.table import NO_TASK_TABLE, REQUIRED, Field, Header, find_header, fold, section_start, split_names

_ARABIC = re.compile(r"(?P<number>\d{1,3}(?:\.\d{1,3})*)\.?\)?\s*(?P<rest>(?!\d).*)", re.DOTALL)
_LETTER = re.compile(r"(?P<number>[a-zđ])\s*[.)]\s*(?P<rest>.*)", re.DOTALL)
_CRITERION = re.compile(r"\d+(?:\.\d+)+")
_TASK_FIELDS = (Field.LEAD, Field.COORDINATING, Field.PERIOD, Field.PRODUCT, Field.CRITERIA, Field.BUDGET)
_SIGNATURE = ("noinhan", "tmuybannhandan", "tmubnd", "ktchutich", "trenday", "kinhgui")
ROMAN_LEVEL, LETTER_LEVEL = 0, 9
_ANY_YEAR = 2024


class Numbered(NamedTuple):
    kind: str  # "roman", "arabic", "letter"
    number: str  # "II", "3.1", "a"
    rest: str  # what follows the number in the same cell: a title written across the row

    @property
    def level(self) -> int:
        if self.kind == "roman":
            return ROMAN_LEVEL
        return LETTER_LEVEL if self.kind == "letter" else 1 + self.number.count(".")


def numbered(text: str) -> Numbered | None:
    """How a number cell is numbered: "II." → roman II, "2." / "3.1" → arabic, "a)" → letter."""
    text = text.strip()
    if start := section_start(text):
        return Numbered("roman", *start)
    if match := _ARABIC.fullmatch(text) or _LETTER.fullmatch(text):
        kind = "arabic" if match.re is _ARABIC else "letter"
        return Numbered(kind, match["number"], " ".join(match["rest"].split()))
    return None


def is_time(text: str) -> bool:
    """Whether a cell is a time expression the period grammar reads whole."""
    return reads_as_period(text, year=_ANY_YEAR, plan_date=date(_ANY_YEAR, 1, 1), calendar=default_calendar())


@dataclass
class _Group:
    """A numbered row and the rows under it."""

    code: str  # "II", "I.1"
    number: str  # as written: "II", "1"
    level: int
    is_section: bool
    is_task: bool
    followers: int = 0

    @property
    def task_code(self) -> str:
        """A section's own task is its first item; any other group's task is the group."""
        return f"{self.code}.1" if self.is_section else self.code

    def next_follower(self) -> str:
        self.followers += 1
        return f"{self.code}.{self.followers + (self.is_section and self.is_task)}"

    def child_code(self, number: str) -> str:
        """ "1.2" under "I.1" extends it: "I.1.2"; "a" under "I.1" is "I.1.a"."""
        if number.startswith(self.number + "."):
            return self.code.removesuffix(self.number) + number
        return f"{self.code}.{number}"


@dataclass
class _Pending:
    """A task row, kept open for the wrapped lines that continue it."""

    row: Row
    code: str
    section: str
    title: str  # when the row's title cell is empty: the title written across after its number
    carried: dict[Field, str]  # merged cells read from the task above


@dataclass
class TableRows:
    """Reads a task table's data rows in order; `finish` gives its sections, task drafts and
    the account of every row."""

    header: Header
    report: Findings
    merges_kept: bool
    known_leads: set[str]
    table: str | None = None
    drafting: bool = False  # a draft for the office: a row's problem is a warning, never a refusal
    sections: list[Section] = field(default_factory=list)
    drafts: list[TaskDraft] = field(default_factory=list)
    accounts: list[RowAccount] = field(default_factory=list)
    _stack: list[_Group] = field(default_factory=list)
    _section_rows: dict[str, int] = field(default_factory=dict)
    _pending: _Pending | None = None
    _loose: int = 0  # tasks outside any group, numbered by position
    _signed: bool = False

    def read(self, row: Row) -> None:
        if row.is_empty():
            return
        if self._pending and row.wraps and not self._reads_as_task(row):
            self._pending.row = self._pending.row.continued_by(row)
            return
        self._flush()
        if self._is_header(row):
            self._account(row, RowFate.HEADER, reason="hàng tiêu đề của bảng")
        elif self._signed or self._starts_signature(row):
            self._signed = True
            self._account(row, RowFate.DOCUMENT, reason="phần cuối văn bản (nơi nhận, chữ ký)")
        elif all(cell.merged for cell in row.cells if cell.text):
            self._account(row, RowFate.CONTINUATION, task=self._last_code(), reason="phần còn lại của ô gộp")
        else:
            self._meaning(row)

    def finish(self) -> None:
        self._flush()
        last_task = max((i for i, a in enumerate(self.accounts) if a.fate == RowFate.TASK), default=-1)
        for i in range(last_task + 1, len(self.accounts)):
            account = self.accounts[i]
            if account.fate == RowFate.SKIPPED and not account.notable:
                self.accounts[i] = account.model_copy(
                    update={"fate": RowFate.DOCUMENT, "reason": "văn bản dưới bảng nhiệm vụ"}
                )

    # ------------------------------------------------------------ what a row means

    def _meaning(self, row: Row) -> None:
        number_cell = self._cell(row, Field.NUMBER) if Field.NUMBER in self.header.columns else None
        written = number_cell.text if number_cell is not None and not number_cell.merged else ""
        has_task = any(self._text(row, f) for f in _TASK_FIELDS)
        across = None if written else self._across(row, has_task)
        numbering = numbered(written) if written else across
        title = across.rest if across else self._text(row, Field.TITLE) or (numbering.rest if numbering else "")
        if written and numbering is None:
            if has_task and self.drafting:
                self._doubt(f"không đọc được số thứ tự “{written}”; đọc như hàng không có số", row, Field.NUMBER)
                self._follower(row, title, None)
            elif has_task:
                self._doubt(f"không đọc được số thứ tự “{written}”", row, Field.NUMBER)
                self._account(row, RowFate.SKIPPED, reason=f"không đọc được số thứ tự “{written}”")
            else:
                self._unnumbered(row, title)
        elif numbering is not None and has_task:
            group = self._open(numbering, row, title, is_task=True)
            self._task(row, group.task_code, title)
        elif numbering is not None and title:
            self._open(numbering, row, title, is_task=False)
            self._account(row, RowFate.HEADING, reason="tiêu đề mục")
        elif numbering is not None:
            self._account(row, RowFate.SKIPPED, reason="hàng chỉ có số thứ tự")
        elif has_task:
            self._follower(row, title, number_cell)
        else:
            self._unnumbered(row, title)

    def _across(self, row: Row, has_task: bool) -> Numbered | None:
        """A numbered title written across the row ("II. CẢI CÁCH THỂ CHẾ" in a merged or
        bold cell), its number cell empty."""
        filled = [cell for cell in row.cells if cell.text]
        found = numbered(filled[0].text)
        if has_task or found is None or not found.rest or not (len(filled) == 1 or filled[0].bold):
            return None
        return found

    def _unnumbered(self, row: Row, title: str) -> None:
        """A row with no number and nothing a task has: a heading when it stands out (bold
        or capitals), else skipped."""
        texts = [t for t in row.texts() if t]
        if title and (all(c.bold for c in row.cells if c.text) or all(t.isupper() for t in texts)):
            self._account(row, RowFate.HEADING, reason="tiêu đề không đánh số")
        else:
            reason = "không có nội dung nhiệm vụ, bộ phận chủ trì hay thời gian thực hiện"
            self._account(row, RowFate.SKIPPED, reason=reason, notable=self._notable(row))

    def _open(self, numbering: Numbered, row: Row, title: str, *, is_task: bool) -> _Group:
        """The group a numbered row opens, closing those at its level or below."""
        level = numbering.level
        plain_task = numbering.kind == "arabic" and level == 1 and is_task
        if plain_task and len(self._stack) == 1 and self._stack[0].is_section and self._stack[0].level == 1:
            level = 2  # "1", "2" tasks under an arabic section heading "1."
        while self._stack and self._stack[-1].level >= level:
            self._stack.pop()
        if self._stack:
            code = self._stack[-1].child_code(numbering.number)
            group = _Group(code, numbering.number, level, is_section=False, is_task=is_task)
        elif numbering.kind == "roman" or not is_task:
            code = self._section(numbering.number, title, row)
            group = _Group(code, numbering.number, level, is_section=True, is_task=is_task)
        else:
            group = _Group(numbering.number, numbering.number, level, is_section=False, is_task=is_task)
        self._stack.append(group)
        return group

    def _section(self, number: str, title: str, row: Row) -> str:
        """The section's code: its number, with a suffix when a section used it already."""
        code, n = number, 1
        while code in self._section_rows:
            n += 1
            code = f"{number}-{n}"
        if n > 1:
            self.report.warning(
                f"mục {number} trùng số với mục ở hàng {self._section_rows[number]}; mục này được ghi là {code}",
                row.number,
            )
        self._section_rows[code] = row.number
        self.sections.append(Section(code=code, title=" ".join(title.split())))
        return code

    def _follower(self, row: Row, title: str, number_cell: Cell | None) -> None:
        """A task row without a number of its own: a further task of the group above."""
        if self._stack:
            group = self._stack[-1]
            code, where = group.next_follower(), f"nhóm {group.code}"
        else:
            self._loose += 1
            code, where = str(self._loose), "bảng"
        carried: dict[Field, str] = {}
        if number_cell is not None and not number_cell.merged:
            self.report.warning(
                f"hàng không có số thứ tự (ô số thứ tự gộp?): đọc là nhiệm vụ {code} thuộc {where}",
                row.number,
                self.header.names[Field.NUMBER],
            )
            carried = self._carried_from_above(row)
        self._task(row, code, title, carried)

    def _carried_from_above(self, row: Row) -> dict[Field, str]:
        """The lead and time of the task above, for the empty cells of a row under it (in
        text, a merged cell is only in its first row)."""
        above = self.drafts[-1] if self.drafts else None
        if self.merges_kept or above is None:
            return {}
        carried = {}
        for fld, value, column in (
            (Field.LEAD, ", ".join(above.lead), above.lead_column),
            (Field.PERIOD, above.period_text, above.period_column),
        ):
            if not self._text(row, fld) and value:
                carried[fld] = value
                self.report.warning(f"ô trống, đọc như ô gộp với hàng {above.row}: “{value}”", row.number, column)
        return carried

    def _task(self, row: Row, code: str, title: str, carried: dict[Field, str] | None = None) -> None:
        section = self._stack[0].code if self._stack and self._stack[0].is_section else ""
        self._pending = _Pending(row, code, section, title, carried or {})
        if not title:
            self._pending = None
            self._doubt("nhiệm vụ không có nội dung", row, Field.TITLE)
            self._account(row, RowFate.SKIPPED, reason="hàng nhiệm vụ không có nội dung", notable=True)

    def _flush(self) -> None:
        """The open task, now that no further line continues it."""
        if self._pending is None:
            return
        pending, self._pending = self._pending, None
        row = pending.row
        draft = self._draft(row, pending)
        self.drafts.append(draft)
        self._account(row, RowFate.TASK, task=draft.code)

    def _draft(self, row: Row, pending: _Pending) -> TaskDraft:
        names = self.header.names

        def text(fld: Field) -> str:
            return pending.carried.get(fld) or self._text(row, fld)

        number = pending.code.removeprefix(f"{pending.section}.") if pending.section else pending.code
        return TaskDraft(
            section=pending.section,
            number=number,
            title=self._text(row, Field.TITLE) or pending.title,
            product=text(Field.PRODUCT) or None,
            lead=split_names(pending.carried.get(Field.LEAD) or self._cell(row, Field.LEAD).text),
            coordinating=split_names(self._cell(row, Field.COORDINATING).text),
            period_text=text(Field.PERIOD),
            criteria=self._criteria(row),
            budget=text(Field.BUDGET) or None,
            notes=self._notes(row),
            source=_source(row),
            row=row.number,
            lead_column=names[Field.LEAD],
            period_column=names[Field.PERIOD],
            coordinating_column=names.get(Field.COORDINATING),
        )

    def _criteria(self, row: Row) -> tuple[str, ...]:
        written = self._text(row, Field.CRITERIA)
        codes = tuple(_CRITERION.findall(written))
        if written and not codes:
            self.report.warning(
                f"không thấy mã tiêu chí (dạng 7.1.5) trong “{written}”", row.number, self.header.names[Field.CRITERIA]
            )
        return codes

    def _notes(self, row: Row) -> str | None:
        """The notes column, then every column the table has beyond a task's, by its header."""
        parts = [self._text(row, Field.NOTES)]
        parts += [f"{name}: {text}" for column, name in self.header.extra.items() if (text := _joined(row, column))]
        return "; ".join(part for part in parts if part) or None

    def _doubt(self, message: str, row: Row, fld: Field) -> None:
        """A row's problem: an error, in a draft a warning."""
        (self.report.warning if self.drafting else self.report.error)(message, row.number, self.header.names[fld])

    # ------------------------------------------------------------ row tests

    def _reads_as_task(self, row: Row) -> bool:
        """A possibly wrapped line that is a task of its own: a time the grammar reads, or a
        lead unit the table names on a numbered row."""
        leads = split_names(self._cell(row, Field.LEAD).text)
        return is_time(self._text(row, Field.PERIOD)) or any(fold(name) in self.known_leads for name in leads)

    def _is_header(self, row: Row) -> bool:
        texts = [t for t in row.texts() if t]
        if any([t for t in header_row.texts() if t] == texts for header_row in self.header.rows):
            return True
        numbers = [t.strip("()") for t in texts]
        return len(numbers) >= 3 and numbers == [str(n) for n in range(1, len(numbers) + 1)]

    def _starts_signature(self, row: Row) -> bool:
        return bool(self.drafts) and any(fold(t).startswith(_SIGNATURE) for t in row.texts() if t)

    def _notable(self, row: Row) -> bool:
        """It names a unit of the table or holds a time expression, in any cell."""
        if self._text(row, Field.LEAD) or self._text(row, Field.COORDINATING):
            return True
        texts = [text for text in row.texts() if text]
        folded = [fold(text) for text in texts]
        if any(unit in text for unit in self.known_leads for text in folded):
            return True
        return any(is_time(phrase) for text in texts for phrase in (text, *time_candidates(text)))

    def _account(
        self, row: Row, fate: RowFate, *, task: str | None = None, reason: str | None = None, notable: bool = False
    ) -> None:
        text = " | ".join(" ".join(t.split()) for t in row.texts() if t)
        self.accounts.append(
            RowAccount(
                fate=fate, row=row.number, table=self.table, task=task, reason=reason, text=text, notable=notable
            )
        )
        for line in row.joined:
            self.accounts.append(
                RowAccount(fate=RowFate.CONTINUATION, row=line, table=self.table, task=task, reason="dòng ngắt của ô")
            )

    def _last_code(self) -> str | None:
        return self.drafts[-1].code if self.drafts else None

    def _cell(self, row: Row, fld: Field) -> Cell:
        column = self.header.columns.get(fld)
        return row.cells[column] if column is not None and column < len(row.cells) else Cell()

    def _text(self, row: Row, fld: Field) -> str:
        return " ".join(self._cell(row, fld).text.split())


def _joined(row: Row, column: int) -> str:
    return " ".join(row.text(column).split())


def _source(row: Row) -> SourceRef:
    text = " | ".join(" ".join(t.split()) for t in row.texts() if t)
    if row.last_line is None:
        return SourceRef(row=row.number, text=text)
    return SourceRef(row=row.number, line_start=row.number, line_end=row.last_line, text=text)


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class TaskTable:
    grid: Grid
    header: Header
    sections: list[Section]
    drafts: list[TaskDraft]
    preamble: str  # what the grid holds above its header (a sheet's plan number and date)
    accounts: list[RowAccount]  # every row of the grid that holds text


def read_task_table(document: Document, report: Findings, *, drafting: bool = False) -> TaskTable | None:
    """The plan's task table: the first grid whose header has every required column. None,
    with an error, when no grid has one or its rows hold no task. When the document has
    several grids, the chosen one's label joins the file name in every finding from then on
    ("kh.docx, bảng 2")."""
    found = [(grid, *located) for grid in document.grids() if (located := find_header(grid))]
    complete = [entry for entry in found if not entry[2].missing()]
    if not complete:
        if found:
            _report_missing_columns(found[0][2], report)
        else:
            report.error(NO_TASK_TABLE)
        return None
    grid, start, header = complete[0]
    label = grid.label if len(document.grids()) > 1 else None
    if label:
        report.file = f"{report.file}, {label}"
    above = grid.rows[: start - len(header.rows)]
    leads = _numbered_leads(grid.rows[start:], header)
    reading = TableRows(header, report, document.merges_kept, leads, label, drafting)
    reading.accounts += [
        _plain(row, RowFate.DOCUMENT, label, "phần đầu văn bản") for row in above if not row.is_empty()
    ]
    reading.accounts += [_plain(row, RowFate.HEADER, label, "hàng tiêu đề của bảng") for row in header.rows]
    for row in grid.rows[start:]:
        reading.read(row)
    reading.finish()
    if not reading.drafts:
        _report_no_task(header, reading.accounts, report)
        return None
    preamble = "\n".join(text for row in above for text in row.texts() if text)
    return TaskTable(grid, header, reading.sections, reading.drafts, preamble, reading.accounts)


def other_grid_accounts(document: Document, table: Grid) -> list[RowAccount]:
    """The rows of the document's other tables: part of the document, not tasks."""
    return [
        _plain(row, RowFate.DOCUMENT, grid.label, "bảng khác, không phải bảng nhiệm vụ")
        for grid in document.grids()
        if grid is not table
        for row in grid.rows
        if not row.is_empty()
    ]


def _plain(row: Row, fate: RowFate, table: str | None, reason: str) -> RowAccount:
    text = " | ".join(" ".join(t.split()) for t in row.texts() if t)
    return RowAccount(fate=fate, row=row.number, table=table, reason=reason, text=text)


def _numbered_leads(rows: tuple[Row, ...], header: Header) -> set[str]:
    """The lead units the table names on numbered rows (folded): a wrapped line naming one
    is a task, a skipped row naming one is shown."""
    lead, number = header.columns[Field.LEAD], header.columns.get(Field.NUMBER, 0)
    return {fold(name) for row in rows if row.text(number) for name in split_names(row.text(lead))}


def _report_missing_columns(header: Header, report: Findings) -> None:
    for fld in header.missing():
        report.error(f"thiếu cột {REQUIRED[fld]} trong hàng tiêu đề “{header.written()}”", header.row)


def _report_no_task(header: Header, accounts: list[RowAccount], report: Findings) -> None:
    """No row of the table is a task: say what was seen."""
    counts = Counter(account.fate for account in accounts)
    report.error(
        f"bảng không có nhiệm vụ nào: hàng tiêu đề ở hàng {header.row} (“{header.written()}”), "
        f"{counts[RowFate.HEADING]} hàng là tiêu đề mục, {counts[RowFate.SKIPPED]} hàng bị bỏ qua, "
        f"{counts[RowFate.DOCUMENT]} hàng thuộc phần đầu hoặc cuối văn bản; một hàng nhiệm vụ cần có nội dung và "
        "bộ phận chủ trì hoặc thời gian thực hiện",
        header.row,
    )

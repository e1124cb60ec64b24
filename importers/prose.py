"""Plans written as prose (no task table): a draft of their tasks for the office to confirm.

The text becomes a paragraph tree (`prose_lines`), its tasks are found by layout
(`prose_layouts`), and each becomes a TaskDraft numbered by the items it sits in ("II" /
"4.a", "3.a.1.2": the section, then each level's number, letter or bullet position), with
its source lines and text. Its time is its time field, else the first time expression its
own text has that the period grammar reads, else the plan's default: the plan's year-end
report date when the plan sets one, else the year's end, with a warning. A time field the
grammar cannot read is a warning too (the draft keeps it for the office to correct): the
draft is assembled with `drafting=True`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from domain.models import Finding, Plan, PlanSettings, ReportingCalendar, RowFate, Section, SourceRef
from domain.periods import reads_as_period
from domain.reporting import default_calendar, find_reporting_calendar
from importers.assembly import TaskDraft, assemble_plan, default_period
from importers.drafts import DraftedTask
from importers.errors import Findings, ImportResult, fail
from importers.grid import Document
from importers.header import GivenHead, complete_head, find_head
from importers.prose_fields import field_lines, time_candidates
from importers.prose_layouts import Drafted, Layouts
from importers.prose_lines import Node, numbering_gaps, paragraphs, plain, tree
from importers.rows import RowAccount

NO_STRUCTURE = (
    "không tìm thấy nhiệm vụ nào: không có bảng nhiệm vụ (STT, Nội dung, Chủ trì, Thời gian), "
    "không có mục đánh số kèm “Cơ quan chủ trì/thực hiện: …”, không có bộ phận (“a) Bộ phận …”) "
    "hay người được phân công (“Đ/c …: …”) nhận nhiệm vụ; hãy kiểm tra tệp, hoặc viết kế hoạch theo "
    "mẫu YAML cchc-plan/1 (như tệp do “cchc plan export” xuất ra)"
)
_TIME_COLUMN = "Thời gian thực hiện"


def read_prose(
    document: Document,
    *,
    file: str,
    stem: str,
    year: int | None = None,
    commune: str | None = None,
    given: GivenHead = GivenHead(),
) -> ImportResult:
    report = Findings(file)
    root = tree(paragraphs(list(document.lines), wrapped=document.wrapped))
    layouts = Layouts(report)
    layouts.read(root)
    if not layouts.tasks:
        raise fail(file, NO_STRUCTURE)
    for line, message in numbering_gaps(root):
        report.warning(message, line)
    text = document.text_without(None)
    head = complete_head(
        given.over(find_head(text)), stem=stem, year=year, commune=commune, report=report, drafting=True
    )
    if head is None:
        report.raise_errors()
    assert head is not None  # complete_head reported why it has none: raised above
    calendar = find_reporting_calendar(text) or default_calendar()
    sections, drafts, drafted = [], [], {}
    for task in layouts.tasks:
        section, number = _place(task)
        if section not in sections:
            sections.append(section)
        code = f"{section.code}.{number}" if section.code else number
        period, is_default = _period(task, code, head, calendar, report)
        drafts.append(_draft(task, section.code, number, period, document.lines))
        drafted[drafts[-1].code] = DraftedTask(officers=task.officers, period_default=is_default)
    assemble = partial(
        assemble_plan,
        file=file,
        head=head,
        settings=PlanSettings(),
        calendar=calendar,
        sections=sections,
        drafting=True,
    )
    plan, warnings = _as_its_yaml_reads(assemble, drafts, report)
    rows = _accounts(document.lines, layouts.tasks, [task.code for task in plan.tasks])
    officers = tuple(layouts.officers.values())
    return ImportResult(plan, warnings, drafted=drafted, officers=officers, rows=rows, guessed=head["guessed"])


def _as_its_yaml_reads(assemble, drafts: list[TaskDraft], report: Findings) -> tuple[Plan, list[Finding]]:
    """The draft as its YAML will read: tasks naming units as the draft names them, the
    unit list known first; so the draft, edited or not, imports as exactly the plan drafted.
    The warnings of both readings, by line ("Công chức VP – TK" is "CC VP -TK", which is
    "Công chức Văn Phòng – Thống kê")."""
    first = assemble(tasks=drafts, findings=report)
    built = zip(drafts, first.plan.tasks, strict=True)
    named = [replace(draft, lead=task.lead, coordinating=task.coordinating) for draft, task in built]
    second = assemble(tasks=named, unit_order=tuple(u.name for u in first.plan.units), findings=Findings(report.file))
    warnings = [*first.warnings, *(w for w in second.warnings if w not in first.warnings)]
    return second.plan, sorted(warnings, key=lambda w: w.row or 0)


# ---------------------------------------------------------------- what became of each line


def _accounts(lines: tuple[str, ...], tasks: list[Drafted], codes: list[str]) -> tuple[RowAccount, ...]:
    """Each line with text: the first line of a task, the rest of one, a heading of the items
    that hold tasks, a field line outside any task (skipped: a person must see it), or the
    document's other text."""
    fates: dict[int, tuple[RowFate, str | None, str | None]] = {}
    for task, code in zip(tasks, codes, strict=True):
        for line in range(task.line_start + 1, task.line_end + 1):
            fates.setdefault(line, (RowFate.CONTINUATION, code, None))
    for task, code in zip(tasks, codes, strict=True):
        fates[task.line_start] = (RowFate.TASK, code, None)
        for node in task.node.ancestors():
            for line in range(node.line_start, node.line_end + 1):
                fates.setdefault(line, (RowFate.HEADING, None, "tiêu đề mục"))
    accounts = []
    for number, written in enumerate(lines, start=1):
        text = " ".join(written.split())
        if not text:
            continue
        fate, task_code, reason = fates.get(number) or _outside(text)
        notable = fate == RowFate.SKIPPED
        accounts.append(RowAccount(fate=fate, line=number, task=task_code, reason=reason, text=text, notable=notable))
    return tuple(accounts)


def _outside(text: str) -> tuple[RowFate, None, str]:
    if field_lines(plain(text)):
        return RowFate.SKIPPED, None, "dòng ghi bộ phận hoặc thời gian nhưng không thuộc nhiệm vụ nào"
    return RowFate.DOCUMENT, None, "văn bản kế hoạch"


# ---------------------------------------------------------------- numbering


def _place(task: Drafted) -> tuple[Section, str]:
    """The task's section and its number within it. The section is its outermost roman
    item ("II."), else its outermost heading or part ("A."); items above it prefix its code."""
    chain = [*task.node.ancestors(), task.node]
    romans = [i for i, node in enumerate(chain) if node.kind == "roman" or node.marker[:1] in ("I", "V", "X")]
    headings = [i for i, node in enumerate(chain) if node.kind == "part" or node.kind.startswith("heading")]
    if not romans and not headings:
        return Section(code="", title=""), _number(chain, task)
    k = (romans or headings)[0]
    code = ".".join(_marker(node) for node in chain[: k + 1] if node.marker or node is chain[k])
    return Section(code=code, title=chain[k].text), _number(chain[k + 1 :], task)


def _number(path: list[Node], task: Drafted) -> str:
    """The markers of the path, a number its child repeats left out ("1", "1.2" → "1.2")."""
    markers = [_marker(node) for node in path]
    kept = [m for m, following in zip(markers, [*markers[1:], ""], strict=True) if not following.startswith(m + ".")]
    number = ".".join(kept) or "1"
    return f"{number}.{task.block}" if task.block else number


def _marker(node: Node) -> str:
    if node.marker and not node.is_bullet:
        return node.marker
    assert node.parent is not None  # a task's node and its ancestors are below the root
    siblings = [c for c in node.parent.children if c.kind == node.kind]
    return str(siblings.index(node) + 1)


# ---------------------------------------------------------------- periods


def _period(
    task: Drafted, code: str, head: Mapping[str, Any], calendar: ReportingCalendar, report: Findings
) -> tuple[str, bool]:
    """The task's time as written, or the plan's default (True) with a warning."""
    if task.time is not None:
        if _reads(task.time, head, calendar):
            return task.time, False
        reason = f"không đọc được thời gian “{task.time}”"
    else:
        found = next((t for t in time_candidates(task.search_text) if _reads(t, head, calendar)), None)
        if found is not None:
            return found, False
        reason = "không ghi thời gian thực hiện"
    default, meaning = default_period(head["year"], calendar)
    report.warning(f"nhiệm vụ {code} {reason}; dùng mặc định “{default}” ({meaning})", task.line_start, _TIME_COLUMN)
    return default, True


def _reads(text: str, head: Mapping[str, Any], calendar: ReportingCalendar) -> bool:
    return reads_as_period(text, year=head["year"], plan_date=head["date"], calendar=calendar)


# ---------------------------------------------------------------- drafts


def _draft(task: Drafted, section: str, number: str, period: str, lines: tuple[str, ...]) -> TaskDraft:
    text = "\n".join(line.strip() for line in lines[task.line_start - 1 : task.line_end] if line.strip())
    return TaskDraft(
        section=section,
        number=number,
        title=task.title,
        product=None,
        lead=task.lead,
        coordinating=task.coordinating,
        period_text=period,
        criteria=(),
        budget=None,
        notes=task.notes,
        source=SourceRef(line_start=task.line_start, line_end=task.line_end, text=text),
        row=task.line_start,
        lead_column=task.lead_label,
        period_column=task.time_label or _TIME_COLUMN,
    )

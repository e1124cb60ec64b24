"""Tasks from a prose plan's paragraph tree, in the three layouts plans are written in.

(a) Fields: a numbered or lettered item whose paragraphs end with field lines ("Cơ quan
    chủ trì: ...", "Thời gian thực hiện: ..."). Each run of field lines closes one task: the
    item's title, the paragraphs above the run as its checklist (they share one lead and one
    time, so they are one assignment), the lead from "chủ trì", else from "thực hiện" (its
    plural "các ..." names going to the coordinating units). An item among such items that
    has no field line is still a task, without a lead (the plan forgot it: a warning).
(b) Units first: an item whose whole text is a unit ("a) Bộ phận Văn phòng") leads every
    duty under it.
(c) Assignments: "Đ/c <name> – <position>: <duties>", "Đồng chí ...", or, in an assignment
    list ("Phân công trách nhiệm"), a unit alone ("- Công an xã: ...").
In (b) and (c) each "-" duty is a task and each "+" under a duty is a task of its own, the
duty it details kept as its notes: a "+" item is a deliverable a person is asked to evidence
on its own ("Kế hoạch kiểm tra ... năm 2020"), and the duty above it ("Chủ trì ..., cụ
thể:") only groups them.

Field lines directly under a section heading make a task only in a section of work
(Nội dung, Nhiệm vụ, Giải pháp, Phân công, Trách nhiệm), not under Kinh phí or Báo cáo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.units import is_generic
from importers.drafts import NamedOfficer
from importers.errors import Findings
from importers.prose_fields import (
    Assignment,
    FieldKind,
    FieldLine,
    field_lines,
    officer_assignment,
    unit_assignment,
    unit_heading,
)
from importers.prose_lines import Node
from importers.table import split_names

_REMARK = re.compile(r"\s*\([^)]*\)\s*")
_WORK_WORDS = ("nội dung", "nhiệm vụ", "giải pháp", "phân công", "trách nhiệm")
_GOAL_WORDS = ("mục tiêu", "mục đích", "yêu cầu")
_ASSIGNING_WORDS = ("phân công", "trách nhiệm")


@dataclass
class Drafted:
    """One task as the prose says it, before periods and units are resolved."""

    node: Node  # the paragraph the task is numbered after
    title: str
    lead: tuple[str, ...]
    line_start: int
    line_end: int
    layout: str  # "fields", "units", "assignments"
    coordinating: tuple[str, ...] = ()
    time: str | None = None  # a time field's value
    time_label: str | None = None
    search_text: str = ""  # where to look for a time when there is no time field
    lead_label: str = "Cơ quan chủ trì"
    officers: tuple[str, ...] = ()
    notes: str | None = None
    block: int = 0  # the n-th field run of its item, 0 when it has one


@dataclass
class Layouts:
    report: Findings
    tasks: list[Drafted] = field(default_factory=list)
    officers: dict[str, NamedOfficer] = field(default_factory=dict)

    def read(self, node: Node) -> None:
        """Every task under `node`, in document order."""
        for child in node.children:
            before = len(self.tasks)
            if not self._task_at(child):
                self.read(child)
            if len(self.tasks) == before and child.children and _names_work(child):
                self.report.warning(f"mục “{_label(child)}” không có nhiệm vụ nào được giao", child.line_start)
        self._items_without_fields(node)

    def _task_at(self, node: Node) -> bool:
        if _field_runs(node) and (node.is_numbered or _names_work(node)):
            self._field_tasks(node)
        elif node.is_item and (unit := unit_heading(node.text)) and any(c.is_bullet for c in node.children):
            self._duties(node, Assignment(unit, ""), layout="units")
        elif (assignment := self._assignment(node)) is not None:
            self._duties(node, assignment, layout="assignments")
        else:
            return False
        return True

    # ------------------------------------------------------------ (a) fields

    def _field_tasks(self, node: Node) -> None:
        runs = _field_runs(node)
        firsts = {id(run[0]): run for run in runs}
        in_runs = {id(child) for run in runs for child in run}
        start = node.line_start
        content: list[Node] = []
        for child in node.children:
            if id(child) in firsts:
                run = firsts[id(child)]
                block = runs.index(run) + 1 if len(runs) > 1 else 0
                self.tasks.append(_fields_task(node, content, run, start, block))
                start, content = run[-1].last_line() + 1, []
            elif id(child) not in in_runs:
                content.append(child)

    def _items_without_fields(self, parent: Node) -> None:
        """Items beside field-layout tasks that have none: tasks without a lead."""
        items = [c for c in parent.children if c.is_numbered]
        fields = {id(t.node) for t in self.tasks if t.layout == "fields"}
        if not any(id(n) in fields for item in items for n in item.walk()):
            return
        tasks = {id(t.node) for t in self.tasks}
        for item in items:
            if not any(id(n) in tasks for n in item.walk()):
                text = " ".join(n.text for n in item.walk())
                title = item.text.rstrip(" .")
                self.tasks.append(
                    Drafted(item, title, (), item.line_start, item.last_line(), "fields", search_text=text)
                )
        self.tasks.sort(key=lambda t: t.line_start)

    # ------------------------------------------------------------ (b), (c) duties

    def _assignment(self, node: Node) -> Assignment | None:
        if node.kind not in ("dash", "dot", "text"):
            return None
        if officer := officer_assignment(node.text):
            self._remember(officer, node)
            return officer
        siblings = node.parent.children if node.parent else []
        in_list = _has_words(node.parent.text if node.parent else "", _ASSIGNING_WORDS) or any(
            officer_assignment(s.text) for s in siblings
        )
        return unit_assignment(node.text) if in_list else None

    def _duties(self, node: Node, assignment: Assignment, *, layout: str) -> None:
        officers = (assignment.officer,) if assignment.officer else ()
        duties = [c for c in node.children if c.is_bullet or c.kind == "text"]
        if assignment.duties and not duties:
            self.tasks.append(_duty(node, assignment.duties, assignment, officers, layout))
        for duty in duties:
            details = [c for c in duty.children if c.is_bullet]
            if not details:
                self.tasks.append(_duty(duty, duty.text, assignment, officers, layout, notes=assignment.duties or None))
            for detail in details:
                self.tasks.append(_duty(detail, detail.text, assignment, officers, layout, notes=duty.text))

    def _remember(self, assignment: Assignment, node: Node) -> None:
        officer, position = assignment.officer, assignment.position
        assert officer is not None and position is not None  # an officer's assignment names both
        key = officer.casefold()
        known = self.officers.get(key)
        if known is None:
            self.officers[key] = NamedOfficer(officer, position, assignment.unit, node.line_start)
        elif known.position.casefold() != position.casefold():
            self.report.warning(
                f"đồng chí {assignment.officer} được ghi với hai chức vụ: “{known.position}” (dòng {known.line}) "
                f"và “{assignment.position}”; coi là một người, đơn vị “{known.unit}”",
                node.line_start,
            )


def _duty(node: Node, text: str, assignment: Assignment, officers, layout: str, notes: str | None = None) -> Drafted:
    title = text.rstrip(" ;.")
    return Drafted(
        node,
        title[:1].upper() + title[1:],
        (assignment.unit,),
        node.line_start,
        node.last_line(),
        layout,
        search_text=text,
        lead_label=assignment.position or assignment.unit,
        officers=officers,
        notes=notes,
    )


def _field_runs(node: Node) -> list[list[Node]]:
    """The node's runs of consecutive field-line children."""
    runs: list[list[Node]] = []
    previous_was_field = False
    for child in node.children:
        is_field = child.kind in ("dash", "dot", "plus", "text") and bool(field_lines(child.text))
        if is_field and previous_was_field:
            runs[-1].append(child)
        elif is_field:
            runs.append([child])
        previous_was_field = is_field
    return runs


def _fields_task(node: Node, content: list[Node], run: list[Node], start: int, block: int) -> Drafted:
    fields: dict[FieldKind, FieldLine] = {}
    for child in run:
        for line in field_lines(child.text):
            fields.setdefault(line.kind, line)
    lead_field = fields.get(FieldKind.LEAD) or fields.get(FieldKind.PERFORMER)
    lead = _names(lead_field.value) if lead_field else ()
    coordinating = _names(fields[FieldKind.COORDINATING].value) if FieldKind.COORDINATING in fields else ()
    if lead_field is not None and lead_field.kind == FieldKind.PERFORMER and not all(map(is_generic, lead)):
        coordinating = (*coordinating, *(n for n in lead if is_generic(n)))
        lead = tuple(n for n in lead if not is_generic(n))
    elif FieldKind.LEAD in fields and FieldKind.PERFORMER in fields:
        coordinating = (*coordinating, *_names(fields[FieldKind.PERFORMER].value))
    time = fields.get(FieldKind.TIME)
    parent = node.parent
    title = f"{parent.text}: {node.text}" if parent is not None and parent.is_numbered else node.text
    return Drafted(
        node,
        title.rstrip(" ."),
        lead,
        start,
        run[-1].last_line(),
        "fields",
        coordinating=coordinating,
        time=time.value if time else None,
        time_label=time.label if time else None,
        search_text=" ".join(c.text for c in content),
        lead_label=lead_field.label if lead_field else "Cơ quan chủ trì",
        notes="\n".join(f"- {c.text}" for c in content if c.text) or None,
        block=block,
    )


def _names(value: str) -> tuple[str, ...]:
    """Unit names in a field line, without remarks in brackets ("Văn phòng (phụ trách nội vụ)")."""
    return tuple(name for name in (_REMARK.sub(" ", n).strip() for n in split_names(value)) if name)


def _has_words(text: str, words: tuple[str, ...]) -> bool:
    folded = text.casefold()
    return any(word in folded for word in words)


def _names_work(node: Node) -> bool:
    """A heading or item that names work to be done, not goals."""
    return node.is_item and _has_words(node.text, _WORK_WORDS) and not _has_words(node.text, _GOAL_WORDS)


def _label(node: Node) -> str:
    suffix = ")" if node.kind == "letter" else "."
    marker = f"{node.marker}{suffix} " if node.marker else ""
    return f"{marker}{node.text}"

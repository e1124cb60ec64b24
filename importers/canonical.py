"""The canonical YAML plan format: what `cchc plan draft` writes and the office edits.

A draft (`write_draft`) is this format with comments: above each task the lines of the
source it came from and the warnings about them, and an `officers` list (name, position,
unit) for the people directory, which the plan reader ignores.

A plan in this format (format `cchc-plan/1`) reads, top to bottom, like the issued plan:

```yaml
format: cchc-plan/1
plan:
  number: 10/KH-UBND          # as written after "Số:"
  date: 15/01/2024            # dd/mm/yyyy (ISO 2024-01-15 also read)
  issuer: UBND xã Vĩnh Khê
  commune: Vĩnh Khê
  year: 2024
  title: Cải cách hành chính xã Vĩnh Khê năm 2024
settings:                     # optional; the defaults count as the appraiser counts
  day_off_rule: within_period   # a deadline on a day off: within_period (the working day
                                # before it), next_working_day (Civil Code art. 148), as_written
  before_day_rule: last_working_day     # or previous_day
  extra_days_off: [02/01/2024]
  reminder_offsets: [7, 3, 1]
  escalation_interval: 3
  escalation_emails: 2        # escalation levels that email; later ones are recorded only
reporting_calendar:           # optional; the default is quarterly
  source_text: "Báo cáo quý gửi trước ngày 10 tháng cuối cùng của quý ..."
  deadlines:
    - {key: Q1, label: Báo cáo quý I, period_end_month: 3, month: 3, day: 10, rule: before_day}
units: [Văn phòng, Tư pháp]   # optional: the unit directory, in this order
sections:
  - code: I
    title: CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC
    tasks:
      - number: "1"
        title: Ban hành Kế hoạch cải cách hành chính năm 2024
        product: Kế hoạch CCHC của UBND xã
        lead: [Văn phòng]
        coordinating: [Các bộ phận liên quan]
        period: Tháng 1/2024
        criteria: ["1.1"]
        budget: Kinh phí hoạt động thường xuyên
        notes: null
```

Due dates are never written here: they follow from `period` by the period grammar, so
an edited period re-plans its occurrences. Every error names the line of the YAML file.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from domain.models import (
    Finding,
    Plan,
    PlanSettings,
    ReportingCalendar,
    Section,
    Severity,
    SourceRef,
)
from domain.reporting import default_calendar
from importers.assembly import TaskDraft, assemble_plan
from importers.drafts import NamedOfficer, warnings_by_task
from importers.errors import ImportResult, PlanInputError, describe
from importers.header import commune_kind_of
from importers.yaml_lines import LinedMapping, LineLoader

FORMAT = "cchc-plan/1"


class _Reader:
    """Collects every error of one file before giving up, each with its line."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[Finding] = []

    def error(self, message: str, line: int | None, field: str | None = None) -> None:
        self.errors.append(Finding(severity=Severity.ERROR, message=message, row=line, column=field, file=self.file))

    def field(self, mapping: LinedMapping, name: str, *, required: bool = True) -> Any:
        value = mapping.get(name)
        if required and (value is None or value == ""):
            self.error(f"thiếu trường “{name}”", mapping.line, name)
        return value

    def text(self, mapping: LinedMapping, name: str, *, required: bool = False) -> str | None:
        value = self.field(mapping, name, required=required)
        return None if value is None else str(value).strip() or None

    def names(self, mapping: LinedMapping, name: str) -> tuple[str, ...]:
        value = mapping.get(name) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(f"“{name}” phải là một danh sách", mapping.lines.get(name, mapping.line), name)
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def date(self, mapping: LinedMapping, name: str) -> date | None:
        value = self.field(mapping, name)
        if value is None:
            return None
        parsed = parse_date(str(value))
        if parsed is None:
            self.error(f"ngày “{value}” không hợp lệ (dd/mm/yyyy)", mapping.lines.get(name), name)
        return parsed

    def model(self, cls, mapping: Any, name: str, line: int | None):
        try:
            return cls.model_validate(mapping)
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            self.error(f"“{name}” không hợp lệ: {where}: {problem['msg']}", line, name)
            return None


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy as people write it, or ISO yyyy-mm-dd."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_yaml(path: Path, *, year: int | None = None, commune: str | None = None) -> ImportResult:
    reader = _Reader(path.name)
    document = _load(path, reader)
    head = _plan_head(document, reader, year=year, commune=commune)
    settings = _settings(document, reader)
    calendar = _calendar(document, reader)
    sections, drafts = _sections(document, reader)
    if reader.errors:
        raise PlanInputError(reader.errors)
    return assemble_plan(
        file=path.name,
        head=head,
        settings=settings,
        calendar=calendar,
        sections=sections,
        tasks=drafts,
        unit_order=reader.names(document, "units"),
    )


def _load(path: Path, reader: _Reader) -> LinedMapping:
    try:
        document = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=LineLoader)
    except UnicodeDecodeError:
        raise PlanInputError([_whole_file_error(reader, "tệp không phải văn bản UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or "cú pháp YAML không hợp lệ"
        raise PlanInputError([_whole_file_error(reader, f"YAML không hợp lệ: {problem}", line)]) from None
    if not isinstance(document, LinedMapping):
        raise PlanInputError([_whole_file_error(reader, "tệp YAML trống hoặc không phải một kế hoạch")])
    if document.get("format", FORMAT) != FORMAT:
        raise PlanInputError(
            [_whole_file_error(reader, f"định dạng “{document.get('format')}” không được hỗ trợ (cần {FORMAT})")]
        )
    return document


def _whole_file_error(reader: _Reader, message: str, line: int | None = None) -> Finding:
    return Finding(severity=Severity.ERROR, message=message, row=line, file=reader.file)


def _plan_head(document: LinedMapping, reader: _Reader, *, year: int | None, commune: str | None) -> dict:
    head = document.get("plan")
    if not isinstance(head, LinedMapping):
        reader.error("thiếu phần “plan” (số, ngày, cơ quan ban hành)", document.line, "plan")
        return {}
    issued = reader.date(head, "date")
    plan_year = year or head.get("year") or (issued.year if issued else None)
    issuer = reader.text(head, "issuer", required=True)
    return {
        "number": reader.text(head, "number", required=True),
        "date": issued,
        "issuer": issuer,
        "commune": commune or reader.text(head, "commune", required=True),
        "commune_kind": commune_kind_of(issuer) if issuer else None,
        "year": int(plan_year) if plan_year else None,
        "title": reader.text(head, "title") or "",
    }


def _settings(document: LinedMapping, reader: _Reader) -> PlanSettings:
    raw = document.get("settings")
    if raw is None:
        return PlanSettings()
    raw = dict(raw)
    if "extra_days_off" in raw:
        raw["extra_days_off"] = [parse_date(str(d)) or d for d in raw["extra_days_off"] or []]
    return reader.model(PlanSettings, raw, "settings", document.lines.get("settings")) or PlanSettings()


def _calendar(document: LinedMapping, reader: _Reader) -> ReportingCalendar:
    raw = document.get("reporting_calendar")
    if raw is None:
        return default_calendar()
    return (
        reader.model(ReportingCalendar, raw, "reporting_calendar", document.lines.get("reporting_calendar"))
        or default_calendar()
    )


def _sections(document: LinedMapping, reader: _Reader) -> tuple[list[Section], list[TaskDraft]]:
    raw_sections = document.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        reader.error(
            "kế hoạch không có mục nhiệm vụ nào (“sections”)", document.lines.get("sections", document.line), "sections"
        )
        return [], []
    sections, drafts = [], []
    for raw in raw_sections:
        if not isinstance(raw, LinedMapping):
            reader.error("mỗi mục phải có “code”, “title” và “tasks”", document.lines.get("sections"), "sections")
            continue
        code = reader.text(raw, "code", required=True) or ""
        sections.append(Section(code=code, title=reader.text(raw, "title") or ""))
        for task in raw.get("tasks") or []:
            drafts.append(_task(task, code, reader))
    return sections, drafts


def _task(raw: LinedMapping, section: str, reader: _Reader) -> TaskDraft:
    source = raw.get("source")
    return TaskDraft(
        section=section,
        number=reader.text(raw, "number", required=True) or "",
        title=reader.text(raw, "title", required=True) or "",
        product=reader.text(raw, "product"),
        lead=reader.names(raw, "lead"),
        coordinating=reader.names(raw, "coordinating"),
        period_text=reader.text(raw, "period", required=True) or "",
        criteria=reader.names(raw, "criteria"),
        budget=reader.text(raw, "budget"),
        notes=reader.text(raw, "notes"),
        source=SourceRef.model_validate(dict(source)) if isinstance(source, dict) else None,
        row=raw.line,
        lead_column="lead",
        period_column="period",
    )


def write_yaml(
    plan: Plan,
    *,
    comments: Mapping[str, Sequence[str]] | None = None,
    preamble: Sequence[str] = (),
    officers: Sequence[NamedOfficer] = (),
) -> str:
    """The plan in the canonical format; `read_yaml` of it gives the same plan. `comments`
    (by task code) go above each task and `preamble` above the plan, as YAML comments;
    `officers` the plan names are listed for the people directory (read_yaml ignores them)."""
    comments = comments or {}
    document: dict[str, Any] = {
        "format": FORMAT,
        "plan": {
            "number": plan.number,
            "date": plan.date.strftime("%d/%m/%Y"),
            "issuer": plan.issuer,
            "commune": plan.commune,
            "year": plan.year,
            "title": plan.title,
        },
        "settings": _settings_document(plan.settings),
        "reporting_calendar": plan.reporting_calendar.model_dump(mode="json"),
        "units": [unit.name for unit in plan.units],
    }
    if officers:
        document["officers"] = [{"name": o.name, "position": o.position, "unit": o.unit} for o in officers]
    parts = [_comments(preamble, ""), _dump(document), "sections:\n"]
    for section in plan.sections:
        tasks = [task for task in plan.tasks if task.section == section.code]
        parts.append(textwrap.indent(_dump([{"code": section.code, "title": section.title}]), "  "))
        parts.append("    tasks:\n" if tasks else "    tasks: []\n")
        for task in tasks:
            parts.append(_comments(comments.get(task.code, ()), " " * 6))
            parts.append(textwrap.indent(_dump([_task_document(task)]), " " * 6, lambda line: True))
    return "".join(parts)


def write_draft(result: ImportResult, source: str) -> str:
    """A drafted plan for the office to check: above each task the lines of `source` it
    came from, the people it names and the warnings about those lines; the other warnings
    above the plan."""
    by_task, others = warnings_by_task(result.plan, result.warnings)
    drafted = result.drafted or {}
    comments: dict[str, list[str]] = {}
    for task in result.plan.tasks:
        notes = comments.setdefault(task.code, [])
        ref = task.source
        if ref is not None and ref.line_start is not None:
            notes.append(f"nguồn: {source}, dòng {ref.line_start}–{ref.line_end}")
        notes.extend(f"⚠ {warning.message}" for warning in by_task[task.code])
        if task.code in drafted and drafted[task.code].officers:
            notes.append("người được giao: " + ", ".join(drafted[task.code].officers))
    preamble = [
        f"Bản nháp đọc từ {source}. Đối chiếu từng nhiệm vụ với dòng nguồn, sửa (chủ trì, thời gian ...),",
        "xóa nhiệm vụ không đúng, rồi nhập: cchc plan import <tệp này>",
        *(f"⚠ {describe(w)}" for w in others),
    ]
    return write_yaml(result.plan, comments=comments, preamble=preamble, officers=result.officers)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _comments(lines: Sequence[str], indent: str) -> str:
    return "".join(f"{indent}# {part}\n" for line in lines for part in line.splitlines())


def _settings_document(settings: PlanSettings) -> dict:
    document = settings.model_dump(mode="json")
    document["extra_days_off"] = [d.strftime("%d/%m/%Y") for d in settings.extra_days_off]
    return document


def _task_document(task) -> dict:
    document = {
        "number": task.number,
        "title": task.title,
        "product": task.product,
        "lead": list(task.lead),
        "coordinating": list(task.coordinating),
        "period": task.period_text,
        "criteria": list(task.criteria),
        "budget": task.budget,
        "notes": task.notes,
    }
    if task.source is not None:
        document["source"] = task.source.model_dump(exclude_none=True)
    return document

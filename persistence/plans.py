"""Storing and reading plans. The caller owns the transaction: nothing here commits.

with session_factory.begin() as session:
    result = save_plan(session, plan, source_file="kh.docx", source_sha256=digest)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from domain.errors import CchcError, ErrorCategory
from domain.models import (
    CommuneKind,
    Occurrence,
    Period,
    Plan,
    PlanSettings,
    ReportingCalendar,
    Section,
    SourceRef,
    Task,
    Unit,
)
from domain.units import unit_key
from persistence.tables import (
    CommuneRow,
    OccurrenceRow,
    PlanRow,
    PlanUnitRow,
    SectionRow,
    TaskRow,
    TaskUnitRow,
    UnitRow,
)


@dataclass(frozen=True)
class SaveResult:
    plan_id: int
    created: bool  # False: the commune's plan with the same issuer, number and year was already stored


@dataclass(frozen=True)
class PlanSummary:
    id: int
    number: str
    date: date
    issuer: str
    commune: str
    year: int
    title: str
    task_count: int
    source_file: str
    imported_at: datetime


@dataclass(frozen=True)
class PlanCandidate:
    id: int
    number: str
    issuer: str
    year: int


class PlanNotFound(CchcError, LookupError):
    category = ErrorCategory.NOT_FOUND
    closing = "."

    def __init__(self, ref: str, year: int | None = None):
        self.ref = ref
        self.year = year
        super().__init__(f"không tìm thấy kế hoạch “{ref}”" + (f" năm {year}" if year else ""))


class PlanAmbiguous(CchcError, LookupError):
    category = ErrorCategory.CONFLICT
    closing = "."

    def __init__(self, ref: str, candidates: list[PlanCandidate]):
        self.ref = ref
        self.candidates = candidates
        choices = "; ".join(f"id {c.id}: {c.number} năm {c.year}, {c.issuer}" for c in candidates)
        super().__init__(f"có {len(candidates)} kế hoạch số “{ref}” ({choices}); hãy ghi id hoặc thêm --year")


# --- writing ---------------------------------------------------------------------------------


def save_plan(session: Session, plan: Plan, *, source_file: str, source_sha256: str) -> SaveResult:
    """Store `plan` unless its commune's plan with its issuer, number and year is already stored."""
    existing = stored_plan_id(session, plan)
    if existing is not None:
        return SaveResult(plan_id=existing, created=False)

    commune = _commune(session, plan)
    units = _directory_units(session, commune, plan)
    row = PlanRow(
        commune=commune,
        number=plan.number,
        issued_on=plan.date,
        issuer=plan.issuer,
        year=plan.year,
        title=plan.title,
        settings=plan.settings.model_dump(mode="json"),
        reporting_calendar=plan.reporting_calendar.model_dump(mode="json"),
        source_file=source_file,
        source_sha256=source_sha256,
        imported_at=datetime.now(UTC),
        units=[PlanUnitRow(position=i, unit=units[unit.name], name=unit.name) for i, unit in enumerate(plan.units)],
        sections=[
            SectionRow(code=section.code, title=section.title, position=i) for i, section in enumerate(plan.sections)
        ],
        tasks=[_task_row(task, i, units) for i, task in enumerate(plan.tasks)],
    )
    session.add(row)
    session.flush()
    return SaveResult(plan_id=row.id, created=True)


def stored_plan_id(session: Session, plan: Plan) -> int | None:
    """The id of the stored plan with `plan`'s commune, issuer, number and year (its identity), if any."""
    return session.scalar(
        select(PlanRow.id)
        .join(CommuneRow)
        .where(
            CommuneRow.name == plan.commune,
            PlanRow.issuer == plan.issuer,
            PlanRow.number == plan.number,
            PlanRow.year == plan.year,
        )
    )


def replace_plan_content(session: Session, plan_id: int, plan: Plan) -> None:
    """Make the stored plan `plan_id` hold `plan`'s units, sections and tasks (an amendment).

    The plan keeps its id (its workflows' ids are built from it), its number, date and
    issuer; its title, reporting calendar and settings follow the amended version.
    """
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise PlanNotFound(str(plan_id))
    units = _directory_units(session, row.commune, plan)
    row.units.clear()
    row.sections.clear()
    row.tasks.clear()
    session.flush()  # the old rows go before the new ones take their (plan, code) places
    row.title = plan.title
    row.settings = plan.settings.model_dump(mode="json")
    row.reporting_calendar = plan.reporting_calendar.model_dump(mode="json")
    row.units.extend(
        PlanUnitRow(position=i, unit=units[unit.name], name=unit.name) for i, unit in enumerate(plan.units)
    )
    row.sections.extend(SectionRow(code=s.code, title=s.title, position=i) for i, s in enumerate(plan.sections))
    row.tasks.extend(_task_row(task, i, units) for i, task in enumerate(plan.tasks))
    session.flush()


def _commune(session: Session, plan: Plan) -> CommuneRow:
    """The plan's commune, stored if new. Its kind is the one its newest plan's issuer gives
    ("UBND phường …"): a xã that became a phường in 2025 is one from its first plan as a phường;
    `cchc commune set` corrects it."""
    commune = session.scalar(select(CommuneRow).where(CommuneRow.name == plan.commune))
    if commune is None:
        commune = CommuneRow(name=plan.commune)
        session.add(commune)
        session.flush()
    newest = session.scalar(select(func.max(PlanRow.year)).where(PlanRow.commune_id == commune.id))
    if plan.commune_kind is not None and plan.year >= (newest or plan.year):
        commune.kind = plan.commune_kind.value
    return commune


def _directory_units(session: Session, commune: CommuneRow, plan: Plan) -> dict[str, UnitRow]:
    """The commune's directory rows for every unit name the plan uses, adding missing keys.

    A key already in the directory keeps its directory name; the plan's own spelling is kept
    on plan_units and task_units.
    """
    wanted: dict[str, Unit] = {unit.name: unit for unit in plan.units}
    for task in plan.tasks:
        for name in (*task.lead, *task.coordinating):
            wanted.setdefault(name, Unit(key=unit_key(name), name=name))  # one key rule: domain.units

    known: dict[str, UnitRow] = {}
    if commune.id is not None:
        keys = {unit.key for unit in wanted.values()}
        rows = session.scalars(select(UnitRow).where(UnitRow.commune_id == commune.id, UnitRow.key.in_(keys)))
        known = {row.key: row for row in rows}

    by_name: dict[str, UnitRow] = {}
    for name, unit in wanted.items():
        if unit.key not in known:
            known[unit.key] = UnitRow(commune=commune, key=unit.key, name=unit.name)
            session.add(known[unit.key])
        by_name[name] = known[unit.key]
    return by_name


def _task_row(task: Task, position: int, units: dict[str, UnitRow]) -> TaskRow:
    roles = [("lead", task.lead), ("coordinating", task.coordinating)]
    return TaskRow(
        section=task.section,
        code=task.code,
        number=task.number,
        position=position,
        title=task.title,
        product=task.product,
        period_text=task.period_text,
        recurrence=task.recurrence.value,
        criteria=list(task.criteria),
        budget=task.budget,
        notes=task.notes,
        source=task.source.model_dump(mode="json") if task.source else None,
        units=[
            TaskUnitRow(role=role, position=i, unit=units[name], name=name)
            for role, names in roles
            for i, name in enumerate(names)
        ],
        occurrences=[_occurrence_row(occurrence, i) for i, occurrence in enumerate(task.occurrences)],
    )


def _occurrence_row(occurrence: Occurrence, position: int) -> OccurrenceRow:
    return OccurrenceRow(
        key=occurrence.key,
        position=position,
        period_start=occurrence.period.start,
        period_end=occurrence.period.end,
        period_label=occurrence.period.label,
        due_date=occurrence.due_date,
        due_at=occurrence.due,
        rule=occurrence.rule.value,
        source_text=occurrence.source_text,
        past_due_at_issue=occurrence.past_due_at_issue,
    )


# --- reading ---------------------------------------------------------------------------------


def list_plans(session: Session) -> list[PlanSummary]:
    task_count = select(func.count(TaskRow.id)).where(TaskRow.plan_id == PlanRow.id).scalar_subquery()
    rows = session.execute(
        select(PlanRow, CommuneRow.name, task_count)
        .join(CommuneRow, CommuneRow.id == PlanRow.commune_id)
        .order_by(PlanRow.id)
    )
    return [
        PlanSummary(
            id=plan.id,
            number=plan.number,
            date=plan.issued_on,
            issuer=plan.issuer,
            commune=commune,
            year=plan.year,
            title=plan.title,
            task_count=count,
            source_file=plan.source_file,
            imported_at=plan.imported_at,
        )
        for plan, commune, count in rows
    ]


def find_plan_id(session: Session, ref: str | int, *, year: int | None = None) -> int:
    """The id of the plan `ref` names: its id, or its number (`10/KH-UBND`), optionally in `year`."""
    text = str(ref).strip()
    if text.isdigit():
        plan_id = session.scalar(select(PlanRow.id).where(PlanRow.id == int(text)))
        if plan_id is None:
            raise PlanNotFound(text)
        return plan_id

    query = select(PlanRow.id, PlanRow.number, PlanRow.issuer, PlanRow.year).where(
        func.upper(PlanRow.number) == text.upper()
    )
    if year is not None:
        query = query.where(PlanRow.year == year)
    candidates = [PlanCandidate(*row) for row in session.execute(query.order_by(PlanRow.id))]
    if not candidates:
        raise PlanNotFound(text, year)
    if len(candidates) > 1:
        raise PlanAmbiguous(text, candidates)
    return candidates[0].id


def load_plan(session: Session, ref: str | int, *, year: int | None = None) -> Plan:
    """The stored plan `ref` names (see `find_plan_id`), as the domain model it was saved from."""
    plan_id = find_plan_id(session, ref, year=year)
    row = session.scalars(
        select(PlanRow)
        .where(PlanRow.id == plan_id)
        .options(
            selectinload(PlanRow.commune),
            selectinload(PlanRow.units).selectinload(PlanUnitRow.unit),
            selectinload(PlanRow.sections),
            selectinload(PlanRow.tasks).selectinload(TaskRow.units),
            selectinload(PlanRow.tasks).selectinload(TaskRow.occurrences),
        )
    ).one()
    return _plan(row)


def _plan(row: PlanRow) -> Plan:
    return Plan(
        number=row.number,
        date=row.issued_on,
        issuer=row.issuer,
        commune=row.commune.name,
        commune_kind=CommuneKind(row.commune.kind) if row.commune.kind else None,
        year=row.year,
        title=row.title,
        reporting_calendar=ReportingCalendar.model_validate(row.reporting_calendar),
        settings=PlanSettings.model_validate(row.settings),
        sections=tuple(Section(code=s.code, title=s.title) for s in row.sections),
        units=tuple(Unit(key=u.unit.key, name=u.name) for u in row.units),
        tasks=tuple(_task(t) for t in row.tasks),
    )


def _task(row: TaskRow) -> Task:
    return Task(
        code=row.code,
        section=row.section,
        number=row.number,
        title=row.title,
        product=row.product,
        lead=tuple(u.name for u in row.units if u.role == "lead"),
        coordinating=tuple(u.name for u in row.units if u.role == "coordinating"),
        period_text=row.period_text,
        recurrence=row.recurrence,
        criteria=tuple(row.criteria),
        budget=row.budget,
        notes=row.notes,
        occurrences=tuple(_occurrence(o) for o in row.occurrences),
        source=SourceRef.model_validate(row.source) if row.source is not None else None,
    )


def _occurrence(row: OccurrenceRow) -> Occurrence:
    return Occurrence(
        key=row.key,
        period=Period(start=row.period_start, end=row.period_end, label=row.period_label),
        due_date=row.due_date,
        due=row.due_at,
        rule=row.rule,
        source_text=row.source_text,
        past_due_at_issue=row.past_due_at_issue,
    )

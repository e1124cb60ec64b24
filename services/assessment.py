"""The commune's self-assessment sheet (tự đánh giá, chấm điểm): each scored item of a criteria
catalogue, scored from the plan's tracked year where the rule allows, else from the score an
officer entered, with the evidence behind it. The caller owns the transaction: nothing here
commits.

Where the facts come from:
- a threshold item counts the occurrences of the tasks mapped to its code (`Task.criteria`),
  or of the whole plan when its code is one of `plan_completion_codes`; without either it is
  not computed. Done = on time by the plan (the accepted document dated by the deadline of
  the issued or a confirmed amending plan: `domain.on_time`), planned = the occurrences due
  in the plan's year that are settled at `now` (done, past their deadline, or stopped without
  an amending document);
- a fixed item is met when at least one occurrence of the year is mapped to it and every one
  not stopped is approved (on time or not); otherwise it needs an entered score. A fixed item with a
  deadline is judged by the date of its document: with a date, the earliest document of the
  item; with the tasks' deadline, each mapped occurrence's earliest approved document against
  the deadline of the issued plan or of an amending plan (`plan_due`: a leader's extension
  alone does not move it). Dated after it, the item scores 0;
- an item the province scores (`scored_by: province`, the satisfaction survey) is shown but
  neither self-scored nor blocking: the appraiser scores it;
- parts, manual, bonus and penalty items take the score an officer entered;
- an entered score stands over a computed one, which its explanation then quotes.

An item's evidence is the approved evidence of the tasks mapped to it plus the documents the
office added for it. An item without evidence must be explained (giải trình) before the
sheet is submitted: until then it is `blocking`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import ColumnElement, CursorResult, select, update
from sqlalchemy.orm import Session

from domain.citations import citation
from domain.communes import CommuneProfile
from domain.criteria import Catalogue, Leaf, ScoredBy
from domain.errors import CchcError, ErrorCategory
from domain.lifecycle import TaskState
from domain.on_time import SETTLED, Standing
from domain.scoring import (
    MISSING,
    TASK_DEADLINE,
    AreaTotal,
    Bonus,
    DatedDocument,
    Facts,
    Fixed,
    Manual,
    ManualScore,
    Penalty,
    Score,
    Threshold,
    Totals,
    score,
    totals,
)
from domain.text import is_printable
from evidence.year_end import OccurrenceRecord, year_records
from persistence.assessment_tables import AssessmentEntryRow, OfficeEvidenceRow
from persistence.communes import commune_profile
from persistence.evidence_files import claim_evidence
from persistence.plans import PlanNotFound
from persistence.tables import CommuneRow, PlanRow
from services.catalogues import load_catalogue
from workflows.round_contracts import SubmittedItem

NOT_MAPPED = f"{MISSING}: chưa có nhiệm vụ nào gắn mã này"
BY_PROVINCE = "do cơ quan thẩm định chấm, xã không tự chấm"


class AssessmentError(CchcError, ValueError):
    """A request the sheet refuses: an unknown code, a score out of range, an empty text."""

    category = ErrorCategory.BAD_INPUT
    closing = "."


@dataclass(frozen=True)
class EvidenceItem:
    """One document behind a scored item: a task's approved evidence or one the office added."""

    source: str  # "task" or "office"
    number: str  # "15/QĐ-UBND"
    day: date
    summary: str
    sha256: str | None
    issuer: str | None = None  # None: the commune's UBND
    page: str | None = None
    signed: bool = False
    task_code: str | None = None  # task evidence only
    workflow_id: str | None = None

    @property
    def reference(self) -> str:
        """How an appraiser cites it: "Số 15/QĐ-UBND ngày 15/01/2024, trang 3"."""
        page = f", trang {self.page}" if self.page else ""
        return f"Số {self.number} ngày {self.day:%d/%m/%Y}{page}"

    def citation(self, committee: str) -> str:
        """In full, as a report cites it: "Quyết định số 15/QĐ-UBND ngày 15/01/2024 của UBND xã
        Vĩnh Khê về việc …, trang 3"; a task's product is issued by the commune's `committee`."""
        page = f", trang {self.page}" if self.page else ""
        return citation(self.number, self.day, self.issuer or committee, self.summary) + page


@dataclass(frozen=True)
class Entry:
    """What an officer recorded for one item: an entered score, an explanation, or both."""

    code: str
    points: Decimal | None
    reason: str
    explanation: str | None


@dataclass(frozen=True)
class SheetItem:
    leaf: Leaf
    score: Score
    evidence: tuple[EvidenceItem, ...]
    explanation: str | None  # giải trình

    @property
    def missing_evidence(self) -> bool:
        return not self.evidence

    @property
    def blocks(self) -> bool:
        """Without evidence nor explanation: an area's item always, an adjustment once claimed;
        never an item the province scores."""
        if self.leaf.scored_by is ScoredBy.PROVINCE:
            return False
        claimed = self.leaf.area is not None or bool(self.score.points)
        return claimed and self.missing_evidence and not self.explanation


@dataclass(frozen=True)
class Sheet:
    plan_id: int
    commune: str
    year: int
    catalogue_id: int
    catalogue: Catalogue
    items: tuple[SheetItem, ...]  # the areas' leaves in catalogue order, then the adjustments
    totals: Totals
    profile: CommuneProfile  # the commune's kind, district and province, for the documents

    @property
    def self_score(self) -> Decimal:
        return self.totals.points

    @property
    def max_points(self) -> Decimal:
        return self.totals.max_points

    @property
    def missing_evidence(self) -> list[str]:
        return [item.leaf.code for item in self.items if item.missing_evidence]

    @property
    def blocking(self) -> list[str]:
        """The codes that keep the sheet from being submitted: no evidence and no explanation."""
        return [item.leaf.code for item in self.items if item.blocks]

    def by_area(self) -> list[tuple[AreaTotal | None, tuple[SheetItem, ...]]]:
        """The items under their area's total, in the catalogue's order; the bonus and penalty
        items last, under None."""
        groups: list[tuple[AreaTotal | None, tuple[SheetItem, ...]]] = [
            (area, tuple(item for item in self.items if item.leaf.area == area.code)) for area in self.totals.areas
        ]
        adjustments = tuple(item for item in self.items if item.leaf.area is None)
        return [*groups, (None, adjustments)] if adjustments else groups


def submitted_item(item: SheetItem) -> SubmittedItem:
    """`item` as the round keeps it once submitted."""
    return SubmittedItem(
        code=item.leaf.code,
        name=item.leaf.name,
        max_points=item.leaf.max_points,
        penalty=isinstance(item.leaf.rule, Penalty),
        scored_by=item.leaf.scored_by,
        points=item.score.points,
        how=item.score.explanation,
        evidence=tuple(evidence.reference for evidence in item.evidence),
        explanation=item.explanation,
    )


# --- reading ---------------------------------------------------------------------------------


def assessment_sheet(
    session: Session, *, plan_id: int, catalogue_id: int, plan_completion_codes: Iterable[str] = (), now: datetime
) -> Sheet:
    """The self-assessment of the plan's commune and year against the catalogue, as at `now`."""
    catalogue = load_catalogue(session, catalogue_id)
    whole_plan = frozenset(plan_completion_codes)
    for code in whole_plan:
        if not isinstance(_leaf(catalogue, code).rule, Threshold):
            raise AssessmentError(f"tiêu chí {code} không chấm theo tỷ lệ nên không tính trên cả kế hoạch")
    commune, year = plan_scope(session, plan_id)
    _, records = year_records(session, plan_id)
    items = sheet_items(
        catalogue,
        records,
        entries=_entries(session, commune, year, catalogue_id),
        office=_office_evidence(session, commune, year, catalogue_id),
        plan_completion_codes=whole_plan,
        year=year,
        now=now,
    )
    return Sheet(
        plan_id=plan_id,
        commune=commune,
        year=year,
        catalogue_id=catalogue_id,
        catalogue=catalogue,
        items=items,
        totals=totals(catalogue, (item.score for item in items)),
        profile=commune_profile(session, commune),
    )


def sheet_items(
    catalogue: Catalogue,
    records: list[OccurrenceRecord],
    *,
    entries: dict[str, Entry],
    office: dict[str, list[EvidenceItem]],
    plan_completion_codes: frozenset[str],
    year: int,
    now: datetime,
) -> tuple[SheetItem, ...]:
    """Every scored item with its score and evidence, from the year's records and the entries."""
    in_year = [record for record in records if record.due.year == year]
    items = []
    for leaf in (*catalogue.leaves(), *catalogue.adjustment_leaves()):
        mapped = [record for record in in_year if leaf.code in record.criteria]
        evidence = (
            *task_evidence(record for record in records if leaf.code in record.criteria),
            *office.get(leaf.code, ()),
        )
        basis = in_year if leaf.code in plan_completion_codes else mapped
        computed = computed_score(leaf, basis, evidence, now)
        entry = entries.get(leaf.code)
        given = computed if entry is None or entry.points is None else entered_score(leaf, entry, evidence, computed)
        items.append(SheetItem(leaf, given, evidence, entry.explanation if entry else None))
    return tuple(items)


def computed_score(
    leaf: Leaf, basis: list[OccurrenceRecord], evidence: tuple[EvidenceItem, ...], now: datetime
) -> Score:
    """The leaf's score from the occurrences it is measured on (`basis`), if its rule allows."""
    cited = tuple(document.reference for document in evidence)
    if leaf.scored_by is ScoredBy.PROVINCE:
        return Score(code=leaf.code, points=None, max_points=leaf.max_points, computed=False, explanation=BY_PROVINCE)
    if isinstance(leaf.rule, Threshold):
        if not basis:
            return Score(
                code=leaf.code,
                points=None,
                max_points=leaf.max_points,
                computed=False,
                explanation=NOT_MAPPED,
                inputs=cited,
            )
        by_plan = [(record, record.standings(now).by_plan) for record in basis]
        settled = [(record, standing) for record, standing in by_plan if standing in SETTLED]
        done = [record for record, standing in settled if standing is Standing.ON_TIME]
        inputs = tuple(record.workflow_id for record, _ in settled) + cited
        return score(leaf, Facts(done=len(done), planned=len(settled), inputs=inputs))
    if isinstance(leaf.rule, Fixed):
        to_do = [record for record in basis if record.to_do]
        met = True if to_do and all(record.approved for record in to_do) else None
        dated = _dated(leaf.rule, to_do, evidence) if leaf.rule.deadline is not None else None
        return score(leaf, Facts(met=met, dated=dated, inputs=tuple(record.workflow_id for record in to_do) + cited))
    return score(leaf, Facts(inputs=cited))


def _dated(rule: Fixed, basis: list[OccurrenceRecord], evidence: tuple[EvidenceItem, ...]) -> DatedDocument | None:
    """The document a fixed item with a deadline is judged by: its earliest one against a date;
    against the tasks' deadlines, the first mapped occurrence whose earliest document is late
    (else the first one), once every mapped occurrence is approved. None without documents."""
    if rule.deadline == TASK_DEADLINE:
        if not basis or not all(record.approved and record.evidence for record in basis):
            return None
        judged = [_against(min(task_evidence([record]), key=_day), record.plan_due) for record in basis]
        return next((document for document in judged if document.late), judged[0])
    assert isinstance(rule.deadline, date)  # a date, when not the tasks' deadline
    return _against(min(evidence, key=_day), rule.deadline) if evidence else None


def _against(document: EvidenceItem, deadline: date) -> DatedDocument:
    return DatedDocument(reference=document.reference, day=document.day, deadline=deadline)


def _day(document: EvidenceItem) -> date:
    return document.day


def entered_score(leaf: Leaf, entry: Entry, evidence: tuple[EvidenceItem, ...], computed: Score) -> Score:
    """The officer's score for the leaf; it quotes what the tracked year computed, if anything."""
    assert entry.points is not None  # only entries with points are scored
    facts = Facts(
        manual=ManualScore(points=entry.points, reason=entry.reason),
        inputs=tuple(document.reference for document in evidence),
    )
    given = score(as_entered(leaf), facts)
    if computed.points is None:
        return given
    return given.model_copy(update={"explanation": f"{given.explanation} (theo dõi tính được: {computed.explanation})"})


def as_entered(leaf: Leaf) -> Leaf:
    """The leaf scored by hand: its points entered within its maximum, deducted for a penalty."""
    rule = leaf.rule
    if isinstance(rule, Bonus | Penalty):
        return leaf.model_copy(update={"rule": rule.model_copy(update={"per_item": None})})
    return leaf.model_copy(update={"rule": Manual(text=rule.text)})


def task_evidence(records: Iterable[OccurrenceRecord]) -> tuple[EvidenceItem, ...]:
    """The approved documents of `records`, each once (a document approved twice is one document)."""
    seen: dict[tuple[str, date, str], EvidenceItem] = {}
    for record in records:
        if record.state is not TaskState.APPROVED:
            continue
        for document in record.evidence:
            seen.setdefault(
                (document.number, document.day, document.sha256),
                EvidenceItem(
                    source="task",
                    number=document.number,
                    day=document.day,
                    summary=document.title,
                    sha256=document.sha256,
                    issuer=document.issuer or None,
                    task_code=record.task_code,
                    workflow_id=record.workflow_id,
                ),
            )
    return tuple(seen.values())


def plan_scope(session: Session, plan_id: int) -> tuple[str, int]:
    """The plan's commune and year: what an assessment belongs to."""
    found = session.execute(
        select(CommuneRow.name, PlanRow.year)
        .join(CommuneRow, CommuneRow.id == PlanRow.commune_id)
        .where(PlanRow.id == plan_id)
    ).one_or_none()
    if found is None:
        raise PlanNotFound(str(plan_id))
    return found[0], found[1]


def _leaf(catalogue: Catalogue, code: str) -> Leaf:
    try:
        return catalogue.item(code)
    except KeyError:
        raise AssessmentError(f"bộ tiêu chí không có tiêu chí chấm điểm {code}") from None


def _entries(session: Session, commune: str, year: int, catalogue_id: int) -> dict[str, Entry]:
    rows = session.scalars(select(AssessmentEntryRow).where(*_key(AssessmentEntryRow, commune, year, catalogue_id)))
    return {row.code: Entry(row.code, row.points, row.reason, row.explanation) for row in rows}


def _office_evidence(session: Session, commune: str, year: int, catalogue_id: int) -> dict[str, list[EvidenceItem]]:
    rows = session.scalars(
        select(OfficeEvidenceRow)
        .where(*_key(OfficeEvidenceRow, commune, year, catalogue_id))
        .order_by(OfficeEvidenceRow.document_date, OfficeEvidenceRow.id)
    )
    found: dict[str, list[EvidenceItem]] = {}
    for row in rows:
        found.setdefault(row.code, []).append(
            EvidenceItem(
                source="office",
                number=row.document_number,
                day=row.document_date,
                summary=row.summary,
                sha256=row.sha256,
                issuer=row.issuer,
                page=row.page,
                signed=row.signed,
            )
        )
    return found


def _key(
    table: type[AssessmentEntryRow] | type[OfficeEvidenceRow], commune: str, year: int, catalogue_id: int
) -> tuple[ColumnElement[bool], ...]:
    return table.commune == commune, table.year == year, table.catalogue_id == catalogue_id


# --- writing ---------------------------------------------------------------------------------


def enter_score(
    session: Session,
    *,
    plan_id: int,
    catalogue_id: int,
    code: str,
    points: Decimal,
    reason: str,
    actor: str,
    now: datetime,
) -> None:
    """Record the officer's score for `code` (points deducted, for a penalty), replacing any earlier one."""
    leaf = _leaf(load_catalogue(session, catalogue_id), code)
    if leaf.scored_by is ScoredBy.PROVINCE:
        raise AssessmentError(f"tiêu chí {code} {BY_PROVINCE}")
    if points < 0:
        raise AssessmentError("điểm phải từ 0 trở lên (điểm trừ ghi số dương, hệ thống tự trừ)")
    if not is_printable(reason):
        raise AssessmentError("lý do chấm điểm chứa ký tự điều khiển (không in được)")
    try:
        manual = ManualScore(points=points, reason=reason)
    except ValidationError as exc:
        raise AssessmentError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
    score(as_entered(leaf), Facts(manual=manual))  # refuses points above the maximum
    _upsert(session, plan_id, catalogue_id, code, actor, now, points=manual.points, reason=manual.reason)


def explain(
    session: Session, *, plan_id: int, catalogue_id: int, code: str, text: str, actor: str, now: datetime
) -> None:
    """Record the explanation (giải trình) for `code`, replacing any earlier one."""
    _leaf(load_catalogue(session, catalogue_id), code)
    if not text.strip():
        raise AssessmentError("phải ghi nội dung giải trình")
    if not is_printable(text):
        raise AssessmentError("nội dung giải trình chứa ký tự điều khiển (không in được)")
    _upsert(session, plan_id, catalogue_id, code, actor, now, explanation=text.strip())


def check_office_evidence(
    session: Session, *, catalogue_id: int, code: str, number: str, issuer: str, summary: str, page: str = ""
) -> None:
    """`AssessmentError` naming what is wrong with a document the office is about to add, so
    that its file is stored only for a document that will be."""
    _leaf(load_catalogue(session, catalogue_id), code)
    named = (("số văn bản", number), ("cơ quan ban hành", issuer), ("trích yếu", summary))
    for label, value in named:
        if not value.strip():
            raise AssessmentError(f"phải ghi {label} của tài liệu kiểm chứng")
    for label, value in (*named, ("trang / mục", page)):
        if not is_printable(value):
            raise AssessmentError(f"{label} của tài liệu kiểm chứng chứa ký tự điều khiển (không in được)")


def add_office_evidence(
    session: Session,
    *,
    plan_id: int,
    catalogue_id: int,
    code: str,
    number: str,
    day: date,
    issuer: str,
    summary: str,
    sha256: str | None = None,
    page: str | None = None,
    signed: bool = False,
    actor: str,
    now: datetime,
) -> int:
    """Add a document the office relies on for `code`; its id."""
    check_office_evidence(
        session, catalogue_id=catalogue_id, code=code, number=number, issuer=issuer, summary=summary, page=page or ""
    )
    commune, year = plan_scope(session, plan_id)
    row = OfficeEvidenceRow(
        commune=commune,
        year=year,
        catalogue_id=catalogue_id,
        code=code,
        document_number=number.strip(),
        document_date=day,
        issuer=issuer.strip(),
        summary=summary.strip(),
        sha256=sha256,
        page=page,
        signed=signed,
        added_by=actor,
        added_at=now,
    )
    session.add(row)
    if sha256:
        claim_evidence(session, commune, sha256, actor, now)
    session.flush()
    return row.id


def _upsert(
    session: Session, plan_id: int, catalogue_id: int, code: str, actor: str, now: datetime, **values: object
) -> None:
    """Change the item's entry if it exists (the update's row count says), else add it."""
    commune, year = plan_scope(session, plan_id)
    changed = session.execute(
        update(AssessmentEntryRow)
        .where(*_key(AssessmentEntryRow, commune, year, catalogue_id), AssessmentEntryRow.code == code)
        .values(entered_by=actor, entered_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], changed).rowcount == 1:  # an UPDATE's result is a CursorResult, with its rowcount
        return
    row = AssessmentEntryRow(
        commune=commune,
        year=year,
        catalogue_id=catalogue_id,
        code=code,
        points=None,
        reason="",
        explanation=None,
        entered_by=actor,
        entered_at=now,
    )
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()

"""What the supervising authority sees of its communes' PAR rounds, read from SQL only (the
events the round workflows recorded, the sheets, the tasks' read model): communes side by
side and ranked, the appraisal of each sub-criterion, and each commune's years, carrying the
history of the communes merged into it.

A submitted round is read from the sheet its submission froze (`round_events`, the submit
event's `sheet`), never from today's sheet: later edits, or another catalogue, leave what was
submitted, appraised and published as it was. Before submission the sheet is read live.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.assessment_round import RoundEntryKind, RoundState
from domain.scoring import Score, totals
from domain.units import same_commune
from persistence.round_tables import RoundEventRow
from persistence.tables import CommunePredecessorRow
from services.assessment import Sheet, assessment_sheet, submitted_item
from services.catalogues import load_catalogue
from services.outcomes import year_tally
from workflows.round_contracts import Publication, SubmittedItem, changed_items


@dataclass(frozen=True)
class CommuneRound:
    commune: str
    year: int
    state: RoundState | None  # None: no round opened
    submitted: bool
    self_score: Decimal | None
    max_points: Decimal | None
    appraised_score: Decimal | None  # once the appraiser scored an item or published
    missing_evidence: tuple[str, ...]  # sub-criteria without evidence
    overdue_tasks: int
    on_time_rate: float | None  # by the plan: what the province counts
    on_time_rate_directed: float | None  # counting the leaders' extensions
    rank: int | None = None  # 1 is first; communes with the same score share a rank
    published: Publication | None = None  # the province's decision and the classification


@dataclass(frozen=True)
class Appraisal:
    """One sub-criterion as submitted and as appraised."""

    item: SubmittedItem
    appraised: Decimal | None
    comment: str
    asked: bool  # an explanation was asked for
    answers: tuple[str, ...]  # the commune's answers since


@dataclass(frozen=True)
class YearResult:
    """A commune's round of one year; for a year before a merger, its predecessors' rounds."""

    commune: str
    year: int
    rounds: tuple[CommuneRound, ...]  # each names the commune it was the round of


@dataclass
class RoundHistory:
    """A round's recorded events, read once: its opening (plan, catalogue, dates), the sheet
    its submission froze, the appraiser's scores, the explanation asked for and answered."""

    rows: list[RoundEventRow]
    opening: dict = field(default_factory=dict)
    approval: RoundEventRow | None = None  # the chairman's approval in force (a reopening voids it)
    submission: dict | None = None
    appraised: dict[str, tuple[Decimal, str]] = field(default_factory=dict)  # code -> (points, comment)
    asked: tuple[str, ...] = ()
    answers: list[str] = field(default_factory=list)
    published: Publication | None = None  # None before, or published before decisions were recorded

    @property
    def state(self) -> RoundState:
        return RoundState(self.rows[-1].state)

    @property
    def sheet(self) -> tuple[SubmittedItem, ...]:
        return _items(self.submission)

    @property
    def approved_sheet(self) -> tuple[SubmittedItem, ...]:
        """The sheet the approval in force approved; empty without one, or for approvals
        recorded before the approval kept its sheet."""
        return _items(self.approval.payload if self.approval else None)


# --- reading ---------------------------------------------------------------------------------


def round_overview(session: Session, year: int, communes: Sequence[str], now: datetime) -> list[CommuneRound]:
    """The communes side by side for the year's round, ranked by appraised (else self) score."""
    histories = _histories(session, year)
    rows = [_commune_round(session, commune, year, _find(histories, commune), now) for commune in communes]
    return ranked(rows)


def changed_since_approval(history: RoundHistory, sheet: Sheet) -> list[str]:
    """The codes the office changed since the chairman approved the sheet, while the round waits
    for its submission: submitting would void the approval."""
    if history.state is not RoundState.APPROVED or not history.approved_sheet:
        return []
    return changed_items({item.code: item for item in history.approved_sheet}, tuple(map(submitted_item, sheet.items)))


def find_round(session: Session, commune: str, year: int) -> RoundHistory | None:
    """The round of the commune and year as its events recorded it; None if never opened."""
    return _find(_histories(session, year), commune)


def latest_round_year(session: Session, communes: Iterable[str]) -> int | None:
    """The newest year with a round of one of `communes` (the round in progress, else the last
    one); None when none of them ever had one."""
    names = list(communes)
    rounds = session.execute(
        select(RoundEventRow.commune, func.max(RoundEventRow.year)).group_by(RoundEventRow.commune)
    )
    years = [year for commune, year in rounds if any(same_commune(commune, name) for name in names)]
    return max(years, default=None)


def appraisal_items(session: Session, commune: str, year: int) -> list[Appraisal]:
    """Each sub-criterion of the submitted sheet with the appraiser's score and comment; empty
    before submission."""
    history = find_round(session, commune, year)
    if history is None:
        return []
    return [_appraisal(history, item) for item in history.sheet]


def _appraisal(history: RoundHistory, item: SubmittedItem) -> Appraisal:
    points, comment = history.appraised.get(item.code, (None, ""))
    asked = item.code in history.asked
    return Appraisal(item, points, comment, asked, tuple(history.answers) if asked else ())


def year_over_year(session: Session, communes: Sequence[str], years: Sequence[int], now: datetime) -> list[YearResult]:
    """Each commune's round per year; a year it has no round of its own shows the rounds of
    the communes merged into it."""
    results = []
    for year in years:
        histories = _histories(session, year)
        for commune in communes:
            own = _find(histories, commune)
            names = [commune] if own is not None else predecessors(session, commune)
            found = [(name, _find(histories, name)) for name in names]
            rounds = tuple(_commune_round(session, name, year, history, now) for name, history in found if history)
            results.append(YearResult(commune=commune, year=year, rounds=rounds))
    return results


def predecessors(session: Session, commune: str) -> list[str]:
    """The communes merged into `commune`, and those merged into them, by name."""
    merged = session.execute(select(CommunePredecessorRow.commune, CommunePredecessorRow.predecessor)).all()
    found, frontier = [], [commune]
    while frontier:
        current = frontier.pop()
        new = [old for into, old in merged if same_commune(into, current) and old not in found]
        found += new
        frontier += new
    return found


def ranked(rows: Iterable[CommuneRound]) -> list[CommuneRound]:
    """Highest score first (appraised, else self); equal scores share a rank; unscored last."""
    rows = list(rows)
    standings = [(standing, row) for row in rows if (standing := _standing(row)) is not None]
    scored = [row for _, row in sorted(standings, key=lambda pair: pair[0], reverse=True)]
    unscored = [row for row in rows if _standing(row) is None]
    result: list[CommuneRound] = []
    for position, row in enumerate(scored, start=1):
        tied = result and _standing(result[-1]) == _standing(row)
        result.append(replace(row, rank=result[-1].rank if tied else position))
    return result + unscored


def overview_document(row: CommuneRound) -> dict:
    """A commune's round as JSON: points as numbers, None where there are none."""
    return {
        "commune": row.commune,
        "year": row.year,
        "rank": row.rank,
        "state": row.state.value if row.state else None,
        "submitted": row.submitted,
        "self_score": json_number(row.self_score),
        "max": json_number(row.max_points),
        "appraised_score": json_number(row.appraised_score),
        "missing_evidence": list(row.missing_evidence),
        "overdue_tasks": row.overdue_tasks,
        "on_time_rate": row.on_time_rate,
        "on_time_rate_directed": row.on_time_rate_directed,
        "classification": row.published.classification if row.published else None,
        "decision": row.published.decision.model_dump(mode="json") if row.published else None,
    }


def json_number(value: Decimal | None) -> float | None:
    """Points as a JSON number."""
    return None if value is None else float(value)


# --- one commune -----------------------------------------------------------------------------


def _commune_round(
    session: Session, commune: str, year: int, history: RoundHistory | None, now: datetime
) -> CommuneRound:
    tally = year_tally(session, commune, year, now)
    if history is None:
        rates = (tally.on_time_rate, tally.on_time_rate_directed)
        return CommuneRound(commune, year, None, False, None, None, None, (), tally.directed.overdue, *rates)
    self_score: Decimal | None
    max_points: Decimal | None
    if history.submission is not None:
        sheet = history.sheet
        self_score = Decimal(history.submission["self_score"])
        max_points = Decimal(history.submission["max"])
        missing = tuple(item.code for item in sheet if not item.evidence)
    else:
        self_score, max_points, missing = _live(session, history, now)
    return CommuneRound(
        commune=commune,
        year=year,
        state=history.state,
        submitted=history.submission is not None,
        self_score=self_score,
        max_points=max_points,
        appraised_score=_appraised_score(session, history),
        missing_evidence=missing,
        overdue_tasks=tally.directed.overdue,
        on_time_rate=tally.on_time_rate,
        on_time_rate_directed=tally.on_time_rate_directed,
        published=history.published,
    )


def _live(
    session: Session, history: RoundHistory, now: datetime
) -> tuple[Decimal | None, Decimal | None, tuple[str, ...]]:
    """The sheet as it stands, before submission; unknown for rounds opened before the opening
    event recorded its plan and catalogue."""
    opening = history.opening
    if "plan_id" not in opening:
        return None, None, ()
    sheet = assessment_sheet(
        session,
        plan_id=opening["plan_id"],
        catalogue_id=opening["catalogue_id"],
        plan_completion_codes=opening.get("plan_completion_codes", ()),
        now=now,
    )
    return sheet.self_score, sheet.max_points, tuple(sheet.missing_evidence)


def _appraised_score(session: Session, history: RoundHistory) -> Decimal | None:
    """The submitted sheet with the appraiser's points in place of the commune's, totalled by
    the catalogue it was scored against (its caps on bonus and penalty apply)."""
    appraised = history.appraised
    if history.submission is None or not (appraised or history.state is RoundState.PUBLISHED):
        return None
    sheet = history.sheet
    if not sheet:  # submitted before the sheet was kept: only its total is known
        return Decimal(history.submission["self_score"]) if not appraised else None
    catalogue = load_catalogue(session, history.submission["catalogue_id"])
    scores = [
        Score(
            code=item.code,
            points=appraised.get(item.code, (item.points,))[0],
            max_points=item.max_points,
            computed=False,
            explanation=item.how,
        )
        for item in sheet
    ]
    return totals(catalogue, scores).points


# --- events ----------------------------------------------------------------------------------


def _histories(session: Session, year: int) -> dict[str, RoundHistory]:
    """Every round of `year`, by commune as its workflow names it."""
    query = (
        select(RoundEventRow).where(RoundEventRow.year == year).order_by(RoundEventRow.workflow_id, RoundEventRow.seq)
    )
    by_round: dict[str, list[RoundEventRow]] = {}
    for row in session.scalars(query):
        by_round.setdefault(row.commune, []).append(row)
    return {commune: _history(rows) for commune, rows in by_round.items()}


def _history(rows: list[RoundEventRow]) -> RoundHistory:
    history = RoundHistory(rows)
    for row in rows:
        data = row.payload
        if row.kind == RoundEntryKind.OPEN:
            history.opening = data
        elif row.kind == RoundEntryKind.APPROVE:
            history.approval = row
        elif row.kind in (RoundEntryKind.REOPEN, RoundEntryKind.APPROVAL_VOIDED):
            history.approval = None
        elif row.kind == RoundEntryKind.SUBMIT:
            history.submission = data
        elif row.kind == RoundEntryKind.APPRAISE:
            history.appraised[data["code"]] = (Decimal(data["points"]), row.detail)
        elif row.kind == RoundEntryKind.REQUEST_EXPLANATION:
            history.asked, history.answers = tuple(data["codes"]), []
        elif row.kind == RoundEntryKind.ANSWER:
            history.answers.append(row.detail)
        elif row.kind == RoundEntryKind.PUBLISH and "decision" in data:
            history.published = Publication.model_validate(data)
    return history


def _items(data: dict | None) -> tuple[SubmittedItem, ...]:
    return tuple(SubmittedItem.model_validate(item) for item in (data or {}).get("sheet", ()))


def _find(histories: dict[str, RoundHistory], commune: str) -> RoundHistory | None:
    return next((history for name, history in histories.items() if same_commune(name, commune)), None)


def _standing(row: CommuneRound) -> Decimal | None:
    return row.appraised_score if row.appraised_score is not None else row.self_score

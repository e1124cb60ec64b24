"""What the PAR round workflow takes and gives: its input, the requests people send it, the
events it records, and its state. One workflow per commune and year; the rules are
`domain.assessment_round`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import Field

from domain.assessment_round import RoundDates, RoundEvent, RoundRole, RoundState
from domain.criteria import DEFAULT_BANDS, Band, ScoredBy, classify
from domain.models import PlanSettings
from domain.scoring import number
from workflows.contracts import Contract

CHECK_SUBMISSION = "check_submission"
RECORD_ROUND_EVENT = "record_round_event"


class RoundInput(Contract):
    commune: str
    year: int
    plan_id: int
    catalogue_id: int
    plan_completion_codes: tuple[str, ...] = ()
    opens: date
    submission_due: date
    explanation_due: date
    settings: PlanSettings = Field(default_factory=PlanSettings)  # reminder offsets, escalation interval
    clock_offset: timedelta = timedelta(0)  # simulations only, as TaskInput.clock_offset

    @property
    def dates(self) -> RoundDates:
        return RoundDates(self.opens, self.submission_due, self.explanation_due)


class PublicationDecision(Contract):
    """The province's decision that publishes the result: "Quyết định số 125/QĐ-UBND ngày 10/02/2026"."""

    number: str = Field(min_length=1)
    issued: date
    signer: str = Field(min_length=1)  # who signed it, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH Nguyễn Văn A"

    @property
    def reference(self) -> str:
        return f"Quyết định số {self.number} ngày {self.issued:%d/%m/%Y}, người ký: {self.signer}"


class RoundRequest(Contract):
    """One step of the round, by someone the caller authenticated."""

    event: RoundEvent
    user: str = Field(min_length=1)
    role: RoundRole
    note: str = ""
    codes: tuple[str, ...] = ()  # request_explanation: the sub-criteria asked about; appraise: the one scored
    points: Decimal | None = None  # appraise
    decision: PublicationDecision | None = None  # publish: the province's decision


class Publication(Contract):
    """The published result: the decision, the appraised score and its classification."""

    decision: PublicationDecision
    points: Decimal
    max_points: Decimal
    classification: str  # the catalogue's band, "Khá"

    @property
    def summary(self) -> str:
        return f"{number(self.points)}/{number(self.max_points)} điểm, xếp loại {self.classification}"


class RoundScope(Contract):
    """The sheet a submission is checked against."""

    plan_id: int
    catalogue_id: int
    plan_completion_codes: tuple[str, ...] = ()
    at: datetime


class SubmittedItem(Contract):
    """One scored item of the sheet as submitted: frozen in the round's history, so that later
    edits, or another catalogue, never change what the commune sent and the appraiser saw."""

    code: str
    name: str
    max_points: Decimal  # an adjustment's cap
    penalty: bool = False  # points are 0 or negative, down to -max_points
    scored_by: ScoredBy = ScoredBy.COMMUNE  # province: not self-scored; the appraiser scores it
    points: Decimal | None
    how: str  # how it was scored, with its inputs
    evidence: tuple[str, ...] = ()  # the documents' references
    explanation: str | None = None  # giải trình


class SubmissionCheck(Contract):
    self_score: Decimal
    max_points: Decimal
    blocking: tuple[str, ...]
    sheet: tuple[SubmittedItem, ...] = ()  # empty in histories recorded before the sheet was kept
    bands: tuple[Band, ...] = DEFAULT_BANDS  # the catalogue's classification of the result


class RoundEntry(Contract):
    seq: int
    at: datetime
    kind: str  # open, reminder, escalation, or a RoundEvent
    state: RoundState
    actor: str
    role: str
    detail: str = ""
    data: dict[str, Any] = Field(default_factory=dict)


class RoundRecord(Contract):
    workflow_id: str
    commune: str
    year: int
    entry: RoundEntry


class RoundSnapshot(Contract):
    state: RoundState
    deadline: date | None
    self_score: Decimal | None = None
    appraised: dict[str, Decimal] = Field(default_factory=dict)
    asked: tuple[str, ...] = ()
    timeline: tuple[RoundEntry, ...] = ()
    published: Publication | None = None


def publication(
    sheet: dict[str, SubmittedItem],
    appraised: dict[str, Decimal],
    check: SubmissionCheck,
    decision: PublicationDecision,
) -> Publication:
    """The result the decision publishes: the submitted sheet with the appraiser's points in
    place of the commune's (each within its range, so the catalogue's caps hold), classified by
    the catalogue's bands."""
    if sheet:
        points = sum((appraised.get(code, item.points) or Decimal(0) for code, item in sheet.items()), Decimal(0))
    else:  # submitted before the sheet was kept: only its total is known
        points = check.self_score
    return Publication(
        decision=decision,
        points=points,
        max_points=check.max_points,
        classification=classify(points, check.max_points, check.bands),
    )


def changed_items(approved: dict[str, SubmittedItem], sheet: tuple[SubmittedItem, ...]) -> list[str]:
    """The codes whose item differs between the approved sheet and `sheet`, in sheet order;
    items gone from the sheet last."""
    current = {item.code: item for item in sheet}
    changed = [item.code for item in sheet if approved.get(item.code) != item]
    return changed + [code for code in approved if code not in current]


def appraisal_problem(request: RoundRequest, sheet: dict[str, SubmittedItem]) -> str | None:
    """Why the appraiser's score cannot be taken, in Vietnamese; None when it can. Rounds
    submitted before the sheet was kept (`sheet` empty) check the form only."""
    if len(request.codes) != 1 or request.points is None:
        return "chấm thẩm định một tiêu chí: ghi mã tiêu chí và số điểm"
    if not sheet:
        return None
    item = sheet.get(request.codes[0])
    if item is None:
        return f"hồ sơ đã gửi không có tiêu chí chấm điểm {request.codes[0]}"
    low, high = (-item.max_points, Decimal(0)) if item.penalty else (Decimal(0), item.max_points)
    if not low <= request.points <= high:
        return f"điểm thẩm định tiêu chí {item.code} phải trong khoảng {number(low)}..{number(high)}"
    return None


ROUND_WORKFLOW_PREFIX = "cchc-par-round/"


def round_workflow_id(commune: str, year: int) -> str:
    return f"{ROUND_WORKFLOW_PREFIX}{year}/{commune}"


def is_round(workflow_id: str) -> bool:
    return workflow_id.startswith(ROUND_WORKFLOW_PREFIX)

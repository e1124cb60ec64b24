"""How a PAR sub-criterion is scored: the rule kinds of the provinces' criteria sets, and pure
functions from the facts of a year to a score with its explanation, and from scores to totals.

Every score explains itself in Vietnamese, the way an appraiser checks it by hand:
"9/10 nhiệm vụ hoàn thành đúng hạn = 90 % ≥ 90 % → 0,9 × 2 = 1,8". A rule that cannot be
applied for want of facts gives no points ("chưa đủ dữ liệu") rather than a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, SerializerFunctionWrapHandler, field_validator, model_serializer

from domain.errors import CchcError, ErrorCategory
from domain.models import Model

if TYPE_CHECKING:
    from domain.criteria import Catalogue, Leaf

CENT = Decimal("0.01")
MISSING = "chưa đủ dữ liệu"


def plain(value: Decimal) -> Decimal:
    """A Decimal as written by people: 1 not 1.0 nor 1E+0, 0.5 not 0.50 (one value, one form)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


Points = Annotated[Decimal, AfterValidator(plain)]
PositivePoints = Annotated[Decimal, Field(gt=0), AfterValidator(plain)]


# --- rules -------------------------------------------------------------------------------


class RuleKind(StrEnum):
    """How a sub-criterion or an adjustment is scored: one rule model each."""

    FIXED = "fixed"
    THRESHOLD = "threshold"
    PARTS = "parts"
    MANUAL = "manual"
    BONUS = "bonus"
    PENALTY = "penalty"


class Added(Model):
    """A model that gained fields after catalogues were stored: `ADDED` fields at their default
    are left out of its dump, so that a stored catalogue keeps its content and fingerprint."""

    ADDED: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _without_added_defaults(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        for name in self.ADDED:
            if getattr(self, name) == type(self).model_fields[name].get_default(call_default_factory=True):
                data.pop(name, None)
        return data


class _Rule(Model):
    text: str = ""  # the province's own wording of the rule, kept for people


TASK_DEADLINE = "task"  # a fixed item's deadline: the issued plan's deadline of each task mapped to it


class Fixed(_Rule, Added):
    """Met or not: the maximum or nothing ("Có: 1 điểm; Không: 0 điểm"). With a `deadline` (a
    date, or `task`: the plan's deadline of each mapped task), met only by a document dated on
    or before it ("ban hành trước ngày 31/01: 1 điểm; sau thời hạn: 0")."""

    ADDED = ("deadline",)
    kind: Literal[RuleKind.FIXED] = RuleKind.FIXED
    deadline: date | Literal["task"] | None = None


class Threshold(_Rule):
    """Done over planned: 100 % → max; `floor` ≤ ratio < 100 % → ratio × max; below → 0."""

    kind: Literal[RuleKind.THRESHOLD] = RuleKind.THRESHOLD
    floor: Points = Field(default=Decimal("0.9"), gt=0, le=1)
    counted: str = "nhiệm vụ hoàn thành"  # what `done` counts, for the explanation


class Part(Model):
    name: str = Field(min_length=1)
    points: PositivePoints


class Parts(_Rule):
    """Named parts, each worth its points when met (0,5 "trực tuyến" + 0,5 "truyền thống")."""

    kind: Literal[RuleKind.PARTS] = RuleKind.PARTS
    parts: tuple[Part, ...] = Field(min_length=1)

    @field_validator("parts")
    @classmethod
    def _names_unique(cls, parts: tuple[Part, ...]) -> tuple[Part, ...]:
        names = [part.name for part in parts]
        if len(set(names)) != len(names):
            raise ValueError("các phần của cách chấm phải có tên khác nhau")
        return parts

    @property
    def total(self) -> Decimal:
        return sum((part.points for part in self.parts), Decimal(0))


class Manual(_Rule):
    """An officer enters the score, 0..max, with a reason."""

    kind: Literal[RuleKind.MANUAL] = RuleKind.MANUAL


class Bonus(_Rule):
    """Bonus points up to the adjustment's cap: `per_item` for each occurrence, or entered."""

    kind: Literal[RuleKind.BONUS] = RuleKind.BONUS
    per_item: PositivePoints | None = None


class Penalty(_Rule):
    """Points deducted up to the adjustment's cap: `per_item` for each occurrence, or entered."""

    kind: Literal[RuleKind.PENALTY] = RuleKind.PENALTY
    per_item: PositivePoints | None = None


Rule = Annotated[Fixed | Threshold | Parts | Manual | Bonus | Penalty, Field(discriminator="kind")]
AdjustmentRule = Annotated[Bonus | Penalty, Field(discriminator="kind")]


# --- facts and scores ---------------------------------------------------------------------


class ManualScore(Model):
    points: Points = Field(ge=0)
    reason: str

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("phải ghi lý do khi chấm điểm thủ công")
        return reason.strip()


class DatedDocument(Model):
    """A document against its deadline: "Số 10/KH-UBND ngày 15/01/2025" by 31/01/2025."""

    reference: str
    day: date
    deadline: date

    @property
    def late(self) -> bool:
        return self.day > self.deadline


class Facts(Model):
    """What is known about one scored item; None means not known (yet)."""

    done: int | None = Field(default=None, ge=0)
    planned: int | None = Field(default=None, ge=0)
    met: bool | None = None
    parts_met: frozenset[str] | None = None
    manual: ManualScore | None = None
    count: int | None = Field(default=None, ge=0)
    dated: DatedDocument | None = None  # a fixed item with a deadline: the document it is judged by
    inputs: tuple[str, ...] = ()  # where the facts come from: task codes, evidence documents


class Score(Model):
    code: str
    points: Points | None  # None: not enough facts to score
    max_points: Points  # an adjustment's cap
    computed: bool  # by the rule from the facts; False when entered by an officer or not scored
    explanation: str
    inputs: tuple[str, ...] = ()


class ScoringError(CchcError, ValueError):
    """Facts that contradict the rule (an unknown part, a manual score above the maximum)."""

    category = ErrorCategory.BAD_INPUT
    closing = "."


def score(item: Leaf, facts: Facts) -> Score:
    """The score of one leaf (or adjustment) of a catalogue from the facts of the year."""
    rule = item.rule
    if isinstance(rule, Fixed):
        return _fixed(item, facts)
    if isinstance(rule, Threshold):
        return _threshold(item, rule, facts)
    if isinstance(rule, Parts):
        return _parts(item, rule, facts)
    if isinstance(rule, Manual) or rule.per_item is None:
        return _manual(item, facts, sign=-1 if isinstance(rule, Penalty) else 1)
    return _counted(item, rule, facts)


def _result(item: Leaf, facts: Facts, points: Decimal | None, explanation: str, *, computed: bool = True) -> Score:
    rounded = None if points is None else points.quantize(CENT, rounding=ROUND_HALF_UP)
    return Score(
        code=item.code,
        points=rounded,
        max_points=item.max_points,
        computed=computed and rounded is not None,
        explanation=explanation,
        inputs=facts.inputs,
    )


def _missing(item: Leaf, facts: Facts, what: str) -> Score:
    return _result(item, facts, None, f"{MISSING}: thiếu {what}")


def _fixed(item: Leaf, facts: Facts) -> Score:
    if isinstance(item.rule, Fixed) and item.rule.deadline is not None:
        return _dated(item, facts)
    if facts.met is None:
        return _missing(item, facts, "kết quả đạt/không đạt")
    if facts.met:
        return _result(item, facts, item.max_points, f"Đạt → {number(item.max_points)}")
    return _result(item, facts, Decimal(0), "Không đạt → 0")


def _dated(item: Leaf, facts: Facts) -> Score:
    """A fixed item with a deadline: the maximum for a document dated by it, else 0."""
    document = facts.dated
    if document is None:
        return _missing(item, facts, "văn bản (số, ngày ban hành)")
    stated = f"{document.reference}, hạn {document.deadline:%d/%m/%Y}"
    if document.late:
        return _result(item, facts, Decimal(0), f"{stated}: ban hành sau thời hạn → 0")
    return _result(item, facts, item.max_points, f"{stated}: ban hành đúng hạn → {number(item.max_points)}")


def _threshold(item: Leaf, rule: Threshold, facts: Facts) -> Score:
    if facts.done is None or facts.planned is None:
        return _missing(item, facts, f"số {rule.counted} và số phải thực hiện")
    top = item.max_points
    if facts.planned == 0:
        return _result(item, facts, top, f"không có nhiệm vụ phải thực hiện → {number(top)}")
    ratio = Decimal(facts.done) / Decimal(facts.planned)
    stated = f"{facts.done}/{facts.planned} {rule.counted} = {percent(ratio)}"
    if ratio >= 1:
        return _result(item, facts, top, f"{stated} → {number(top)}")
    if ratio < rule.floor:
        return _result(item, facts, Decimal(0), f"{stated} < {percent(rule.floor)} → 0")
    points = ratio * top
    factor = number(ratio) if ratio == ratio.quantize(Decimal("0.0001")) else f"{facts.done}/{facts.planned}"
    rounded = number(points.quantize(CENT, rounding=ROUND_HALF_UP))
    return _result(item, facts, points, f"{stated} ≥ {percent(rule.floor)} → {factor} × {number(top)} = {rounded}")


def _parts(item: Leaf, rule: Parts, facts: Facts) -> Score:
    if facts.parts_met is None:
        return _missing(item, facts, "kết quả từng phần")
    unknown = facts.parts_met - {part.name for part in rule.parts}
    if unknown:
        raise ScoringError(f"tiêu chí {item.code} không có phần “{'”, “'.join(sorted(unknown))}”")
    earned = [(part, part.name in facts.parts_met) for part in rule.parts]
    points = sum((part.points for part, met in earned if met), Decimal(0))
    lines = "; ".join(f"{part.name}: {number(part.points) if met else 'không đạt 0'}" for part, met in earned)
    return _result(item, facts, points, f"{lines} → {number(points)}")


def _manual(item: Leaf, facts: Facts, *, sign: int) -> Score:
    if facts.manual is None:
        return _missing(item, facts, "điểm do cán bộ chấm")
    if facts.manual.points > item.max_points:
        raise ScoringError(
            f"tiêu chí {item.code}: điểm {number(facts.manual.points)} vượt quá mức tối đa {number(item.max_points)}"
        )
    points = sign * facts.manual.points
    return _result(item, facts, points, f"cán bộ chấm {number(points)}: {facts.manual.reason}", computed=False)


def _counted(item: Leaf, rule: Bonus | Penalty, facts: Facts) -> Score:
    if facts.count is None:
        return _missing(item, facts, "số lần")
    assert rule.per_item is not None  # score() sends entered adjustments to _manual
    raw = facts.count * rule.per_item
    capped = min(raw, item.max_points)
    sign = -1 if isinstance(rule, Penalty) else 1
    limit = f", tối đa {number(item.max_points)}" if raw > capped else ""
    explanation = f"{facts.count} lần × {number(rule.per_item)} = {number(raw)}{limit} → {number(sign * capped)}"
    return _result(item, facts, sign * capped, explanation)


# --- totals -------------------------------------------------------------------------------


class AreaTotal(Model):
    code: str
    name: str
    points: Points
    max_points: Points
    unscored: tuple[str, ...]  # leaf codes without points yet (counted as 0)


class Totals(Model):
    areas: tuple[AreaTotal, ...]
    bonus: Points  # within each bonus item's cap
    penalty: Points  # 0 or negative, within each penalty item's cap
    points: Points  # areas + bonus + penalty
    max_points: Points  # the areas' maximum, bonus excluded
    unscored: tuple[str, ...]  # every item without points yet, areas and adjustments

    @property
    def complete(self) -> bool:
        return not self.unscored


def totals(catalogue: Catalogue, scores: Iterable[Score]) -> Totals:
    """Points per area, bonus and penalty, and the grand total; unscored items count as 0."""
    by_code = _index(catalogue, scores)
    areas = tuple(
        _area_total(area.code, area.name, area.max_points, catalogue.leaves(area.code), by_code)
        for area in catalogue.areas
    )
    adjustments = catalogue.adjustment_leaves()
    bonus = _sum(by_code, (leaf for leaf in adjustments if isinstance(leaf.rule, Bonus)))
    penalty = _sum(by_code, (leaf for leaf in adjustments if isinstance(leaf.rule, Penalty)))
    unscored = tuple(code for area in areas for code in area.unscored) + tuple(
        leaf.code for leaf in adjustments if _points(by_code, leaf.code) is None
    )
    return Totals(
        areas=areas,
        bonus=bonus,
        penalty=penalty,
        points=sum((area.points for area in areas), Decimal(0)) + bonus + penalty,
        max_points=catalogue.max_points,
        unscored=unscored,
    )


def _index(catalogue: Catalogue, scores: Iterable[Score]) -> dict[str, Score]:
    bounds = {leaf.code: _bounds(leaf) for leaf in (*catalogue.leaves(), *catalogue.adjustment_leaves())}
    by_code: dict[str, Score] = {}
    for given in scores:
        if given.code not in bounds:
            raise ScoringError(f"bộ tiêu chí không có tiêu chí chấm điểm {given.code}")
        if given.code in by_code:
            raise ScoringError(f"tiêu chí {given.code} có hơn một điểm")
        low, high = bounds[given.code]
        if given.points is not None and not low <= given.points <= high:
            raise ScoringError(
                f"điểm {number(given.points)} của tiêu chí {given.code} nằm ngoài khoảng {number(low)}..{number(high)}"
            )
        by_code[given.code] = given
    return by_code


def _bounds(leaf: Leaf) -> tuple[Decimal, Decimal]:
    return (-leaf.max_points, Decimal(0)) if isinstance(leaf.rule, Penalty) else (Decimal(0), leaf.max_points)


def _area_total(code: str, name: str, top: Decimal, leaves: Iterable[Leaf], by_code: dict[str, Score]) -> AreaTotal:
    leaves = tuple(leaves)
    return AreaTotal(
        code=code,
        name=name,
        points=_sum(by_code, leaves),
        max_points=top,
        unscored=tuple(leaf.code for leaf in leaves if _points(by_code, leaf.code) is None),
    )


def _points(by_code: dict[str, Score], code: str) -> Decimal | None:
    found = by_code.get(code)
    return None if found is None else found.points


def _sum(by_code: dict[str, Score], leaves: Iterable[Leaf]) -> Decimal:
    return sum((_points(by_code, leaf.code) or Decimal(0) for leaf in leaves), Decimal(0))


# --- numbers as Vietnamese write them -------------------------------------------------------


def read_points(text: str) -> Decimal:
    """Points as officers type them, "0,5" or "0.5"; ValueError (in Vietnamese) otherwise."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValueError(f"“{text}” không phải là số điểm (ví dụ 0,5)")
    return value


def number(value: Decimal) -> str:
    """1,8 / 2 / −1: a decimal comma, no trailing zeros, a true minus sign."""
    text = format(plain(value), "f").replace(".", ",")
    return text.replace("-", "−")


def percent(ratio: Decimal) -> str:
    return f"{number((ratio * 100).quantize(CENT, rounding=ROUND_HALF_UP))} %"

"""A province's PAR criteria set (bộ tiêu chí xác định Chỉ số CCHC) as data.

A catalogue is one version, decided by a provincial decision for a year: areas (lĩnh vực,
"1".."8") → criteria (tiêu chí, "1.1") → sub-criteria (tiêu chí thành phần, "1.1.1"), each
with its maximum points; the items without children are the ones scored (leaves), each
with its scoring rule and the evidence expected. Bonus and penalty points (điểm thưởng,
điểm trừ) are adjustments outside the areas, each within its cap.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from domain.errors import CchcError, ErrorCategory
from domain.models import Model
from domain.scoring import Added, AdjustmentRule, Parts, Points, PositivePoints, Rule, number


class CatalogueError(CchcError, ValueError):
    """A criteria set that does not add up; `code` is the item at fault, `field` what is wrong."""

    category = ErrorCategory.BAD_INPUT

    def __init__(self, message: str, code: str, field: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


class Decision(Model):
    number: str = Field(min_length=1)  # "3241/QĐ-UBND"
    issued: date
    issuer: str = Field(min_length=1)  # "UBND tỉnh Thừa Thiên Huế"


class ScoredBy(StrEnum):
    """Who scores an item: the commune itself, or only the province (the satisfaction survey)."""

    COMMUNE = "commune"
    PROVINCE = "province"  # shown on the sheet, not self-scored, never blocking; the appraiser scores it


class Band(Model):
    """A classification of the appraised result: `name` from `min_percent` of the maximum up."""

    name: str = Field(min_length=1)  # "Tốt"
    min_percent: Points = Field(ge=0, le=100)


# Tốt from 90 % of the maximum, Khá from 80 %, Trung bình from 70 %, Yếu below (the maximum is 100
# in the 2025 frameworks, so the percentages are points).
DEFAULT_BANDS = (
    Band(name="Tốt", min_percent=Decimal(90)),
    Band(name="Khá", min_percent=Decimal(80)),
    Band(name="Trung bình", min_percent=Decimal(70)),
    Band(name="Yếu", min_percent=Decimal(0)),
)


def classify(points: Decimal, max_points: Decimal, bands: tuple[Band, ...] = DEFAULT_BANDS) -> str:
    """The band of `points` out of `max_points`: the first (highest) whose floor it reaches."""
    percent = points * 100 / max_points
    return next((band.name for band in bands if percent >= band.min_percent), bands[-1].name)


class Leaf(Model):
    """An item that is scored: a sub-criterion, a criterion without any, or an adjustment."""

    code: str
    name: str
    max_points: PositivePoints  # an adjustment's cap
    rule: Rule
    evidence_expected: str
    area: str | None  # None for bonus and penalty
    scored_by: ScoredBy = ScoredBy.COMMUNE


class Criterion(Added):
    ADDED = ("scored_by",)
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    max_points: PositivePoints
    rule: Rule | None = None  # only on leaves
    evidence_expected: str = ""
    scored_by: ScoredBy = ScoredBy.COMMUNE  # province: every item under it too
    subcriteria: tuple[Criterion, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        if self.subcriteria:
            if self.rule is not None:
                raise CatalogueError(
                    f"tiêu chí {self.code} có tiêu chí thành phần nên không có cách chấm riêng", self.code, "rule"
                )
            _check_children(self.code, self.max_points, self.subcriteria)
        elif self.rule is None:
            raise CatalogueError(f"tiêu chí {self.code} chưa có cách chấm", self.code, "rule")
        elif isinstance(self.rule, Parts) and self.rule.total != self.max_points:
            raise CatalogueError(
                f"tiêu chí {self.code}: các phần cộng lại {number(self.rule.total)} điểm, "
                f"khác điểm tối đa {number(self.max_points)}",
                self.code,
                "rule",
            )
        return self

    def leaves(self, area: str, scored_by: ScoredBy = ScoredBy.COMMUNE) -> Iterator[Leaf]:
        scored_by = ScoredBy.PROVINCE if ScoredBy.PROVINCE in (scored_by, self.scored_by) else ScoredBy.COMMUNE
        if not self.subcriteria:
            assert self.rule is not None  # checked on validation
            yield Leaf(
                code=self.code,
                name=self.name,
                max_points=self.max_points,
                rule=self.rule,
                evidence_expected=self.evidence_expected,
                area=area,
                scored_by=scored_by,
            )
        for child in self.subcriteria:
            yield from child.leaves(area, scored_by)

    def codes(self) -> Iterator[str]:
        yield self.code
        for child in self.subcriteria:
            yield from child.codes()


class Area(Model):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    max_points: PositivePoints
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Area:
        _check_children(self.code, self.max_points, self.criteria)
        return self


class Adjustment(Model):
    """Bonus (điểm thưởng) or penalty (điểm trừ) points, outside the areas, within `cap`."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    cap: PositivePoints
    rule: AdjustmentRule
    evidence_expected: str = ""

    def leaf(self) -> Leaf:
        return Leaf(
            code=self.code,
            name=self.name,
            max_points=self.cap,
            rule=self.rule,
            evidence_expected=self.evidence_expected,
            area=None,
        )


class Catalogue(Added):
    ADDED = ("bands",)
    name: str = Field(min_length=1)  # "Bộ tiêu chí xác định Chỉ số CCHC cấp xã năm 2025"
    province: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    decision: Decision
    sample: bool = False  # a made-up set for demonstrations, never a province's
    areas: tuple[Area, ...] = Field(min_length=1)
    adjustments: tuple[Adjustment, ...] = ()
    bands: tuple[Band, ...] = DEFAULT_BANDS  # the classification of the published result, highest first

    @field_validator("bands")
    @classmethod
    def _bands_ordered(cls, bands: tuple[Band, ...]) -> tuple[Band, ...]:
        floors = [band.min_percent for band in bands]
        if not bands or floors != sorted(set(floors), reverse=True) or floors[-1] != 0:
            raise ValueError("các mức xếp loại phải ghi từ cao xuống thấp, mỗi mức một ngưỡng khác nhau, mức cuối từ 0")
        if len({band.name for band in bands}) != len(bands):
            raise ValueError("các mức xếp loại phải có tên khác nhau")
        return bands

    @model_validator(mode="after")
    def _codes_unique(self) -> Catalogue:
        seen: set[str] = set()
        codes = [area.code for area in self.areas]
        codes += [code for area in self.areas for criterion in area.criteria for code in criterion.codes()]
        codes += [adjustment.code for adjustment in self.adjustments]
        for code in codes:
            if code in seen:
                raise CatalogueError(f"mã {code} xuất hiện hơn một lần", code, "code")
            seen.add(code)
        return self

    @property
    def max_points(self) -> Decimal:
        """The areas' maximum (100 in the 2025 frameworks); bonus points come on top."""
        return sum((area.max_points for area in self.areas), Decimal(0))

    def leaves(self, area: str | None = None) -> Iterator[Leaf]:
        """The scored items of every area (or of one), in catalogue order."""
        for each in self.areas:
            if area is None or each.code == area:
                for criterion in each.criteria:
                    yield from criterion.leaves(each.code)

    def adjustment_leaves(self) -> tuple[Leaf, ...]:
        return tuple(adjustment.leaf() for adjustment in self.adjustments)

    def item_codes(self) -> set[str]:
        """The codes of every scored item: the areas' leaves and the adjustments."""
        return {leaf.code for leaf in (*self.leaves(), *self.adjustment_leaves())}

    def item(self, code: str) -> Leaf:
        """The scored item with this code, an area's leaf or an adjustment."""
        for leaf in (*self.leaves(), *self.adjustment_leaves()):
            if leaf.code == code:
                return leaf
        raise KeyError(code)

    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON: the same content gives the same fingerprint."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _check_children(code: str, top: Decimal, children: tuple[Criterion, ...]) -> None:
    for child in children:
        if not child.code.startswith(f"{code}."):
            raise CatalogueError(
                f"mã {child.code} không thuộc mục {code} (phải bắt đầu bằng “{code}.”)", child.code, "code"
            )
    total = sum((child.max_points for child in children), Decimal(0))
    if total != top:
        raise CatalogueError(
            f"mục {code}: điểm tối đa {number(top)} khác tổng điểm các mục con {number(total)}", code, "max_points"
        )

"""Scoring rules as pure functions, checked against hand calculations."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from domain.criteria import Catalogue, Leaf
from domain.scoring import (
    Bonus,
    DatedDocument,
    Facts,
    Fixed,
    Manual,
    ManualScore,
    Part,
    Parts,
    Penalty,
    Rule,
    Score,
    ScoringError,
    Threshold,
    score,
    totals,
)


def leaf(rule: Rule, max_points: str = "2", code: str = "1.1.2") -> Leaf:
    return Leaf(
        code=code,
        name="Mức độ hoàn thành kế hoạch CCHC",
        max_points=Decimal(max_points),
        rule=rule,
        evidence_expected="",
        area="1",
    )


ON_TIME = Threshold(counted="nhiệm vụ hoàn thành đúng hạn")


def test_nine_of_ten_tasks_on_time_earn_nine_tenths_of_the_maximum():
    result = score(leaf(ON_TIME), Facts(done=9, planned=10, inputs=("KH 10/KH-UBND",)))

    assert result.points == Decimal("1.8")
    assert result.computed
    assert result.explanation == "9/10 nhiệm vụ hoàn thành đúng hạn = 90 % ≥ 90 % → 0,9 × 2 = 1,8"
    assert result.inputs == ("KH 10/KH-UBND",)


def test_eight_of_ten_is_below_the_floor_and_earns_nothing():
    result = score(leaf(ON_TIME), Facts(done=8, planned=10))

    assert result.points == Decimal(0)
    assert result.explanation == "8/10 nhiệm vụ hoàn thành đúng hạn = 80 % < 90 % → 0"


def test_ten_of_ten_earns_the_maximum():
    assert score(leaf(ON_TIME), Facts(done=10, planned=10)).points == Decimal(2)


def test_a_ratio_that_is_not_a_short_decimal_is_shown_as_a_fraction_and_rounded_half_up():
    result = score(leaf(ON_TIME), Facts(done=29, planned=31))

    # 29 / 31 × 2 = 1.870967... → 1.87
    assert result.points == Decimal("1.87")
    assert result.explanation.endswith("= 93,55 % ≥ 90 % → 29/31 × 2 = 1,87")


def test_rounding_is_half_up_to_two_decimals():
    # 19 / 20 × 1.5 = 1.425 → 1.43 (half up, not half even)
    assert score(leaf(Threshold(), "1.5"), Facts(done=19, planned=20)).points == Decimal("1.43")


def test_nothing_to_do_earns_the_maximum_and_says_so():
    result = score(leaf(ON_TIME), Facts(done=0, planned=0))

    assert result.points == Decimal(2)
    assert "không có nhiệm vụ phải thực hiện" in result.explanation


def test_a_lower_floor_set_by_the_province_is_applied():
    assert score(leaf(Threshold(floor=Decimal("0.8")), "1"), Facts(done=8, planned=10)).points == Decimal("0.8")


def test_missing_counts_give_no_points_rather_than_a_guess():
    result = score(leaf(ON_TIME), Facts(done=9))

    assert result.points is None
    assert not result.computed
    assert result.explanation.startswith("chưa đủ dữ liệu")


def test_a_fixed_rule_gives_the_maximum_when_met_and_nothing_otherwise():
    item = leaf(Fixed(), "1")

    assert score(item, Facts(met=True)).points == Decimal(1)
    assert score(item, Facts(met=False)).points == Decimal(0)
    assert score(item, Facts()).points is None


def test_half_a_point_online_and_none_on_paper_make_half_a_point():
    item = leaf(
        Parts(parts=(Part(name="trực tuyến", points=Decimal("0.5")), Part(name="truyền thống", points=Decimal("0.5")))),
        "1",
    )

    result = score(item, Facts(parts_met=frozenset({"trực tuyến"})))

    assert result.points == Decimal("0.5")
    assert result.explanation == "trực tuyến: 0,5; truyền thống: không đạt 0 → 0,5"


def test_a_part_the_rule_does_not_have_is_an_error():
    item = leaf(Parts(parts=(Part(name="trực tuyến", points=Decimal(2)),)))

    with pytest.raises(ScoringError, match="không có phần “giấy”"):
        score(item, Facts(parts_met=frozenset({"giấy"})))


def test_an_officers_score_is_kept_with_its_reason_and_is_not_computed():
    result = score(leaf(Manual()), Facts(manual=ManualScore(points=Decimal("1.5"), reason="Thiếu báo cáo quý IV")))

    assert result.points == Decimal("1.5")
    assert not result.computed
    assert result.explanation == "cán bộ chấm 1,5: Thiếu báo cáo quý IV"


def test_an_officers_score_needs_a_reason_and_may_not_exceed_the_maximum():
    with pytest.raises(ValueError, match="lý do"):
        ManualScore(points=Decimal(1), reason="  ")
    with pytest.raises(ScoringError, match="vượt quá mức tối đa 2"):
        score(leaf(Manual()), Facts(manual=ManualScore(points=Decimal(3), reason="x")))


def test_three_penalties_of_half_a_point_are_capped_at_one_point():
    result = score(leaf(Penalty(per_item=Decimal("0.5")), "1", code="TR1"), Facts(count=3))

    assert result.points == Decimal(-1)
    assert result.explanation == "3 lần × 0,5 = 1,5, tối đa 1 → −1"


def test_a_bonus_is_capped_too():
    item = leaf(Bonus(per_item=Decimal(1)), "2", code="T1")

    assert score(item, Facts(count=1)).points == Decimal(1)
    assert score(item, Facts(count=5)).points == Decimal(2)


def test_a_bonus_without_points_per_occurrence_is_entered_by_an_officer():
    item = leaf(Bonus(), "2", code="T1")

    entered = ManualScore(points=Decimal("1.5"), reason="Mô hình được công nhận")

    assert score(item, Facts(manual=entered)).points == Decimal("1.5")


# --------------------------------------------------------------------------- totals

CATALOGUE = Catalogue.model_validate(
    {
        "name": "Bộ tiêu chí thử",
        "province": "Tỉnh thử",
        "year": 2025,
        "decision": {"number": "1/QĐ-UBND", "issued": "2025-10-14", "issuer": "UBND Tỉnh thử"},
        "areas": [
            {
                "code": "1",
                "name": "Chỉ đạo, điều hành",
                "max_points": 3,
                "criteria": [
                    {"code": "1.1", "name": "Kế hoạch", "max_points": 1, "rule": {"kind": "fixed"}},
                    {"code": "1.2", "name": "Hoàn thành kế hoạch", "max_points": 2, "rule": {"kind": "threshold"}},
                ],
            },
            {
                "code": "2",
                "name": "Thể chế",
                "max_points": 1,
                "criteria": [
                    {"code": "2.1", "name": "Rà soát", "max_points": 1, "rule": {"kind": "fixed"}},
                ],
            },
        ],
        "adjustments": [
            {"code": "T1", "name": "Điểm thưởng", "cap": 1, "rule": {"kind": "bonus", "per_item": "0.5"}},
            {"code": "TR1", "name": "Điểm trừ", "cap": 1, "rule": {"kind": "penalty", "per_item": "0.5"}},
        ],
    }
)


def scored(code: str, facts: Facts) -> Score:
    return score(CATALOGUE.item(code), facts)


def test_totals_add_each_area_then_bonus_and_penalty_within_their_caps():
    result = totals(
        CATALOGUE,
        [
            scored("1.1", Facts(met=True)),
            scored("1.2", Facts(done=9, planned=10)),
            scored("2.1", Facts(met=False)),
            scored("T1", Facts(count=4)),
            scored("TR1", Facts(count=3)),
        ],
    )

    assert [(area.code, area.points, area.max_points) for area in result.areas] == [
        ("1", Decimal("2.8"), Decimal(3)),
        ("2", Decimal(0), Decimal(1)),
    ]
    assert (result.bonus, result.penalty) == (Decimal(1), Decimal(-1))
    assert result.points == Decimal("2.8")  # 2.8 + 0 + 1 − 1
    assert result.max_points == Decimal(4)
    assert result.complete


def test_items_not_yet_scored_count_as_nothing_and_are_listed():
    result = totals(CATALOGUE, [scored("1.1", Facts(met=True)), scored("1.2", Facts(done=9))])

    assert result.points == Decimal(1)
    assert result.unscored == ("1.2", "2.1", "T1", "TR1")
    assert not result.complete


def test_a_score_for_an_item_the_catalogue_lacks_or_above_its_maximum_is_refused():
    stranger = Score(code="9.9", points=Decimal(1), max_points=Decimal(1), computed=True, explanation="")
    too_much = Score(code="1.1", points=Decimal(2), max_points=Decimal(1), computed=True, explanation="")

    with pytest.raises(ScoringError, match=re.escape("không có tiêu chí chấm điểm 9.9")):
        totals(CATALOGUE, [stranger])
    with pytest.raises(ScoringError, match=re.escape("ngoài khoảng 0..1")):
        totals(CATALOGUE, [too_much])


# --- a fixed item with a deadline -------------------------------------------------------------------

BY_END_OF_JANUARY = Fixed(deadline=date(2025, 1, 31), text="Ban hành trước ngày 31/01: 1 điểm; sau thời hạn: 0")


def plan_issued(day: date) -> Facts:
    return Facts(
        met=True,
        dated=DatedDocument(reference=f"Số 10/KH-UBND ngày {day:%d/%m/%Y}", day=day, deadline=date(2025, 1, 31)),
    )


def test_a_fixed_item_with_a_deadline_scores_nothing_for_a_document_dated_after_it():
    result = score(leaf(BY_END_OF_JANUARY, "1", "1.1.1"), plan_issued(date(2025, 2, 3)))

    assert result.points == Decimal(0)
    assert result.explanation == "Số 10/KH-UBND ngày 03/02/2025, hạn 31/01/2025: ban hành sau thời hạn → 0"


def test_a_fixed_item_with_a_deadline_scores_its_maximum_for_a_document_dated_on_the_deadline():
    result = score(leaf(BY_END_OF_JANUARY, "1", "1.1.1"), plan_issued(date(2025, 1, 31)))

    assert result.points == Decimal(1)
    assert result.explanation == "Số 10/KH-UBND ngày 31/01/2025, hạn 31/01/2025: ban hành đúng hạn → 1"


def test_a_fixed_item_with_a_deadline_but_no_document_is_not_scored():
    result = score(leaf(BY_END_OF_JANUARY, "1", "1.1.1"), Facts(met=True))

    assert (result.points, result.explanation) == (None, "chưa đủ dữ liệu: thiếu văn bản (số, ngày ban hành)")

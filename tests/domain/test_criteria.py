"""The criteria catalogue: areas → criteria → sub-criteria that add up, scored at the leaves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from domain.criteria import Catalogue, CatalogueError, ScoredBy, classify
from domain.scoring import Fixed, Penalty, Threshold


def catalogue(**changes) -> dict:
    data = {
        "name": "Bộ tiêu chí thử",
        "province": "Tỉnh thử",
        "year": 2025,
        "decision": {"number": "1/QĐ-UBND", "issued": "2025-10-14", "issuer": "UBND Tỉnh thử"},
        "areas": [
            {
                "code": "1",
                "name": "Công tác chỉ đạo, điều hành CCHC",
                "max_points": 3,
                "criteria": [
                    {
                        "code": "1.1",
                        "name": "Kế hoạch CCHC năm",
                        "max_points": 2,
                        "subcriteria": [
                            {
                                "code": "1.1.1",
                                "name": "Ban hành kế hoạch",
                                "max_points": "0.5",
                                "rule": {"kind": "fixed"},
                            },
                            {
                                "code": "1.1.2",
                                "name": "Mức độ hoàn thành kế hoạch CCHC",
                                "max_points": "1.5",
                                "rule": {"kind": "threshold"},
                                "evidence_expected": "Báo cáo kết quả",
                            },
                        ],
                    },
                    {"code": "1.2", "name": "Báo cáo CCHC", "max_points": 1, "rule": {"kind": "manual"}},
                ],
            },
            {
                "code": "2",
                "name": "Cải cách thể chế",
                "max_points": 1,
                "criteria": [{"code": "2.1", "name": "Rà soát văn bản", "max_points": 1, "rule": {"kind": "fixed"}}],
            },
        ],
        "adjustments": [
            {"code": "TR1", "name": "Điểm trừ", "cap": 1, "rule": {"kind": "penalty", "per_item": "0.5"}},
        ],
    }
    data.update(changes)
    return data


def refusal(data: dict) -> CatalogueError:
    with pytest.raises(ValidationError) as caught:
        Catalogue.model_validate(data)
    cause = caught.value.errors()[0]["ctx"]["error"]
    assert isinstance(cause, CatalogueError)
    return cause


def test_the_leaves_are_the_sub_criteria_and_the_criteria_without_any_each_with_its_area():
    leaves = list(Catalogue.model_validate(catalogue()).leaves())

    assert [(leaf.code, leaf.area) for leaf in leaves] == [("1.1.1", "1"), ("1.1.2", "1"), ("1.2", "1"), ("2.1", "2")]
    assert isinstance(leaves[1].rule, Threshold)
    assert leaves[1].max_points == Decimal("1.5")
    assert leaves[1].evidence_expected == "Báo cáo kết quả"


def test_the_leaves_of_one_area_can_be_asked_for():
    assert [leaf.code for leaf in Catalogue.model_validate(catalogue()).leaves("2")] == ["2.1"]


def test_the_maximum_is_the_sum_of_the_areas_without_the_bonus_and_penalty():
    assert Catalogue.model_validate(catalogue()).max_points == Decimal(4)


def test_bonus_and_penalty_items_are_scored_outside_the_areas_within_their_cap():
    penalty = Catalogue.model_validate(catalogue()).item("TR1")

    assert penalty.area is None
    assert penalty.max_points == Decimal(1)
    assert isinstance(penalty.rule, Penalty)


def test_a_parent_whose_maximum_is_not_the_sum_of_its_children_is_refused_naming_its_code():
    data = catalogue()
    data["areas"][0]["criteria"][0]["max_points"] = 3

    cause = refusal(data)

    assert cause.code == "1.1"
    assert cause.field == "max_points"
    assert str(cause) == "mục 1.1: điểm tối đa 3 khác tổng điểm các mục con 2"


def test_an_area_whose_maximum_is_not_the_sum_of_its_criteria_is_refused():
    data = catalogue()
    data["areas"][1]["max_points"] = 2

    assert refusal(data).code == "2"


def test_a_child_whose_code_does_not_start_with_its_parents_code_is_refused():
    data = catalogue()
    data["areas"][1]["criteria"][0]["code"] = "3.1"

    cause = refusal(data)

    assert cause.code == "3.1"
    assert "phải bắt đầu bằng “2.”" in str(cause)


def test_a_code_written_twice_is_refused():
    data = catalogue()
    data["adjustments"][0]["code"] = "1.2"

    cause = refusal(data)

    assert cause.code == "1.2"
    assert str(cause) == "mã 1.2 xuất hiện hơn một lần"


def test_a_leaf_without_a_rule_and_a_parent_with_one_are_refused():
    without = catalogue()
    del without["areas"][1]["criteria"][0]["rule"]
    with_rule = catalogue()
    with_rule["areas"][0]["criteria"][0]["rule"] = {"kind": "fixed"}

    assert str(refusal(without)) == "tiêu chí 2.1 chưa có cách chấm"
    assert refusal(with_rule).code == "1.1"


def test_parts_must_add_up_to_the_items_maximum():
    data = catalogue()
    data["areas"][1]["criteria"][0]["rule"] = {
        "kind": "parts",
        "parts": [{"name": "trực tuyến", "points": "0.5"}, {"name": "truyền thống", "points": "0.25"}],
    }

    assert str(refusal(data)) == "tiêu chí 2.1: các phần cộng lại 0,75 điểm, khác điểm tối đa 1"


def test_the_fingerprint_recognises_the_same_content_however_its_numbers_are_spelled():
    first = Catalogue.model_validate(catalogue())
    respelled = catalogue()
    respelled["areas"][0]["max_points"] = "3.00"
    changed = catalogue()
    changed["areas"][0]["criteria"][1]["rule"] = {"kind": "fixed"}

    assert Catalogue.model_validate(respelled).fingerprint() == first.fingerprint()
    assert Catalogue.model_validate(changed).fingerprint() != first.fingerprint()
    assert len(first.fingerprint()) == 64


def test_a_catalogue_cannot_be_changed_once_made():
    made = Catalogue.model_validate(catalogue())

    with pytest.raises(ValidationError):
        made.year = 2026  # type: ignore[misc]
    assert isinstance(made.item("2.1").rule, Fixed)


# --- who scores, and how the published result is classified ----------------------------------------


def test_an_item_the_province_scores_passes_that_on_to_every_item_under_it():
    data = catalogue()
    data["areas"][0]["criteria"][0]["scored_by"] = "province"

    scored_by = {leaf.code: leaf.scored_by for leaf in Catalogue.model_validate(data).leaves()}

    assert scored_by == {
        "1.1.1": ScoredBy.PROVINCE,
        "1.1.2": ScoredBy.PROVINCE,
        "1.2": ScoredBy.COMMUNE,
        "2.1": ScoredBy.COMMUNE,
    }


def test_without_bands_of_its_own_a_catalogue_classifies_as_tot_kha_trung_binh_yeu():
    bands = Catalogue.model_validate(catalogue()).bands

    assert [(band.name, band.min_percent) for band in bands] == [
        ("Tốt", 90),
        ("Khá", 80),
        ("Trung bình", 70),
        ("Yếu", 0),
    ]
    assert [classify(Decimal(points), Decimal(100)) for points in ("95", "90", "89.99", "70", "12", "-1")] == [
        "Tốt",
        "Tốt",
        "Khá",
        "Trung bình",
        "Yếu",
        "Yếu",
    ]


def test_the_catalogues_own_bands_classify_on_the_share_of_its_maximum():
    bands = [
        {"name": "Xuất sắc", "min_percent": 95},
        {"name": "Đạt", "min_percent": 50},
        {"name": "Chưa đạt", "min_percent": 0},
    ]
    found = Catalogue.model_validate(catalogue(bands=bands))

    assert classify(Decimal(2), found.max_points, found.bands) == "Đạt"  # 2 of 4 = 50 %
    assert classify(Decimal("1.9"), found.max_points, found.bands) == "Chưa đạt"


@pytest.mark.parametrize(
    "bands",
    [
        [{"name": "Tốt", "min_percent": 90}, {"name": "Khá", "min_percent": 80}],  # no band from 0
        [{"name": "Khá", "min_percent": 80}, {"name": "Tốt", "min_percent": 90}, {"name": "Yếu", "min_percent": 0}],
        [{"name": "Tốt", "min_percent": 90}, {"name": "Tốt", "min_percent": 0}],
    ],
)
def test_bands_out_of_order_without_a_floor_at_zero_or_named_twice_are_refused(bands):
    with pytest.raises(ValidationError, match="mức xếp loại"):
        Catalogue.model_validate(catalogue(bands=bands))


def test_a_catalogue_without_the_new_rules_dumps_and_fingerprints_as_it_did_before_them():
    found = Catalogue.model_validate(catalogue())
    dumped = found.model_dump(mode="json")

    assert "bands" not in dumped and "scored_by" not in dumped["areas"][0]["criteria"][0]
    assert "deadline" not in dumped["areas"][0]["criteria"][0]["subcriteria"][0]["rule"]
    assert Catalogue.model_validate(dumped) == found

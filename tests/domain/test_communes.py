"""Who supervises a commune on a day, and how a commune of each kind is named."""

from __future__ import annotations

from datetime import date

import pytest

from domain.communes import CommuneCodeError, CommuneProfile, commune_code, level_above, supervising_authority
from domain.models import CommuneKind


def test_the_supervising_authority_until_30_june_2025_is_the_districts_phong_noi_vu():
    on = date(2025, 6, 30)
    assert supervising_authority(on, district="huyện Vĩnh Linh", province="tỉnh Quảng Trị") == (
        "Phòng Nội vụ huyện Vĩnh Linh"
    )


def test_the_supervising_authority_from_1_july_2025_is_the_provinces_so_noi_vu():
    on = date(2025, 7, 1)
    assert supervising_authority(on, district="huyện Vĩnh Linh", province="tỉnh Quảng Trị") == (
        "Sở Nội vụ tỉnh Quảng Trị"
    )


@pytest.mark.parametrize(
    "district, province, on, expected",
    [
        ("Vĩnh Linh", None, date(2024, 3, 1), "Phòng Nội vụ huyện Vĩnh Linh"),  # a bare name is a huyện
        ("Quận 1", None, date(2024, 3, 1), "Phòng Nội vụ Quận 1"),  # a numbered district keeps its capital
        ("Thị xã  Quảng Trị", None, date(2024, 3, 1), "Phòng Nội vụ thị xã Quảng Trị"),
        (None, "Thành phố Huế", date(2026, 1, 15), "Sở Nội vụ thành phố Huế"),
        (None, "Quảng Trị", date(2026, 1, 15), "Sở Nội vụ tỉnh Quảng Trị"),
        (None, None, date(2024, 3, 1), "Phòng Nội vụ cấp huyện"),
        ("huyện Vĩnh Linh", None, date(2026, 1, 15), "Sở Nội vụ"),
    ],
)
def test_a_district_or_province_is_named_in_the_sentence_as_it_is_known(district, province, on, expected):
    assert supervising_authority(on, district=district, province=province) == expected


@pytest.mark.parametrize(
    "kind, title, committee",
    [
        (CommuneKind.PHUONG, "Phường Bến Nghé", "UBND phường Bến Nghé"),
        (CommuneKind.DAC_KHU, "Đặc khu Bến Nghé", "UBND đặc khu Bến Nghé"),
        (CommuneKind.XA, "Xã Bến Nghé", "UBND xã Bến Nghé"),
        (None, "Xã Bến Nghé", "UBND xã Bến Nghé"),  # of unknown kind: a xã, as before the reform
    ],
)
def test_a_commune_is_named_by_its_kind(kind, title, committee):
    profile = CommuneProfile(name="Bến Nghé", kind=kind)
    assert (profile.title, profile.committee) == (title, committee)


@pytest.mark.parametrize("written", ["1923", "192377", "19 23", "abcde", "１９２３７"])
def test_an_administrative_code_is_five_digits_or_refused_naming_what_was_written(written):
    with pytest.raises(CommuneCodeError, match=f"“{written}” phải gồm đúng 5 chữ số"):
        commune_code(written)


def test_an_administrative_code_is_read_without_surrounding_spaces():
    assert commune_code(" 19237 ") == "19237"


def test_the_level_above_the_commune_is_the_district_until_30_june_2025_then_the_province():
    assert (level_above(date(2025, 6, 30)), level_above(date(2025, 7, 1))) == ("cấp huyện", "cấp tỉnh")

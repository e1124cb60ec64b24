"""Unit names: one key for every spelling of a unit, and a directory per plan or commune."""

import unicodedata

import pytest

from domain.models import Unit
from domain.units import UnitDirectory, unit_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    "one, other",
    [
        ("Văn hóa", "Văn hoá"),  # tone on the first or the second vowel of "oa"
        ("Văn hóa", nfd("Văn hoá")),  # decomposed Unicode
        ("Thủy lợi", "Thuỷ lợi"),
        ("Khỏe", "khoẻ"),
        ("VĂN PHÒNG", "văn phòng"),
        ("Văn phòng - Thống kê", "Văn Phòng – Thống kê"),  # en dash
        ("Văn phòng - Thống kê", "Văn phòng—Thống kê"),  # em dash, no spaces
        ("Văn phòng - Thống kê", "  Văn  phòng -Thống kê "),
        ("Tư pháp", "Bộ phận Tư pháp"),
        ("Tư pháp", "Công chức Tư pháp"),
        ("Tư pháp", "Cán bộ tư pháp"),
        ("Văn phòng - Thống kê", "CC Văn phòng - Thống kê"),
    ],
)
def test_spellings_of_one_unit_share_a_key(one, other):
    assert unit_key(one) == unit_key(other)


@pytest.mark.parametrize(
    "one, other",
    [
        ("Tư pháp", "Phòng Tư pháp"),  # a district office is another body
        ("Văn hóa", "Văn hóa - Xã hội"),
        ("Các bộ phận liên quan", "Bộ phận liên quan"),  # "Các" is not a role word
        ("Tài chính", "Tài chính - Kế toán"),
    ],
)
def test_different_units_keep_different_keys(one, other):
    assert unit_key(one) != unit_key(other)


@pytest.mark.parametrize(
    "word, key",
    [
        ("hóa", "hoá"),
        ("hoá", "hoá"),
        ("thủy", "thuỷ"),
        ("người", "người"),
        ("quý", "quý"),
        ("già", "già"),
        ("của", "của"),
        ("ngoài", "ngoài"),
        ("hoàng", "hoàng"),
        ("Kiểm", "kiểm"),
    ],
)
def test_a_key_puts_the_tone_where_the_current_orthography_does(word, key):
    assert unit_key(word) == key
    assert unit_key(nfd(word)) == key


def test_the_key_is_nfc():
    assert unit_key(nfd("Văn hóa")) == unicodedata.normalize("NFC", unit_key(nfd("Văn hóa")))


def directory(*names: str) -> UnitDirectory:
    units = UnitDirectory()
    for name in names:
        units.add(name)
    return units


def test_the_most_common_spelling_names_the_unit_and_a_tie_goes_to_the_first_seen():
    units = directory("Văn hoá", "Văn hóa", "Văn hóa")
    assert units.resolve("VĂN HOÁ") == Unit(key="văn hoá", name="Văn hóa")
    assert directory("Văn hoá", "Văn hóa").resolve("Văn hóa").name == "Văn hoá"


def test_initials_resolve_to_the_one_known_unit_with_those_initials():
    units = directory("Văn phòng - Thống kê", "Tư pháp - Hộ tịch", "VP - TK", "VP-TK", "CC VP -TK", "TP-HT")
    assert {units.resolve(n).name for n in ("VP - TK", "VP-TK", "CC VP -TK")} == {"Văn phòng - Thống kê"}
    assert units.resolve("TP-HT").name == "Tư pháp - Hộ tịch"
    assert [u.name for u in units.units()] == ["Văn phòng - Thống kê", "Tư pháp - Hộ tịch"]
    assert units.spellings(units.resolve("TP-HT")) == ("Tư pháp - Hộ tịch", "TP-HT")
    # "VP" is new: it begins "VP - TK" only, which is Văn phòng - Thống kê; now one more spelling
    assert units.resolve("VP").name == "Văn phòng - Thống kê"
    assert units.spellings(units.resolve("VP")) == ("Văn phòng - Thống kê", "VP - TK", "VP-TK", "CC VP -TK", "VP")


def test_initials_resolve_whatever_order_the_names_come_in():
    units = directory("VP", "Văn phòng")
    assert units.resolve("VP") == units.resolve("Văn phòng") == Unit(key="văn phòng", name="Văn phòng")


def test_initials_without_a_known_unit_or_with_two_candidates_stay_a_unit_of_their_own():
    assert directory("VP").resolve("VP").name == "VP"
    ambiguous = directory("Văn phòng", "Viện phí", "VP")
    assert ambiguous.resolve("VP").name == "VP"


def test_lower_case_words_are_not_taken_for_initials():
    assert directory("Văn phòng", "vp").resolve("vp").name == "vp"


def test_a_short_name_joins_the_one_compound_unit_it_begins():
    units = directory("Văn hóa - Xã hội", "Văn hoá")
    assert units.resolve("Văn hoá").name == "Văn hóa - Xã hội"
    two = directory("Văn hóa - Xã hội", "Văn hóa - Thông tin", "Văn hóa")
    assert two.resolve("Văn hóa").name == "Văn hóa"
    assert directory("Văn phòng Đảng ủy", "Văn phòng").resolve("Văn phòng").name == "Văn phòng"


def test_a_directory_from_a_commune_keeps_its_names_and_learns_new_units():
    units = UnitDirectory([Unit(key="văn hoá - xã hội", name="Văn hóa - Xã hội")])
    units.add("Văn hoá - Xã hội")
    units.add("Văn hoá - Xã hội")
    assert units.resolve("VĂN HOÁ - XÃ HỘI").name == "Văn hóa - Xã hội"
    assert units.resolve("Công an xã") == Unit(key="công an xã", name="Công an xã")
    assert [u.name for u in units.units()] == ["Văn hóa - Xã hội", "Công an xã"]
    assert units.knows("công an XÃ") and not units.knows("Quân sự")

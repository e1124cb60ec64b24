"""The plan's number, date, issuer and title, from the document's own header."""

from datetime import date

import pytest

from importers.errors import Findings
from importers.header import complete_head, find_head
from tests.importers.builders import SAMPLES


def test_the_quang_vinh_header_block_gives_number_date_issuer_and_title():
    head = find_head((SAMPLES / "quang-vinh-2020-par-index-plan.txt").read_text(encoding="utf-8"))
    assert head.number == "136/KH-UBND"
    assert head.date == date(2020, 4, 20)
    assert head.place == "Quảng Điền"  # the district: the commune comes from the issuer
    assert head.issuer == "UBND xã Quảng Vinh"
    assert head.commune == "Quảng Vinh"
    assert head.title == "Nâng cao chỉ số Cải cách hành chính năm 2020"
    assert head.title_year == 2020


def test_the_long_dien_a_text_names_its_commune_in_prose():
    head = find_head((SAMPLES / "long-dien-a-2023-cchc-plan.txt").read_text(encoding="utf-8"))
    assert head.issuer == "UBND xã Long Điền A"
    assert head.number is None and head.date is None


@pytest.mark.parametrize(
    "text, number, issued",
    [
        ("Số 10/KH-UBND\nVĩnh Khê, ngày 15/01/2024", "10/KH-UBND", date(2024, 1, 15)),
        ("Số:   10 /KH-UBND\n**Vĩnh Khê, ngày  5  tháng 1 năm 2024**", "10 /KH-UBND", date(2024, 1, 5)),
        ("Số: 341/KH – UBND  Long Điền A, ngày 02 tháng 3 năm 2023", "341/KH – UBND", None),
        ("Long Điền A, ngày 02 tháng 3 năm 2023\nSố: 12/KH-UBND", "12/KH-UBND", date(2023, 3, 2)),
    ],
)
def test_number_and_date_are_read_as_written(text, number, issued):
    head = find_head(text)
    assert head.number == number
    assert head.date == issued


def test_an_annex_line_gives_number_date_and_issuer():
    head = find_head("KẾ HOẠCH CHI TIẾT\n*(Kèm theo Kế hoạch số 10/KH-UBND ngày 15/01/2024 của UBND xã Vĩnh Khê)*")
    assert (head.number, head.date, head.issuer, head.title) == (
        "10/KH-UBND",
        date(2024, 1, 15),
        "UBND xã Vĩnh Khê",
        None,
    )


def test_the_title_names_the_commune_when_nothing_else_does():
    head = find_head("KẾ HOẠCH\nCải cách hành chính phường Đông Hà năm 2025\nCăn cứ ...")
    assert (head.issuer, head.commune, head.title_year) == ("UBND phường Đông Hà", "Đông Hà", 2025)


def test_a_title_wrapped_over_two_lines_is_joined():
    head = find_head(
        "KẾ HOẠCH\n\nNâng cao chất lượng hiệu quả công tác cải cách\n\nhành chính trên địa bàn xã Long Điền A.\n\nCăn cứ"
    )
    assert head.title == "Nâng cao chất lượng hiệu quả công tác cải cách hành chính trên địa bàn xã Long Điền A"


def test_the_year_argument_wins_then_the_title_then_the_date():
    found = find_head(
        "UBND XÃ VĨNH KHÊ\nSố: 1/KH-UBND\nVĩnh Khê, ngày 20/12/2023\nKẾ HOẠCH\nCải cách hành chính năm 2024"
    )
    assert complete_head(found, stem="kh", year=None, commune=None, report=Findings("kh.txt"))["year"] == 2024
    assert complete_head(found, stem="kh", year=2025, commune=None, report=Findings("kh.txt"))["year"] == 2025
    dated = find_head("UBND XÃ VĨNH KHÊ\nVĩnh Khê, ngày 20/12/2023")
    assert complete_head(dated, stem="kh", year=None, commune=None, report=Findings("kh.txt"))["year"] == 2023


def test_the_commune_argument_wins_over_the_document():
    found = find_head("ỦY BAN NHÂN DÂN XÃ VĨNH KHÊ\nSố: 1/KH-UBND\nVĩnh Khê, ngày 20/12/2023")
    head = complete_head(found, stem="kh", year=None, commune="Vĩnh Khê Mới", report=Findings("kh.txt"))
    assert (head["commune"], head["issuer"]) == ("Vĩnh Khê Mới", "UBND xã Vĩnh Khê")

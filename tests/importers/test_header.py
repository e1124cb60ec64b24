"""The plan's number, date, issuer and title, from the document's own header."""

import re
import unicodedata
from datetime import date
from typing import Literal

import pytest

from domain.models import CommuneKind
from importers import read_plan
from importers.errors import Findings
from importers.header import GivenHead, commune_kind_of, complete_head, find_head
from tests.importers.builders import SAMPLES, VINH_KHE, phuong_plan_text

QUANG_VINH = SAMPLES / "quang-vinh-2020-par-index-plan.txt"
LONG_DIEN_A = SAMPLES / "long-dien-a-2023-cchc-plan.txt"


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


# --- the issuer, written every way: generated from the samples --------------------------------

LEVELS = ("xã", "phường", "thị trấn", "đặc khu", "huyện")
NAMES = ("Vĩnh Khê", "Long Điền A", "Bến Nghé", "Phú Quốc", "Côn Đảo", "Quảng Điền")
# A place as a document may write it: as in running text, in capitals, in title case.
CASES = {"as written": lambda text: text, "upper": str.upper, "title": str.title}
Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")
PLACES = [(level, name) for level in LEVELS for name in NAMES]


def written(form: Form, text: str) -> str:
    return unicodedata.normalize(form, text)


def quang_vinh_header(place: str, committee: str = "ỦY BAN NHÂN DÂN") -> str:
    """The Quảng Vinh sample's header block and title, its committee and "XÃ QUẢNG VINH" replaced."""
    lines = QUANG_VINH.read_text(encoding="utf-8").splitlines()[:40]
    text = "\n".join(lines).replace("XÃ QUẢNG VINH", place)
    return text.replace("ỦY BAN NHÂN DÂN", committee, 1)


def vinh_khe_opening(place: str, *, committee: str = "UBND", verb: str = "xây dựng", title: bool = False) -> str:
    """The Vĩnh Khê sample's first lines (the district's plan cited, then the commune's sentence),
    with "xã Vĩnh Khê" replaced; without the title unless asked."""
    lines = VINH_KHE.read_text(encoding="utf-8").splitlines()[:12]
    if not title:
        lines = [line for line in lines if "KẾ HOẠCH" not in line and "Cải cách hành chính xã" not in line]
    text = "\n".join(lines).replace("UBND xã Vĩnh Khê xây dựng", f"{committee} xã Vĩnh Khê {verb}")
    return text.replace("xã Vĩnh Khê", place)


def long_dien_a_opening(place: str) -> str:
    """The Long Điền A sample's opening (no header; the district's documents cited, then "Ủy ban
    nhân dân (UBND) xã Long ⏎ Điền A ban hành Kế hoạch …"), with "xã Long Điền A" replaced."""
    lines = LONG_DIEN_A.read_text(encoding="utf-8").splitlines()[:40]
    head, last = place.rsplit(" ", 1)
    return re.sub(r"xã Long(\s+)Điền A", lambda m: f"{head}{m[1]}{last}", "\n".join(lines))  # wrapped as written


def expected_issuer(level: str, name: str) -> str:
    return f"UBND {level} {name}"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("level, name", PLACES)
def test_the_header_block_names_the_issuer_at_every_level_in_capitals(level, name, form):
    head = find_head(written(form, quang_vinh_header(f"{level} {name}".upper())))
    assert (head.issuer, head.level, head.commune) == (expected_issuer(level, name), level, name)
    assert head.number == "136/KH-UBND" and head.date == date(2020, 4, 20)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("level, name", PLACES)
def test_a_header_block_in_title_case_on_lines_of_its_own_names_the_issuer(level, name, form):
    head = find_head(written(form, quang_vinh_header(f"{level} {name}".title(), committee="Ủy Ban Nhân Dân")))
    assert (head.issuer, head.commune) == (expected_issuer(level, name), name)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("level, name", PLACES)
def test_the_issuers_sentence_in_the_body_names_it_over_the_district_cited_before(level, name, case, form):
    """Vĩnh Khê: "Thực hiện kế hoạch số 11/KH-UBND … của UBND huyện Vĩnh Linh …; UBND <place> xây dựng kế hoạch …"."""
    place = CASES[case](f"{level} {name}")
    head = find_head(written(form, vinh_khe_opening(place)))
    assert (head.issuer, head.commune) == (expected_issuer(level, name), name)
    assert head.title is None  # no header, no title: the sentence alone names the issuer


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("level, name", PLACES)
def test_the_long_dien_a_sentence_names_the_issuer_whatever_its_level(level, name, form):
    """Long Điền A cites "Kế hoạch số 471/KH-UBND … của Ủy ban nhân dân huyện Chợ Mới" first."""
    head = find_head(written(form, long_dien_a_opening(f"{level} {name}")))
    assert (head.issuer, head.commune) == (expected_issuer(level, name), name)


@pytest.mark.parametrize(
    "committee, verb",
    [
        ("UBND", "xây dựng"),
        ("Ủy ban nhân dân", "xây dựng"),
        ("Uỷ ban nhân dân", "ban hành"),
        ("Uỷ ban nhân dân (UBND)", "ban hành"),
        ("ỦY BAN NHÂN DÂN", "xây dựng và ban hành"),
        ("Ủy ban nhân dân (UBND)", "ban hành"),
    ],
)
@pytest.mark.parametrize("level, name", [("xã", "Vĩnh Khê"), ("phường", "Bến Nghé"), ("đặc khu", "Côn Đảo")])
def test_every_way_of_writing_the_committee_and_its_verb_names_the_issuer(committee, verb, level, name):
    head = find_head(vinh_khe_opening(f"{level} {name}", committee=committee, verb=verb))
    assert head.issuer == expected_issuer(level, name)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("level, name", PLACES)
def test_the_title_names_the_issuer_at_every_level(level, name, case):
    title = CASES[case](f"Cải cách hành chính {level} {name} năm 2024")
    head = find_head(f"Số: 10/KH-UBND\nKẾ HOẠCH\n{title}\nCăn cứ …")
    assert (head.issuer, head.title_year) == (expected_issuer(level, name), 2024)


@pytest.mark.parametrize("level, name", PLACES)
def test_the_annex_line_names_the_issuer_at_every_level(level, name):
    head = find_head(f"PHỤ LỤC\n*(Kèm theo Kế hoạch số 10/KH-UBND ngày 15/01/2024 của UBND {level} {name})*")
    assert head.issuer == expected_issuer(level, name)


def test_the_vinh_khe_sample_is_issued_by_the_commune_not_the_district_it_cites():
    head = find_head(VINH_KHE.read_text(encoding="utf-8"))
    assert (head.issuer, head.level, head.commune) == ("UBND xã Vĩnh Khê", "xã", "Vĩnh Khê")


def test_long_dien_a_is_issued_by_the_commune_not_the_district_of_the_plans_it_cites_first():
    text = LONG_DIEN_A.read_text(encoding="utf-8")
    assert "Ủy ban nhân dân huyện Chợ Mới" in " ".join(text.split())  # cited before the sentence
    assert find_head(text).issuer == "UBND xã Long Điền A"


@pytest.mark.parametrize(
    "text, issuer",
    [
        # a district's plan cited as "… của UBND huyện … ban hành kế hoạch …" is not the issuer's sentence
        (
            "Căn cứ Kế hoạch số 471/KH-UBND ngày 22/3/2021 của UBND huyện Chợ Mới ban hành kế hoạch CCHC "
            "giai đoạn 2021-2025; UBND xã Long Điền A xây dựng kế hoạch như sau:",
            "UBND xã Long Điền A",
        ),
        # a body that only cites the district names no issuer: --commune is asked for
        ("Căn cứ Kế hoạch số 471/KH-UBND của Ủy ban nhân dân huyện Chợ Mới về cải cách hành chính.", None),
        ("Căn cứ Quyết định của Chủ tịch UBND huyện Chợ Mới ban hành Kế hoạch CCHC.", None),
        # without the issuer's sentence, a commune's committee mentioned in the body
        ("Căn cứ … của UBND huyện Vĩnh Linh; giao Văn phòng UBND xã Vĩnh Khê theo dõi.", "UBND xã Vĩnh Khê"),
        # "UBND cấp xã", "UBND các huyện, thị xã" name no committee
        ("Bộ phận một cửa tại UBND cấp xã; UBND các huyện, thị xã, thành phố.", None),
        # the national motto on the header block's lines, as a two-column text export writes it
        (
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ QUẢNG VINH Độc lập - Tự do - Hạnh phúc",
            "UBND xã Quảng Vinh",
        ),
        ("ỦY BAN NHÂN DÂN\nĐẶC KHU PHÚ QUỐC\nSố: 5/KH-UBND", "UBND đặc khu Phú Quốc"),
        ("UBND đặc khu Côn Đảo ban hành Kế hoạch cải cách hành chính năm 2025", "UBND đặc khu Côn Đảo"),
        ("ỦY BAN NHÂN DÂN\nHUYỆN VĨNH LINH\nSố: 11/KH-UBND", "UBND huyện Vĩnh Linh"),
        ("ỦY BAN NHÂN DÂN\nPHƯỜNG 1\nSố: 3/KH-UBND", "UBND phường 1"),  # wards numbered before 2025
        ("ỦY BAN NHÂN DÂN\nTHỊ XÃ QUẢNG TRỊ\nSố: 3/KH-UBND", "UBND thị xã Quảng Trị"),  # not "xã Quảng Trị"
        # names that begin like the words after a name
        ("Ủy ban nhân dân\nThị trấn Kế Sách\nSố: 3/KH-UBND", "UBND thị trấn Kế Sách"),
        ("UBND huyện Năm Căn xây dựng kế hoạch CCHC năm 2024", "UBND huyện Năm Căn"),
        ("UBND XÃ VĨNH KHÊ KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH", "UBND xã Vĩnh Khê"),
        # "XÃ HỘI" in capitals is society, not a commune
        ("KẾ HOẠCH\nPHÁT TRIỂN KINH TẾ - XÃ HỘI THỊ XÃ QUẢNG TRỊ NĂM 2024", "UBND thị xã Quảng Trị"),
        ("KẾ HOẠCH\nĐẨY MẠNH XÃ HỘI HÓA NĂM 2024", None),
        # a title naming the district and the commune is the commune's
        ("KẾ HOẠCH\nTriển khai Kế hoạch CCHC của huyện Chợ Mới trên địa bàn xã Long Điền A", "UBND xã Long Điền A"),
        # a header block naming both committees: the commune's
        ("UBND HUYỆN VĨNH LINH\nUBND XÃ VĨNH KHÊ\nSố: 10/KH-UBND", "UBND xã Vĩnh Khê"),
    ],
)
def test_the_issuer_is_the_committee_that_issues_the_plan(text, issuer):
    assert find_head(text).issuer == issuer


# --- --commune over the document --------------------------------------------------------------


def completed(found, commune, **given):
    report = Findings("kh.txt")
    head = complete_head(GivenHead(**given).over(found), stem="kh", year=2024, commune=commune, report=report)
    about_the_issuer = [w.message for w in report.warnings if "cơ quan ban hành" in w.message]  # not the date's
    return head, about_the_issuer, [e.message for e in report.errors]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("level, name", PLACES)
def test_the_given_commune_is_the_plans_with_the_level_the_document_gives(level, name, form):
    found = find_head(written(form, quang_vinh_header(f"{level} {name}".upper())))
    given = written(form, "Hải Châu Mới")

    head, warnings, errors = completed(found, given)

    assert (head["commune"], head["issuer"]) == ("Hải Châu Mới", f"UBND {level} Hải Châu Mới")
    assert errors == []
    assert warnings == [
        f"kế hoạch ghi cơ quan ban hành là “UBND {level} {name}”, khác với xã đã cho “Hải Châu Mới”; "
        f"dùng xã “Hải Châu Mới”, cơ quan ban hành “UBND {level} Hải Châu Mới”"
    ]


@pytest.mark.parametrize("given", ["Vĩnh Khê", "VĨNH KHÊ", "vĩnh khê", unicodedata.normalize("NFD", "Vĩnh Khê")])
def test_the_same_commune_given_in_another_spelling_gives_no_warning(given):
    head, warnings, _ = completed(find_head(vinh_khe_opening("phường Vĩnh Khê")), given)
    assert head["issuer"] == f"UBND phường {unicodedata.normalize('NFC', given)}"
    assert warnings == []


def test_a_tone_placed_the_old_way_is_the_same_commune():
    head, warnings, _ = completed(find_head("ỦY BAN NHÂN DÂN\nXÃ VĨNH THUỶ"), "Vĩnh Thủy")
    assert (head["commune"], head["issuer"], warnings) == ("Vĩnh Thủy", "UBND xã Vĩnh Thủy", [])


def test_a_document_naming_no_issuer_takes_the_given_commune_as_a_xa():
    found = find_head("STT,Nhiệm vụ,Chủ trì,Thời gian\n1,Ban hành kế hoạch,Văn phòng,Quý I/2024")
    head, warnings, errors = completed(found, "Long Điền A")
    assert (head["commune"], head["issuer"], errors) == ("Long Điền A", "UBND xã Long Điền A", [])
    assert "kế hoạch không ghi cơ quan ban hành; dùng “UBND xã Long Điền A” theo tên xã đã cho" in warnings


def test_a_districts_plan_keeps_its_level_with_the_given_name():
    head, warnings, _ = completed(find_head("ỦY BAN NHÂN DÂN\nHUYỆN VĨNH LINH"), "Vĩnh Linh")
    assert (head["commune"], head["issuer"], warnings) == ("Vĩnh Linh", "UBND huyện Vĩnh Linh", [])


def test_without_the_commune_argument_the_document_gives_commune_and_issuer():
    head, warnings, errors = completed(find_head(long_dien_a_opening("phường Bến Nghé")), None)
    assert (head["commune"], head["issuer"], warnings, errors) == ("Bến Nghé", "UBND phường Bến Nghé", [], [])


def test_no_issuer_and_no_commune_argument_is_an_error_asking_for_it():
    _, _, errors = completed(find_head("Căn cứ Kế hoạch của UBND huyện Chợ Mới."), None)
    assert errors == ["không xác định được cơ quan ban hành (“ỦY BAN NHÂN DÂN XÃ …”); hãy ghi tên xã (--commune)"]


def test_the_issuer_argument_stays_the_issuer_beside_the_commune_argument():
    found = find_head("ỦY BAN NHÂN DÂN\nXÃ VĨNH KHÊ")
    head, warnings, _ = completed(found, "Vĩnh Thủy", issuer="Ủy ban nhân dân phường Đông Hà")
    assert (head["commune"], head["issuer"]) == ("Vĩnh Thủy", "UBND phường Đông Hà")
    assert warnings == [
        "cơ quan ban hành đã cho (--issuer) là “UBND phường Đông Hà”, khác với xã đã cho “Vĩnh Thủy”; "
        "dùng xã “Vĩnh Thủy”, cơ quan ban hành “UBND phường Đông Hà”"
    ]


def test_an_issuer_argument_naming_no_level_we_know_is_kept_as_given():
    head, _, _ = completed(find_head("ỦY BAN NHÂN DÂN\nXÃ VĨNH KHÊ"), None, issuer="UBND thành phố Huế")
    assert (head["issuer"], head["commune"]) == ("UBND thành phố Huế", "Vĩnh Khê")


def test_the_commune_argument_wins_over_the_document():
    found = find_head("ỦY BAN NHÂN DÂN XÃ VĨNH KHÊ\nSố: 1/KH-UBND\nVĩnh Khê, ngày 20/12/2023")
    report = Findings("kh.txt")
    head = complete_head(found, stem="kh", year=None, commune="Vĩnh Khê Mới", report=report)
    assert (head["commune"], head["issuer"]) == ("Vĩnh Khê Mới", "UBND xã Vĩnh Khê Mới")
    assert [w.message for w in report.warnings] == [
        "kế hoạch ghi cơ quan ban hành là “UBND xã Vĩnh Khê”, khác với xã đã cho “Vĩnh Khê Mới”; "
        "dùng xã “Vĩnh Khê Mới”, cơ quan ban hành “UBND xã Vĩnh Khê Mới”"
    ]


def test_the_long_dien_a_plan_read_with_another_commune_is_that_communes_with_a_warning():
    result = read_plan(LONG_DIEN_A, year=2023, commune="Long Điền B")
    assert (result.plan.commune, result.plan.issuer) == ("Long Điền B", "UBND xã Long Điền B")
    assert any("“UBND xã Long Điền A”" in w.message and "“Long Điền B”" in w.message for w in result.warnings)


def test_a_phuong_plan_is_read_as_a_phuong(tmp_path):
    path = tmp_path / "ke-hoach-phuong-dong-ha.txt"
    path.write_text(phuong_plan_text(), encoding="utf-8")

    plan = read_plan(path).plan

    assert (plan.issuer, plan.commune, plan.commune_kind) == ("UBND phường Đông Hà", "Đông Hà", CommuneKind.PHUONG)


@pytest.mark.parametrize(
    "issuer, kind",
    [
        ("UBND xã Vĩnh Khê", CommuneKind.XA),
        ("Ủy ban nhân dân phường Bến Nghé", CommuneKind.PHUONG),
        ("UBND đặc khu Côn Đảo", CommuneKind.DAC_KHU),
        ("UBND thị trấn Kế Sách", None),  # a kind of commune the 2025 reform ended
        ("UBND huyện Vĩnh Linh", None),  # a district's plan
    ],
)
def test_the_issuer_gives_the_kind_of_commune(issuer, kind):
    assert commune_kind_of(issuer) == kind

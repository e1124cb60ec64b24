"""`cchc commune set`: the operator records a commune's kind, administrative code, district
and province, and reads who supervises it."""

from __future__ import annotations

import json

from persistence.communes import commune_profile
from persistence.db import make_engine, make_session_factory
from tests.importers.builders import phuong_plan_text


def imported_phuong(cchc, tmp_path) -> None:
    path = tmp_path / "ke-hoach-phuong-dong-ha.txt"
    path.write_text(phuong_plan_text(), encoding="utf-8")
    assert cchc("plan", "import", path).exit_code == 0


def profile_of(database_url: str, name: str):
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return commune_profile(session, name)
    finally:
        engine.dispose()


def test_a_phuong_plan_makes_its_commune_a_phuong_and_the_operator_adds_its_code_and_province(
    cchc, tmp_path, database_url
):
    imported_phuong(cchc, tmp_path)

    result = cchc("commune", "set", "đông hà", "--code", "19237", "--province", "Quảng Trị")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Phường Đông Hà: mã 19237; Quảng Trị; cơ quan thẩm định: Sở Nội vụ tỉnh Quảng Trị."
    )
    profile = profile_of(database_url, "Đông Hà")
    assert (profile.kind, profile.code, profile.province) == ("phuong", "19237", "Quảng Trị")


def test_the_operator_corrects_the_kind_and_keeps_what_was_known(cchc, tmp_path, database_url):
    imported_phuong(cchc, tmp_path)
    cchc("commune", "set", "Đông Hà", "--code", "19237", "--district", "thành phố Đông Hà")

    result = cchc("commune", "set", "Đông Hà", "--kind", "dac_khu")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Đặc khu Đông Hà: mã 19237; thành phố Đông Hà; ")
    assert profile_of(database_url, "Đông Hà").district == "thành phố Đông Hà"


def test_a_code_that_is_not_five_digits_is_refused_and_nothing_is_recorded(cchc, tmp_path, database_url):
    imported_phuong(cchc, tmp_path)

    result = cchc("commune", "set", "Đông Hà", "--code", "1923", "--province", "Quảng Trị")

    assert result.exit_code == 2
    assert "mã đơn vị hành chính “1923” phải gồm đúng 5 chữ số" in result.stderr
    assert profile_of(database_url, "Đông Hà").province is None


def test_a_commune_without_a_plan_is_refused_by_name(cchc):
    result = cchc("commune", "set", "Bến Nghé", "--kind", "phuong")

    assert result.exit_code == 1
    assert "chưa có xã, phường, đặc khu “Bến Nghé”" in result.stderr


def test_a_phuong_plan_is_imported_as_a_phuongs(cchc, tmp_path):
    path = tmp_path / "ke-hoach-phuong-dong-ha.txt"
    path.write_text(phuong_plan_text(), encoding="utf-8")

    plan = json.loads(cchc("plan", "import", path, "--json").stdout)["plan"]

    assert (plan["issuer"], plan["commune"], plan["commune_kind"]) == ("UBND phường Đông Hà", "Đông Hà", "phuong")

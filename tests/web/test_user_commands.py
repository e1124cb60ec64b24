"""`cchc user add` and `cchc user list`: accounts made at the terminal, passwords only hashed."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.app import app
from config import Settings
from persistence.db import make_engine, make_session_factory
from persistence.users import find_user
from services.passwords import verify_password
from tests.cli.running import free_port
from tests.web.world import first_sign_in, sign_in
from web.app import create_app

ADD_CHAIRMAN = ("user", "add", "chu-tich", "--role", "chairman", "--commune", "Vĩnh Khê", "--password-stdin")


@pytest.fixture
def cchc(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(app, list(args), input=input)


def stored(tmp_path, username):
    engine = make_engine(f"sqlite:///{tmp_path}/cchc.db")
    try:
        with make_session_factory(engine)() as session:
            return find_user(session, username)
    finally:
        engine.dispose()


def test_an_officer_is_added_with_the_password_asked_twice_and_only_its_hash_is_stored(cchc, tmp_path):
    result = cchc(
        "user",
        "add",
        "Cong-Chuc-TP",
        "--role",
        "officer",
        "--unit",
        "Tư pháp",
        "--commune",
        "Vĩnh Khê",
        "--name",
        "Nguyễn Văn A",
        "--email",
        "a@vinhkhe.example",
        input="mat-khau-123\nmat-khau-123\n",
    )
    assert result.exit_code == 0, result.output
    assert "Đã thêm tài khoản cong-chuc-tp (công chức)." in result.output
    user = stored(tmp_path, "cong-chuc-tp")
    assert (user.role.value, user.units, user.commune, user.display_name) == (
        "officer",
        ("Tư pháp",),
        "Vĩnh Khê",
        "Nguyễn Văn A",
    )
    assert user.password_hash.startswith("$argon2id$") and verify_password(user.password_hash, "mat-khau-123")


def test_a_vice_chairman_is_added_with_the_units_in_his_charge_and_refused_without_them(cchc, tmp_path):
    def add(*units: str):
        options = [option for unit in units for option in ("--unit", unit)]
        return cchc(
            "user",
            "add",
            "pho-chu-tich",
            "--role",
            "vice_chairman",
            "--commune",
            "Vĩnh Khê",
            *options,
            "--password-stdin",
            input="mat-khau-123\n",
        )

    refused = add()
    assert refused.exit_code == 2
    assert "Phó Chủ tịch (vice_chairman) phải phụ trách ít nhất một đơn vị (--unit)" in refused.output
    added = add("Tư pháp", "Văn hóa - Xã hội")
    assert added.exit_code == 0, added.output
    assert "Đã thêm tài khoản pho-chu-tich (Phó Chủ tịch UBND xã)." in added.output
    assert stored(tmp_path, "pho-chu-tich").units == ("Tư pháp", "Văn hóa - Xã hội")


def test_a_password_can_come_from_stdin_and_the_list_shows_every_account(cchc, tmp_path):
    assert (
        cchc("user", "add", "so-noi-vu", "--role", "auditor", "--password-stdin", input="mat-khau-456\n").exit_code == 0
    )
    listed = json.loads(cchc("user", "list", "--json").output)["users"]
    assert [(u["username"], u["role"], u["commune"]) for u in listed] == [("so-noi-vu", "auditor", None)]
    assert "so-noi-vu" in cchc("user", "list").output


def test_an_unusable_account_is_refused_with_every_reason_and_nothing_is_stored(cchc, tmp_path):
    result = cchc(
        "user", "add", "chu-tich", "--role", "chairman", "--unit", "Văn phòng", "--password-stdin", input="ngan\n"
    )
    assert result.exit_code == 2
    assert "chỉ công chức, Phó Chủ tịch (đơn vị phụ trách) và Văn phòng (đơn vị của mình) mới gắn với đơn vị" in (
        result.output
    )
    assert "vai trò chairman phải thuộc một xã (--commune)" in result.output
    short = cchc(
        "user", "add", "chu-tich", "--role", "chairman", "--commune", "Vĩnh Khê", "--password-stdin", input="ngan\n"
    )
    assert short.exit_code == 2 and "mật khẩu phải có ít nhất 8 ký tự" in short.output
    assert "chu-tich" not in cchc("user", "list").output


def test_a_display_name_with_a_control_character_is_refused_before_it_can_reach_a_workflow(cchc):
    add = ("user", "add", "quan-tri", "--role", "admin", "--name", "Quản trị\x00", "--password-stdin")
    result = cchc(*add, input="mat-khau-789\n")
    assert result.exit_code == 2
    assert "tên hiển thị, email, đơn vị hoặc xã giám sát chứa ký tự điều khiển (không in được)" in result.output
    assert "quan-tri" not in cchc("user", "list").output


def test_a_username_is_taken_once(cchc):
    add = ("user", "add", "quan-tri", "--role", "admin", "--password-stdin")
    assert cchc(*add, input="mat-khau-789\n").exit_code == 0
    again = cchc(*add, input="mat-khau-789\n")
    assert again.exit_code == 1 and "đã có tài khoản “quan-tri”" in again.output


def test_an_appraiser_supervises_the_communes_given_and_belongs_to_none(cchc, tmp_path):
    result = cchc(
        "user",
        "add",
        "tham-dinh",
        "--role",
        "appraiser",
        "--supervises",
        "Vĩnh Khê",
        "--supervises",
        "Long  Điền A",
        "--password-stdin",
        input="mat-khau-789\n",
    )
    assert result.exit_code == 0, result.output
    assert "thẩm định viên (Sở Nội vụ)" in result.output
    user = stored(tmp_path, "tham-dinh")
    assert (user.commune, user.supervises) == (None, ("Vĩnh Khê", "Long Điền A"))
    listed = json.loads(cchc("user", "list", "--json").output)["users"]
    assert listed[0]["supervises"] == ["Vĩnh Khê", "Long Điền A"]


def test_an_appraiser_without_communes_or_with_a_commune_of_its_own_is_refused(cchc, tmp_path):
    alone = cchc("user", "add", "tham-dinh", "--role", "appraiser", "--password-stdin", input="mat-khau-789\n")
    assert alone.exit_code == 2
    assert "vai trò appraiser không thuộc xã nào mà giám sát các xã (--supervises)" in alone.output
    owned = cchc(
        "user",
        "add",
        "tham-dinh",
        "--role",
        "supervisor",
        "--commune",
        "Vĩnh Khê",
        "--supervises",
        "Vĩnh Khê",
        "--password-stdin",
        input="mat-khau-789\n",
    )
    assert owned.exit_code == 2 and "vai trò supervisor không thuộc xã nào" in owned.output
    officer = cchc(
        "user",
        "add",
        "cong-chuc",
        "--role",
        "officer",
        "--unit",
        "Tư pháp",
        "--commune",
        "Vĩnh Khê",
        "--supervises",
        "Long Điền A",
        "--password-stdin",
        input="mat-khau-789\n",
    )
    assert officer.exit_code == 2 and "chỉ người thẩm định (appraiser) hoặc giám sát (supervisor)" in officer.output
    assert "tham-dinh" not in cchc("user", "list").output


def test_a_forgotten_password_is_reset_at_the_terminal_and_the_old_one_no_longer_works(cchc, tmp_path):
    assert cchc(*ADD_CHAIRMAN, input="mat-khau-cu-1\n").exit_code == 0
    before = stored(tmp_path, "chu-tich")

    reset = cchc("user", "password", "Chu-Tich", input="mat-khau-moi-2\nmat-khau-moi-2\n")

    assert reset.exit_code == 0, reset.output
    assert "Đã đặt lại mật khẩu cho chu-tich" in reset.output
    after = stored(tmp_path, "chu-tich")
    assert verify_password(after.password_hash, "mat-khau-moi-2")
    assert not verify_password(after.password_hash, "mat-khau-cu-1")
    assert after.session_version == before.session_version + 1  # signed in elsewhere: signed out


def test_a_password_set_or_reset_at_the_terminal_is_changed_by_its_owner_at_the_next_sign_in(cchc, tmp_path):
    cchc(*ADD_CHAIRMAN, input="mat-khau-cu-1\n")
    assert stored(tmp_path, "chu-tich").must_change_password
    settings = Settings(data_dir=tmp_path, temporal_address=f"127.0.0.1:{free_port()}")
    with TestClient(create_app(settings), follow_redirects=False) as browser:
        first_sign_in(browser, "chu-tich", "mat-khau-cu-1")
        assert not stored(tmp_path, "chu-tich").must_change_password

        cchc("user", "password", "chu-tich", "--password-stdin", input="mat-khau-moi-2\n")

        assert stored(tmp_path, "chu-tich").must_change_password
        assert browser.get("/").headers["location"] == "/login?next=/"
        sign_in(browser, "chu-tich", "mat-khau-moi-2")
        assert browser.get("/").headers["location"] == "/password?next=/"


def test_resetting_an_unknown_account_or_to_a_short_password_is_refused(cchc, tmp_path):
    unknown = cchc("user", "password", "khong-co", "--password-stdin", input="mat-khau-moi-2\n")
    short = cchc("user", "password", "khong-co", "--password-stdin", input="ngan\n")

    assert unknown.exit_code == 1 and "không có tài khoản “khong-co”" in unknown.output
    assert short.exit_code == 2 and "ít nhất 8 ký tự" in short.output


def test_a_common_password_is_refused_whatever_its_case(cchc):
    add = ("user", "add", "quan-tri", "--role", "admin", "--password-stdin")
    for common in ("12345678", "MatKhau123", "Password1"):
        refused = cchc(*add, input=f"{common}\n")
        assert refused.exit_code == 2 and "mật khẩu này quá phổ biến, dễ bị đoán" in refused.output
    assert "quan-tri" not in cchc("user", "list").output


def test_an_account_added_and_a_password_reset_at_the_terminal_are_written_to_the_security_log(cchc, tmp_path):
    cchc("user", "add", "quan-tri", "--role", "admin", "--password-stdin", input="mat-khau-789\n")
    cchc("user", "password", "quan-tri", "--password-stdin", input="mat-khau-moi-2\n")

    lines = (tmp_path / "security.log").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line.split(" ", 2)[2]) for line in lines]
    assert records == [
        {"event": "account_added", "account": "quan-tri", "actor": "cli", "role": "admin"},
        {"event": "password_reset", "account": "quan-tri", "actor": "cli"},
    ]

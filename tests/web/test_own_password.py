"""One's own password: a password someone else set (an administrator in the browser, the
operator at the terminal, the demo) is changed at the first sign-in before anything else, and
every signed-in user can change theirs; the change ends the account's other sessions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from domain.calendar import TZ
from domain.roles import Role
from persistence.db import make_engine, make_session_factory
from persistence.users import NewUser, add_user, find_user
from services.passwords import hash_password, verify_password
from tests.web.world import OWN_PASSWORD, PASSWORD, first_sign_in, flash_text, form_token, sign_in
from web.app import create_app

GIVEN = "mat-khau-tam-thoi-1"  # what the administrator types for the new account


@pytest.fixture
def sessions(bare_app, bare_settings):
    """The bare app's database, with an administrator and a chairman past their first sign-in."""
    engine = make_engine(bare_settings.effective_database_url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        for username, role, commune in (("quan-tri", Role.ADMIN, None), ("chu-tich", Role.CHAIRMAN, "Vĩnh Khê")):
            new = NewUser(username=username, role=role, commune=commune)
            add_user(session, new, hash_password(PASSWORD), datetime.now(TZ), must_change_password=False)
    yield factory
    engine.dispose()


@pytest.fixture
def newcomer(bare_app, bare_settings, sessions) -> Iterator[TestClient]:
    """A browser signed in as an officer the administrator has just added in the browser."""
    sign_in(bare_app, "quan-tri")
    fields = {"username": "cong-chuc", "role": "officer", "commune": "Vĩnh Khê", "units": "Tư pháp", "password": GIVEN}
    bare_app.post("/users", data={**fields, "csrf_token": form_token(bare_app, "/users")})
    assert flash_text(bare_app.get("/users").text) == ["Đã thêm tài khoản cong-chuc."]
    with TestClient(create_app(bare_settings), follow_redirects=False) as browser:
        assert sign_in(browser, "cong-chuc", GIVEN).headers["location"] == "/"
        yield browser


def change(client: TestClient, current: str, password: str, again: str | None = None, next: str = "/"):
    fields = {"current": current, "password": password, "again": password if again is None else again, "next": next}
    return client.post("/password", data={**fields, "csrf_token": form_token(client, "/password")})


def security_events(bare_settings) -> list[dict]:
    lines = (bare_settings.data_dir / "security.log").read_text(encoding="utf-8").splitlines()
    return [json.loads(line.split(" ", 2)[2]) for line in lines]


def test_an_account_an_administrator_added_sees_only_the_change_password_page_until_it_changes_it(newcomer):
    for path in ("/", "/me", "/plans", "/people"):
        assert newcomer.get(path).headers["location"] == f"/password?next={path}"
    refused = newcomer.get("/api/tasks")
    assert refused.status_code == 403 and "hãy đổi mật khẩu" in refused.json()["detail"]
    page = newcomer.get("/password?next=/me").text
    assert "do người khác đặt" in page and "<nav>" not in page and 'action="/logout"' in page

    changed = change(newcomer, GIVEN, OWN_PASSWORD, next="/me")

    assert changed.headers["location"] == "/me"
    assert flash_text(newcomer.get("/me").text) == [
        "Đã đổi mật khẩu; các phiên đăng nhập khác của tài khoản đã kết thúc."
    ]
    assert newcomer.get("/api/tasks").status_code == 200
    assert "do người khác đặt" not in newcomer.get("/password").text


def test_a_new_password_equal_to_the_old_one_common_mistyped_or_with_a_wrong_current_one_changes_nothing(
    newcomer, sessions
):
    attempts = [
        ((GIVEN, GIVEN), 422, "Mật khẩu mới phải khác mật khẩu hiện tại."),
        ((GIVEN, "Password1"), 422, "mật khẩu này quá phổ biến, dễ bị đoán"),
        ((GIVEN, "ngan"), 422, "ít nhất 8 ký tự"),
        ((GIVEN, OWN_PASSWORD, OWN_PASSWORD + "x"), 422, "Hai lần nhập mật khẩu mới không khớp nhau."),
        (("doan-mo-mat-khau", OWN_PASSWORD), 401, "Mật khẩu hiện tại không đúng."),
    ]
    for fields, status, message in attempts:
        refused = change(newcomer, *fields)
        assert (refused.status_code, message in refused.text) == (status, True), message

    with sessions() as session:
        account = find_user(session, "cong-chuc")
    assert account.must_change_password and verify_password(account.password_hash, GIVEN)
    assert newcomer.get("/").headers["location"] == "/password?next=/"


def test_wrong_current_passwords_count_as_failed_sign_ins_of_the_account(newcomer, bare_settings):
    statuses = [change(newcomer, f"doan-mo-{n}", OWN_PASSWORD).status_code for n in range(6)]

    assert statuses == [401] * 5 + [429]
    events = [(r["event"], r["account"]) for r in security_events(bare_settings)][-6:]
    assert events == [("password_change_refused", "cong-chuc")] * 5 + [("sign_in_slowed", "cong-chuc")]


def test_a_user_changes_the_password_from_any_page_which_ends_the_accounts_other_sessions(
    bare_app, bare_settings, sessions
):
    with TestClient(create_app(bare_settings), follow_redirects=False) as phone:
        sign_in(phone, "chu-tich")
        sign_in(bare_app, "chu-tich")
        assert 'href="/password"' in bare_app.get("/").text

        assert change(bare_app, PASSWORD, OWN_PASSWORD).headers["location"] == "/"

        assert bare_app.get("/").status_code == 200  # this session goes on
        assert phone.get("/").headers["location"] == "/login?next=/"
        refused = phone.post(
            "/login", data={"username": "chu-tich", "password": PASSWORD, "csrf_token": form_token(phone)}
        )
        assert refused.status_code == 401
        sign_in(phone, "chu-tich", OWN_PASSWORD)
        assert phone.get("/").status_code == 200
    assert [(r["event"], r["account"], r["address"]) for r in security_events(bare_settings)][-3:] == [
        ("password_changed", "chu-tich", "testclient"),
        ("sign_in_failed", "chu-tich", "testclient"),  # the old password
        ("signed_in", "chu-tich", "testclient"),
    ]
    log = (bare_settings.data_dir / "security.log").read_text(encoding="utf-8")
    assert PASSWORD not in log and OWN_PASSWORD not in log


def test_a_password_an_administrator_resets_must_be_changed_again(newcomer, bare_app, sessions):
    first = change(newcomer, GIVEN, OWN_PASSWORD)
    assert first.headers["location"] == "/"
    with sessions() as session:
        account = find_user(session, "cong-chuc")
    reset = {"password": "mat-khau-dat-lai-2", "csrf_token": form_token(bare_app, "/users")}
    bare_app.post(f"/users/{account.id}/password", data=reset)

    assert newcomer.get("/me").headers["location"] == "/login?next=/me"
    first_sign_in(newcomer, "cong-chuc", "mat-khau-dat-lai-2")
    assert newcomer.get("/me").status_code == 200

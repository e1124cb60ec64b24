"""The people directory in the browser: the office adds, edits, stops emailing and imports the
commune's people, says which units a Phó Chủ tịch is in charge of, and gives people accounts.
An officer cannot change it. On a fresh database: these pages need no Temporal."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from domain.calendar import TZ
from domain.people import addressed
from domain.roles import Role
from persistence.db import make_engine, make_session_factory
from persistence.people import commune_people, directory
from persistence.users import NewUser, add_user, find_user
from services.passwords import hash_password
from tests.web.world import PASSWORD, first_sign_in, flash_text, form_token, sign_in

COMMUNE = "Vĩnh Khê"
LAN = {"name": "Nguyễn Thị Lan", "email": "lan.tp@vinhkhe.example.vn", "unit": "Tư pháp", "roles": ["officer"]}


@pytest.fixture
def sessions(bare_app, bare_settings):
    """The bare app's database, with the commune's office, chairman, a Phó Chủ tịch and an officer."""
    engine = make_engine(bare_settings.effective_database_url)
    factory = make_session_factory(engine)
    accounts = (
        ("van-phong", Role.REVIEWER, ()),
        ("chu-tich", Role.CHAIRMAN, ()),
        ("pho-chu-tich", Role.VICE_CHAIRMAN, ("Tư pháp",)),
        ("cong-chuc", Role.OFFICER, ("Tư pháp",)),
    )
    with factory.begin() as session:
        for username, role, units in accounts:
            new = NewUser(username=username, role=role, commune=COMMUNE, units=units)
            add_user(session, new, hash_password(PASSWORD), datetime.now(TZ), must_change_password=False)
    yield factory
    engine.dispose()


@pytest.fixture
def office(bare_app, sessions) -> TestClient:
    sign_in(bare_app, "van-phong")
    return bare_app


def post(client: TestClient, path: str, data: dict, **kwargs) -> list[str]:
    """Send a form of the people page; the messages the page then shows."""
    response = client.post(path, data={**data, "csrf_token": form_token(client, "/people")}, **kwargs)
    assert response.status_code == 303, response.text
    return flash_text(client.get("/people").text)


def entries(sessions) -> dict[str, tuple[str | None, bool]]:
    """Each person of the directory by email: their unit and whether they receive emails."""
    with sessions() as session:
        return {entry.person.email: (entry.person.unit, entry.active) for entry in directory(session, COMMUNE)}


def upload(client: TestClient, name: str, text: str):
    token = form_token(client, "/people")
    files = {"file": (name, text.encode(), "text/csv")}
    return client.post("/people/import", data={"csrf_token": token}, files=files)


def test_the_office_adds_a_person_edits_her_unit_and_stops_emailing_her_who_then_receives_nothing(office, sessions):
    assert post(office, "/people", LAN) == ["Đã thêm Nguyễn Thị Lan vào danh bạ."]
    assert "Nguyễn Thị Lan" in office.get("/people").text

    assert post(office, "/people", {**LAN, "unit": "Văn hóa - Xã hội"}) == ["Đã lưu thông tin của Nguyễn Thị Lan."]
    assert entries(sessions) == {LAN["email"]: ("Văn hóa - Xã hội", True)}

    stopped = post(office, "/people/active", {"email": LAN["email"], "active": "0"})
    assert stopped == ["Nguyễn Thị Lan đã thôi nhận email."]
    assert entries(sessions) == {LAN["email"]: ("Văn hóa - Xã hội", False)}  # kept, for the emails that name her
    with sessions() as session:
        assert addressed(commune_people(session, COMMUNE), "officers", "Văn hóa - Xã hội") == []
    assert "đã thôi nhận email" in office.get("/people").text


def test_a_person_typed_without_a_unit_or_with_a_bad_email_is_refused_naming_the_field(office, sessions):
    (message,) = post(office, "/people", {**LAN, "unit": "", "email": "lan ở tư pháp"})
    assert "cột “Email”: “lan ở tư pháp” không phải một địa chỉ email" in message
    assert "cột “Đơn vị”: công chức và trưởng bộ phận phải ghi đơn vị" in message
    assert entries(sessions) == {}


def test_the_office_imports_a_csv_after_seeing_what_it_changes(office, sessions):
    post(office, "/people", LAN)
    csv = (
        "Họ tên,Email,Đơn vị,Vai trò,Đơn vị phụ trách\n"
        "Trần Văn Bình,binh.pct@vinhkhe.example.vn,,Phó Chủ tịch,Tư pháp; Văn hóa - Xã hội\n"
        "Lê Thị Hoa,hoa.vp@vinhkhe.example.vn,Văn phòng,công chức; xác nhận hoàn thành,\n"
    )
    preview = upload(office, "danh-ba.csv", csv)
    assert preview.status_code == 200
    assert "Tệp danh-ba.csv: 2 người. Chưa lưu gì." in preview.text
    assert "binh.pct@vinhkhe.example.vn" in preview.text and "Thôi nhận email (1)" in preview.text
    assert entries(sessions) == {LAN["email"]: ("Tư pháp", True)}

    token = re.search(r'name="token" value="([0-9a-f]+)"', preview.text).group(1)
    confirmed = post(office, "/people/import/confirm", {"token": token})
    assert confirmed == ["Đã lưu danh bạ: thêm 2, thay đổi 0, thôi nhận email 1."]
    assert entries(sessions)[LAN["email"]] == ("Tư pháp", False)
    page = office.get("/people").text
    assert "Trần Văn Bình" in page and "Đơn vị phụ trách: Tư pháp; Văn hóa - Xã hội" in page


def test_a_bad_csv_is_refused_with_its_row_and_column_and_changes_nothing(office, sessions):
    post(office, "/people", LAN)
    csv = "Họ tên,Email,Đơn vị,Vai trò\nTrần Văn Bình,binh.pct@vinhkhe.example.vn,Tư pháp,trưởng phòng\n"
    refused = upload(office, "sai.csv", csv)
    assert refused.status_code == 422
    assert "sai.csv, hàng 2, cột “Vai trò”: không có vai trò “trưởng phòng”" in refused.text
    assert entries(sessions) == {LAN["email"]: ("Tư pháp", True)}


def test_the_office_sets_the_units_a_pho_chu_tich_is_in_charge_of_and_the_page_shows_who_leads_each(office, sessions):
    vice = {"name": "Trần Văn Bình", "email": "binh.pct@vinhkhe.example.vn", "unit": "", "roles": ["vice_chairman"]}
    post(office, "/people", {**vice, "in_charge": "Tư pháp"})
    post(office, "/people", {**LAN, "unit": "Văn hóa - Xã hội", "roles": ["head"]})
    assert post(office, "/people", {**vice, "in_charge": "Tư pháp; Văn hóa - Xã hội"}) == [
        "Đã lưu thông tin của Trần Văn Bình."
    ]
    with sessions() as session:
        (stored,) = [p for p in commune_people(session, COMMUNE) if p.email == vice["email"]]
    assert stored.in_charge == ("Tư pháp", "Văn hóa - Xã hội")
    page = office.get("/people").text
    assert "<strong>Văn hóa - Xã hội</strong><br>\n    Trưởng bộ phận: Nguyễn Thị Lan<br>" in page
    assert "Lãnh đạo phụ trách: Trần Văn Bình</li>" in page


def test_the_office_creates_an_account_for_a_person_who_signs_in_changing_the_password_the_office_reset(
    office, sessions, bare_app
):
    post(office, "/people", LAN)
    account = {"email": LAN["email"], "username": "lan.tp", "role": "officer", "password": "mat-khau-moi-1"}
    assert post(office, "/people/accounts", account) == ["Đã thêm tài khoản lan.tp."]
    with sessions() as session:
        lan = find_user(session, "lan.tp")
    assert (lan.display_name, lan.email, lan.role, lan.units) == (LAN["name"], LAN["email"], Role.OFFICER, ("Tư pháp",))
    assert "lan.tp (công chức)" in office.get("/people").text

    reset = post(office, f"/people/accounts/{lan.id}/password", {"password": "mat-khau-moi-2"})
    assert reset == ["Đã đặt lại mật khẩu cho lan.tp; mọi phiên đăng nhập cũ đã kết thúc."]
    office.post("/logout", data={"csrf_token": form_token(office, "/people")})
    first_sign_in(office, "lan.tp", "mat-khau-moi-2")  # a password the office set is changed first
    assert office.get("/me").status_code == 200


def test_an_officer_can_neither_see_nor_change_the_directory_and_a_pho_chu_tich_only_reads_it(bare_app, sessions):
    sign_in(bare_app, "cong-chuc")
    assert bare_app.get("/people").status_code == 403
    token = form_token(bare_app, "/me")
    assert bare_app.post("/people", data={**LAN, "csrf_token": token}).status_code == 403
    assert entries(sessions) == {}

    bare_app.post("/logout", data={"csrf_token": token})
    sign_in(bare_app, "pho-chu-tich")
    page = bare_app.get("/people")
    assert page.status_code == 200 and 'action="/people"' not in page.text
    token = form_token(bare_app, "/people")
    assert bare_app.post("/people", data={**LAN, "csrf_token": token}).status_code == 403


def test_a_form_without_its_csrf_token_changes_nothing(office, sessions):
    assert office.post("/people", data=LAN).status_code == 403
    assert entries(sessions) == {}


def test_the_office_gives_no_leader_an_account_nor_resets_a_leaders_password_but_the_chairman_does(
    office, sessions, bare_app
):
    vice = {"name": "Trần Văn Bình", "email": "binh.pct@vinhkhe.example.vn", "roles": ["vice_chairman"]}
    post(office, "/people", {**vice, "in_charge": "Tư pháp"})
    account = {"email": vice["email"], "username": "binh.pct", "role": "vice_chairman", "password": "mat-khau-moi-1"}
    token = form_token(office, "/people")
    assert office.post("/people/accounts", data={**account, "csrf_token": token}).status_code == 403
    assert 'action="/people/accounts"' not in office.get("/people").text

    office.post("/logout", data={"csrf_token": token})
    sign_in(office, "chu-tich")
    assert post(office, "/people/accounts", account) == ["Đã thêm tài khoản binh.pct."]
    with sessions() as session:
        binh = find_user(session, "binh.pct")
    assert (binh.role, binh.units) == (Role.VICE_CHAIRMAN, ("Tư pháp",))

    office.post("/logout", data={"csrf_token": form_token(office, "/people")})
    sign_in(office, "van-phong")
    reset = {"password": "mat-khau-moi-2", "csrf_token": form_token(office, "/people")}
    assert office.post(f"/people/accounts/{binh.id}/password", data=reset).status_code == 403

"""The administrator's pages: the outbox (sent, waiting, failed) and the accounts."""

from __future__ import annotations

from datetime import datetime

from domain.calendar import TZ
from persistence.mail_tables import EmailRow
from persistence.users import find_user
from tests.web.world import OWN_PASSWORD, first_sign_in, flash_text, form_token, sign_in


def email(number: int, status: str, kind: str = "reminder", error: str | None = None) -> EmailRow:
    now = datetime.now(TZ)
    return EmailRow(
        dedup_key=f"web-test/{number}",
        kind=kind,
        commune="Vĩnh Khê",
        notification_id=None,
        workflow_id=None,
        language="vi",
        recipients=[{"name": "Công chức Tư pháp", "email": "tp@vinhkhe.example"}],
        subject=f"Thư thử {number}",
        message_id=f"<{number}@test>",
        raw=b"",
        status=status,
        attempts=1,
        next_attempt_at=now,
        claimed_until=None,
        last_error=error,
        created_at=now,
        sent_at=now if status == "sent" else None,
    )


def test_the_outbox_shows_emails_sent_waiting_and_failed_with_their_counts(world):
    with world.sessions.begin() as session:
        session.add_all(
            [email(1, "sent"), email(2, "pending", "escalation"), email(3, "failed", error="550 no such user")]
        )
    admin = world.browser("quan-tri")
    page = admin.get("/outbox").text
    assert "Thư thử 1" in page and "Thư thử 2" in page and "550 no such user" in page
    assert "lỗi, không gửi được (1)" in page and "cảnh báo quá hạn" in page
    failed = admin.get("/outbox", params={"status": "failed"}).text
    assert "Thư thử 3" in failed and "Thư thử 1" not in failed


def test_the_administrator_adds_an_account_that_can_sign_in_and_locks_it_which_ends_its_session(world):
    admin = world.browser("quan-tri")
    fields = {
        "username": "cong-chuc-tc",
        "display_name": "Công chức Tài chính",
        "role": "officer",
        "commune": "Vĩnh Khê",
        "units": "Tài chính",
        "password": "mat-khau-moi-1",
        "email": "tc@vinhkhe.example",
    }
    response = admin.post("/users", data={**fields, "csrf_token": form_token(admin, "/users")})
    assert response.headers["location"] == "/users"
    assert flash_text(admin.get("/users").text) == ["Đã thêm tài khoản cong-chuc-tc."]

    officer = world.app_client()
    first_sign_in(officer, "cong-chuc-tc", "mat-khau-moi-1")
    assert "VI.1 · " in officer.get("/me").text  # Tài chính's tasks

    with world.sessions() as session:
        account = find_user(session, "cong-chuc-tc")
    admin.post(f"/users/{account.id}/active", data={"active": "0", "csrf_token": form_token(admin, "/users")})
    assert officer.get("/me").headers["location"] == "/login?next=/me"


def test_the_administrator_resets_a_forgotten_password_which_ends_the_accounts_sessions(world):
    admin = world.browser("quan-tri")
    fields = {
        "username": "cong-chuc-vh",
        "role": "officer",
        "commune": "Vĩnh Khê",
        "units": "Văn hóa",
        "password": "mat-khau-cu-1",
    }
    admin.post("/users", data={**fields, "csrf_token": form_token(admin, "/users")})
    officer = world.app_client()
    first_sign_in(officer, "cong-chuc-vh", "mat-khau-cu-1")
    with world.sessions() as session:
        account = find_user(session, "cong-chuc-vh")

    admin.post(f"/users/{account.id}/password", data={"password": "ngan", "csrf_token": form_token(admin, "/users")})
    assert "ít nhất 8 ký tự" in flash_text(admin.get("/users").text)[0]
    admin.post(
        f"/users/{account.id}/password", data={"password": "mat-khau-moi-2", "csrf_token": form_token(admin, "/users")}
    )
    assert flash_text(admin.get("/users").text) == [
        "Đã đặt lại mật khẩu cho cong-chuc-vh; mọi phiên đăng nhập cũ đã kết thúc."
    ]
    assert officer.get("/me").headers["location"] == "/login?next=/me"
    again = world.app_client()
    sign_in(again, "cong-chuc-vh", "mat-khau-moi-2")
    assert again.get("/me").headers["location"] == "/password?next=/me"  # reset by someone else: changed first
    fields = {"current": "mat-khau-moi-2", "password": OWN_PASSWORD, "again": OWN_PASSWORD}
    again.post("/password", data={**fields, "csrf_token": form_token(again, "/password")})
    assert again.get("/me").status_code == 200
    other_admin = world.browser("quan-tri-xa-khac")
    refused = other_admin.post(
        f"/users/{account.id}/password",
        data={"password": "mat-khau-moi-3", "csrf_token": form_token(other_admin, "/users")},
    )
    assert refused.status_code == 404


def test_an_account_with_a_bad_name_or_a_short_password_is_not_added(world):
    admin = world.browser("quan-tri")
    token = form_token(admin, "/users")
    admin.post("/users", data={"username": "Tên Có Dấu", "role": "officer", "password": "ngan", "csrf_token": token})
    (message,) = flash_text(admin.get("/users").text)
    assert "tên đăng nhập “tên có dấu” không hợp lệ" in message and "ít nhất 8 ký tự" in message
    assert "phải có ít nhất một đơn vị" in message
    with world.sessions() as session:
        assert find_user(session, "tên có dấu") is None


def test_an_administrator_of_one_commune_cannot_add_an_appraiser_of_another(world):
    admin = world.browser("quan-tri-xa-khac")
    fields = {
        "username": "tham-dinh-gia",
        "role": "appraiser",
        "supervises": "Vĩnh Khê",
        "password": "mat-khau-moi-1",
        "csrf_token": form_token(admin, "/users"),
    }
    admin.post("/users", data=fields)
    (message,) = flash_text(admin.get("/users").text)
    assert "chỉ quản trị hệ thống (không thuộc xã nào) mới thêm tài khoản thẩm định hoặc giám sát" in message
    with world.sessions() as session:
        assert find_user(session, "tham-dinh-gia") is None


def test_the_administrator_adds_an_appraiser_who_sees_only_the_communes_it_supervises(world):
    admin = world.browser("quan-tri")
    fields = {
        "username": "tham-dinh-moi",
        "role": "appraiser",
        "supervises": "Long Điền A",
        "password": "mat-khau-moi-1",
        "csrf_token": form_token(admin, "/users"),
    }
    admin.post("/users", data=fields)
    assert flash_text(admin.get("/users").text) == ["Đã thêm tài khoản tham-dinh-moi."]
    with world.sessions() as session:
        appraiser = find_user(session, "tham-dinh-moi")
    assert (appraiser.commune, appraiser.supervises) == (None, ("Long Điền A",))
    browser = world.app_client()
    first_sign_in(browser, "tham-dinh-moi", "mat-khau-moi-1")
    task = "/api/tasks/" + world.task_id("I.4", "2024-Q1").removeprefix("cchc-task/")
    assert browser.get(task).status_code == 404
    assert world.browser("tham-dinh").get(task).status_code == 200


def test_the_administrator_adds_a_vice_chairman_who_decides_only_on_the_units_in_his_charge(world):
    admin = world.browser("quan-tri")
    fields = {
        "username": "pho-chu-tich",
        "display_name": "Trần Văn Bình",
        "role": "vice_chairman",
        "commune": "Vĩnh Khê",
        "units": "Tư pháp",
        "password": "mat-khau-moi-1",
        "csrf_token": form_token(admin, "/users"),
    }
    admin.post("/users", data=fields)
    assert flash_text(admin.get("/users").text) == ["Đã thêm tài khoản pho-chu-tich."]
    with world.sessions() as session:
        vice = find_user(session, "pho-chu-tich")
    assert (vice.role.value, vice.commune, vice.units) == ("vice_chairman", "Vĩnh Khê", ("Tư pháp",))
    browser = world.app_client()
    first_sign_in(browser, "pho-chu-tich", "mat-khau-moi-1")
    assert browser.get("/").status_code == 200  # the dashboard, as the chairman's
    office_task = "/api/tasks/" + world.task_id("I.4", "2024-Q1").removeprefix("cchc-task/")
    refused = browser.post(f"{office_task}/waive", json={"reason": "gộp"})
    assert refused.status_code == 403 and "không phụ trách đơn vị chủ trì" in refused.text

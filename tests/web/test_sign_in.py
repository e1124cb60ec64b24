"""Signing in: argon2 passwords, a signed session cookie that expires when unused, CSRF on
every form, and a rate limit that survives a restart."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from ipaddress import ip_network
from itertools import pairwise

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from domain.calendar import TZ
from domain.roles import Role
from persistence.db import make_engine, make_session_factory
from persistence.users import NewUser, add_user, find_user, set_active
from services.passwords import hash_password
from tests.web.world import PASSWORD, form_token, sign_in
from web.app import create_app
from web.login_limit import admit


@pytest.fixture
def sessions(bare_app, bare_settings):
    """The bare app's database, with a chairman and an officer."""
    engine = make_engine(bare_settings.effective_database_url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        for username, role, units in (("chu-tich", Role.CHAIRMAN, ()), ("cong-chuc", Role.OFFICER, ("Tư pháp",))):
            new = NewUser(username=username, role=role, commune="Vĩnh Khê", units=units)
            add_user(session, new, hash_password(PASSWORD), datetime.now(TZ), must_change_password=False)
    yield factory
    engine.dispose()


def attempt(client: TestClient, username: str, password: str):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": form_token(client)})


def test_a_signed_in_user_gets_a_signed_httponly_samesite_cookie_and_the_dashboard(bare_app, sessions):
    assert bare_app.get("/").headers["location"] == "/login?next=/"
    response = sign_in(bare_app, "chu-tich")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("cchc_session=") and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()  # the site is served over http here
    assert bare_app.get("/").status_code == 200


def test_the_cookie_is_secure_when_the_site_is_served_over_https(bare_settings, sessions):
    settings = bare_settings.model_copy(update={"public_base_url": "https://cchc.example.vn"})
    with TestClient(create_app(settings), base_url="https://testserver", follow_redirects=False) as client:
        assert "; secure" in sign_in(client, "chu-tich").headers["set-cookie"].lower()


def test_a_wrong_password_an_unknown_user_and_a_locked_account_are_refused_alike(bare_app, sessions):
    for username, password in (("chu-tich", "sai-mat-khau"), ("khong-co-ai", PASSWORD)):
        refused = attempt(bare_app, username, password)
        assert refused.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in refused.text
    with sessions.begin() as session:
        set_active(session, find_user(session, "cong-chuc").id, False)
    assert attempt(bare_app, "cong-chuc", PASSWORD).status_code == 401


def test_a_sign_in_without_its_csrf_token_is_refused(bare_app, sessions):
    response = bare_app.post("/login", data={"username": "chu-tich", "password": PASSWORD})
    assert response.status_code == 403


def test_five_failures_make_the_username_wait_even_after_a_restart_but_not_the_others_at_that_address(
    bare_app, bare_settings, sessions
):
    for _ in range(5):
        assert attempt(bare_app, "chu-tich", "doan-mo").status_code == 401
    waiting = attempt(bare_app, "chu-tich", PASSWORD)
    assert waiting.status_code == 429 and "Đăng nhập sai quá nhiều lần" in waiting.text

    with TestClient(create_app(bare_settings), follow_redirects=False) as restarted:
        assert attempt(restarted, "chu-tich", PASSWORD).status_code == 429
    assert attempt(bare_app, "cong-chuc", PASSWORD).status_code == 303


def test_the_wait_ends_10_seconds_after_the_fifth_failure(bare_app, sessions, monkeypatch):
    for _ in range(5):
        attempt(bare_app, "chu-tich", "doan-mo")
    later = datetime.now(TZ) + timedelta(seconds=11)
    monkeypatch.setattr("web.routes.sign_in.datetime", _FrozenAt(later))
    assert attempt(bare_app, "chu-tich", PASSWORD).status_code == 303


def test_someone_failing_on_purpose_all_day_keeps_the_owner_out_a_minute_at_most(bare_app, sessions, monkeypatch):
    clock = _FrozenAt(datetime.now(TZ))
    monkeypatch.setattr("web.routes.sign_in.datetime", clock)
    waits = []
    for _ in range(12):  # each try as soon as the wait allows it
        while attempt(bare_app, "chu-tich", "doan-mo").status_code == 429:
            clock.instant += timedelta(seconds=1)
        waits.append(clock.instant)
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(waits[4:])]
    assert gaps[0] <= 11 and gaps[1] > gaps[0] and max(gaps) <= 61  # growing, then a minute

    clock.instant += timedelta(minutes=1)
    assert attempt(bare_app, "chu-tich", PASSWORD).status_code == 303


def test_tries_made_all_at_once_get_no_more_password_checks_than_the_free_five(session_factory):
    now = datetime.now(TZ)
    with ThreadPoolExecutor(max_workers=10) as pool:
        admissions = list(
            pool.map(lambda _: admit(session_factory, now, username="chu-tich", address="203.0.113.7"), range(20))
        )
    assert sum(admission.attempt is not None for admission in admissions) <= 5


def test_thirty_colleagues_behind_one_address_signing_in_at_once_are_all_let_through(session_factory):
    now = datetime.now(TZ)
    with ThreadPoolExecutor(max_workers=10) as pool:
        admissions = list(
            pool.map(lambda n: admit(session_factory, now, username=f"can-bo-{n}", address="203.0.113.7"), range(30))
        )
    assert all(admission.attempt is not None for admission in admissions)


def test_failures_are_counted_on_the_client_behind_a_trusted_proxy_and_an_ipv6_address_by_its_64(
    bare_settings, sessions
):
    settings = bare_settings.model_copy(update={"trusted_proxies": (ip_network("10.0.0.0/8"),)})

    def tries(client: TestClient, forwarded: str, username: str = "chu-tich") -> int:
        response = client.post(
            "/login",
            data={"username": username, "password": "doan-mo", "csrf_token": form_token(client)},
            headers={"X-Forwarded-For": forwarded},
        )
        return response.status_code

    with TestClient(create_app(settings), client=("10.0.0.2", 50000), follow_redirects=False) as proxied:
        # A client's own X-Forwarded-For entry before the proxy's is not believed: the last
        # untrusted hop counts, and every address of one /64 is one address.
        statuses = [tries(proxied, f"198.51.100.9, 2001:db8:1:2::{n}", f"nguoi-{n}") for n in range(21)]
        assert statuses == [401] * 20 + [429]
        assert tries(proxied, "2001:db8:1:3::1", "nguoi-moi") == 401
    with TestClient(create_app(bare_settings), client=("10.0.0.2", 50000), follow_redirects=False) as direct:
        # Without a trusted proxy the header counts for nothing: the peer is the address.
        assert tries(direct, "2001:db8:1:2::1", "nguoi-khac") == 401


def test_a_session_unused_for_the_idle_time_is_signed_out(bare_app, sessions, monkeypatch):
    sign_in(bare_app, "chu-tich")
    assert bare_app.get("/").status_code == 200
    idle = 30 * 60 + 5
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(datetime.now().timestamp()) + idle)
    assert bare_app.get("/").headers["location"] == "/login?next=/"


def test_a_session_in_use_is_signed_out_twelve_hours_after_its_sign_in(bare_settings, sessions, monkeypatch):
    never_idle = bare_settings.model_copy(update={"session_idle_minutes": 24 * 60})
    with TestClient(create_app(never_idle), follow_redirects=False) as client:
        sign_in(client, "chu-tich")
        signed_in_at = time.time()
        monkeypatch.setattr(time, "time", lambda: signed_in_at + 12 * 3600 - 5)
        assert client.get("/").status_code == 200
        monkeypatch.setattr(time, "time", lambda: signed_in_at + 12 * 3600 + 5)
        assert client.get("/").headers["location"] == "/login?next=/"


def test_over_https_the_cookie_is_host_only_and_pages_say_https_only_and_are_never_cached(bare_settings, sessions):
    settings = bare_settings.model_copy(update={"public_base_url": "https://cchc.example.vn"})
    with TestClient(create_app(settings), base_url="https://testserver", follow_redirects=False) as client:
        assert sign_in(client, "chu-tich").headers["set-cookie"].startswith("__Host-cchc_session=")
        page = client.get("/")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        assert client.get("/api/tasks").headers["cache-control"] == "no-store"


def test_swagger_ui_is_not_served_unless_asked_for(bare_app, bare_settings, sessions):
    assert bare_app.get("/docs").status_code == 404
    assert bare_app.get("/openapi.json").status_code == 200
    assert "strict-transport-security" not in bare_app.get("/login").headers  # served over http here
    with TestClient(create_app(bare_settings.model_copy(update={"api_docs": True}))) as client:
        assert client.get("/docs").status_code == 200


def test_signing_out_ends_the_session_on_every_device(bare_settings, sessions):
    with (
        TestClient(create_app(bare_settings), follow_redirects=False) as phone,
        TestClient(create_app(bare_settings), follow_redirects=False) as desk,
    ):
        sign_in(phone, "chu-tich")
        sign_in(desk, "chu-tich")
        assert desk.post("/logout", data={"csrf_token": form_token(desk, "/")}).headers["location"] == "/login"
        assert phone.get("/").headers["location"] == "/login?next=/"
        assert phone.get("/api/tasks").status_code == 401


def test_the_next_page_after_sign_in_stays_on_this_site(bare_app, sessions):
    token = form_token(bare_app)
    response = bare_app.post(
        "/login",
        data={"username": "chu-tich", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/steal"},
    )
    assert response.headers["location"] == "/"


def test_the_session_key_is_generated_once_into_the_data_directory(bare_settings, sessions):
    key = (bare_settings.data_dir / "secret_key").read_text()
    assert len(key) >= 40 and (bare_settings.data_dir / "secret_key").stat().st_mode & 0o077 == 0
    create_app(bare_settings)
    assert (bare_settings.data_dir / "secret_key").read_text() == key


class _FrozenAt:
    """Stands in for `datetime` in a module: `now()` is a fixed instant."""

    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self, tz=None):
        return self.instant.astimezone(tz) if tz else self.instant


def test_sign_ins_failures_and_waits_are_written_to_the_security_log(bare_app, bare_settings, sessions):
    for _ in range(6):
        attempt(bare_app, "cong-chuc", "doan-mo")
    sign_in(bare_app, "chu-tich")

    lines = (bare_settings.data_dir / "security.log").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line.split(" ", 2)[2]) for line in lines]
    assert [(r["event"], r["account"], r["address"]) for r in records] == [
        *[("sign_in_failed", "cong-chuc", "testclient")] * 5,
        ("sign_in_slowed", "cong-chuc", "testclient"),
        ("signed_in", "chu-tich", "testclient"),
    ]
    assert "until" in records[-2] and PASSWORD not in "".join(lines) and "doan-mo" not in "".join(lines)
    assert (bare_settings.data_dir / "security.log").stat().st_mode & 0o777 == 0o600

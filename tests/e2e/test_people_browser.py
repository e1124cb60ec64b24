"""In Debian's Chromium at 360 px wide, as on a phone: the office adds a person to the commune's
directory. The web app alone (no Temporal: the directory needs none), served by uvicorn."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from config import Settings
from domain.calendar import TZ
from domain.roles import Role
from persistence.db import make_engine, make_session_factory, migrate
from persistence.people import commune_people
from persistence.users import NewUser, add_user
from services.passwords import hash_password
from tests.cli.running import free_port
from tests.e2e.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PASSWORD
from web.app import create_app

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def site(tmp_path):
    """The web on a fresh database with the office's account; its address and sessions."""
    settings = Settings(data_dir=tmp_path / "data", temporal_address=f"127.0.0.1:{free_port()}")
    migrate(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        office = NewUser(username="van-phong", role=Role.REVIEWER, commune="Vĩnh Khê")
        add_user(session, office, hash_password(PASSWORD), datetime.now(TZ), must_change_password=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the web did not start"
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}", sessions
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()


def test_the_office_adds_a_person_on_a_phone_without_scrolling_sideways(site):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    address, sessions = site
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(locale="vi-VN", viewport=PHONE).new_page()
        page.goto(f"{address}/login")
        page.fill("input[name=username]", "van-phong")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{address}/people")

        form = page.locator("form[action='/people']").last
        form.locator("input[name=name]").fill("Nguyễn Thị Lan")
        form.locator("input[name=email]").fill("lan.tp@vinhkhe.example.vn")
        form.locator("input[name=unit]").fill("Tư pháp")
        form.locator("input[name=roles][value=officer]").check()
        form.locator("button[type=submit]").click()

        expect(page.locator(".flash")).to_have_text("Đã thêm Nguyễn Thị Lan vào danh bạ.")
        expect(page.locator("li.person")).to_contain_text("Nguyễn Thị Lan")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "people-added-at-360px.png"), full_page=True)
        browser.close()
    with sessions() as session:
        (lan,) = commune_people(session, "Vĩnh Khê")
    assert (lan.name, lan.unit) == ("Nguyễn Thị Lan", "Tư pháp")

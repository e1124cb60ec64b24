"""In Debian's Chromium, driven by Playwright, against a running `cchc up`: the chairman sees an
overdue task in red under its unit; an officer uploads evidence; the reviewer returns it, then
approves the second one; the chairman extends a deadline.

Screenshots of every step are kept in `test-artifacts/browser/` (or $CCHC_TEST_ARTIFACTS).
The Vĩnh Khê 2024 plan is started with its past due dates, so its tasks are overdue today.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from domain.calendar import WorkCalendar
from services.tasks import today_in_vietnam
from tests.cli.running import SAMPLE, add_account, cchc, choose_own_password, environment, free_port, start_up, stop_up

ROOT = Path(__file__).parents[2]
ARTIFACTS = Path(os.environ.get("CCHC_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: no first-run, sync or update traffic on a machine without the internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GIVEN = "mat-khau-tam-thoi-2024"  # what the operator sets; each user changes it at the first sign-in
PASSWORD = "mat-khau-thu-nghiem-2024"
USERS = {
    "chu-tich": ("chairman", []),
    "van-phong": ("reviewer", []),
    "cong-chuc-tp": ("officer", ["Tư pháp"]),
}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def account_of_own(env: dict[str, str], site: str, user: str, *options: str) -> None:
    """An account the operator adds with a temporary password, which its owner changes to
    PASSWORD at the first sign-in, as the site asks."""
    add_account(env, user, GIVEN, *options)
    choose_own_password(site, user, GIVEN, PASSWORD).close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`cchc up` with the sample plan started and three accounts; its web address."""
    folder = tmp_path_factory.mktemp("browser")
    env = environment(folder / "data") | {"CCHC_WEB_PORT": str(free_port())}
    up = start_up(env, folder / "up.log")
    site = f"http://127.0.0.1:{env['CCHC_WEB_PORT']}"
    try:
        assert cchc(env, "plan", "import", str(SAMPLE)).returncode == 0
        started = cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due")
        assert started.returncode == 0, started.stderr
        for user, (role, units) in USERS.items():
            options = [option for unit in units for option in ("--unit", unit)]
            account_of_own(env, site, user, "--role", role, "--commune", "Vĩnh Khê", *options)
        yield site
    finally:
        assert stop_up(up) == 0


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One person's browser session, screenshots numbered in the order they are taken."""

    taken = 0

    def __init__(self, browser: Browser, site: str, user: str) -> None:
        self.context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        self.page: Page = self.context.new_page()
        self.site = site
        self.page.goto(f"{site}/login")
        self.page.fill("input[name=username]", user)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        expect(self.page.locator("form[action='/logout']")).to_be_visible()

    def open(self, path: str) -> Page:
        self.page.goto(f"{self.site}{path}")
        return self.page

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        Visit.taken += 1
        self.page.screenshot(path=str(ARTIFACTS / f"{Visit.taken:02d}-{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def task_path(site_page: Page, code: str) -> str:
    """The path of the first occurrence of task `code`, as the dashboard links it."""
    link = site_page.locator(f"a[href^='/tasks/1/{code}/']").first
    href = link.get_attribute("href")
    assert href is not None, f"the dashboard links task {code}"
    return href


def submit_evidence(officer: Visit, path: str, number: str, document: Path) -> None:
    page = officer.open(path)
    form = page.locator("form[action$='/evidence']")
    form.locator("input[name=document_number]").fill(number)
    form.locator("input[name=document_date]").fill(f"{today_in_vietnam():%d/%m/%Y}")
    form.locator("input[name=title]").fill("Kế hoạch rà soát văn bản quy phạm pháp luật năm 2024")
    form.locator("input[name=file]").set_input_files(str(document))
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash").first).to_be_visible()


def test_the_chairman_officer_and_reviewer_do_their_part_in_the_browser(site, browser, tmp_path):
    chairman = Visit(browser, site, "chu-tich")
    dashboard = chairman.open("/")
    justice = dashboard.locator("h3.unit", has_text="Tư pháp")
    expect(justice).to_be_visible()
    overdue_row = justice.locator("xpath=following-sibling::table[1]").locator("tr.red", has_text="II.2")
    expect(overdue_row).to_be_visible()
    chairman.screenshot("chairman-dashboard-overdue-in-red")
    path = task_path(dashboard, "II.2")

    officer = Visit(browser, site, "cong-chuc-tp")
    page = officer.open(path)
    page.locator("form[action$='/acknowledge'] button[type=submit]").click()
    document = tmp_path / "ke-hoach-ra-soat.pdf"
    document.write_bytes(PDF)
    submit_evidence(officer, path, "05/KH-UBND", document)
    expect(officer.page.locator("body")).to_contain_text("05/KH-UBND")
    officer.screenshot("officer-uploaded-evidence")

    reviewer = Visit(browser, site, "van-phong")
    page = reviewer.open(path)
    review = page.locator("form[action$='/review']")
    review.locator("textarea[name=comment]").fill("Thiếu chữ ký của Chủ tịch, đề nghị bổ sung.")
    review.locator("button[value=return]").click()
    expect(page.locator("body")).to_contain_text("Thiếu chữ ký của Chủ tịch")
    reviewer.screenshot("reviewer-returned-evidence")

    signed = tmp_path / "ke-hoach-ra-soat-da-ky.pdf"
    signed.write_bytes(PDF.replace(b"%%EOF", b"% signed\n%%EOF"))
    submit_evidence(officer, path, "06/KH-UBND", signed)
    page = reviewer.open(path)
    page.locator("form[action$='/review'] button[value=approve]").click()
    expect(page.locator("body")).to_contain_text("đã hoàn thành")
    reviewer.screenshot("reviewer-approved-evidence")

    new_due = WorkCalendar().roll_forward(today_in_vietnam() + timedelta(days=14))
    page = chairman.open(task_path(chairman.open("/"), "I.1"))
    extend = page.locator("form[action$='/extend']")
    extend.locator("input[name=new_due]").fill(f"{new_due:%d/%m/%Y}")
    extend.locator("input[name=reason]").fill("Chờ hướng dẫn của Sở Nội vụ")
    extend.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text(f"{new_due:%d/%m/%Y}")
    chairman.screenshot("chairman-extended-deadline")

    for visit in (chairman, officer, reviewer):
        visit.close()

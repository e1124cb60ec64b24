"""A plan brought in through the browser, in Debian's Chromium, as the commune office does it on a
phone: the Long Điền A plan (written as prose) uploaded, its draft corrected (the number and
date the plan does not give, marked as guessed, written; a lead written where the plan names
none, a time rewritten and its due date seen to change as it is typed, a task deleted),
confirmed and started; then an amending plan uploaded and confirmed by the
chairman. Every page of the walk is measured at 360 px and at 1366 px: nothing scrolls
sideways. Screenshots at both widths go to `test-artifacts/browser/`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.cli.running import cchc, environment, free_port, start_up, stop_up
from tests.e2e.test_browser import ARTIFACTS, Visit, account_of_own, browser  # noqa: F401 (browser is a fixture)

LONG_DIEN_A = Path(__file__).parents[2] / "importers" / "samples" / "long-dien-a-2023-cchc-plan.txt"
COMMUNE = "Long Điền A"
PLAN = "long-dien-a-2023-cchc-plan"  # the plan names no number: its file's name is the reader's guess
NUMBER, ISSUED = "45/KH-UBND", "15/03/2023"  # as the office corrects them
PHONE = ViewportSize(width=360, height=740)
LAPTOP = ViewportSize(width=1366, height=768)
ACCOUNTS = {"van-phong": "reviewer", "chu-tich": "chairman"}
LEAD = "Công chức Văn Phòng – Thống kê"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`cchc up` with no plan, and the office's and the chairman's accounts of Long Điền A."""
    folder = tmp_path_factory.mktemp("plan-in-browser")
    env = environment(folder / "data") | {"CCHC_WEB_PORT": str(free_port())}
    up = start_up(env, folder / "up.log")
    site = f"http://127.0.0.1:{env['CCHC_WEB_PORT']}"
    try:
        for user, role in ACCOUNTS.items():
            account_of_own(env, site, user, "--role", role, "--commune", COMMUNE)
        yield site, env
    finally:
        assert stop_up(up) == 0


class Phone(Visit):
    """One person's browser on a 360 px phone; every page measured and photographed at both widths."""

    def __init__(self, browser: Browser, site: str, user: str) -> None:
        super().__init__(browser, site, user)
        self.page.set_viewport_size(PHONE)

    def measure(self, name: str) -> None:
        """The page at 1366 px then back at 360 px: no wider than the screen at either, photographed at both."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for size in (LAPTOP, PHONE):
            self.page.set_viewport_size(size)
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"{name} is {width} px wide at {size['width']} px"
            self.page.screenshot(path=str(ARTIFACTS / f"plan-{name}-{size['width']}.png"), full_page=True)


def card(page: Page, code: str):
    """The editor's fieldset of task `code`."""
    return page.locator(f"fieldset[id='task-{code}']")


def test_the_office_brings_in_a_prose_plan_corrects_its_draft_starts_it_and_the_chairman_confirms_an_amendment(
    site, browser, tmp_path
):
    address, env = site
    office = Phone(browser, address, "van-phong")
    page = office.open("/plans/import")
    page.fill("input[name=year]", "2023")
    page.set_input_files("input[name=file]", str(LONG_DIEN_A))
    page.click("form[action='/plans/import'] button[type=submit]")
    expect(page.locator("h1")).to_contain_text(f"Bản nháp kế hoạch: {PLAN}")
    office.measure("01-draft-as-read")

    number, issued = (page.locator(f"#plan-head label:has(input[name='plan.{name}'])") for name in ("number", "date"))
    expect(number).to_contain_text(f"dùng tên tệp “{PLAN}”")
    expect(issued).to_contain_text("dùng ngày 01/01/2023")
    number.locator("input").fill(NUMBER)
    issued.locator("input").fill(ISSUED)

    last = card(page, "II.10")  # the plan names neither its lead nor its time
    expect(last.locator("input[name$='.lead']")).to_have_value("")
    expect(last.locator("output")).to_contain_text("05/12/2023")
    last.locator("input[name$='.lead']").fill(LEAD)
    last.locator("input[name$='.period']").fill("Quý IV/2023")
    expect(last.locator("output")).to_contain_text("29/12/2023 · hạn là ngày cuối kỳ")  # 31/12 is a Sunday
    office.measure("02-lead-and-time-corrected")

    card(page, "II.7").locator("button", has_text="Xóa nhiệm vụ").click()
    expect(card(page, "II.7")).to_have_count(0)
    last = card(page, "II.10")  # what was typed before the deletion is kept
    expect(last.locator("input[name$='.lead']")).to_have_value(LEAD)
    expect(last.locator("input[name$='.period']")).to_have_value("Quý IV/2023")
    expect(last.locator("output")).to_contain_text("29/12/2023")
    expect(page.locator("h1")).to_contain_text(f"Bản nháp kế hoạch: {NUMBER} — {ISSUED}")
    expect(page.locator("#plan-head .field-guess")).to_have_count(1)  # the title only: number and date are the office's
    office.measure("03-task-deleted")

    page.locator("button[value=confirm]").click()
    expect(page.locator(".flash")).to_contain_text(f"Đã lưu kế hoạch {NUMBER}")
    expect(page.locator("body")).to_contain_text("29/12/2023")
    office.measure("04-plan-stored")
    page.locator("input[name=include_past_due]").check()
    page.locator("form[action$='/start'] button[type=submit]").click()
    expect(page.locator("body")).to_contain_text(f"{NUMBER}: đã khởi động")
    office.measure("05-plan-started")

    exported = cchc(env, "plan", "export", NUMBER)
    assert exported.returncode == 0, exported.stderr
    assert "II.7" not in exported.stdout and "Quý IV/2023" in exported.stdout
    document = yaml.safe_load(exported.stdout)
    assert (document["plan"]["number"], document["plan"]["date"]) == (NUMBER, ISSUED)
    document["plan"].update({"number": "25/KH-UBND", "date": "15/06/2023"})
    tasks = document["sections"][0]["tasks"]
    tasks[0]["period"] = "Trước 31/12/2099"
    amending = tmp_path / "ke-hoach-dieu-chinh-25.yaml"
    amending.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")

    chairman = Phone(browser, address, "chu-tich")
    page = chairman.open("/plans/import")
    page.select_option("select[name=amends]", label=f"{NUMBER} · {ISSUED}")
    page.set_input_files("input[name=file]", str(amending))
    page.click("form[action='/plans/import'] button[type=submit]")
    expect(page.locator("body")).to_contain_text(
        f"Điều chỉnh kế hoạch {NUMBER} theo văn bản 25/KH-UBND ngày 15/06/2023"
    )
    expect(page.locator("body")).to_contain_text("→ 30/12/2099")
    chairman.measure("06-amendment-previewed")
    page.locator("form[action$='/amend'] button[type=submit]").click()
    expect(page.locator("body")).to_contain_text(f"Đã áp dụng điều chỉnh cho kế hoạch {NUMBER}.")
    chairman.measure("07-amendment-applied")

    for visit in (office, chairman):
        visit.close()

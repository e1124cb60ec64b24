"""The office's year end in Debian's Chromium, against a running `cchc up` (the rig of
test_phone: the sample plan started, the sample catalogue, Vĩnh Khê's 2024 round open), at
1366 px and at 360 px: the office adds a person and gives them an account, downloads the
evidence package, the weekly list and the task list as .xlsx, opens the December work list,
the round and the sheet, whose total stays in sight at the foot of the page; the chairman's
menu leads to his commune's round, the appraiser's sign-in to the year of the round in
progress, where it imports a criteria set after seeing it. No page scrolls sideways.
Screenshots go to `test-artifacts/browser/year-*.png`."""

from __future__ import annotations

import io
import json
import re
import zipfile
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.test_browser import ARTIFACTS, PASSWORD
from tests.e2e.test_phone import CATALOGUE, COMMUNE, LAPTOP, PHONE, browser, site  # noqa: F401 (fixtures)

ROUND = f"/rounds/2024/{quote(COMMUNE)}"
NEWCOMERS = {  # one a width: the directory keeps a person once
    LAPTOP["width"]: ("Nguyễn Thị Lan", "lan.tp@vinhkhe.example.vn", "lan-tp"),
    PHONE["width"]: ("Trần Văn Minh", "minh.tp@vinhkhe.example.vn", "minh-tp"),
}
NEW_PASSWORD = "tu-phap-vinh-khe-2024-moi"


def signed_in(browser: Browser, site: str, user: str, viewport: dict[str, int]) -> Page:
    size = ViewportSize(width=viewport["width"], height=viewport["height"])
    page = browser.new_context(locale="vi-VN", viewport=size, accept_downloads=True).new_page()
    page.goto(f"{site}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("form[action='/logout']")).to_be_visible()
    return page


def fits(page: Page, name: str) -> None:
    """The page is no wider than the window, and its screenshot is kept."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    # The page just navigated to (or left blank a moment by a download) has finished loading;
    # Playwright waits here without evaluating script, which the page's CSP would refuse.
    page.wait_for_load_state("load")
    page.locator("body").wait_for(state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways at {width} px"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"year-{name}-{width}.png"), full_page=True)


def download(page: Page, click) -> bytes:
    with page.expect_download() as downloading:
        click()
    return downloading.value.path().read_bytes()


def menu(page: Page, name: str) -> None:
    page.locator("header nav").get_by_role("link", name=name, exact=True).click()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366px", "360px"])
def test_the_office_runs_its_year_end_in_the_browser_without_scrolling_sideways(site, browser, viewport):
    page = signed_in(browser, site, "van-phong", viewport)
    name, email, username = NEWCOMERS[viewport["width"]]

    menu(page, "Danh bạ")
    form = page.locator("form[action='/people']").last
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=unit]").fill("Tư pháp")
    form.locator("input[name=roles][value=officer]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash")).to_have_text(f"Đã thêm {name} vào danh bạ.")
    person = page.locator("li.person", has_text=name)
    person.locator("summary").click()
    account = person.locator("form[action='/people/accounts']")
    account.locator("input[name=username]").fill(username)
    account.locator("input[name=password]").fill(NEW_PASSWORD)
    account.locator("button[type=submit]").click()
    expect(page.locator(".flash")).to_have_text(f"Đã thêm tài khoản {username}.")
    expect(page.locator("li.person", has_text=name)).to_contain_text(f"{username} (")
    fits(page, "people")

    menu(page, "Việc cuối năm")
    expect(page.locator("h1")).to_have_text("Việc cuối năm — kế hoạch 10/KH-UBND")
    expect(page.get_by_role("heading", name=re.compile(r"^Nhiệm vụ trễ hạn \(\d+\)$"))).to_be_visible()
    expect(page.locator("table.tasks tr.red").first).to_be_visible()  # the sample year is overdue
    fits(page, "work-list")
    package = download(page, page.get_by_role("link", name="Tải gói tài liệu kiểm chứng (.zip)").click)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert {"index.html", "index.xlsx", "manifest.json"} <= set(names)
    assert manifest["plan"]["number"] == "10/KH-UBND"
    page.goto(f"{site}/plans/1")
    again = download(page, page.get_by_role("link", name="Tải gói tài liệu kiểm chứng (.zip)").click)
    assert again == package, "the same year gives the same package, byte for byte"

    menu(page, "Bảng theo dõi")
    page.select_option("select[name=unit]", "Tư pháp")
    workbook = load_workbook(
        io.BytesIO(download(page, page.locator("form.filters button", has_text="Tải Excel").click))
    )
    assert workbook.active is not None and workbook.active.max_row > 1
    page.locator("form.filters a", has_text="Danh sách nhiệm vụ họp giao ban").click()
    expect(page.locator(".print-head")).to_contain_text("UBND XÃ VĨNH KHÊ")
    fits(page, "weekly")

    menu(page, "Chỉ số CCHC")
    assert page.url == f"{site}{ROUND}"
    fits(page, "round")
    page.get_by_role("link", name=re.compile("bảng tự chấm", re.IGNORECASE)).first.click()
    area = page.locator("details.area").first
    was_open = area.get_attribute("open") is not None
    area.locator("summary").click()
    assert (area.get_attribute("open") is not None) != was_open, "an area folds and unfolds"
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    total = page.locator("p.sheet-total").bounding_box()
    assert total is not None and 0 <= total["y"] < viewport["height"], "the total stays in sight at the foot"
    fits(page, "sheet")
    page.context.close()


def test_the_chairman_menu_leads_to_his_commune_round(site, browser):
    page = signed_in(browser, site, "chu-tich", PHONE)
    menu(page, "Chỉ số CCHC")
    assert page.url == f"{site}{ROUND}"
    expect(page.locator("h1")).to_contain_text(COMMUNE)
    fits(page, "chairman-round")
    page.context.close()


def test_the_appraiser_lands_on_the_year_of_the_round_and_imports_a_criteria_set_after_seeing_it(site, browser):
    page = signed_in(browser, site, "tham-dinh", PHONE)
    assert page.url == f"{site}/supervision/2024"
    expect(page.locator("body")).to_contain_text(COMMUNE)
    fits(page, "appraiser-home")

    menu(page, "Bộ tiêu chí")
    form = page.locator("form[action='/catalogues/import']")
    form.locator("input[name=file]").set_input_files(str(CATALOGUE))
    form.locator("button[type=submit]").click()
    expect(page.locator("section.preview")).to_contain_text("Tỉnh mẫu, năm 2025")
    fits(page, "catalogue-preview")
    page.get_by_role("button", name="Lưu bộ tiêu chí này").click()
    expect(page.locator(".flash")).to_contain_text("Đã lưu bộ tiêu chí")
    expect(page.locator("table.tasks")).to_contain_text("2025")
    fits(page, "catalogues")
    page.context.close()

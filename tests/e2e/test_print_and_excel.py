"""In Debian's Chromium, against a running `cchc up` (the rig of test_browser): the chairman
prints the weekly meeting's list to PDF, on A4 portrait pages; the office downloads a filtered
task list as .xlsx and finds in it the rows the page shows, in the same order."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from services.tasks import today_in_vietnam
from tests.e2e import test_browser as rig

site = rig.site
browser = rig.browser

A4_POINTS = (595, 842)
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]")


def page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """The size of each page of a PDF, in whole points, read from its MediaBox entries."""
    return [(round(float(x1) - float(x0)), round(float(y1) - float(y0))) for x0, y0, x1, y1 in MEDIA_BOX.findall(pdf)]


def shown_rows(page: Page) -> list[tuple[str, str]]:
    """(task code, kỳ thực hiện) of each row of the dashboard's filtered list, top to bottom."""
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("Nhiệm vụ theo bộ lọc")))
    rows = section.locator("tbody tr")
    return [
        (
            row.locator("td >> nth=1 >> a").inner_text().split(" · ")[0],
            row.locator(".sub").inner_text().split(" · ")[-1],
        )
        for row in rows.all()
    ]


def test_the_weekly_list_prints_on_a4_pages_with_the_commune_and_date_at_its_head(site, browser):
    chairman = rig.Visit(browser, site, "chu-tich")
    dashboard = chairman.open("/")
    dashboard.get_by_role("link", name="Danh sách nhiệm vụ họp giao ban").first.click()
    page = chairman.page
    expect(page.locator(".print-head")).to_contain_text("UBND XÃ VĨNH KHÊ")
    expect(page.locator(".print-head")).to_contain_text(f"Ngày {today_in_vietnam():%d/%m/%Y}")
    expect(page.locator("h3.unit", has_text="Tư pháp")).to_be_visible()
    expect(page.locator("table.weekly th", has_text="Đã nhắc việc, cảnh báo quá hạn").first).to_be_visible()
    chairman.screenshot("weekly-list-on-screen")

    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    chairman.screenshot("weekly-list-as-printed")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (rig.ARTIFACTS / "weekly-list.pdf").write_bytes(pdf)

    sizes = page_sizes(pdf)
    assert sizes, "the PDF has pages"
    assert set(sizes) == {A4_POINTS}, sizes
    chairman.close()


def test_the_office_downloads_a_filtered_task_list_with_the_rows_the_page_shows(site, browser):
    office = rig.Visit(browser, site, "van-phong")
    page = office.open("/")
    page.select_option("select[name=unit]", "Tư pháp")
    page.locator("form.filters button[type=submit]", has_text="Lọc").click()
    expected = shown_rows(page)
    assert expected, "the filter leaves some tasks"
    office.screenshot("office-filtered-list")

    with page.expect_download() as downloading:
        page.locator("form.filters button", has_text="Tải Excel").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(BytesIO(download.path().read_bytes())).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:5] == ("STT", "Xã", "Mã nhiệm vụ", "Nhiệm vụ", "Kỳ thực hiện")
    assert [(row[2], row[4]) for row in rows] == expected
    assert all("Tư pháp" in row[5] for row in rows)
    due = sheet.cell(row=2, column=7)
    assert due.is_date and due.number_format == "dd/mm/yyyy"
    office.close()

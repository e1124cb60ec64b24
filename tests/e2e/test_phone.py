"""Every page each role can reach, on a 360 px phone and a 1366 px laptop, in Debian's Chromium:
nothing scrolls sideways, and on the phone every button and every link in a form is at least
44 px tall. Screenshots of each page at both widths go to `test-artifacts/browser/`.

Each role starts on its home page and follows its links, one page of each kind (one task, one
unit, one plan...), so a page a menu gains is checked without changing this test.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from services.tasks import today_in_vietnam
from tests.cli.running import SAMPLE, add_account, cchc, environment, free_port, start_up, stop_up
from tests.e2e.test_browser import ARTIFACTS, GIVEN, PASSWORD, account_of_own, browser  # noqa: F401 (browser is a fixture)

CATALOGUE = SAMPLE.parent / "sample-criteria-2025.yaml"
COMMUNE = "Vĩnh Khê"
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 768}
THUMB = 44  # px: the smallest target a thumb hits
ACCOUNTS = {
    "chu-tich": ["--role", "chairman", "--commune", COMMUNE],
    "van-phong": ["--role", "reviewer", "--commune", COMMUNE],
    "cong-chuc-tp": ["--role", "officer", "--commune", COMMUNE, "--unit", "Tư pháp"],
    "quan-tri": ["--role", "admin"],
    "tham-dinh": ["--role", "appraiser", "--supervises", COMMUNE],
}
# An account nobody has signed in to yet: its first sign-in asks for a password of its own.
NEWCOMER = ("cong-chuc-moi", ["--role", "officer", "--commune", COMMUNE, "--unit", "Văn phòng"])
# Links that are not pages: downloads, signing out, the other language of the same page.
NOT_PAGES = re.compile(r"^/(evidence/|logout)|/package$|\.zip$")
# The pages of the year's end each role that may use them reaches from its menu (by kind: a
# plan's work list is "plans/*/*").
YEAR_END_PAGES = {
    "chu-tich": {"round", "rounds/*/*", "assessment/*/*", "year-end", "plans/*/*"},
    "van-phong": {"round", "rounds/*/*", "assessment/*/*", "year-end", "plans/*/*"},
    "quan-tri": {"supervision", "rounds/*/*", "assessment/*/*", "year-end", "catalogues"},
    "tham-dinh": {"supervision", "supervision/*", "rounds/*/*", "assessment/*/*", "catalogues"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`cchc up` with the sample plan started, the sample catalogue, the commune's round open,
    and one account of each role that has pages; its web address."""
    folder = tmp_path_factory.mktemp("phone")
    env = environment(folder / "data") | {"CCHC_WEB_PORT": str(free_port())}
    up = start_up(env, folder / "up.log")
    site = f"http://127.0.0.1:{env['CCHC_WEB_PORT']}"
    try:
        assert cchc(env, "plan", "import", str(SAMPLE)).returncode == 0
        assert cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due").returncode == 0
        criteria = folder / "criteria-2024.yaml"  # the sample catalogue, for the plan's year
        criteria.write_text(
            CATALOGUE.read_text(encoding="utf-8").replace("\nyear: 2025", "\nyear: 2024"), encoding="utf-8"
        )
        catalogue = json.loads(cchc(env, "catalogue", "import", str(criteria), "--json").stdout)
        assert cchc(env, "commune", "set", "Vĩnh Khê", "--province", "Tỉnh mẫu").returncode == 0  # the catalogue's
        due = today_in_vietnam() + timedelta(days=60)
        dates = ["--submission-due", f"{due:%d/%m/%Y}", "--explanation-due", f"{due + timedelta(days=30):%d/%m/%Y}"]
        opened = cchc(env, "round", "open", "--plan", "10/KH-UBND", "--catalogue", str(catalogue["id"]), *dates)
        assert opened.returncode == 0, opened.stderr
        for user, options in ACCOUNTS.items():
            account_of_own(env, site, user, *options)
        add_account(env, NEWCOMER[0], GIVEN, *NEWCOMER[1])
        yield site
    finally:
        assert stop_up(up) == 0


def kind(path: str) -> str:
    """What kind of page a path is: its words kept, its names and numbers made `*`."""
    first, *rest = path.strip("/").split("/")
    return "/".join([first, *(segment if segment.isalpha() and segment.islower() else "*" for segment in rest)])


def links(page: Page | Locator, site: str) -> list[str]:
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(link => link.href)")
    paths = [urlsplit(href).path for href in hrefs if href.startswith(site) and "?" not in href]
    return [path for path in paths if not NOT_PAGES.search(path)]


def reachable(page: Page, site: str) -> list[str]:
    """The pages reachable from the menu, one of each kind, in the order first found; a link
    to a page the role may not see (the brand, for an appraiser) is left out."""
    found: dict[str, str] = {}
    for path in [urlsplit(page.url).path, *links(page.locator("header nav"), site)]:
        found.setdefault(kind(path), path)
    queue = list(found.values())
    while queue:
        path = queue.pop(0)
        response = page.goto(f"{site}{path}")
        if response is None or not response.ok:
            del found[kind(path)]
            continue
        for link in links(page, site):
            if kind(link) not in found:
                found[kind(link)] = link
                queue.append(link)
    return list(found.values())


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def small_targets(page: Page) -> list[str]:
    """The visible buttons and links in forms (and links styled as buttons) under 44 px tall."""
    return page.eval_on_selector_all(
        "form button, form a, form input[type=submit], a.button",
        f"""targets => targets
            .filter(target => target.offsetParent !== null && target.getBoundingClientRect().height < {THUMB})
            .map(target => `${{target.textContent.trim()}} (${{target.getBoundingClientRect().height}} px)`)""",
    )


def shoot(page: Page, user: str, path: str, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    page.screenshot(path=str(ARTIFACTS / f"phone-{user}-{name}-{width}.png"), full_page=width == PHONE["width"])


@pytest.mark.parametrize("user", list(ACCOUNTS))
def test_every_page_a_role_reaches_fits_a_phone_and_a_laptop_without_sideways_scrolling(site, browser, user):
    context = browser.new_context(locale="vi-VN", viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{site}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    expect(page.locator("form[action='/logout']")).to_be_visible()
    paths = reachable(page, site)
    assert len(paths) > 1, f"{user} reaches no page but {paths}"
    assert YEAR_END_PAGES.get(user, set()) <= {kind(path) for path in paths}, paths
    problems = []
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        for path in paths:
            page.goto(f"{site}{path}")
            width = page_width(page)
            if width > viewport["width"]:
                problems.append(f"{path} at {viewport['width']} px is {width} px wide")
            if viewport is PHONE and (small := small_targets(page)):
                problems.append(f"{path} at {viewport['width']} px has small targets: {small}")
            shoot(page, user, path, viewport["width"])
    context.close()
    assert problems == [], f"{user} visited {paths}"


def test_a_newcomer_changes_the_password_the_operator_set_on_a_phone_before_seeing_the_tasks(site, browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/login")
    page.fill("input[name=username]", NEWCOMER[0])
    page.fill("input[name=password]", GIVEN)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/password?next=/")
    expect(page.locator("main")).to_contain_text("do người khác đặt")
    assert page.locator("header nav").count() == 0  # nowhere to go but here, or out
    assert page_width(page) <= PHONE["width"] and small_targets(page) == []
    shoot(page, NEWCOMER[0], "/password", PHONE["width"])
    page.goto(f"{site}/plans")
    assert urlsplit(page.url).path == "/password"  # every page sends the newcomer back here

    page.fill("input[name=current]", GIVEN)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=again]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{site}/plans")
    expect(page.locator("p.flash.ok")).to_contain_text("Đã đổi mật khẩu")
    expect(page.locator("header nav")).to_contain_text("Nhiệm vụ của tôi")
    assert page_width(page) <= PHONE["width"]
    context.close()

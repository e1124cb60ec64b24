"""Year end in the browser: the office's December work list of a plan, as `cchc evidence status`
counts it, and the evidence package, the very bytes `cchc evidence export` writes; the menu's
ways to the commune's PAR round and to the supervising authority's year; the long sheet folded
by area under a total that stays in sight."""

from __future__ import annotations

import re

import pytest

from evidence.location import evidence_store
from evidence.package import build_package, write_package
from evidence.work_list import plan_work_list
from persistence.users import find_user
from services.tasks import today_in_vietnam
from tests.web.test_round_pages import ROUND, SHEET, opened  # noqa: F401 (opened is a fixture)
from tests.web.world import OTHER_COMMUNE
from web.routes.plans import visible_plans
from web.templating import assessed_year


def headed(page: str) -> dict[str, int]:
    """Each section of the work list page by its heading, with the count the heading gives."""
    return {title: int(count) for title, count in re.findall(r"<h2>([^<(]+) \((\d+)\)</h2>", page)}


def test_the_work_list_page_counts_what_cchc_evidence_status_counts(world):
    page = world.browser("van-phong").get(f"/plans/{world.plan_id}/year-end")
    assert page.status_code == 200
    with world.sessions() as session:
        _, work = plan_work_list(session, evidence_store(world.settings.data_dir), world.plan_id, on=today_in_vietnam())
    assert headed(page.text) == {
        "Tiêu chí, mục còn thiếu tài liệu kiểm chứng": len(work.gaps),
        "Nhiệm vụ chưa có sản phẩm được xác nhận hoàn thành": len(work.without_evidence),
        "Nhiệm vụ trễ hạn": len(work.late),
        f"Còn đến hạn từ nay đến 31/12/{2024}": len(work.still_due),
    }
    assert work.without_evidence and work.late, "the sample year started late has work left"
    late, days = work.late[0]
    assert f"{late.task_code} · {late.title}" in page.text and f"trễ {days} ngày" in page.text


def test_the_menu_leads_the_office_to_the_work_list_of_its_newest_plan(world):
    office = world.browser("van-phong")
    assert 'href="/year-end"' in office.get("/").text
    with world.sessions() as session:  # other tests of this world store plans of their own
        newest = max(visible_plans(session, find_user(session, "van-phong")), key=lambda plan: (plan.year, plan.id))
    answer = office.get("/year-end")
    assert (answer.status_code, answer.headers["location"]) == (303, f"/plans/{newest.id}/year-end")
    assert f'href="/plans/{newest.id}/evidence.zip"' in office.get(answer.headers["location"]).text
    english = office.get(f"/plans/{world.plan_id}/year-end", params={"lang": "en"}).text
    assert "Year end — plan 10/KH-UBND" in english and "Late tasks (" in english
    office.get("/", params={"lang": "vi"})


def test_the_downloaded_package_is_the_file_cchc_evidence_export_writes(world, tmp_path):
    answer = world.browser("chu-tich").get(f"/plans/{world.plan_id}/evidence.zip")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="tai-lieu-kiem-chung-2024.zip"'
    with world.sessions() as session:
        package = build_package(session, evidence_store(world.settings.data_dir), world.plan_id)
    write_package(package, tmp_path / "export.zip")
    assert answer.content == (tmp_path / "export.zip").read_bytes()


@pytest.mark.parametrize("path", ["/plans/{plan}/year-end", "/plans/{plan}/evidence.zip", "/year-end"])
def test_an_officer_may_not_open_the_work_list_nor_take_the_package(world, path):
    answer = world.browser("cong-chuc-tp").get(path.format(plan=world.plan_id))
    assert answer.status_code == 403


def test_the_chairman_menu_leads_to_the_round_of_his_commune(opened):
    chairman = opened.browser("chu-tich")
    assert 'href="/round"' in chairman.get("/").text
    answer = chairman.get("/round")
    assert (answer.status_code, answer.headers["location"]) == (303, ROUND)
    assert chairman.get(ROUND).status_code == 200
    assert opened.browser("chu-tich-xa-khac").get("/round").status_code == 404  # Long Điền A has no round


def test_the_appraiser_signing_in_lands_on_the_year_of_the_round_in_progress(opened):
    appraiser = opened.browser("tham-dinh")
    assert appraiser.get("/").headers["location"] == "/supervision"
    assert appraiser.get("/supervision").headers["location"] == "/supervision/2024"
    assert 'href="/supervision"' in appraiser.get("/supervision/2024").text


def test_an_appraiser_of_no_round_yet_lands_on_the_year_a_round_would_assess(opened):
    year = assessed_year(today_in_vietnam())  # December assesses its own year, spring the one before
    assert opened.browser("tham-dinh-xa-khac").get("/supervision").headers["location"] == f"/supervision/{year}"
    assert OTHER_COMMUNE not in opened.browser("tham-dinh").get("/supervision/2024").text


def test_the_sheet_folds_each_area_under_its_total_and_opens_those_with_blocking_items(opened):
    office = opened.browser("van-phong")
    sheet = office.get(f"/api{SHEET}").json()
    page = office.get(SHEET).text
    areas = re.findall(
        r'<details class="area"( open)?>\s*<summary>([^<]+)<span class="area-total">([^<]+)</span>', page
    )
    assert [name.strip() for _, name, _ in areas][:2] == ["1. Công tác chỉ đạo, điều hành CCHC", "2. Cải cách thể chế"]
    blocking = set(sheet["blocking"])
    for opened_mark, name, _ in areas:
        code = name.split(".")[0]
        blocks_here = any(item.startswith(f"{code}.") for item in blocking)
        assert bool(opened_mark) == blocks_here, name
    assert page.count('class="sheet-total"') == 1
    total = f"{sheet['self_score']:g}".replace(".", ",")
    assert f'<p class="sheet-total" role="status">Tổng điểm tự chấm: <strong>{total}</strong>' in page

"""The dashboard, my tasks and the unit page: what is late, where, since when."""

from __future__ import annotations

import re
from datetime import datetime

from domain.calendar import WorkCalendar
from services.tasks import today_in_vietnam
from tests.web.world import task_path


def section(page: str, heading: str) -> str:
    """The HTML of the <section> whose <h2> starts with `heading`."""
    start = page.index(f"<h2>{heading}")
    return page[start : page.index("</section>", start)]


def test_the_chairman_sees_an_overdue_task_under_its_unit_with_days_late_and_escalation_level(world):
    chairman = world.browser("chu-tich")
    page = chairman.get("/")
    assert page.status_code == 200
    overdue = section(page.text, "Quá hạn")
    finance = overdue[overdue.index(">Tài chính</a>") :]
    task = world.task_id("VI.1", "2024-Q1")
    row = row_of(finance, task_path(task))
    days_late = (today_in_vietnam() - row_due(row)).days
    assert f'<td class="num" data-label="Trễ (ngày)">{days_late}</td>' in row  # days late
    assert '<td class="num" data-label="Mức">1</td>' in row  # escalated to the chairman once
    assert 'class="dot red"' in finance
    charts = section(page.text, "Tỷ lệ đúng hạn")
    assert charts.count("<svg") == 2 and ">Tài chính</text>" in charts
    assert "<title>Tỷ lệ đúng hạn theo tháng, năm 2024</title>" in charts  # the plan's year


def test_a_task_due_within_three_working_days_is_amber_under_due_this_week(world):
    chairman = world.browser("chu-tich")
    task = world.task_id("V.2", "2024-M9")
    soon = WorkCalendar().add_working_days(today_in_vietnam(), 1)
    extended = chairman.post(f"/api{task_path(task)}/extend", json={"new_due": soon.isoformat(), "reason": "sắp xong"})
    assert extended.status_code == 200, extended.text
    week = section(chairman.get("/").text, "Sắp đến hạn trong 7 ngày tới")
    row = row_of(week, task_path(task))
    assert '<tr class="amber">' in row and f"{soon:%d/%m/%Y}" in row


def test_the_dashboard_filters_by_unit_and_state_and_lists_what_matches(world):
    chairman = world.browser("chu-tich")
    page = chairman.get("/", params={"unit": "tài chính", "state": "assigned"}).text
    matching = section(page, "Nhiệm vụ theo bộ lọc")
    codes = set(re.findall(r">(VI\.\d|[IVX]+\.\d) · ", matching))
    assert codes == {"VI.1", "VI.2", "VI.3"}


def test_an_officer_lands_on_their_own_tasks_and_sees_only_their_units(world):
    officer = world.browser("cong-chuc-tp")
    assert officer.get("/").headers["location"] == "/me"
    page = officer.get("/me").text
    assert task_path(world.task_id("II.2", "2024-02")) in page
    assert task_path(world.task_id("I.1", "2024-01")) not in page


def test_a_unit_page_lists_the_units_tasks_and_its_on_time_rate(world):
    auditor = world.browser("so-noi-vu")
    page = auditor.get("/units/T%C6%B0%20ph%C3%A1p").text
    assert task_path(world.task_id("II.4", "before-2023-12-31")) in page
    assert "<svg" in page and "kỳ thực hiện" in page


def test_a_unit_page_counts_only_the_communes_its_reader_supervises(world):
    """Long Điền A's appraiser supervises no task of Vĩnh Khê: its Văn phòng counts nothing here,
    while Vĩnh Khê's appraiser counts Vĩnh Khê's."""
    unit = "/units/V%C4%83n%20ph%C3%B2ng"
    assert "kỳ thực hiện" in world.browser("tham-dinh").get(unit).text
    page = world.browser("tham-dinh-xa-khac").get(unit).text
    assert "kỳ thực hiện" not in page and "<svg" not in page


def test_a_chairman_of_another_commune_sees_none_of_these_tasks(world):
    stranger = world.browser("chu-tich-xa-khac")
    assert "cchc-task" not in stranger.get("/").text and "/tasks/" not in stranger.get("/").text
    assert stranger.get(task_path(world.task_id("I.1", "2024-01"))).status_code == 404
    assert stranger.get("/api/tasks").json()["tasks"] == []


def row_of(html: str, link: str) -> str:
    """The table row that links to `link`."""
    at = html.index(link)
    return html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]


def row_due(row: str):
    found = re.search(r'<td class="nowrap"[^>]*>(\d{2}/\d{2}/\d{4})</td>', row)
    assert found is not None, "the row shows its due date"
    day = found.group(1)
    return datetime.strptime(day, "%d/%m/%Y").date()

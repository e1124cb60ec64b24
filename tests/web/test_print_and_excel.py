"""The weekly meeting's list and the task list as .xlsx: what they show, to whom."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook

from domain.calendar import TZ
from domain.lifecycle import TaskState
from services.tasks import TaskSummary, today_in_vietnam
from tests.web.test_dashboard import row_of
from tests.web.world import task_path
from web.task_export import tasks_workbook


def workbook_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_the_weekly_list_names_the_commune_the_date_and_each_overdue_warning_once(world):
    page = world.browser("chu-tich").get("/weekly")
    assert page.status_code == 200
    assert "UBND XÃ VĨNH KHÊ" in page.text and f"Ngày {today_in_vietnam():%d/%m/%Y}" in page.text
    row = row_of(page.text, task_path(world.task_id("VI.1", "2024-Q1")))
    # Escalated once: to the leader in charge and to the unit's head, one line for both.
    assert row.count("Cảnh báo quá hạn") == 1
    assert page.text.index(">Quá hạn") < page.text.index(">Sắp đến hạn")


def test_an_officer_is_not_shown_the_weekly_list(world):
    assert world.browser("cong-chuc-tp").get("/weekly").status_code == 403


def test_the_excel_list_of_a_unit_holds_its_tasks_in_due_order_and_no_other_communes(world):
    mine = workbook_rows(world.browser("chu-tich").get("/tasks.xlsx", params={"unit": "Tư pháp"}).content)
    header, *rows = mine
    assert header[2:4] == ("Mã nhiệm vụ", "Nhiệm vụ")
    assert rows and all(row[1] == "Vĩnh Khê" and "Tư pháp" in row[5] for row in rows)
    assert [row[6] for row in rows] == sorted(row[6] for row in rows)
    theirs = workbook_rows(world.browser("chu-tich-xa-khac").get("/tasks.xlsx").content)
    assert all(row[1] != "Vĩnh Khê" for row in theirs[1:])


def test_a_title_that_looks_like_a_formula_stays_text_in_the_excel_list():
    task = TaskSummary(
        workflow_id="cchc-task/1/I.1/2024",
        commune="Vĩnh Khê",
        plan_id=1,
        task_code="I.1",
        occurrence_key="2024",
        title='=HYPERLINK("http://example.com","Bấm vào đây")',
        state=TaskState.ASSIGNED,
        due=date(2024, 3, 29),
        lead=("-Tư pháp",),
        escalation_level=0,
        updated_at=datetime(2024, 1, 2, tzinfo=TZ),
        days_late=0,
        unreachable=False,
        coordinating=(),
    )
    sheet = load_workbook(BytesIO(tasks_workbook([task], title="Nhiệm vụ"))).active
    assert sheet is not None
    title, lead, due = sheet["D2"], sheet["F2"], sheet["G2"]
    assert (title.data_type, title.value) == ("s", task.title)
    assert (lead.data_type, lead.value) == ("s", "-Tư pháp")
    assert due.value == datetime(2024, 3, 29) and due.number_format == "dd/mm/yyyy"

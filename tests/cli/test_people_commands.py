"""`cchc people import/list`, and nobody left silently unnotified: plan start and task list
say which lead units have nobody to email."""

import json
from datetime import date, datetime

from rich.console import Console

from cli.task_render import print_start_report, start_report_document
from domain.calendar import TZ
from importers import read_plan
from importers.people import read_people
from persistence.db import make_engine, make_session_factory
from persistence.people import replace_directory
from persistence.plans import save_plan
from persistence.task_runs import add_started_runs
from services.people import units_without_email
from services.plan_start import StartReport, plan_starts
from tests.cli.test_plan_commands import SAMPLE as PLAN
from tests.cli.test_plan_commands import stderr_lines
from tests.importers.test_people import SAMPLE as PEOPLE
from tests.importers.test_people import write_csv

NOW = datetime(2024, 1, 16, 9, 0, tzinfo=TZ)
WITHOUT_JUSTICE_AND_FINANCE = (
    "Họ tên;Email;Đơn vị;Vai trò",
    "Nguyễn Thị Lan;lan.vp@vinhkhe.example.vn;Văn phòng - Thống kê;công chức, thẩm định",
    "Phạm Thu Hà;ha.vhxh@vinhkhe.example.vn;Văn hóa - Xã hội;công chức",
    "Trần Văn Hùng;chutich@vinhkhe.example.vn;;chủ tịch",
)


def as_json(cchc, *args: str) -> dict:
    result = cchc(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def listed_people(cchc, *options: str) -> list[dict]:
    return as_json(cchc, "people", "list", *options)["people"]


# --- people import and list ------------------------------------------------------------------


def test_importing_the_sample_directory_adds_its_nine_people_and_finds_every_lead_unit_reachable(cchc):
    as_json(cchc, "plan", "import", PLAN)

    document = as_json(cchc, "people", "import", PEOPLE)

    assert document["commune"] == "Vĩnh Khê"
    assert len(document["added"]) == 9 and document["changed"] == document["removed"] == []
    assert document["plan_lead_units"] == ["Văn phòng", "Văn hoá", "Tư pháp", "Tài chính"]
    assert document["units_without_email"] == []


def test_importing_prints_the_counts_and_then_which_lead_units_have_nobody(cchc, tmp_path):
    cchc("plan", "import", PLAN)
    cchc("people", "import", PEOPLE)

    result = cchc("people", "import", write_csv(tmp_path, *WITHOUT_JUSTICE_AND_FINANCE), "--commune", "Vĩnh Khê")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Đã nhập danh bạ xã Vĩnh Khê: thêm 0, thay đổi 1, thôi nhận email 6.",  # Hà: no language column, vi
        "Chưa có ai nhận email của bộ phận chủ trì: Tư pháp, Tài chính. Hãy bổ sung vào danh bạ.",
    ]


def test_a_directory_imported_before_any_plan_says_there_is_no_plan_yet(cchc):
    result = cchc("people", "import", PEOPLE)

    assert result.exit_code == 0, result.output
    assert "Xã Vĩnh Khê chưa có kế hoạch nào đã nhập (cchc plan import TỆP)." in result.stdout


def test_the_list_shows_the_directory_in_a_vietnamese_table(cchc):
    cchc("people", "import", PEOPLE)

    result = cchc("people", "list")

    assert result.exit_code == 0, result.output
    for text in (
        "Danh bạ nhận email",
        "Họ tên",
        "Đơn vị",
        "Vai trò",
        "Nguyễn Thị Lan",
        "công chức, xác nhận hoàn thành",
    ):
        assert text in result.stdout


def test_the_list_as_json_is_one_object_filtered_by_unit_however_spelled(cchc):
    cchc("people", "import", PEOPLE)

    everyone = listed_people(cchc, "--commune", "Vĩnh Khê")
    culture = listed_people(cchc, "--unit", "Văn hoá")

    assert len(everyone) == 9
    assert culture == [
        {
            "commune": "Vĩnh Khê",
            "name": "Phạm Thu Hà",
            "email": "ha.vhxh@vinhkhe.example.vn",
            "unit": "Văn hóa - Xã hội",
            "roles": ["officer"],
            "language": "en",
            "in_charge": [],
        },
        {
            "commune": "Vĩnh Khê",
            "name": "Đỗ Văn Nam",
            "email": "nam.vhxh@vinhkhe.example.vn",
            "unit": "Văn hóa - Xã hội",
            "roles": ["head"],
            "language": "vi",
            "in_charge": [],
        },
    ]


def test_an_empty_directory_says_how_to_fill_it(cchc):
    result = cchc("people", "list", "--commune", "Vĩnh Khê")

    assert result.exit_code == 0
    assert "Chưa có ai trong danh bạ. Nhập danh bạ: cchc people import TỆP" in result.stdout


def test_a_bad_file_exits_with_its_row_and_column_and_changes_nothing(cchc, tmp_path):
    cchc("people", "import", PEOPLE)
    bad = write_csv(tmp_path, "Họ tên;Email;Đơn vị;Vai trò", "Lan;lan@vinhkhe;Văn phòng;công chức")

    result = cchc("people", "import", bad, "--commune", "Vĩnh Khê")

    assert result.exit_code == 2
    assert stderr_lines(result) == [
        "Lỗi: danh-ba.csv, hàng 2, cột “Email”: “lan@vinhkhe” không phải một địa chỉ email "
        "(một địa chỉ, không kèm tên, ví dụ lan@vinhkhe.gov.vn)"
    ]
    assert result.stdout == ""
    assert len(listed_people(cchc)) == 9


# --- nobody silently unnotified --------------------------------------------------------------


def test_the_lead_units_of_started_tasks_without_anybody_to_email_are_reported(session_factory, tmp_path):
    plan = read_plan(PLAN).plan
    partial = write_csv(tmp_path, *WITHOUT_JUSTICE_AND_FINANCE)

    with session_factory.begin() as session:
        plan_id = save_plan(session, plan, source_file=PLAN.name, source_sha256="0" * 64).plan_id
        leads = [unit for start in plan_starts(plan, plan_id) for unit in start.input.lead]
        nobody_yet = units_without_email(session, plan.commune, leads)
        replace_directory(session, plan.commune, read_people(partial, commune=plan.commune), NOW)
        after_import = units_without_email(session, plan.commune, leads)

    assert nobody_yet == ["Văn phòng", "Văn hoá", "Tư pháp", "Tài chính"]
    assert after_import == ["Tư pháp", "Tài chính"]


def test_plan_start_warns_of_units_nobody_is_emailed_for_in_its_lines_and_its_json():
    report = StartReport(1, "10/KH-UBND", "Vĩnh Khê", date(2024, 1, 16), units_without_email=["Tư pháp"])
    console = Console(record=True, width=200)

    print_start_report(console, report, ui_url=None)

    assert start_report_document(report)["units_without_email"] == ["Tư pháp"]
    assert (
        "Cảnh báo: chưa có ai nhận email của bộ phận Tư pháp (xã Vĩnh Khê): nhiệm vụ của các bộ phận này sẽ không "
        "được báo qua email. Nhập danh bạ: cchc people import TỆP"
    ) in console.export_text()


def started_runs(database_url, starts) -> None:
    """The read-model rows `cchc plan start` writes, without a Temporal server."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            add_started_runs(session, [(start.ref.workflow_id, start.input) for start in starts], NOW)
    finally:
        engine.dispose()


def test_the_task_list_marks_tasks_whose_lead_unit_has_nobody_to_email(cchc, database_url, tmp_path):
    plan_id = as_json(cchc, "plan", "import", PLAN)["plan"]["id"]
    started_runs(database_url, plan_starts(read_plan(PLAN).plan, plan_id))
    cchc("people", "import", write_csv(tmp_path, *WITHOUT_JUSTICE_AND_FINANCE), "--commune", "Vĩnh Khê")

    document = as_json(cchc, "task", "list")
    table = cchc("task", "list")

    unreachable = {task["lead"][0] for task in document["tasks"] if task["unreachable"]}
    reachable = {task["lead"][0] for task in document["tasks"] if not task["unreachable"]}
    assert (unreachable, reachable) == ({"Tư pháp", "Tài chính"}, {"Văn phòng", "Văn hoá"})
    assert document["communes_without_directory"] == []
    assert "Tư pháp ⚠" in table.stdout
    assert "⚠: chưa có ai nhận email — cchc people import" in table.stdout


def test_without_any_directory_every_task_is_unreachable_and_the_list_says_so_once(cchc, database_url):
    plan_id = as_json(cchc, "plan", "import", PLAN)["plan"]["id"]
    started_runs(database_url, plan_starts(read_plan(PLAN).plan, plan_id))

    document = as_json(cchc, "task", "list")
    table = cchc("task", "list")

    assert all(task["unreachable"] for task in document["tasks"])
    assert document["communes_without_directory"] == ["Vĩnh Khê"]
    assert table.stdout.count("Xã Vĩnh Khê chưa có danh bạ") == 1

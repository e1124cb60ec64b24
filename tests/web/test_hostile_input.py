"""Hostile input on the web: each hostile plan, directory or criteria file, and a NUL in every
field of every form, is refused (or read) within seconds, while the dashboard keeps answering,
and nothing is stored. Each upload runs in a thread with a generous timeout: a web that freezes fails the
test instead of hanging it."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from persistence.amendment_tables import AmendmentRow
from persistence.assessment_tables import AssessmentEntryRow, CriteriaMappingRow, OfficeEvidenceRow
from persistence.catalogue_tables import CatalogueRow
from persistence.people_tables import PersonRow
from persistence.round_tables import RoundEventRow
from persistence.tables import PlanRow, TaskRow
from persistence.task_tables import TaskEventRow
from persistence.users import UserRow
from tests import hostile_files
from tests.web.world import COMMUNE, form_token, task_path

GENEROUS_SECONDS = 120
TASK = ("V.1", "2024-Q1")  # Văn phòng
FORM = re.compile(r'<form method="post" action="([^"]+)"([^>]*)>(.*?)</form>', re.DOTALL)
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')
STORED: tuple[type, ...] = (PlanRow, TaskRow, TaskEventRow, RoundEventRow, UserRow, AmendmentRow)
STORED += (AssessmentEntryRow, OfficeEvidenceRow, CriteriaMappingRow, PersonRow, CatalogueRow)
UPLOADS = ("evidence", "imports", "people-imports", "catalogue-imports")  # folders of the data directory
NUL_REFUSED = "Dữ liệu gửi lên có ký tự NUL (không được phép)."


@pytest.fixture
def nothing_stored(world):
    """Asserts, after the test, that no row was added or changed anywhere and no file kept."""
    before = _everything(world)
    yield
    assert _everything(world) == before


def _everything(world) -> tuple:
    with world.sessions() as session:
        counts = tuple(session.scalar(select(func.count()).select_from(table)) for table in STORED)
        accounts = sorted(session.execute(select(UserRow.username, UserRow.active, UserRow.session_version)).all())
    data = world.settings.data_dir
    files = sorted(str(p) for folder in UPLOADS for p in (data / folder).rglob("*") if p.is_file())
    return counts, accounts, files


def answered_while_the_web_keeps_answering(world, call: Callable[[], object]):
    """`call`'s answer, asked in a thread; the dashboard is asked meanwhile and right after."""
    answers: list[object] = []
    asking = threading.Thread(target=lambda: answers.append(call()), daemon=True)
    asking.start()
    dashboard = world.browser("van-phong")  # the office, who reads the dashboard
    assert dashboard.get("/").status_code == 200  # while the upload is read
    asking.join(GENEROUS_SECONDS)
    assert not asking.is_alive(), f"no answer in {GENEROUS_SECONDS} s"
    assert dashboard.get("/").status_code == 200
    return answers[0]


def upload(browser, path: Path, page: str = "/plans"):
    token = form_token(browser, page)
    files = {"file": (path.name, path.read_bytes())}
    return browser.post(f"{page}/import", data={"csrf_token": token}, files=files)


SAID = {  # what each hostile file is refused for
    hostile_files.long_line_of_spaces: "dòng 3: dài 200000 ký tự (tối đa 10000 ký tự một dòng)",
    hostile_files.blank_lines: "không tìm thấy nhiệm vụ nào",
    hostile_files.sheet_claiming_every_cell: "có vùng A1:XFD1048576 (1048576 hàng × 16384 cột)",
    hostile_files.table_spanning_a_billion_columns: "bảng 1, hàng 2: gridSpan = 1000000000 cột",
    hostile_files.zip_bomb: "phần word/media/image1.bin nén bất thường",
    hostile_files.entity_expansion: "khai báo thực thể XML (không được phép)",
}
IMPORTERS = {"/people": "chu-tich", "/catalogues": "quan-tri"}  # who imports a directory, a criteria set
OFFICE_FILES = (  # the hostile files of the kinds a directory (.xlsx) or a criteria set (.xlsx, .docx) is
    ("/people", hostile_files.sheet_claiming_every_cell),
    ("/catalogues", hostile_files.sheet_claiming_every_cell),
    ("/catalogues", hostile_files.table_spanning_a_billion_columns),
    ("/catalogues", hostile_files.zip_bomb),
    ("/catalogues", hostile_files.entity_expansion),
)


@pytest.mark.parametrize("make", SAID)
def test_a_hostile_plan_file_is_refused_in_seconds_naming_the_file_while_the_web_answers(
    world, tmp_path, nothing_stored, make
):
    path = make(tmp_path)
    chairman = world.browser("chu-tich")
    response = answered_while_the_web_keeps_answering(world, lambda: upload(chairman, path))
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert f"<td>{path.name}</td>" in page and SAID[make] in page


def test_a_plan_read_past_its_time_limit_is_stopped_and_the_person_told_naming_the_file(
    world, tmp_path, nothing_stored
):
    path = tmp_path / "rat-nhieu-dong.txt"
    path.write_text("STT\tNội dung\tChủ trì\tThời gian\n" + "1\tViệc\tVăn phòng\tQuý I\n" * 400_000, encoding="utf-8")
    chairman = world.browser("chu-tich", import_seconds=1)
    response = answered_while_the_web_keeps_answering(world, lambda: upload(chairman, path))
    assert response.status_code == 422
    assert "tệp rat-nhieu-dong.txt không đọc được trong giới hạn cho phép (1 giây" in html.unescape(response.text)


@pytest.mark.parametrize(("page", "make"), OFFICE_FILES)
def test_a_hostile_directory_or_criteria_file_is_refused_in_seconds_naming_the_file_while_the_web_answers(
    world, tmp_path, nothing_stored, page, make
):
    path = make(tmp_path)
    importer = world.browser(IMPORTERS[page])
    response = answered_while_the_web_keeps_answering(world, lambda: upload(importer, path, page))
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert path.name in page and SAID[make] in page


def slow_directory(folder: Path) -> Path:
    """A directory of 100,000 people: read in seconds, not in one."""
    path = folder / "rat-nhieu-nguoi.csv"
    rows = (f"Người {n},nguoi{n}@vinhkhe.example.vn,Văn phòng,công chức\n" for n in range(100_000))
    path.write_text("Họ tên,Email,Đơn vị,Vai trò\n" + "".join(rows), encoding="utf-8")
    return path


def slow_criteria(folder: Path) -> Path:
    """A criteria set of 20,000 areas: read in seconds, not in one."""
    path = folder / "rat-nhieu-linh-vuc.yaml"
    areas = (f'  - {{code: "{n}", name: Lĩnh vực {n}, max_points: 1}}\n' for n in range(20_000))
    path.write_text("format: cchc-criteria/1\nname: Bộ tiêu chí\nareas:\n" + "".join(areas), encoding="utf-8")
    return path


@pytest.mark.parametrize(("page", "make"), [("/people", slow_directory), ("/catalogues", slow_criteria)])
def test_a_directory_or_criteria_file_read_past_its_time_limit_is_stopped_and_the_person_told_naming_the_file(
    world, tmp_path, nothing_stored, page, make
):
    path = make(tmp_path)
    importer = world.browser(IMPORTERS[page], import_seconds=1)
    response = answered_while_the_web_keeps_answering(world, lambda: upload(importer, path, page))
    assert response.status_code == 422
    assert f"tệp {path.name} không đọc được trong giới hạn cho phép (1 giây" in html.unescape(response.text)


@pytest.fixture(scope="module")
def task_in_progress(world) -> None:
    """The task acknowledged, so that its page shows the evidence form (a form with a file) too."""
    acknowledged = world.browser("cong-chuc-vp").post(f"/api{task_path(world.task_id(*TASK))}/acknowledge", json={})
    assert acknowledged.status_code in (200, 409)  # 409: acknowledged already, by another test


def forms_on(browser, page: str) -> list[tuple[str, bool, list[str]]]:
    """(action, multipart, field names) of every form the page shows, but signing out."""
    found = []
    for action, attributes, body in FORM.findall(browser.get(page).text):
        if action != "/logout":
            found.append((html.unescape(action), "multipart" in attributes, sorted(set(FIELD.findall(body)))))
    return found


@pytest.mark.parametrize(
    ("user", "page"),
    [
        ("cong-chuc-vp", "task"),
        ("van-phong", "task"),
        ("chu-tich", "task"),
        ("chu-tich", "plan"),
        ("quan-tri", "/users"),
    ],
)
def test_a_nul_in_every_field_of_every_form_is_refused_and_nothing_is_stored(
    world, task_in_progress, nothing_stored, user, page
):
    browser = world.browser(user)
    shown = {"task": task_path(world.task_id(*TASK)), "plan": f"/plans/{world.plan_id}"}.get(page, page)
    forms = forms_on(browser, shown)
    assert forms, f"{shown} shows {user} a form"
    if (user, page) == ("cong-chuc-vp", "task"):
        assert any(multipart for _, multipart, _ in forms), "the evidence form is among them"
    for action, multipart, fields in forms:
        values = {name: "1\x00" for name in fields if name != "csrf_token"}
        values["csrf_token"] = form_token(browser, shown)
        if multipart:
            response = browser.post(action, data=values, files={"file": ("x.pdf", b"%PDF-1.4\x00")})
        else:
            response = browser.post(action, data=values)
        assert response.status_code in (303, 400, 422), (action, response.status_code, response.text[:300])


def test_a_nul_in_the_sign_in_form_is_refused_before_the_account_is_looked_up(world, nothing_stored):
    browser = world.app_client()
    values = {"username": "chu-tich\x00", "password": "\x00", "csrf_token": form_token(browser)}
    response = browser.post("/login", data=values)
    assert response.status_code == 400
    assert response.text == NUL_REFUSED


# A value each field of the round, sheet and supervision forms would take; a control character
# added to any one of them must get the form refused, with a message.
LIKELY = {
    "codes": "1.2.2",
    "points": "1",
    "note": "đã bổ sung",
    "decision_number": "125/QĐ-UBND",
    "decision_date": "10/02/2025",
    "signer": "Nguyễn Văn A",
    "code": "1.2.2",
    "reason": "đã thực hiện",
    "text": "không phát sinh trong năm",
    "task": TASK[0],
    "document_number": "45/BC-UBND",
    "document_date": "15/01/2024",
    "issuer": "UBND xã Vĩnh Khê",
    "summary": "Báo cáo công tác CCHC",
    "page": "2",
    "signed": "on",
    "plan_completion": "1.1.2",
    "submission_due": f"{date.today() + timedelta(days=40):%d/%m/%Y}",
    "explanation_due": f"{date.today() + timedelta(days=80):%d/%m/%Y}",
}
SELECT = re.compile(r'<select[^>]*\bname="([^"]+)"[^>]*>\s*<option value="([^"]*)"')
ERROR_FLASH = re.compile(r'<p class="flash error" role="status">([^<]*)</p>')


@pytest.fixture(scope="module")
def round_opened(world) -> None:
    world.open_round()


def filled_forms(browser, page: str) -> list[tuple[str, bool, dict[str, str]]]:
    """(action, multipart, what a person would fill its fields with: LIKELY, and a select's
    first option) of every form the page shows, but signing out."""
    found = []
    for action, attributes, body in FORM.findall(browser.get(page).text):
        if action != "/logout":
            likely = {name: LIKELY.get(name, "1") for name in set(FIELD.findall(body)) - {"csrf_token", "file"}}
            found.append((html.unescape(action), "multipart" in attributes, likely | dict(SELECT.findall(body))))
    return found


@pytest.mark.parametrize("control", ["\x00", "\x07"], ids=["NUL", "BEL"])
@pytest.mark.parametrize(
    ("user", "page"),
    [("chu-tich", "round"), ("van-phong", "sheet"), ("tham-dinh", "/supervision/2024")],
)
def test_a_control_character_in_any_field_of_the_round_sheet_and_supervision_forms_is_refused_with_a_message(
    world, round_opened, nothing_stored, user, page, control
):
    browser = world.browser(user)
    commune = quote(COMMUNE)
    shown = {"round": f"/rounds/2024/{commune}", "sheet": f"/assessment/2024/{commune}"}.get(page, page)
    forms = filled_forms(browser, shown)
    assert forms, f"{shown} shows {user} a form"
    for action, multipart, likely in forms:
        for name in sorted(likely):
            values = {**likely, name: likely[name] + control, "csrf_token": form_token(browser, shown)}
            files = {"file": ("x.pdf", b"%PDF-1.4 minimal")} if multipart else None
            said = refusal(browser, browser.post(action, data=values, files=files))
            assert said, f"{action}: a control character in “{name}” is refused with a message"


def refusal(browser, response) -> str | None:
    """What the person is told of a refused form: the answer itself, or the error the page it
    leads back to shows; None when it was not refused."""
    if response.status_code in (400, 404):  # the web's own refusal, or an id that names nothing
        return response.text
    assert response.status_code == 303, (response.status_code, response.text[:300])
    said = ERROR_FLASH.findall(browser.get(response.headers["location"]).text)
    return said[0] if said else None

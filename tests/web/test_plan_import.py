"""Importing a plan on the web: upload, preview with due dates and warnings (or errors with
their row and column), confirm to store, then start it; a new version of a stored plan (an
amending plan, or the plan corrected) previewed as its changes, then applied to the running
tasks once the chairman confirms it."""

from __future__ import annotations

import re

import pytest
import yaml
from sqlalchemy import select

from domain.models import Plan
from importers.canonical import write_yaml
from persistence.amendment_tables import AmendmentRow
from persistence.plans import load_plan
from tests.web.world import SAMPLE, flash_text, form_token, task_path
from workflows.contracts import task_workflow_id


@pytest.fixture
def small_plan_yaml(vinh_khe_plan) -> bytes:
    """Three tasks of the Vĩnh Khê plan, under a number of their own, in the canonical YAML format."""
    return write_yaml(vinh_khe_plan.model_copy(update={"number": "11/KH-UBND"})).encode()


def upload(browser, filename: str, content: bytes, **fields: str):
    token = form_token(browser, "/plans/import")
    return browser.post("/plans/import", data={"csrf_token": token, **fields}, files={"file": (filename, content)})


def test_a_plan_with_an_unreadable_period_is_refused_with_its_row_and_column(world):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    cells = lines[236].split("\t")
    cells[5] = "Sớm nhất"
    lines[236] = "\t".join(cells)
    response = upload(world.browser("van-phong"), "ke-hoach-loi.txt", "\n".join(lines).encode())
    assert response.status_code == 422
    row = re.search(r"<tr><td>ke-hoach-loi.txt</td>.*?</tr>", response.text).group(0)
    assert '<td class="num">237</td>' in row and "Thời gian thực hiện" in row and "“Sớm nhất”" in row
    assert list((world.settings.data_dir / "imports").glob("*/ke-hoach-loi.txt")) == []  # nothing of it kept


def test_a_plan_is_previewed_with_its_due_dates_then_stored_once_confirmed_then_started(world, small_plan_yaml):
    chairman = world.browser("chu-tich")
    preview = upload(chairman, "ke-hoach-11.yaml", small_plan_yaml)
    assert preview.status_code == 200
    page = preview.text
    assert "Xem trước: 11/KH-UBND — 15/01/2024" in page
    assert "29/02/2024" in page and "08/03/2024" in page  # due dates: end of February, before the 10th of March
    assert '29/12/2023 <strong class="late">(đã quá hạn khi ban hành)</strong>' in page
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    assert chairman.get("/plans").text.count("11/KH-UBND") == 0  # nothing stored yet

    confirm = {"csrf_token": form_token(chairman, "/plans"), "token": token, "year": "", "commune": ""}
    stored = chairman.post("/plans/import/confirm", data=confirm)
    assert stored.status_code == 303
    plan_page = stored.headers["location"]
    assert flash_text(chairman.get(plan_page).text) == [
        f"Đã lưu kế hoạch 11/KH-UBND (id {plan_page.rsplit('/', 1)[1]})."
    ]
    again = chairman.post("/plans/import/confirm", data=confirm)
    assert again.headers["location"] == "/plans/import"  # the preview's file is gone once stored

    start = chairman.post(
        f"{plan_page}/start", data={"csrf_token": form_token(chairman, plan_page), "include_past_due": "1"}
    )
    assert start.status_code == 200
    assert "11/KH-UBND: đã khởi động 6 nhiệm vụ" in start.text
    assert "6 nhiệm vụ đã quá hạn khi khởi động" in start.text
    second = chairman.post(
        f"{plan_page}/start", data={"csrf_token": form_token(chairman, plan_page), "include_past_due": "1"}
    )
    assert "đã khởi động 0 nhiệm vụ" in second.text and "6 nhiệm vụ đã đang chạy từ trước" in second.text


def test_a_plan_of_another_commune_is_refused_to_a_commune_user(world, vinh_khe_plan):
    other = write_yaml(
        vinh_khe_plan.model_copy(
            update={"number": "12/KH-UBND", "commune": "Long Điền A", "issuer": "UBND xã Long Điền A"}
        )
    ).encode()
    response = upload(world.browser("chu-tich"), "xa-khac.yaml", other)
    assert response.status_code == 403
    assert "Kế hoạch này của xã Long Điền A, không phải xã của đồng chí." in response.text
    assert list((world.settings.data_dir / "imports").glob("*/ke-hoach-loi.txt")) == []  # nothing of it kept


def test_a_plan_issued_by_another_commune_is_refused_even_filed_under_the_user_commune(world, vinh_khe_plan):
    """The file says it is Vĩnh Khê's, but its issuer is Long Điền A's committee: refused,
    naming the issuer, and nothing is kept."""
    theirs = write_yaml(
        vinh_khe_plan.model_copy(update={"number": "13/KH-UBND", "issuer": "UBND xã Long Điền A"})
    ).encode()
    response = upload(world.browser("chu-tich"), "xa-khac-ban-hanh.yaml", theirs)
    assert response.status_code == 403
    assert "Kế hoạch này do UBND xã Long Điền A ban hành, không phải xã của đồng chí." in response.text
    assert list((world.settings.data_dir / "imports").glob("*/ke-hoach-loi.txt")) == []  # nothing of it kept


def test_a_plan_naming_no_commune_is_not_read_again_as_the_user_commune_when_another_commune_issued_it(
    world, vinh_khe_plan
):
    """A file that names no commune is read a second time as the user's commune: never one whose
    issuer is another commune's committee."""
    text = write_yaml(vinh_khe_plan.model_copy(update={"number": "14/KH-UBND", "issuer": "UBND xã Long Điền A"}))
    unnamed = "\n".join(line for line in text.splitlines() if not line.strip().startswith("commune:")).encode()
    response = upload(world.browser("chu-tich"), "khong-ghi-xa.yaml", unnamed)
    assert response.status_code == 403
    assert "Kế hoạch này do UBND xã Long Điền A ban hành, không phải xã của đồng chí." in response.text


PROSE = """\
ỦY BAN NHÂN DÂN
XÃ VĨNH KHÊ
Số: 31/KH-UBND
Vĩnh Khê, ngày 02 tháng 02 năm 2024
KẾ HOẠCH
Khắc phục hạn chế chỉ số CCHC năm 2024
II. NHIỆM VỤ, GIẢI PHÁP
1. Niêm yết thủ tục hành chính tại Bộ phận một cửa
- Cơ quan chủ trì: Văn phòng
- Thời gian thực hiện: Quý II/2024
2. Tổ chức đối thoại với Nhân dân
- Cơ quan thực hiện: Tư pháp
"""


def test_the_preview_counts_the_rows_by_fate_and_lists_each_skipped_row_naming_a_time(world):
    table = (
        "STT,Nội dung,Chủ trì,Thời hạn,Ghi chú\n"
        "1,Ban hành kế hoạch,Văn phòng,Tháng 1/2024,\n"
        ",,,,Quý II/2024\n"
        "2,Rà soát TTHC,Văn phòng,Quý I/2024,\n"
    )
    response = upload(world.browser("van-phong"), "bang.csv", table.encode(), year="2024")
    assert response.status_code == 200, response.text
    page = response.text
    assert "Các hàng, dòng của tệp đã được đọc thành" in page
    assert "<li><strong>2</strong> nhiệm vụ</li>" in page and "<li><strong>1</strong> bỏ qua</li>" in page
    skipped = re.search(r'<table class="rows-to-see">.*?</table>', page, re.DOTALL).group(0)
    assert "<td>hàng 3</td>" in skipped and "<td>Quý II/2024</td>" in skipped


# --- a new version of a stored plan ------------------------------------------------------------

TOKEN = re.compile(r'name="token" value="([0-9a-f]{32})"')
MOVED = ("I.3", "2024-02")  # "Tháng 2/2024", due 29/02/2024
REASSIGNED = ("II.4", "before-2023-12-31")  # led by Tư pháp


def stored_and_started(browser, plan: Plan) -> int:
    """`plan` uploaded, stored and started (every occurrence, all past due) as the office does; its id."""
    found = TOKEN.search(upload(browser, "ke-hoach.yaml", write_yaml(plan).encode()).text)
    assert found is not None, "the uploaded plan's page carries its token"
    token = found.group(1)
    stored = browser.post("/plans/import/confirm", data={"csrf_token": form_token(browser, "/plans"), "token": token})
    plan_page = stored.headers["location"]
    started = browser.post(
        f"{plan_page}/start", data={"csrf_token": form_token(browser, plan_page), "include_past_due": "1"}
    )
    assert started.status_code == 200, started.text
    return int(plan_page.rsplit("/", 1)[1])


def amended(plan: Plan, **head: str) -> bytes:
    """`plan` in the canonical YAML as a new version gives it: I.3 moved to the end of 2099 (a
    running task's due date moves forward only past today), II.4 led by Văn phòng; `head` changes
    the plan's own header (an amending document's number, date, title)."""
    document = yaml.safe_load(write_yaml(plan))
    document["plan"].update(head)
    document["sections"][0]["tasks"][0]["period"] = "Trước 31/12/2099"
    document["sections"][1]["tasks"][0]["lead"] = ["Văn phòng"]
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()


def change_row(page: str, code: str, key: str) -> str:
    row = re.search(rf"<tr><td>{re.escape(code)} · {re.escape(key)}.*?</tr>", page, re.DOTALL)
    assert row is not None, f"the page lists the change of {code} · {key}"
    return row.group(0)


def amendments(world, plan_id: int) -> list[AmendmentRow]:
    with world.sessions() as session:
        return list(session.scalars(select(AmendmentRow).where(AmendmentRow.plan_id == plan_id)))


def as_it_stands(world, plan_id: int) -> tuple:
    """The stored plan, and the two running tasks' histories once quiet, to compare before and after."""
    with world.sessions() as session:
        plan = load_plan(session, plan_id)
    histories = [world.history_length(task_workflow_id(plan_id, *task)) for task in (MOVED, REASSIGNED)]
    return plan, histories, len(amendments(world, plan_id))


def test_an_amending_plan_is_previewed_as_its_changes_then_applied_to_the_running_tasks_once_confirmed(
    world, vinh_khe_plan
):
    chairman = world.browser("chu-tich")
    plan_id = stored_and_started(chairman, vinh_khe_plan.model_copy(update={"number": "40/KH-UBND"}))
    assert f'<option value="{plan_id}">40/KH-UBND · 15/01/2024</option>' in chairman.get("/plans/import").text
    before = as_it_stands(world, plan_id)

    document = amended(vinh_khe_plan, number="41/KH-UBND", date="05/02/2024", title="Điều chỉnh, bổ sung Kế hoạch CCHC")
    preview = upload(chairman, "dieu-chinh-41.yaml", document, amends=str(plan_id))
    assert preview.status_code == 200, preview.text
    page = preview.text
    assert "Điều chỉnh kế hoạch 40/KH-UBND theo văn bản 41/KH-UBND ngày 05/02/2024" in page
    moved = change_row(page, *MOVED)
    assert "đổi hạn" in moved and "29/02/2024 → 30/12/2099" in moved
    reassigned = change_row(page, *REASSIGNED)
    assert "đổi đơn vị chủ trì" in reassigned and "Tư pháp → Văn phòng" in reassigned
    assert f'action="/plans/{plan_id}/amend"' in page and "Chưa áp dụng." in page
    assert as_it_stands(world, plan_id) == before  # a preview applies nothing

    confirm = {"csrf_token": form_token(chairman, "/plans"), "token": TOKEN.search(page).group(1)}
    applied = chairman.post(f"/plans/{plan_id}/amend", data=confirm)
    assert applied.status_code == 200, applied.text
    assert "Đã áp dụng điều chỉnh cho kế hoạch 40/KH-UBND." in applied.text
    assert "đã áp dụng" in change_row(applied.text, *MOVED) and "đã áp dụng" in change_row(applied.text, *REASSIGNED)

    task = chairman.get(task_path(task_workflow_id(plan_id, *MOVED))).text
    assert "<dt>Hạn</dt><dd>30/12/2099</dd>" in task
    assert "41/KH-UBND" in re.search(r'<table class="timeline">.*?</table>', task, re.DOTALL).group(0)
    assert world.run_row_lead(task_workflow_id(plan_id, *REASSIGNED)) == ["Văn phòng"]
    (recorded,) = amendments(world, plan_id)
    assert (recorded.document_number, recorded.confirmed_by, recorded.confirmed_role) == (
        "41/KH-UBND",
        "chu-tich",
        "chairman",
    )
    again = chairman.post(f"/plans/{plan_id}/amend", data=confirm)
    assert again.headers["location"] == "/plans/import"  # the previewed file is gone once applied


def test_a_corrected_version_is_shown_to_the_office_as_its_changes_and_only_the_chairman_applies_them(
    world, vinh_khe_plan
):
    office = world.browser("van-phong")
    plan = vinh_khe_plan.model_copy(update={"number": "42/KH-UBND"})
    plan_id = stored_and_started(office, plan)
    before = as_it_stands(world, plan_id)

    page = upload(office, "ke-hoach-42-sua.yaml", amended(plan)).text  # the same number and year: no plan named
    assert "Điều chỉnh kế hoạch 42/KH-UBND theo văn bản 42/KH-UBND ngày 15/01/2024" in page
    assert "29/02/2024 → 30/12/2099" in change_row(page, *MOVED)
    assert "/amend" not in page and "Chủ tịch UBND xã xác nhận để áp dụng" in page

    (kept,) = (world.settings.data_dir / "imports").glob("*-*/ke-hoach-42-sua.yaml")  # posted anyway: refused
    token = kept.parent.name.split("-", 1)[1]
    refused = office.post(f"/plans/{plan_id}/amend", data={"csrf_token": form_token(office, "/plans"), "token": token})
    assert refused.status_code == 403
    assert as_it_stands(world, plan_id) == before


def test_another_communes_plan_cannot_be_amended_it_answers_404_and_nothing_changes(world, vinh_khe_plan):
    plan = vinh_khe_plan.model_copy(update={"number": "43/KH-UBND"})
    plan_id = stored_and_started(world.browser("chu-tich"), plan)
    before = as_it_stands(world, plan_id)
    outsider = world.browser("chu-tich-xa-khac")

    assert "43/KH-UBND" not in outsider.get("/plans/import").text
    response = upload(outsider, "dieu-chinh-xa-khac.yaml", amended(plan, number="44/KH-UBND"), amends=str(plan_id))
    assert response.status_code == 404
    assert list((world.settings.data_dir / "imports").glob("*/dieu-chinh-xa-khac.yaml")) == []
    confirm = outsider.post(
        f"/plans/{plan_id}/amend", data={"csrf_token": form_token(outsider, "/plans"), "token": "0" * 32}
    )
    assert confirm.status_code == 404
    assert as_it_stands(world, plan_id) == before


def test_a_phuong_plan_is_shown_as_the_phuongs_on_its_preview_and_its_page(world, vinh_khe_plan):
    phuong = write_yaml(
        vinh_khe_plan.model_copy(
            update={"number": "12/KH-UBND", "commune": "Bến Nghé", "issuer": "UBND phường Bến Nghé"}
        )
    ).encode()
    admin = world.browser("quan-tri")

    preview = upload(admin, "ke-hoach-ben-nghe.yaml", phuong)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.text).group(1)
    confirm = {"csrf_token": form_token(admin, "/plans"), "token": token, "year": "", "commune": ""}
    page = admin.get(admin.post("/plans/import/confirm", data=confirm).headers["location"]).text

    for shown in (preview.text, page):
        assert "UBND phường Bến Nghé · Phường Bến Nghé ·" in shown and "Xã Bến Nghé" not in shown
